"""Is the clinic open now, and when does it open next (``clinic.yml`` opening_hours)."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import Optional, Tuple
from zoneinfo import ZoneInfo

from clinic.facts import WEEKDAYS, ClinicFacts, parse_range


def _local(facts: ClinicFacts, now: datetime) -> datetime:
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(ZoneInfo(facts.timezone))


def _hours_on(facts: ClinicFacts, day: datetime) -> Optional[Tuple[time, time]]:
    value = facts.opening_hours.get(WEEKDAYS[day.weekday()])
    if not value:
        return None
    start, end = parse_range(value)
    return time.fromisoformat(start), time.fromisoformat(end)


def is_open(facts: ClinicFacts, now: datetime) -> bool:
    """True when ``now`` (aware, or naive UTC) falls within today's opening hours."""
    local = _local(facts, now)
    hours = _hours_on(facts, local)
    return hours is not None and hours[0] <= local.time() < hours[1]


def next_opening(facts: ClinicFacts, now: datetime) -> Optional[datetime]:
    """The next time the clinic opens after ``now`` (local time), or None if never."""
    local = _local(facts, now)
    tz = ZoneInfo(facts.timezone)
    for offset in range(8):
        day = local + timedelta(days=offset)
        hours = _hours_on(facts, day)
        if not hours:
            continue
        opening = datetime.combine(day.date(), hours[0], tzinfo=tz)
        if opening > local:
            return opening
    return None


def describe_opening(opening: datetime, now: datetime) -> str:
    """``today at 14:00``, ``tomorrow at 10:00`` or ``on Monday at 10:00`` (local times)."""
    local_now = (now if now.tzinfo else now.replace(tzinfo=timezone.utc)).astimezone(opening.tzinfo)
    days = (opening.date() - local_now.date()).days
    clock = opening.strftime("%H:%M")
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    return f"on {opening.strftime('%A')} at {clock}"
