"""``python -m clinic.aftercare.worker`` as real processes against a migrated SQLite database
and the fake Graph API: two at once send every job exactly once and stop cleanly on SIGTERM;
a course run by a new process each day (a restart between every pass) loses nothing."""
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime

import pytest

from clinic.aftercare.checkins import opt_in
from clinic.aftercare.models import AftercareJob
from clinic.db import make_engine, make_session_factory
from clinic.migrate import upgrade
from tests.conftest import ROOT
from tests.fakes.graph_api import FakeGraphAPI

NOW = datetime(2026, 12, 4, 6, 0)  # naive UTC: Friday 10:00 Dubai


@pytest.fixture
def fake():
    with FakeGraphAPI() as server:
        yield server


@pytest.fixture
def database(tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield url, make_session_factory(engine)
    engine.dispose()


def environment(url, fake, tmp_path):
    env = dict(os.environ)
    env.update({"DATABASE_URL": url, "CLINIC_VAR_DIR": str(tmp_path), "CLINIC_ENV": "test", "PYTHONPATH": str(ROOT),
                "WHATSAPP_GRAPH_URL": fake.url, "WHATSAPP_ACCESS_TOKEN": "token-123",
                "WHATSAPP_PHONE_NUMBER_ID": "100000000000001", "WHATSAPP_SEND_ATTEMPTS": "1"})
    env.pop("CLINIC_FIXED_NOW", None)
    return env


def worker(env, *args):
    return subprocess.Popen([sys.executable, "-m", "clinic.aftercare.worker", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_two_worker_processes_send_each_job_once_and_stop_on_sigterm(database, fake, tmp_path):
    url, factory = database
    recipients = [f"wa-9715000000{i:02d}" for i in range(30)]
    with factory.begin() as session:
        for i, conversation_id in enumerate(recipients):
            opt_in(session, conversation_id, "staff", "en", NOW)
            session.add(AftercareJob(conversation_id=conversation_id, kind="checkin", day=1, dedupe_key=f"job:{i}",
                                     due_at=NOW, status="due", attempts=0, created_at=NOW))
    env = environment(url, fake, tmp_path)
    now = "2026-12-05T10:00:00+04:00"
    processes = [worker(env, "--now", now, "--poll", "0.1", "--name", name) for name in ("a", "b")]
    try:
        calls = fake.wait_for_calls(30, timeout=60)
        time.sleep(1.0)  # room for a wrong second send
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        outputs = [process.communicate(timeout=30)[0] for process in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert all("stopped" in out for out in outputs), outputs
    sent_to = sorted("wa-" + c.json["to"] for c in fake.calls)
    assert sent_to == sorted(recipients)  # every job, none twice
    assert len(calls) == 30
    with factory() as session:
        rows = session.query(AftercareJob).all()
        assert {r.status for r in rows} == {"sent"}
    assert "9715000000" not in "".join(outputs)  # no phone number in the logs


def test_a_course_across_restarts_loses_nothing(database, fake, tmp_path):
    url, factory = database
    from clinic.aftercare.service import record_treatment
    from clinic.booking.models import Practitioner

    with factory.begin() as session:
        session.add(Practitioner(key="layla-haddad", name="Dr. Layla Haddad", title=""))
        opt_in(session, "wa-971501234567", "staff", "en", NOW)
    record_treatment(factory, "wa-971501234567", date(2026, 12, 4), "face", "layla-haddad", "sara",
                     now=NOW.replace(tzinfo=None), practitioners={"layla-haddad"})
    env = environment(url, fake, tmp_path)
    days = []
    for moment in ["2026-12-05T10:00:00+04:00", "2026-12-06T12:00:00+04:00", "2026-12-07T10:00:00+04:00",
                   "2026-12-07T22:00:00+04:00", "2026-12-11T10:30:00+04:00", "2026-12-20T09:30:00+04:00"]:
        process = worker(env, "--once", "--now", moment)
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 0, out
        days.append([int(c.json["template"]["components"][0]["parameters"][1]["text"]) for c in fake.calls])
    assert days == [[1], [1], [1, 3], [1, 3], [1, 3, 7], [1, 3, 7]]


def test_now_is_refused_in_production(tmp_path):
    env = dict(os.environ, CLINIC_ENV="production", PYTHONPATH=str(ROOT), CLINIC_VAR_DIR=str(tmp_path),
               RASA_AUTH_TOKEN="x" * 40, ACTION_SERVER_TOKEN="y" * 40, CONSOLE_SECRET_KEY="z" * 40,
               WHATSAPP_ACCESS_TOKEN="", WHATSAPP_APP_SECRET="", WHATSAPP_VERIFY_TOKEN="", TWILIO_AUTH_TOKEN="")
    env.pop("CLINIC_FIXED_NOW", None)
    process = worker(env, "--once", "--now", "2026-12-05T10:00:00+04:00")
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 2 and "--now is for tests" in out


def test_make_run_and_make_run_prod_start_the_worker():
    procfile = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    assert "aftercare: .venv/bin/python -m clinic.aftercare.worker" in procfile
    import configparser

    conf = configparser.RawConfigParser(strict=False)
    conf.read(ROOT / "deploy" / "supervisord.conf")
    program = conf["program:aftercare"]
    assert program["command"].endswith("-m clinic.aftercare.worker")
    assert program["stopsignal"] == "TERM" and program["autorestart"] == "true"
