"""Widget rules: session ids, origins, metadata and the rate limit."""
from __future__ import annotations

import uuid

from clinic.channels import web


def test_session_ids_are_random_uuids():
    good = uuid.uuid4()
    assert web.session_id_for(good.hex) == good.hex
    assert web.session_id_for(str(good)) == str(good)
    for bad in (None, "", "default", "../../etc", "0" * 32, str(uuid.uuid1()), good.hex.upper(), 42,
                "<script>", "a" * 1000):
        made = web.session_id_for(bad)
        assert made != bad and uuid.UUID(made).version == 4
    assert web.session_id_for(None) != web.session_id_for(None)


def test_origins():
    allowed = ("http://127.0.0.1:8000", "http://localhost:8000")
    assert web.origin_allowed("http://localhost:8000/", allowed)
    assert not web.origin_allowed("http://evil.example", allowed)
    assert not web.origin_allowed("null", allowed)
    assert web.origin_allowed(None, allowed)  # not a browser


def test_metadata_cannot_claim_a_channel():
    assert web.clean_metadata({"language": "en", "channel": "whatsapp", "phone": "+1555"}) == {
        "language": "en", "channel": "web"}
    assert web.clean_metadata('{"language": "en"}') == {"language": "en", "channel": "web"}
    assert web.clean_metadata("{broken") == {"channel": "web"}
    assert web.clean_metadata(["x"]) == {"channel": "web"}
    assert web.clean_metadata({"big": "x" * 5000}) == {"channel": "web"}
