"""Photos on WhatsApp (issue 16 item 4) over real HTTP: the webhook, the fake Graph API
serving the media, the files on disk and what the patient and staff are told."""
from __future__ import annotations

import json
import stat

import pytest
from sqlalchemy import select

from addons.channels.whatsapp import WhatsAppInput
from clinic.aftercare.models import Photo
from clinic.aftercare.photos import FILE_NAME, PhotoIntake, PhotoSettings
from clinic.channels.graph_api import GraphClient
from clinic.channels.models import Media
from clinic.handoff.models import Handoff
from tests.addons.channels.harness import ChannelServer
from tests.addons.channels.test_whatsapp_channel import WA_ID, fixture, post, settings  # noqa: F401
from tests.fakes.graph_api import SMALL_JPEG, SMALL_PNG

MEDIA_ID = "1000000000000004"
TWENTY_MB = 20 * 1024 * 1024
URGENT_CAPTION = "it's been 2 days, there is pus coming out and I have a fever"


def image_body(message_id="wamid.photo-1", caption="is this normal?", mime="image/jpeg", media_id=MEDIA_ID) -> bytes:
    body = json.loads(fixture("image.json"))
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message["id"] = message_id
    message["image"] = {"id": media_id, "mime_type": mime, "sha256": "ZmFrZS1zaGEyNTY="}
    if caption is not None:
        message["image"]["caption"] = caption
    return json.dumps(body).encode()


@pytest.fixture
def server(settings, channel_store):  # noqa: F811
    channel = WhatsAppInput(settings, GraphClient(settings, backoff=0.01), channel_store, max_body=256 * 1024)
    with ChannelServer(channel) as s:
        yield s


def photos(factory):
    with factory() as session:
        return list(session.scalars(select(Photo).order_by(Photo.id)))


def sent_texts(fake_api):
    return [call.json["text"]["body"] for call in fake_api.calls if call.json.get("type") == "text"]


def test_a_photo_is_fetched_stored_privately_and_acknowledged(server, fake_api, factory, photo_dir):
    assert post(server, image_body()).status_code == 200
    server.drain()
    assert server.received == []  # the assistant never reads it (nor its harmless caption)
    [photo] = photos(factory)
    assert (photo.status, photo.conversation_id, photo.mime_type, photo.caption) == (
        "stored", f"wa-{WA_ID}", "image/jpeg", "is this normal?")
    assert FILE_NAME.match(photo.file_name) and photo.size_bytes == len(SMALL_JPEG)
    path = photo_dir / photo.file_name
    assert path.read_bytes() == SMALL_JPEG
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(photo_dir.stat().st_mode) == 0o700
    # the media id, then the download URL, both with the bearer token
    paths = [call.path for call in fake_api.media_calls]
    assert paths[0] == f"/v21.0/{MEDIA_ID}" and paths[1].startswith(f"/media-download/{MEDIA_ID}")
    assert all(call.headers["Authorization"] == "Bearer EAAG-test-token" for call in fake_api.media_calls)
    [reply] = sent_texts(fake_api)
    assert "a nurse from our team will look at it" in reply and "{" not in reply
    with factory() as session:
        [handoff] = session.scalars(select(Handoff)).all()
        assert (handoff.conversation_id, handoff.priority) == (f"wa-{WA_ID}", "normal")
        assert session.scalars(select(Media)).all()  # the channel's own record stays too


def test_the_same_photo_delivered_twice_is_kept_and_answered_once(server, fake_api, factory):
    for _ in range(3):
        assert post(server, image_body()).status_code == 200
    server.drain()
    assert len(photos(factory)) == 1 and len(sent_texts(fake_api)) == 1


def test_a_png_sent_as_jpeg_is_kept_as_what_it_is(server, fake_api, factory, photo_dir):
    fake_api.add_media(MEDIA_ID, SMALL_PNG, mime_type="image/jpeg")
    post(server, image_body())
    server.drain()
    [photo] = photos(factory)
    assert photo.mime_type == "image/png" and photo.file_name.endswith(".png")


def test_a_20_megabyte_photo_is_refused_before_downloading(server, fake_api, factory, photo_dir):
    fake_api.add_media(MEDIA_ID, SMALL_JPEG, file_size=TWENTY_MB)
    post(server, image_body())
    server.drain()
    [photo] = photos(factory)
    assert (photo.status, photo.reason, photo.file_name) == ("refused", "too_large", None)
    assert "20.0 MB" in photo.note and "16.0 MB" in photo.note
    assert len(fake_api.media_calls) == 1  # the address only; nothing downloaded
    [reply] = sent_texts(fake_api)
    assert reply.startswith("Sorry, that file is too large") and "16 MB" in reply
    assert not photo_dir.exists() or list(photo_dir.iterdir()) == []


def test_a_20_megabyte_download_whose_size_was_not_announced_is_stopped(settings, channel_store, fake_api,  # noqa: F811
                                                                        factory, photo_dir):
    fake_api.add_media(MEDIA_ID, SMALL_JPEG + b"\0" * TWENTY_MB, file_size=1000)  # Meta's size is wrong
    channel = WhatsAppInput(settings, GraphClient(settings, backoff=0.01), channel_store, max_body=256 * 1024)
    with ChannelServer(channel) as server:
        post(server, image_body())
        server.drain()
    [photo] = photos(factory)
    assert (photo.status, photo.reason) == ("refused", "too_large")
    assert not photo_dir.exists() or list(photo_dir.iterdir()) == []  # no partial file left


def test_the_limit_is_configurable(settings, channel_store, fake_api, factory, tmp_path):  # noqa: F811
    intake = PhotoIntake(lambda: channel_store.factory, PhotoSettings(tmp_path / "small", max_bytes=2048))
    fake_api.add_media(MEDIA_ID, SMALL_JPEG + b"\0" * 4096)
    channel = WhatsAppInput(settings, GraphClient(settings, backoff=0.01), channel_store, photos=intake)
    with ChannelServer(channel) as server:
        post(server, image_body())
        server.drain()
    [photo] = photos(factory)
    assert photo.reason == "too_large" and "2 MB" not in sent_texts(fake_api)[0]
    assert "limit is 1 MB" in sent_texts(fake_api)[0]


@pytest.mark.parametrize("declared, data, fetched", [
    ("image/gif", b"GIF89a" + b"\0" * 40, 0),  # refused by its declared type, not downloaded
    ("image/jpeg", b"GIF89a" + b"\0" * 40, 2),  # declared a JPEG, is not one: refused by its bytes
    ("image/jpeg", b"<html><script>alert(1)</script></html>", 2),
])
def test_a_file_that_is_not_a_jpeg_png_or_webp_is_refused(server, fake_api, factory, photo_dir, declared, data,
                                                           fetched):
    fake_api.add_media(MEDIA_ID, data, mime_type=declared)
    post(server, image_body(mime=declared))
    server.drain()
    [photo] = photos(factory)
    assert (photo.status, photo.reason, photo.file_name) == ("refused", "unsupported_type", None)
    assert len(fake_api.media_calls) == fetched
    [reply] = sent_texts(fake_api)
    assert reply.startswith("Sorry, we can only receive photos (JPEG, PNG or WebP)")
    assert not photo_dir.exists() or list(photo_dir.iterdir()) == []


@pytest.mark.parametrize("status, times, reason, note", [
    (401, 1, "graph_refused", "HTTP 401"),  # token expired: not retried
    (500, 3, "graph_unavailable", "after 3 attempts"),  # kept failing: retried, then given up
])
def test_the_graph_api_refusing_leaves_a_note_and_a_polite_message(server, fake_api, factory, status, times, reason,
                                                                   note):
    fake_api.fail_media(times, status=status)
    post(server, image_body())
    server.drain()
    [photo] = photos(factory)
    assert (photo.status, photo.reason) == ("failed", reason) and note in photo.note
    assert photo.media_ref == MEDIA_ID  # kept: nothing lost, it can be fetched again
    assert len(fake_api.media_calls) == times
    [reply] = sent_texts(fake_api)
    assert reply.startswith("Sorry, your photo did not reach us")
    with factory() as session:
        assert session.scalars(select(Handoff)).all()  # a person is still asked to look


def test_a_retried_graph_error_then_success_keeps_the_photo(server, fake_api, factory):
    fake_api.fail_media(1, status=503)
    post(server, image_body())
    server.drain()
    assert photos(factory)[0].status == "stored" and len(fake_api.media_calls) == 3


def test_a_checksum_that_does_not_match_is_not_kept(server, fake_api, factory):
    fake_api.add_media(MEDIA_ID, SMALL_JPEG, sha256="0" * 64)
    post(server, image_body())
    server.drain()
    assert photos(factory)[0].reason == "checksum_mismatch"


def test_a_warning_sign_in_the_caption_takes_the_urgent_path(server, fake_api, factory):
    post(server, image_body(caption=URGENT_CAPTION))
    server.drain()
    # the caption goes to the assistant (whose triage answers with the clinic's number) ...
    assert [m.text for m in server.received] == [URGENT_CAPTION]
    assert server.received[0].sender_id == f"wa-{WA_ID}"
    [photo] = photos(factory)
    assert photo.urgent and photo.status == "stored"
    with factory() as session:
        [handoff] = session.scalars(select(Handoff)).all()
        assert (handoff.priority, handoff.reason) == ("urgent", "urgent")
    # ... and the patient gets its answer first, then the thanks for the photo
    texts = sent_texts(fake_api)
    assert texts[0] == f"echo: {URGENT_CAPTION}" and "a nurse from our team" in texts[-1]


def test_a_photo_without_caption_or_with_a_harmless_one_is_not_urgent(server, fake_api, factory):
    post(server, image_body(message_id="wamid.a", caption=None))
    post(server, image_body(message_id="wamid.b", caption="no pus, just a bit red"))
    server.drain()
    assert [p.urgent for p in photos(factory)] == [False, False] and server.received == []


def test_an_arabic_caption_gets_the_arabic_thanks(server, fake_api, factory):
    post(server, image_body(caption="هل هذا طبيعي؟"))
    server.drain()
    [reply] = sent_texts(fake_api)
    assert reply.startswith("شكرًا على الصورة")


def test_a_missing_photos_table_still_answers_and_leaves_a_note(server, fake_api, factory):
    with factory.begin() as session:
        session.execute(Photo.__table__.delete())
    Photo.__table__.drop(factory.kw["bind"])
    post(server, image_body())
    server.drain()
    [reply] = sent_texts(fake_api)
    assert reply.startswith("Sorry, your photo did not reach us")
    from clinic.channels.models import Undelivered

    with factory() as session:
        [note] = session.scalars(select(Undelivered)).all()
        assert note.reason == "not_processed" and "photo" in note.text
        assert session.scalars(select(Media)).all()  # the reference itself is not lost


def test_a_caption_with_a_surprising_shape_is_ignored_not_a_crash(server, fake_api, factory):
    body = json.loads(image_body())
    body["entry"][0]["changes"][0]["value"]["messages"][0]["image"]["caption"] = {"not": "text"}
    post(server, json.dumps(body).encode())
    server.drain()
    assert photos(factory)[0].caption is None and len(sent_texts(fake_api)) == 1



@pytest.mark.parametrize("part", [{"type": "image", "image": "not an object"}, {"type": "text", "text": "abc"},
                                  {"type": "interactive", "interactive": [1]}, {"type": "button", "button": 5}])
def test_a_signed_message_with_a_malformed_part_is_answered_politely_not_a_500(server, fake_api, factory, part):
    body = json.loads(fixture("image.json"))
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message.pop("image")
    message.update(part)
    assert post(server, json.dumps(body).encode()).status_code == 200
    server.drain()
    assert photos(factory) == [] and server.received == []
    [reply] = sent_texts(fake_api)
    assert reply.startswith("Sorry, I can only read text")


def test_a_warning_sign_still_reaches_the_assistant_when_the_photo_cannot_be_recorded(server, fake_api, factory):
    Photo.__table__.drop(factory.kw["bind"])
    post(server, image_body(caption=URGENT_CAPTION))
    server.drain()
    assert [m.text for m in server.received] == [URGENT_CAPTION]
    texts = sent_texts(fake_api)
    assert texts[0] == f"echo: {URGENT_CAPTION}" and texts[-1].startswith("Sorry, your photo did not reach us")
