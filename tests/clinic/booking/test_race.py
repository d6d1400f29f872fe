"""50 concurrent attempts on one slot, 20 rounds: exactly one booking per round.

Each attempt runs in its own thread with its own sessions, like separate action-server
requests. PostgreSQL (TEST_POSTGRES_URL) and a SQLite file.
"""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from clinic.booking import service
from clinic.booking.models import Appointment, SlotClaim
from clinic.db import Base, make_engine, make_session_factory
from tests.postgres import schema_engine
from tests.clinic.booking.conftest import NOW, TABLES, seed

ATTEMPTS, ROUNDS = 50, 20


def run_round(factory, start, round_no):
    outcomes, barrier = [], threading.Barrier(ATTEMPTS)

    def attempt(i):
        barrier.wait()
        try:
            service.book(factory, service_key="consultation", start=start, name="Race Test",
                         phone=f"050{1000000 + i:07d}", conversation_id=f"race-{round_no}-{i}",
                         idempotency_key=f"race-{round_no}-{i}", now=NOW)
            outcomes.append("booked")
        except service.SlotTaken as taken:
            outcomes.append("taken" if taken.alternatives else "taken-without-alternatives")
        except Exception as error:  # pragma: no cover - reported by the assertion
            outcomes.append(repr(error))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture(params=["postgresql", "sqlite-file"])
def race_factory(request, tmp_path):
    if request.param == "postgresql":
        engine, drop, _ = schema_engine("booking_test")
    else:
        engine, drop = make_engine(f"sqlite:///{tmp_path}/race.db"), None
    Base.metadata.create_all(engine, tables=TABLES)
    factory = make_session_factory(engine)
    seed(factory)
    yield factory
    drop() if drop else engine.dispose()


def test_exactly_one_booking_per_round(race_factory):
    first = NOW.replace(hour=14, minute=0)
    for round_no in range(ROUNDS):
        start = first + timedelta(minutes=15 * (round_no % 14), days=7 * (round_no // 14))
        outcomes = run_round(race_factory, start, round_no)
        assert outcomes.count("booked") == 1, outcomes
        assert outcomes.count("taken") == ATTEMPTS - 1, outcomes
        # 15-minute steps with 30-minute consultations: the next round overlaps this
        # booking's second half, so release it to keep every round a fresh race
        with race_factory() as session:
            reference = session.scalar(select(Appointment.reference).where(Appointment.status == "confirmed"))
        service.cancel(race_factory, reference, None, now=NOW)
    with race_factory() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)) == ROUNDS
        assert session.scalar(select(func.count()).select_from(SlotClaim)) == 0


def test_the_same_request_delivered_concurrently_books_once(race_factory):
    start, results = NOW.replace(hour=15, minute=0), []

    def attempt():
        try:
            booked = service.book(race_factory, service_key="consultation", start=start, name="Race Test",
                                  phone="0501234567", conversation_id="dup", idempotency_key="dup:msg-1", now=NOW)
            results.append(booked.reference)
        except Exception as error:  # pragma: no cover - reported by the assertion
            results.append(repr(error))

    threads = [threading.Thread(target=attempt) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 10 and len(set(results)) == 1, sorted(set(results))
    with race_factory() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)) == 1
