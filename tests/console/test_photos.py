"""The console's aftercare API (console/photos.py): treatments, check-ins and answers, the
unanswered day-1 flag, photos (bytes only to signed-in staff, never cached), retry."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from clinic.aftercare import photos as ph
from clinic.aftercare.models import AftercareJob, Photo
from clinic.db import Base, import_models
from tests.aftercare_records import add_practitioner, aftercare_record
from tests.console.conftest import log_in
from tests.fakes.graph_api import SMALL_JPEG

WA = "wa-971501234567"
OTHER = "wa-971509999999"
NOW = datetime.now(timezone.utc)


@pytest.fixture
def photo_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTO_DIR", str(tmp_path / "photos"))
    return tmp_path / "photos"


@pytest.fixture
def clinic(factory, photo_dir):
    """Every clinic table; a treatment five days ago with its check-ins (day 1 sent, no answer;
    day 3 sent and answered "all good"), a stored photo and one that failed to arrive."""
    import_models()
    Base.metadata.create_all(factory.kw["bind"])
    add_practitioner(factory)
    record = aftercare_record(
        factory, WA, treated_days_ago=5, sent={1: timedelta(days=4), 3: timedelta(days=2)},
        answered={3: "all_good"}, caption="day 4, still pink", now=NOW,
        photo=ph.Fetched(SMALL_JPEG, "image/jpeg", "0" * 64),
        failure=ph.PhotoProblem("failed", "graph_unavailable", "The Graph API did not ..."))
    other = ph.begin_photo(factory, OTHER, "whatsapp", "wamid.3", "media-3", "image/jpeg", "")
    ph.store_photo(factory, ph.photo_settings(), other.id, ph.Fetched(SMALL_JPEG, "image/jpeg", "0" * 64))
    return {"photo": record.photo, "failed": record.failed, "treated": record.treated}


@pytest.mark.parametrize("path", [f"/console/api/aftercare/conversations/{WA}", "/console/api/aftercare/photos/1",
                                  "/console/api/aftercare/unanswered"])
def test_every_route_needs_a_signed_in_member_of_staff(make_client, clinic, path):
    client = make_client()
    response = client.get(path)
    assert response.status_code == 401 and response.headers["content-type"].startswith("application/json")
    assert SMALL_JPEG not in response.content


def test_retry_needs_the_csrf_token(make_client, clinic):
    client = make_client()
    assert client.post(f"/console/api/aftercare/photos/{clinic['failed']}/retry").status_code == 401
    log_in(client)
    assert client.post(f"/console/api/aftercare/photos/{clinic['failed']}/retry").status_code == 403


def test_the_panel_shows_treatments_check_ins_answers_photos_and_the_day_one_flag(make_client, clinic):
    client = make_client()
    log_in(client)
    body = client.get(f"/console/api/aftercare/conversations/{WA}").json()
    assert body["opted_in"] is True and body["unanswered_day1"] is True
    [treatment] = body["treatments"]
    assert (treatment["treated_on"], treatment["area"], treatment["practitioner"]) == (
        clinic["treated"].isoformat(), "face", "layla-haddad")
    by_day = {m["day"]: m for m in body["messages"]}
    assert (by_day[1]["status"], by_day[1]["answer"]) == ("sent", None)
    assert (by_day[3]["status"], by_day[3]["answer"]) == ("sent", "all_good")
    assert by_day[7]["status"] == "due"
    stored, failed = body["photos"]
    assert stored["url"] == f"/console/api/aftercare/photos/{clinic['photo']}"
    assert stored["caption"] == "day 4, still pink" and stored["status"] == "stored"
    assert failed["url"] is None and failed["reason"] == "graph_unavailable" and failed["note"]
    assert "file_name" not in stored and "media_ref" not in stored


def test_an_answered_day_one_check_in_is_not_flagged(make_client, clinic, factory):
    with factory.begin() as session:
        job = session.scalar(select(AftercareJob).where(AftercareJob.day == 1))
        job.answered_at, job.outcome = NOW - timedelta(days=3), "replied"
    client = make_client()
    log_in(client)
    assert client.get(f"/console/api/aftercare/conversations/{WA}").json()["unanswered_day1"] is False
    assert client.get("/console/api/aftercare/unanswered").json() == {"unanswered_day1": []}


def test_the_unanswered_list_names_the_conversation(make_client, clinic):
    client = make_client()
    log_in(client)
    [row] = client.get("/console/api/aftercare/unanswered").json()["unanswered_day1"]
    assert row["conversation_id"] == WA



def test_queue_cards_carry_the_unanswered_check_in_flag(make_client, clinic, factory):
    client = make_client()
    log_in(client)
    cards = {h["conversation_id"]: h for h in client.get("/console/api/queue").json()["handoffs"]}
    assert cards[WA]["checkin_unanswered"] is True  # the photos opened both conversations
    assert cards[OTHER]["checkin_unanswered"] is False  # no check-in at all
    with factory.begin() as session:
        job = session.scalar(select(AftercareJob).where(AftercareJob.day == 1))
        job.answered_at, job.outcome = NOW - timedelta(days=3), "all_good"
    cards = {h["conversation_id"]: h for h in client.get("/console/api/queue").json()["handoffs"]}
    assert cards[WA]["checkin_unanswered"] is False


def test_the_queue_loads_without_the_aftercare_tables(make_client, factory):
    from clinic.handoff import service

    with factory.begin() as session:  # the conftest's database has the handoff tables only
        service.open_handoff(session, conversation_id=WA, channel="whatsapp", reason="asked", priority="normal")
    client = make_client()
    log_in(client)
    [card] = client.get("/console/api/queue").json()["handoffs"]
    assert card["checkin_unanswered"] is False

def test_a_photo_is_served_to_staff_only_and_never_cached(make_client, clinic):
    client = make_client()
    log_in(client)
    response = client.get(f"/console/api/aftercare/photos/{clinic['photo']}")
    assert response.status_code == 200 and response.content == SMALL_JPEG
    assert response.headers["content-type"] == "image/jpeg"
    assert "no-store" in response.headers["cache-control"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    client.post("/console/logout", data={"csrf_token": log_in(client)})
    assert client.get(f"/console/api/aftercare/photos/{clinic['photo']}").status_code == 401


@pytest.mark.parametrize("path", ["photos/999", "photos/99999999999", "conversations/.env",
                                  "conversations/%3Cscript%3E", "conversations/" + "a" * 300])
def test_unknown_photos_and_odd_ids_are_clear_errors(make_client, clinic, path):
    client = make_client()
    log_in(client)
    response = client.get(f"/console/api/aftercare/{path}")
    assert response.status_code in (400, 404) and "error" in response.json()


def test_a_path_outside_the_api_is_a_plain_404(make_client, clinic):
    client = make_client()
    log_in(client)
    assert client.get("/console/api/aftercare/conversations/..%2F..%2Fetc%2Fpasswd").status_code == 404


def test_an_erased_photo_file_is_a_404_not_a_500(make_client, clinic, photo_dir):
    for path in photo_dir.iterdir():
        path.unlink()
    client = make_client()
    log_in(client)
    assert client.get(f"/console/api/aftercare/photos/{clinic['photo']}").status_code == 404


def test_a_conversation_without_aftercare_is_an_empty_panel(make_client, clinic):
    client = make_client()
    log_in(client)
    body = client.get("/console/api/aftercare/conversations/web-0123456789abcdef").json()
    assert body == {"conversation_id": "web-0123456789abcdef", "opted_in": None, "treatments": [], "messages": [],
                    "unanswered_day1": False, "photos": []}


@pytest.fixture
def console_with_api(factory, rasa):
    """The app as make_client builds it, with the console (and its aftercare API) at hand."""
    import httpx
    from starlette.testclient import TestClient

    from clinic.rasa_client import RasaClient
    from clinic.settings import settings_from_env
    from console.app import create_app
    from console.security import LoginLimiter
    from console.staff import Console

    api = RasaClient("http://rasa", "tok", client=httpx.AsyncClient(
        transport=httpx.MockTransport(rasa.handler), base_url="http://rasa"))
    settings = settings_from_env({})
    console = Console(settings, session_factory=factory, rasa=api, limiter=LoginLimiter())
    chat = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=[])),
                             base_url="http://rasa")
    return TestClient(create_app(settings, client=chat, console=console)), console


def test_staff_can_fetch_a_failed_photo_again(console_with_api, clinic, factory):
    from clinic.channels.config import WhatsAppSettings
    from clinic.channels.graph_api import GraphClient
    from tests.fakes.graph_api import FakeGraphAPI

    client, console = console_with_api
    csrf = log_in(client)
    with FakeGraphAPI() as fake:
        settings = WhatsAppSettings(graph_url=fake.url, access_token="EAAG-test-token", max_attempts=1)
        console.aftercare_api._graph = GraphClient(settings, backoff=0.01)
        response = client.post(f"/console/api/aftercare/photos/{clinic['failed']}/retry",
                               headers={"X-CSRF-Token": csrf})
        assert response.status_code == 200, response.text
        photo = response.json()["photo"]
        assert photo["status"] == "stored" and photo["url"] == f"/console/api/aftercare/photos/{clinic['failed']}"
        assert [c.path.split("?")[0] for c in fake.media_calls] == ["/v21.0/media-2", "/media-download/media-2"]
        again = client.post(f"/console/api/aftercare/photos/{clinic['failed']}/retry", headers={"X-CSRF-Token": csrf})
        assert again.status_code == 409  # stored now: nothing to try again
        missing = client.post("/console/api/aftercare/photos/4242/retry", headers={"X-CSRF-Token": csrf})
        assert missing.status_code == 404
    with factory() as session:
        assert session.get(Photo, clinic["failed"]).status == "stored"
    assert client.get(f"/console/api/aftercare/photos/{clinic['failed']}").content == SMALL_JPEG


def test_mounting_twice_adds_the_routes_once(console_with_api):
    from console.photos import mount

    _, console = console_with_api
    count = len(console.app.router.routes)
    assert mount(console) is console.aftercare_api and len(console.app.router.routes) == count
