"""Booking test databases: a SQLite file, and PostgreSQL when TEST_POSTGRES_URL is set.

PostgreSQL tests run in a throw-away schema of their own, so they never touch tables
that other tests (or a migrated clinic database) have in the public schema.
"""
from __future__ import annotations

from datetime import datetime

import pytest
from zoneinfo import ZoneInfo

from clinic.booking import models
from clinic.booking.schedule import clinic_facts, load_schedule, parse_schedule
from clinic.db import Base, make_engine, make_session_factory
from tests.postgres import schema_engine

DUBAI = ZoneInfo("Asia/Dubai")
# Thursday 26 November 2026, 11:00 in Dubai (07:00 UTC)
NOW = datetime(2026, 11, 26, 11, 0, tzinfo=DUBAI)
TABLES = [m.__table__ for m in (models.Practitioner, models.Service, models.WorkingHours, models.Closure,
                                models.Patient, models.Appointment, models.SlotClaim)]

SCHEDULE = {
    "booking": {"lead_time_minutes": 120, "slot_step_minutes": 15, "horizon_days": 60},
    "practitioners": {
        "Dr. Layla Haddad": {"hours": {"thursday": "10:00-18:00", "saturday": "10:00-16:00",
                                       "monday": "10:00-18:00"},
                             "breaks": {"thursday": "13:00-14:00"}},
    },
    "closures": [{"date": datetime(2026, 12, 2).date(), "reason": "National Day"}],
}


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine, drop = make_engine(f"sqlite:///{tmp_path}/booking.db"), None
    else:
        engine, drop, _ = schema_engine("booking_test")
    Base.metadata.create_all(engine, tables=TABLES)
    yield engine
    if drop:
        drop()
    else:
        engine.dispose()


def seed(factory, schedule=None):
    with factory.begin() as session:
        load_schedule(session, parse_schedule(schedule or SCHEDULE), clinic_facts())


@pytest.fixture
def factory(engine):
    """A session factory on a database seeded with the test schedule (one practitioner)."""
    factory = make_session_factory(engine)
    seed(factory)
    return factory


@pytest.fixture(autouse=True)
def schedule_policy(monkeypatch):
    """Service calls read the policy of the test schedule, not of schedule.yml."""
    from clinic.booking import service
    from clinic.booking.schedule import parse_schedule as parse

    policy = parse(SCHEDULE).policy
    monkeypatch.setattr(service, "policy_for", lambda *_: policy)
