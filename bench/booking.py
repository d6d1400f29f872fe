"""Booking latency, in-process on a temporary SQLite database seeded with schedule.yml.

``measure(n)`` returns p50/p95 (ms) of

* an availability lookup: what ``action_check_availability`` does for one message
  (resolve the date text, read the schedule and appointments, compute up to 5 slots);
* a booking commit: ``clinic.booking.service.book`` of a free slot (idempotency check,
  availability re-check, insert patient, appointment and slot claims, commit).

The database holds the appointments booked so far, so later lookups see a busier diary.
"""
from __future__ import annotations

import itertools
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Dict, List
from zoneinfo import ZoneInfo

from bench.stats import percentile

PHRASES = ["do you have anything Thursday afternoon?", "tomorrow at 5", "next week", "earliest possible",
           "on 12/3", "this weekend", "monday morning", "saturday at 11am"]


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def measure(n: int = 200) -> Dict[str, float]:
    """p50/p95 in ms of ``n`` availability lookups and ``n`` booking commits."""
    from clinic.booking import models, service
    from clinic.booking.dates import resolve
    from clinic.booking.schedule import DEFAULT_SCHEDULE, clinic_facts, load_schedule, read_schedule_file
    from clinic.db import Base, make_engine, make_session_factory

    facts = clinic_facts()
    now = datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo(facts.timezone))  # the clinic's zone, clinic.yml
    tables = [m.__table__ for m in (models.Practitioner, models.Service, models.WorkingHours, models.Closure,
                                    models.Patient, models.Appointment, models.SlotClaim)]
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        Base.metadata.create_all(engine, tables=tables)
        factory = make_session_factory(engine)
        with factory.begin() as session:
            load_schedule(session, read_schedule_file(DEFAULT_SCHEDULE), facts)
        lookups: List[float] = []
        commits: List[float] = []
        phrases = itertools.cycle(PHRASES)
        for i in range(n):
            with factory() as session:  # not timed: the next free slot to book
                [slot] = service.find_slots(session, "consultation", None, now, limit=1)
            started = time.perf_counter()
            service.book(factory, service_key="consultation", start=slot.start, name="Bench Patient",
                         phone="0501234567", conversation_id=f"bench-{i}", idempotency_key=f"bench-{i}", now=now)
            commits.append(_ms(started))
            started = time.perf_counter()
            with factory() as session:
                rules = service.current_rules(session)
                query = resolve(next(phrases), now, rules.opening)
                service.find_slots(session, "consultation", (query.start, query.end), now, limit=5, rules=rules)
            lookups.append(_ms(started))
        engine.dispose()
    return {
        "availability_p50_ms": round(percentile(lookups, 50), 2),
        "availability_p95_ms": round(percentile(lookups, 95), 2),
        "booking_p50_ms": round(percentile(commits, 50), 2),
        "booking_p95_ms": round(percentile(commits, 95), 2),
        "n": n,
    }


if __name__ == "__main__":  # python -m bench.booking
    print(measure())
