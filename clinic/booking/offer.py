"""Which times to offer for what a patient asked ("tomorrow 5pm", "any evening", "the
earliest", "31 feb", "sunday at 3am") -> an :class:`Offer` the actions turn into a response.

The decision lives here (framework-free): the day/time wish is read with
:func:`clinic.booking.request.preference` (lower bounds such as "after 5:30" and parts of
the day on any day such as "any evening" filter the slots), then the clinic's diary says
whether the exact time is free, which free times are nearest, or why nothing can be
booked then (a closed day, a holiday, outside opening hours, a date in the past or one
that does not exist).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, List, Optional, Sequence, Tuple

from sqlalchemy.orm import Session

from clinic.booking import request
from clinic.booking import service as booking
from clinic.booking.dates import ZONE, DateQuery, describe, describe_day, describe_window
from clinic.booking.slots import Interval, Rules, Slot, closure_reason

MAX_OFFERED = 5
# Offer.kind -> what it means for the patient
KINDS = (
    "slots",          # free times matching the wish
    "slot_free",      # the exact time asked for is free (first of ``slots``), nearby times after it
    "time_taken",     # the exact time is within opening hours but taken: the nearest free times
    "outside_hours",  # the time or part of the day is outside opening hours: the nearest free times
    "closed_day",     # the clinic is closed that weekday: the same hours on the next days
    "holiday",        # a closure (``reason``): the same hours on the next days
    "nothing_free",   # nothing free in the window asked: the nearest free times
    "date_past",      # the day has passed: the earliest free times
    "date_invalid",   # no such date (31 February) or clock time (25:00): asked again
    "date_unknown",   # no day or time found: asked again
)


@dataclass(frozen=True)
class Offer:
    """``kind`` (one of :data:`KINDS`), the free ``slots`` to offer (may be empty: the
    patient is then told to call), ``when`` (the day or time asked, for the message),
    ``reason`` (a closure's name) and ``exact`` (the exact time asked for, when it is free)."""

    kind: str
    slots: Tuple[Slot, ...] = ()
    when: Optional[str] = None
    reason: Optional[str] = None
    exact: Optional[Slot] = None


def wish_after(found: "Offer", text: str, now: datetime) -> Optional[str]:
    """What to keep of the day and time asked (``text``, which gave ``found``) until a time is
    chosen (slot ``time_wish``), so that the form's time question asked again after a question
    in between offers times on that day, and a bare time typed next ("ok 5pm is fine then"
    after "sat 6pm" was outside the hours) is read on that day:

    * free times matching the wish ("any evening", "monday 11am" free): the wish itself;
    * the exact time taken, with free times nearby: the day asked from the earliest time
      offered ("2026-12-07 from 15:00"), so the complaint is said once and the times offered
      again (after the patient typed a name meanwhile) are the same nearby ones, not that
      morning's;
    * outside the hours or nothing free in the window asked, with free times nearby: only
      the day asked (ISO date);
    * a closed day, a closure, a date that cannot be had, nothing free at all: nothing."""
    if not found.slots:
        return None
    if found.kind in ("slots", "slot_free"):
        return text
    if found.kind in ("time_taken", "outside_hours", "nothing_free"):
        day = request.single_day(text, now)
        if day is None:
            return None
        that_day = [start for start in (slot.start.astimezone(ZONE) for slot in found.slots) if start.date() == day]
        if found.kind == "time_taken" and that_day:
            return f"{day.isoformat()} from {min(that_day):%H:%M}"
        return day.isoformat()
    return None


def _same_hours_later(session: Session, service_key: str, window: Interval, now: datetime,
                      days: int = 14) -> List[Slot]:
    """Free slots at the same time of day ("evening") on the days after a closed one."""
    start, end = window
    if end - start >= timedelta(days=1):
        return []
    found: List[Slot] = []
    for day in range(1, days + 1):
        shift = timedelta(days=day)
        found += booking.find_slots(session, service_key, (start + shift, end + shift), now,
                                    limit=MAX_OFFERED - len(found))
        if len(found) >= MAX_OFFERED:
            break
    return found


def _outside_opening(rules: Rules, window: Interval) -> bool:
    """True when a window within one day misses that day's opening hours entirely."""
    start, end = window
    last = end - timedelta(seconds=1)
    if end - start > timedelta(days=1) or start.date() != last.date():
        return False
    opening = rules.opening.get(start.weekday())
    if not opening:
        return False  # a closed weekday is answered before
    return last.time() < opening[0] or start.time() >= opening[1]


def find_offer(session: Session, service_key: str, text: str, now: datetime,
               entities: Iterable[str] = ()) -> Offer:
    """What to offer for ``text`` (the patient's words about a day and time); "wed or thu
    afternoon" offers free times on both days ("wed or thu 2pm": 2pm on each day that has it)."""
    both = request.two_days(text)
    if both:
        offers = [_find_offer(session, service_key, day, now, entities) for day in both]
        found = [o for o in offers if o.kind in ("slots", "slot_free")]
        if len(found) == 2:
            return Offer("slots", _both_days(found))
        return found[0] if found else offers[0]
    return _find_offer(session, service_key, text, now, entities)


def _both_days(offers: Sequence[Offer]) -> Tuple[Slot, ...]:
    """The exact times asked for on each day when both are free, otherwise the first free
    times of each day in turn, in time order (at most :data:`MAX_OFFERED`)."""
    exact = [o.exact for o in offers if o.exact is not None]
    if len(exact) == len(offers):
        return tuple(sorted(exact, key=lambda s: s.start))
    first, second = (list(o.slots) for o in offers)
    take = (MAX_OFFERED + 1) // 2
    chosen = first[:take] + second[:MAX_OFFERED - min(take, len(first))]
    chosen += [s for s in first if s not in chosen][:MAX_OFFERED - len(chosen)]
    return tuple(sorted(chosen, key=lambda s: s.start))


def _find_offer(session: Session, service_key: str, text: str, now: datetime,
                entities: Iterable[str] = ()) -> Offer:
    rules = booking.current_rules(session)
    query, not_before = request.preference(text, now, rules.opening, entities)
    not_after = request.latest_start(text)
    query = query or DateQuery("unknown")
    if query.status in ("unknown", "invalid"):
        return Offer(f"date_{query.status}")
    if query.status == "past":
        return Offer("date_past", tuple(booking.find_slots(session, service_key, now=now, limit=MAX_OFFERED)))
    window = query.window
    if window is None:  # an "ok" query always has its window
        return Offer("date_unknown")
    start, end = window
    day = start.date()
    reason = closure_reason(rules, day) if end - start <= timedelta(days=1) else None
    if reason:
        later = _same_hours_later(session, service_key, window, now) or booking.find_slots(
            session, service_key, (start, start + timedelta(days=30)), now, limit=MAX_OFFERED)
        return Offer("closed_day" if reason == "closed" else "holiday", tuple(later),
                     when=describe_day(start), reason=reason)
    if query.exact:
        exact = booking.find_slots(session, service_key, window, now, limit=1)
        nearby = booking.alternatives(session, service_key, start, now, limit=MAX_OFFERED)
        if exact:
            others = [s for s in nearby if s.start != exact[0].start][:MAX_OFFERED - 1]
            return Offer("slot_free", (exact[0], *others), when=describe(exact[0].start), exact=exact[0])
        opening = rules.opening.get(day.weekday())
        outside = not opening or not (opening[0] <= start.timetz().replace(tzinfo=None) < opening[1])
        return Offer("outside_hours" if outside else "time_taken", tuple(nearby), when=describe(start))
    filtered = bool(not_before or not_after)
    slots = request.keep_preferred(booking.find_slots(
        session, service_key, window, now, limit=200 if filtered else MAX_OFFERED),
        not_before, MAX_OFFERED, not_after)
    if slots:
        return Offer("slots", tuple(slots))
    nearby = booking.alternatives(session, service_key, start, now, limit=MAX_OFFERED)
    if _outside_opening(rules, window):  # "Friday morning": the clinic opens at 14:00 on Fridays
        return Offer("outside_hours", tuple(nearby), when=describe_window(start, end))
    return Offer("nothing_free", tuple(nearby))


def still_free(session: Session, service_key: str, start: datetime, now: datetime) -> bool:
    """Whether ``start`` can still be booked for ``service_key`` (after a change of service)."""
    free = booking.find_slots(session, service_key, (start, start + timedelta(seconds=1)), now, limit=1)
    return bool(free) and free[0].start == start


def earliest(session: Session, service_key: str, now: datetime) -> Sequence[Slot]:
    return booking.find_slots(session, service_key, now=now, limit=MAX_OFFERED)
