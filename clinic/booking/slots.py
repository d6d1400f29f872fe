"""Free-slot computation: pure functions over plain data, no database.

A slot is free for a practitioner when it lies inside the clinic's opening hours AND
the practitioner's working hours of that weekday, outside their breaks, outside
closures (whole clinic or theirs), outside existing appointments, starts on the slot
grid, no earlier than ``now + lead time``, and fits the service's duration.
Local times are Asia/Dubai wall-clock times; everything returned is UTC.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple
from zoneinfo import ZoneInfo

from clinic.booking.zone import ZONE

Interval = Tuple[datetime, datetime]
TimeRange = Tuple[time, time]


@dataclass(frozen=True)
class PractitionerWeek:
    key: str
    work: Mapping[int, Sequence[TimeRange]]  # weekday (0 = Monday) -> intervals
    breaks: Mapping[int, Sequence[TimeRange]] = field(default_factory=dict)


@dataclass(frozen=True)
class ClosureRule:
    day: date
    practitioner: Optional[str] = None  # None: the whole clinic
    starts: Optional[time] = None  # None: the whole day
    ends: Optional[time] = None
    reason: str = "closed"


@dataclass(frozen=True)
class Rules:
    opening: Mapping[int, TimeRange]  # weekday -> clinic opening hours
    practitioners: Sequence[PractitionerWeek]
    closures: Sequence[ClosureRule] = ()
    lead_time: timedelta = timedelta(hours=2)
    step_minutes: int = 15
    tz: str = ZONE.key
    horizon_days: int = 60

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime  # aware UTC
    end: datetime
    practitioner: str


def utc(dt: datetime) -> datetime:
    """An aware UTC datetime (naive input is taken to be UTC already)."""
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def subtract(intervals: List[Interval], holes: Iterable[Interval]) -> List[Interval]:
    """``intervals`` minus every interval of ``holes`` (half-open intervals)."""
    for h_start, h_end in holes:
        result = []
        for start, end in intervals:
            if h_end <= start or h_start >= end:
                result.append((start, end))
                continue
            if start < h_start:
                result.append((start, h_start))
            if h_end < end:
                result.append((h_end, end))
        intervals = result
    return intervals


def _local(day: date, t: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, t, tzinfo=zone)


def _closure_holes(rules: Rules, day: date, key: str) -> List[Interval]:
    holes = []
    for c in rules.closures:
        if c.day == day and c.practitioner in (None, key):
            start = _local(day, c.starts or time(0), rules.zone)
            end = _local(day, c.ends, rules.zone) if c.ends else _local(day + timedelta(days=1), time(0), rules.zone)
            holes.append((start, end))
    return holes


def open_intervals(rules: Rules, day: date, week: PractitionerWeek) -> List[Interval]:
    """The practitioner's bookable time on a local ``day`` before appointments, as UTC."""
    opening = rules.opening.get(day.weekday())
    if not opening:
        return []
    zone = rules.zone
    o_start, o_end = _local(day, opening[0], zone), _local(day, opening[1], zone)
    intervals = []
    for w_start, w_end in week.work.get(day.weekday(), ()):
        start, end = max(o_start, _local(day, w_start, zone)), min(o_end, _local(day, w_end, zone))
        if start < end:
            intervals.append((start, end))
    breaks = [(_local(day, s, zone), _local(day, e, zone)) for s, e in week.breaks.get(day.weekday(), ())]
    intervals = subtract(intervals, breaks + _closure_holes(rules, day, week.key))
    return [(utc(s), utc(e)) for s, e in intervals]


def free_slots(
    rules: Rules,
    duration: timedelta,
    window: Interval,
    busy: Mapping[str, Sequence[Interval]],
    now: datetime,
    limit: Optional[int] = 5,
    practitioner: Optional[str] = None,
) -> List[Slot]:
    """Free slots starting inside ``window`` (UTC or aware), earliest first.

    ``busy`` maps a practitioner key to its booked UTC intervals. With ``limit``, at
    most that many slots with distinct start times are returned (the first free
    practitioner for each start); with ``limit=None`` every (start, practitioner).
    """
    earliest = utc(now) + rules.lead_time
    w_start, w_end = max(utc(window[0]), earliest), utc(window[1])
    step = timedelta(minutes=rules.step_minutes)
    found: Dict[datetime, Slot] = {}
    every: List[Slot] = []
    day = w_start.astimezone(rules.zone).date()
    last_day = w_end.astimezone(rules.zone).date()
    while day <= last_day:
        midnight = utc(_local(day, time(0), rules.zone))
        for week in rules.practitioners:
            if practitioner and week.key != practitioner:
                continue
            blocks = open_intervals(rules, day, week)
            blocks = subtract(blocks, [(utc(s), utc(e)) for s, e in busy.get(week.key, ())])
            for b_start, b_end in blocks:
                first = max(b_start, w_start)
                offset = (first - midnight) % step
                start = first if not offset else first + (step - offset)
                while start + duration <= b_end and start < w_end:
                    slot = Slot(start, start + duration, week.key)
                    every.append(slot)
                    found.setdefault(start, slot)
                    start += step
        if limit is not None and len(found) >= limit:
            break
        day += timedelta(days=1)
    if limit is None:
        return sorted(every)
    return [found[s] for s in sorted(found)][:limit]


def nearest_slots(
    rules: Rules,
    duration: timedelta,
    target: datetime,
    busy: Mapping[str, Sequence[Interval]],
    now: datetime,
    limit: int = 3,
    days: int = 14,
) -> List[Slot]:
    """Up to ``limit`` free slots closest in time to ``target`` (before or after), by start."""
    target = utc(target)
    window = (target - timedelta(days=days), target + timedelta(days=days))
    slots = free_slots(rules, duration, window, busy, now, limit=None)
    by_start: Dict[datetime, Slot] = {}
    for slot in slots:
        by_start.setdefault(slot.start, slot)
    closest = sorted(by_start.values(), key=lambda s: (abs(s.start - target), s.start))[:limit]
    return sorted(closest)


def closure_reason(rules: Rules, day: date) -> Optional[str]:
    """Why the whole clinic is closed on ``day`` (holiday name, or ``"closed"``), else None."""
    for c in rules.closures:
        if c.day == day and c.practitioner is None and c.starts is None:
            return c.reason
    if day.weekday() not in rules.opening:
        return "closed"
    return None
