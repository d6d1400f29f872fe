"""schedule.yml parsing and loading, the 0001_booking migration, and the booking CLI."""
from datetime import date, time

import pytest
import yaml
from sqlalchemy import func, inspect, select

from clinic.booking import cli, service
from clinic.booking.models import Closure, Practitioner, Service, WorkingHours
from clinic.booking.schedule import (
    ScheduleError, clinic_facts, load_schedule, parse_schedule, read_rules, read_schedule_file, slug,
)
from clinic.db import make_engine, make_session_factory
from clinic.migrate import downgrade, upgrade
from clinic.settings import PROJECT_ROOT
from tests.postgres import schema_engine
from tests.clinic.booking.conftest import NOW, SCHEDULE


def test_demo_schedule_names_match_clinic_yml_and_covers_2026_and_2027():
    schedule = read_schedule_file(PROJECT_ROOT / "schedule.yml")
    assert set(schedule.practitioners) == {p["name"] for p in clinic_facts().practitioners}
    years = {c["date"].year for c in schedule.closures}
    assert years == {2026, 2027}
    assert {"National Day", "Eid al-Fitr", "Eid al-Adha"} <= {c["reason"] for c in schedule.closures}


@pytest.mark.parametrize("bad", [
    {}, {"practitioners": []}, {"practitioners": {"X": {"hours": {"funday": "10:00-12:00"}}}},
    {"practitioners": {"X": {"hours": {"monday": "12:00-10:00"}}}},
    {"practitioners": {"X": {"hours": {"monday": "10-12"}}}},
    {"practitioners": {"X": {"leave": [{"date": "soon"}]}}},
    {"practitioners": {}, "closures": [{"reason": "no date"}]},
])
def test_malformed_schedules_are_refused(bad):
    with pytest.raises(ScheduleError):
        parse_schedule(bad)


def test_slug():
    assert slug("Dr. Layla Haddad") == "layla-haddad"


def count(factory, model):
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_loading_twice_gives_the_same_database(factory):
    before = [count(factory, m) for m in (Practitioner, Service, WorkingHours, Closure)]
    with factory.begin() as session:
        load_schedule(session, parse_schedule(SCHEDULE), clinic_facts())
    assert [count(factory, m) for m in (Practitioner, Service, WorkingHours, Closure)] == before == [1, 2, 4, 1]


def test_services_come_from_clinic_yml_and_packages_are_not_bookable(factory):
    with factory() as session:
        services = {s.key: s.duration_minutes for s in session.scalars(select(Service))}
    facts = clinic_facts().services
    assert services == {k: v["duration_minutes"] for k, v in facts.items() if "duration_minutes" in v}


def test_practitioners_left_out_are_deactivated(factory):
    other = {"practitioners": {"Dr. New Person": {"hours": {"monday": "10:00-12:00"}}}, "closures": []}
    with factory.begin() as session:
        load_schedule(session, parse_schedule(other), clinic_facts())
    with factory() as session:
        rules = read_rules(session, clinic_facts(), parse_schedule(other).policy)
        assert [p.key for p in rules.practitioners] == ["new-person"]
        assert rules.practitioners[0].work == {0: [(time(10), time(12))]}
        assert 6 not in rules.opening  # Sunday: closed in clinic.yml


def test_leave_blocks_only_that_practitioner(factory):
    with_leave = {**SCHEDULE, "practitioners": {"Dr. Layla Haddad": {
        **SCHEDULE["practitioners"]["Dr. Layla Haddad"], "leave": [{"date": date(2026, 11, 28), "reason": "leave"}]}}}
    with factory.begin() as session:
        load_schedule(session, parse_schedule(with_leave), clinic_facts())
    with factory() as session:
        rules = read_rules(session, clinic_facts(), parse_schedule(with_leave).policy)
    assert sorted((c.day, c.practitioner or "") for c in rules.closures) == [
        (date(2026, 11, 28), "layla-haddad"), (date(2026, 12, 2), "")]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_creates_and_drops_the_booking_tables(backend, tmp_path):
    if backend == "sqlite":
        url, drop = f"sqlite:///{tmp_path}/m.db", None
    else:
        engine, drop, _ = schema_engine("booking_test")
        url = engine.url.render_as_string(hide_password=False)
        engine.dispose()
    try:
        upgrade(url, "0001_booking")
        engine = make_engine(url)
        tables = set(inspect(engine).get_table_names())
        assert {"booking_appointments", "booking_slot_claims", "booking_patients", "booking_closures"} <= tables
        seed_and_book(make_session_factory(engine))
        engine.dispose()
        downgrade(url, "base")
        engine = make_engine(url)
        assert not [t for t in inspect(engine).get_table_names() if t.startswith("booking_")]
        engine.dispose()
    finally:
        if drop:
            drop()


def seed_and_book(factory):
    with factory.begin() as session:
        load_schedule(session, parse_schedule(SCHEDULE), clinic_facts())
    with factory() as session:
        [slot] = service.find_slots(session, "consultation", now=NOW, limit=1)
    service.book(factory, service_key="consultation", start=slot.start, name="Amal Test", phone="0501234567",
                 idempotency_key="m", now=NOW)


def run_cli(monkeypatch, factory, *argv):
    from clinic.__main__ import main

    monkeypatch.setattr(cli, "_factory", lambda: factory)
    return main(list(argv))


def test_cli_load_list_cancel(monkeypatch, factory, tmp_path, capsys):
    path = tmp_path / "schedule.yml"
    path.write_text(yaml.safe_dump(SCHEDULE), encoding="utf-8")
    assert run_cli(monkeypatch, factory, "load-schedule", str(path)) == 0
    booked = service.book(factory, service_key="consultation", start=NOW.replace(hour=15), name="Amal Test",
                          phone="0501234567", now=NOW)
    assert run_cli(monkeypatch, factory, "appointments", "--date", "2026-11-26") == 0
    out = capsys.readouterr().out
    assert booked.reference in out and "15:00-15:30" in out and "+971" not in out
    assert run_cli(monkeypatch, factory, "cancel", booked.reference) == 0
    assert run_cli(monkeypatch, factory, "cancel", "NS-7777") == 1
    assert run_cli(monkeypatch, factory, "appointments", "--date", "26/11") == 2
    (tmp_path / "bad.yml").write_text("practitioners: [", encoding="utf-8")
    assert run_cli(monkeypatch, factory, "load-schedule", str(tmp_path / "bad.yml")) == 2
    assert run_cli(monkeypatch, factory, "load-schedule", str(tmp_path / "missing.yml")) == 2


def test_seed_demo_is_idempotent(monkeypatch, factory):
    assert run_cli(monkeypatch, factory, "seed-demo") == 0
    first = [count(factory, m) for m in (Practitioner, Service, WorkingHours, Closure)]
    assert run_cli(monkeypatch, factory, "seed-demo") == 0
    assert [count(factory, m) for m in (Practitioner, Service, WorkingHours, Closure)] == first
    assert first[0] == 2 and first[3] == 26
