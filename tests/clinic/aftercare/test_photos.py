"""Patients' photos (clinic.aftercare.photos): types by content, settings, the patient's
messages, storage, erasure and retention deleting the files, and migration 0011."""
from __future__ import annotations

import asyncio
import os
import re
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import inspect, select

from clinic.aftercare import photos as ph
from clinic.aftercare.models import Photo
from clinic.answers import banned_claims
from clinic.channels.config import WhatsAppSettings
from clinic.channels.graph_api import GraphClient
from clinic.db import make_engine
from clinic.handoff.models import Handoff
from clinic.migrate import downgrade, upgrade
from clinic.privacy.erasure import erase_conversation_data
from clinic.privacy.retention import purge_old_photos
from clinic.settings import PROJECT_ROOT
from tests.fakes.graph_api import SMALL_JPEG, SMALL_PNG, FakeGraphAPI

A, B = "wa-971501234567", "wa-971509999999"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\0" * 20


@pytest.mark.parametrize("head, kind", [
    (SMALL_JPEG, "image/jpeg"), (SMALL_PNG, "image/png"), (WEBP, "image/webp"), (b"GIF89a....", None),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", None), (b"%PDF-1.7", None), (b"", None), (b"\xff\xd8", None),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
])
def test_the_type_is_read_from_the_first_bytes(head, kind):
    assert ph.sniff(head[:16]) == kind


def test_settings_default_to_var_photos_and_refuse_a_web_root(tmp_path):
    assert ph.photo_settings({"CLINIC_VAR_DIR": str(tmp_path)}) == ph.PhotoSettings(
        (tmp_path / "photos").resolve(), 16 * 1024 * 1024)
    assert ph.photo_settings({}).directory == (PROJECT_ROOT / "var" / "photos").resolve()
    assert ph.photo_settings({"PHOTO_MAX_BYTES": "5000000"}).max_bytes == 5_000_000
    for inside in ("console/static/photos", "console", "console/static/../templates/x"):
        with pytest.raises(ValueError, match="web server serves"):
            ph.photo_settings({"PHOTO_DIR": str(PROJECT_ROOT / inside)})
    for bad in ("lots", "10"):
        with pytest.raises(ValueError, match="PHOTO_MAX_BYTES"):
            ph.photo_settings({"PHOTO_MAX_BYTES": bad})


def placeholders(value: str) -> set:
    return set(re.findall(r"\{(\w+)\}", value))


@pytest.mark.parametrize("key", sorted(ph.TEXTS))
def test_every_message_has_arabic_no_banned_claim_and_fits_whatsapp(key):
    assert set(ph.TEXTS) == set(ph.TEXTS_AR)
    assert placeholders(ph.TEXTS[key]) == placeholders(ph.TEXTS_AR[key])
    arabic = re.sub(r"\{\w+\}", "", ph.TEXTS_AR[key])
    assert re.search(r"[\u0600-\u06FF]{3}", arabic)
    for language in ("en", "ar"):
        message = ph.text(key, language)
        assert "{" not in message and len(message) <= 350, (key, language, len(message))
        assert banned_claims(message) == []
    # never an interpretation: no word that reads the photo
    assert not re.search(r"\b(looks? (fine|normal|ok)|normal healing|nothing to worry)\b", ph.TEXTS[key], re.I)


def test_messages_that_are_about_safety_say_where_to_call():
    for key in ("photo_received", "photo_not_received"):
        assert "{clinic_phone}" in ph.TEXTS[key] and "{emergency_number}" in ph.TEXTS[key]


# -- the intake against the fake Graph API --------------------------------------------------

@pytest.fixture
def fake():
    with FakeGraphAPI() as server:
        yield server


@pytest.fixture
def graph(fake):
    settings = WhatsAppSettings(graph_url=fake.url, api_version="v21.0", access_token="EAAG-test-token",
                                app_secret="s" * 32, verify_token="v" * 20, phone_number_id="1" * 15,
                                timeout_seconds=2, max_attempts=2)
    return GraphClient(settings, backoff=0.01)


@pytest.fixture
def photo_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("PHOTO_DIR", str(tmp_path / "photos"))
    return ph.photo_settings()


def receive(factory, graph, settings, conversation_id, message_id, caption="", assess=None, media_id="m1"):
    intake = ph.PhotoIntake(lambda: factory, settings, assess)

    async def run():
        try:
            return await intake.receive(graph, conversation_id, "whatsapp", message_id, media_id, "image/jpeg",
                                        caption)
        finally:
            await graph.aclose()
            graph._client = None
    return asyncio.run(run())


def test_the_intake_keeps_the_photo_and_says_thank_you(factory, fake, graph, photo_settings):
    outcome = receive(factory, graph, photo_settings, A, "wamid.1", caption="day 2, still red")
    assert (outcome.status, outcome.urgent, outcome.duplicate) == ("stored", False, False)
    assert outcome.reply.startswith("Thank you for the photo")
    with factory() as session:
        [view] = ph.photos_for(session, A)
        path, mime = ph.photo_file(session, photo_settings, view.id)
    assert path.read_bytes() == SMALL_JPEG and mime == "image/jpeg" and path.parent == photo_settings.directory
    assert view.as_json()["caption"] == "day 2, still red" and "file_name" not in view.as_json()
    again = receive(factory, graph, photo_settings, A, "wamid.1")
    assert again.duplicate and again.reply == ""
    assert len(fake.media_calls) == 2  # the repeat fetched nothing


def test_an_urgent_caption_makes_the_photo_and_the_handoff_urgent(factory, fake, graph, photo_settings):
    seen = []
    outcome = receive(factory, graph, photo_settings, A, "wamid.2", caption="pus and fever",
                      assess=lambda text: seen.append(text) or True)
    assert outcome.urgent and seen == ["pus and fever"]
    with factory() as session:
        assert session.scalar(select(Handoff.priority)) == "urgent"
        assert session.scalar(select(Photo.urgent))


def test_a_triage_that_fails_still_keeps_the_photo_for_a_person(factory, fake, graph, photo_settings):
    def broken(_):
        raise RuntimeError("spaCy missing")
    outcome = receive(factory, graph, photo_settings, A, "wamid.3", caption="look", assess=broken)
    assert outcome.status == "stored" and not outcome.urgent
    with factory() as session:
        assert session.scalar(select(Handoff.status)) == "waiting"


def test_no_access_token_is_a_clear_note_not_a_crash(factory, fake, photo_settings):
    graph = GraphClient(WhatsAppSettings(graph_url=fake.url), backoff=0.01)
    outcome = receive(factory, graph, photo_settings, A, "wamid.4")
    assert (outcome.status, outcome.reason) == ("failed", "not_configured") and fake.media_calls == []
    with factory() as session:
        assert "not configured" in session.scalar(select(Photo.note))


def test_a_stored_file_name_that_is_not_ours_is_never_served(factory, photo_settings, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    with factory.begin() as session:
        session.add(Photo(conversation_id=A, channel="whatsapp", message_id="m", media_ref="r", status="stored",
                          file_name="../secret.txt", mime_type="image/jpeg", urgent=False, language="en",
                          received_at=datetime(2026, 12, 1)))
    with factory() as session:
        assert ph.photo_file(session, photo_settings, session.scalar(select(Photo.id))) is None


# -- erasure and retention ------------------------------------------------------------------

def _stored(factory, graph, settings, conversation_id, message_id):
    receive(factory, graph, settings, conversation_id, message_id)
    with factory() as session:
        return settings.directory / session.scalar(select(Photo.file_name).where(Photo.message_id == message_id))


def test_erasing_a_conversation_deletes_its_photo_files_and_rows(factory, fake, graph, photo_settings, tmp_path,
                                                                 monkeypatch):
    from clinic.handoff import outbox

    monkeypatch.setattr(outbox, "_default", outbox.UrgentOutbox(tmp_path / "outbox.db"))
    mine = [_stored(factory, graph, photo_settings, A, f"wamid.a{i}") for i in range(2)]
    theirs = _stored(factory, graph, photo_settings, B, "wamid.b")
    assert all(p.is_file() for p in mine + [theirs])
    tracker = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    report = erase_conversation_data(A, session_factory=factory, tracker_engine=tracker, audit_key="k")
    tracker.dispose()
    assert report.tables.get("clinic.aftercare.photos.erase_photos") == 2
    assert not any(p.exists() for p in mine) and theirs.is_file()
    with factory() as session:
        assert [p.conversation_id for p in session.scalars(select(Photo))] == [B]


def test_retention_deletes_old_photos_and_orphan_files(factory, fake, graph, photo_settings):
    old = _stored(factory, graph, photo_settings, A, "wamid.old")
    new = _stored(factory, graph, photo_settings, B, "wamid.new")
    with factory.begin() as session:
        session.get(Photo, 1).received_at = datetime.utcnow() - timedelta(days=400)
    orphan = photo_settings.directory / ("a" * 32 + ".jpg")  # a crash between the file and its row
    orphan.write_bytes(SMALL_JPEG)
    two_hours_ago = time.time() - 7200
    os.utime(orphan, (two_hours_ago, two_hours_ago))
    fresh = photo_settings.directory / ("b" * 32 + ".jpg")  # being written right now: left alone
    fresh.write_bytes(SMALL_JPEG)
    unrelated = photo_settings.directory / "README"
    unrelated.write_text("not ours")
    assert purge_old_photos(365, session_factory=factory) == 1
    assert not old.exists() and new.is_file() and not orphan.exists() and fresh.is_file() and unrelated.exists()
    with factory() as session:
        assert [p.message_id for p in session.scalars(select(Photo))] == ["wamid.new"]
    with pytest.raises(ValueError):
        purge_old_photos(0, session_factory=factory)


def test_the_retention_command_reports_photos(factory, monkeypatch, capsys, tmp_path):
    from types import SimpleNamespace

    from clinic.privacy import cli, retention

    for name in ("apply_retention",):
        monkeypatch.setattr(retention, name, lambda days: [])
    for name in ("purge_console_sessions", "purge_old_treatments", "purge_old_aftercare"):
        monkeypatch.setattr(retention, name, lambda *a, **k: 0)
    monkeypatch.setattr(retention, "purge_old_photos", lambda days: 3)
    assert cli._retention(SimpleNamespace(days=30)) == 0
    assert "patients' photos older than 30 days removed: 3" in capsys.readouterr().out


# -- migration ------------------------------------------------------------------------------

def test_0011_creates_the_photos_table_and_drops_it_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    upgrade(url, "0011_photos")
    engine = make_engine(url)
    columns = {c["name"] for c in inspect(engine).get_columns("aftercare_photos")}
    assert columns == set(Photo.__table__.columns.keys())
    assert [u["column_names"] for u in inspect(engine).get_unique_constraints("aftercare_photos")] == [["message_id"]]
    assert any(i["column_names"] == ["conversation_id"] for i in inspect(engine).get_indexes("aftercare_photos"))
    engine.dispose()
    from alembic.script import ScriptDirectory

    from clinic.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config(url))
    assert script.get_heads() == [script.get_current_head()]  # one head: 0011 follows the last migration
    previous = script.get_revision("0011_photos").down_revision
    downgrade(url, previous)
    engine = make_engine(url)
    assert "aftercare_photos" not in inspect(engine).get_table_names()
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    assert "aftercare_photos" in inspect(engine).get_table_names()
    engine.dispose()


def test_photos_are_migrated_kept_deduplicated_and_erased_on_postgresql(fake, graph, photo_settings, tmp_path,
                                                                    monkeypatch):
    from clinic.db import make_session_factory
    from clinic.handoff import outbox
    from tests.postgres import schema_engine

    monkeypatch.setattr(outbox, "_default", outbox.UrgentOutbox(tmp_path / "outbox.db"))
    engine, drop, url = schema_engine("photos_test")
    try:
        upgrade(url)  # every migration, 0011 included
        factory = make_session_factory(engine)
        outcome = receive(factory, graph, photo_settings, A, "wamid.pg", caption="swelling", assess=lambda _: True)
        assert outcome.status == "stored" and outcome.urgent
        assert receive(factory, graph, photo_settings, A, "wamid.pg").duplicate  # the unique index decides
        with factory() as session:
            [path] = [photo_settings.directory / n for n in session.scalars(select(Photo.file_name))]
            assert session.scalar(select(Handoff.priority)) == "urgent"
        assert path.is_file()
        report = erase_conversation_data(A, session_factory=factory, tracker_engine=engine, audit_key="k")
        assert report.tables.get("clinic.aftercare.photos.erase_photos") == 1 and not path.exists()
        with factory() as session:
            assert session.scalars(select(Photo)).all() == []
    finally:
        drop()
