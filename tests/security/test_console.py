"""Issue 19, item 4 and the console's headers: one test per finding, each failing on the
code the issue was filed against.

* the client address: ``X-Forwarded-For`` counts only from a configured trusted proxy
  (``CONSOLE_TRUSTED_PROXIES``); ``python -m console`` no longer lets uvicorn trust it
  from loopback;
* the login limit: a back-off per account and address (or per browser that logged in
  before) that bad tries from a shared address cannot turn into a lock-out of the user;
* server-side sessions: the cookie is only a random id; logout, "sign out everywhere" and
  a password change end sessions at once; idle and absolute expiry;
* ``nosniff`` on static files and no framing of ``/`` and ``/clinic``.
"""
from __future__ import annotations

import hashlib
import os
import re
import socket
import subprocess
import sys
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from clinic.db import Base, import_models, make_engine, make_session_factory
from clinic.handoff.models import utcnow
from clinic.handoff.staff import create_staff, set_password
from clinic.migrate import upgrade
from clinic.rasa_client import RasaClient
from clinic.settings import PROJECT_ROOT, settings_from_env
from console.app import create_app
from console.security import LoginLimiter
from console.staff import Console
from tests.conftest import staff_hashed_once
from tests.console.conftest import PASSWORD, FakeRasa, csrf_of

SHARED = "192.0.2.10"  # e.g. the clinic's own NAT address
OTHER = "198.51.100.20"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def factory(tmp_path):
    import_models()
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    Base.metadata.create_all(engine)
    session_factory = make_session_factory(engine)
    with staff_hashed_once(), session_factory.begin() as session:
        create_staff(session, "sara", "Sara", PASSWORD)
        create_staff(session, "omar", "Omar", PASSWORD)
    yield session_factory
    engine.dispose()


@pytest.fixture
def app_for(factory):
    """``app_for(env, limiter)``: the whole web app (console mounted) on the test database."""
    def make(env=None, limiter=None):
        settings = settings_from_env(env or {})
        fake = FakeRasa()
        api = RasaClient("http://rasa", "tok", client=httpx.AsyncClient(
            transport=httpx.MockTransport(fake.handler), base_url="http://rasa"))
        console = Console(settings, session_factory=factory, rasa=api, limiter=limiter or LoginLimiter())
        chat = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=[])),
                                 base_url="http://rasa")
        return create_app(settings, client=chat, console=console)
    return make


def browser(app, address=SHARED) -> TestClient:
    return TestClient(app, client=(address, 50000))


def try_login(client, password, username="sara", **headers):
    token = csrf_of(client.get("/console/login").text)
    return client.post("/console/login", headers=headers, follow_redirects=False,
                       data={"username": username, "password": password, "csrf_token": token})


def logged_in(app, address=SHARED, username="sara") -> TestClient:
    client = browser(app, address)
    assert try_login(client, PASSWORD, username).status_code == 303
    return client


def session_cookie(client) -> str:
    return client.cookies["clinic_console"]


def with_cookie(app, cookie: str) -> TestClient:
    client = browser(app, OTHER)
    client.cookies.set("clinic_console", cookie, path="/console")
    return client


# -- finding 4a: a forged X-Forwarded-For from loopback dodged the login limit -------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_python_m_console_ignores_a_forged_forwarded_for(tmp_path):
    """The real server, started as production starts it, from loopback (issue 19, 4)."""
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        create_staff(session, "sara", "Sara", PASSWORD)
    engine.dispose()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "WEB_HOST": "127.0.0.1", "WEB_PORT": str(port),
           "CLINIC_ENV": "test", "RASA_URL": "http://127.0.0.1:9", "CONSOLE_SECRET_KEY": "k" * 40}
    for name in ("FORWARDED_ALLOW_IPS", "CONSOLE_TRUSTED_PROXIES"):
        env.pop(name, None)
    server = subprocess.Popen([sys.executable, "-m", "console"], cwd=PROJECT_ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "python -m console did not start"
            time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=10) as client:
            statuses = [try_login(client, f"guess {n}", **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                        for n in range(7)]
    finally:
        server.terminate()
        server.wait(timeout=20)
    # one address (loopback) whatever the header says: the sixth try, at once, waits
    assert statuses[:5] == [401] * 5 and statuses[5] == 429, statuses


def test_forwarded_for_counts_only_from_a_configured_trusted_proxy(app_for):
    app = app_for({"CONSOLE_TRUSTED_PROXIES": "10.0.0.5"}, LoginLimiter(clock=Clock()))
    # through the trusted proxy: each forwarded address is its own client
    via_proxy = browser(app, "10.0.0.5")
    statuses = [try_login(via_proxy, f"guess {n}", **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                for n in range(7)]
    assert statuses == [401] * 7
    # straight from anywhere else: the header is ignored, so the back-off applies
    direct = browser(app, "10.0.0.6")
    statuses = [try_login(direct, f"guess {n}", **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                for n in range(7)]
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]


# -- finding 4b: five bad tries from a shared address locked the real user out ------------

def test_bad_tries_from_a_shared_address_only_delay_the_user_briefly(app_for):
    clock = Clock()
    app = app_for(limiter=LoginLimiter(clock=clock))
    attacker = browser(app, SHARED)
    assert [try_login(attacker, f"guess {n}").status_code for n in range(5)] == [401] * 5
    # guessing goes on no faster: even the right password waits out the back-off ...
    refused = try_login(attacker, PASSWORD)
    assert refused.status_code == 429 and int(refused.headers.get("retry-after", 900)) <= 2
    # ... which is short: a few seconds later the real user, same address, gets in
    clock.now += 3
    assert try_login(browser(app, SHARED), PASSWORD).status_code == 303


def test_an_attacker_who_keeps_failing_cannot_keep_the_real_user_out(app_for):
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    delays = []

    async def no_sleep(seconds):
        delays.append(seconds)
    limiter.sleep = no_sleep
    app = app_for(limiter=limiter)
    user = logged_in(app, SHARED)  # the user's browser logged in here before
    user.post("/console/logout", data={"csrf_token": csrf_of(user.get("/console/").text)})
    attacker = browser(app, SHARED)
    failures = 0
    while failures < 22:  # keeps guessing whenever the back-off allows, from the same address
        response = try_login(attacker, f"guess {failures}")
        failures += response.status_code == 401
        clock.now += float(response.headers.get("retry-after", 0)) + 0.1
    assert try_login(attacker, PASSWORD).status_code == 429
    # the user's own browser is not slowed by others' failures ...
    assert try_login(user, PASSWORD).status_code == 303
    # ... and from a new address, after at most a short delay, the right password passes
    assert try_login(browser(app, OTHER), PASSWORD).status_code == 303
    assert max(delays, default=0) <= 3


# -- finding 5: logout did not end the session (signed cookie valid for 8 hours) ----------

def test_the_session_cookie_is_only_a_random_id(app_for):
    cookie = session_cookie(logged_in(app_for()))
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", cookie), "the cookie should carry only a random id"


def test_a_cookie_captured_before_logout_stops_working(app_for):
    app = app_for()
    client = logged_in(app)
    captured = session_cookie(client)
    assert with_cookie(app, captured).get("/console/api/queue").status_code == 200
    token = csrf_of(client.get("/console/").text)
    assert client.post("/console/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert with_cookie(app, captured).get("/console/api/queue").status_code == 401


def test_a_password_change_ends_every_session(app_for, factory):
    app = app_for()
    laptop, phone = logged_in(app, SHARED), logged_in(app, OTHER)
    omar = logged_in(app, username="omar")
    with factory.begin() as session:
        set_password(session, "sara", "a new and long password")
    assert laptop.get("/console/api/queue").status_code == 401
    assert phone.get("/console/api/queue").status_code == 401
    assert omar.get("/console/api/queue").status_code == 200


@pytest.mark.parametrize("column, age", [("last_seen_at", timedelta(minutes=31)),
                                         ("created_at", timedelta(hours=8, minutes=1))])
def test_sessions_expire_when_idle_and_after_a_shift(app_for, factory, column, age):
    app = app_for()
    client = logged_in(app)
    assert client.get("/console/api/queue").status_code == 200
    with factory.begin() as session:
        session.execute(text(f"UPDATE console_sessions SET {column} = :then"), {"then": utcnow() - age})
        if column == "created_at":  # the absolute limit holds however busy the session was
            session.execute(text("UPDATE console_sessions SET expires_at = :then"),
                            {"then": utcnow() - timedelta(minutes=1)})
    assert client.get("/console/api/queue").status_code == 401


def test_staff_see_their_own_sessions_and_can_sign_out_everywhere(app_for, factory):
    app = app_for()
    laptop, phone = logged_in(app, SHARED), logged_in(app, OTHER)
    omar = logged_in(app, username="omar")
    page = laptop.get("/console/sessions")
    assert page.status_code == 200 and "x-frame-options" in page.headers
    assert page.text.count('class="session"') == 2 and OTHER in page.text
    assert "omar" not in page.text.lower()
    response = laptop.post("/console/sessions/end-all", data={"csrf_token": csrf_of(page.text)},
                           follow_redirects=False)
    assert response.status_code == 303
    assert laptop.get("/console/api/queue").status_code == 401
    assert phone.get("/console/api/queue").status_code == 401
    assert omar.get("/console/api/queue").status_code == 200
    with factory() as session:
        digest = hashlib.sha256(session_cookie(omar).encode()).hexdigest()
        rows = session.execute(text("SELECT username, token_hash FROM console_sessions")).all()
    assert rows == [("omar", digest)]  # only a hash of the id is stored


# -- finding 7: no nosniff on /static/*, no X-Frame-Options on / and /clinic ---------------

def test_static_files_are_nosniff_and_pages_cannot_be_framed(app_for):
    client = browser(app_for())
    for path in ("/static/console.css", "/static/chat.js", "/clinic/static/site.css"):
        response = client.get(path)
        if response.status_code == 404 and path.startswith("/clinic/static"):
            continue
        assert response.status_code == 200, path
        assert response.headers.get("x-content-type-options") == "nosniff", path
    for path in ("/", "/clinic", "/console/login"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.get("x-frame-options") == "DENY", path
        assert response.headers.get("x-content-type-options") == "nosniff", path


def test_changing_the_password_in_the_console_signs_out_everywhere_else(app_for):
    app = app_for()
    laptop, phone = logged_in(app, SHARED), logged_in(app, OTHER)
    before = session_cookie(laptop)
    token = csrf_of(laptop.get("/console/sessions").text)
    response = laptop.post("/console/password", follow_redirects=False, data={
        "csrf_token": token, "current_password": PASSWORD,
        "new_password": "a brand new long password", "new_password_again": "a brand new long password"})
    assert response.status_code == 303
    assert phone.get("/console/api/queue").status_code == 401
    assert with_cookie(app, before).get("/console/api/queue").status_code == 401
    assert laptop.get("/console/api/queue").status_code == 200  # this browser got a new session
    assert try_login(browser(app, OTHER), "a brand new long password").status_code == 303
