"""Web channel rules: conversation ids, origins, metadata."""
from __future__ import annotations

from clinic.channels import web
from clinic.channels.ids import ConversationIds, claims_other_channel

SECRET = "a test secret of some length"


def test_conversation_ids_are_issued_signed_and_checked():
    ids = ConversationIds(SECRET, "web")
    conversation_id, token = ids.issue()
    assert conversation_id.startswith("web-") and len(conversation_id) == 36
    assert token.startswith(conversation_id + ".")
    assert ids.verify(token) == conversation_id
    assert ids.resume_or_issue(token) == (conversation_id, token, False)
    other, _, new = ids.resume_or_issue(conversation_id)  # the id alone (as staff see it) is not enough
    assert new and other != conversation_id
    assert ids.issue()[0] != ids.issue()[0]
    # a character inside the signature (the last one of base64 carries unused bits: changing
    # "B" to "A" there can leave the signature's bytes as they were, as it once did here)
    i = len(token) - 5
    tampered = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1:]
    for bad in (None, "", 42, conversation_id, tampered,
                token.replace("web-", "rest-"), "a" * 1000, "wa-971505550199", "<script>"):
        assert ids.verify(bad) is None
    assert ConversationIds("another secret of some length", "web").verify(token) is None
    assert ConversationIds(SECRET, "rest").verify(token) is None  # namespaces do not mix


def test_rest_callers_cannot_use_other_channels_prefixes():
    for sender in ("web-0123", "wa-971505550199", "tw-971505550199", "WA-1"):
        assert claims_other_channel(sender)
    for sender in ("demo-1", "rest-abc", "bench-1", "water"):
        assert not claims_other_channel(sender)


def test_origins():
    allowed = ("http://127.0.0.1:8000", "http://localhost:8000")
    assert web.origin_allowed("http://localhost:8000/", allowed)
    assert not web.origin_allowed("http://evil.example", allowed)
    assert not web.origin_allowed("null", allowed)
    assert web.origin_allowed(None, allowed)  # not a browser


def test_metadata_keeps_only_the_keys_clients_may_set():
    assert web.clean_metadata({"language": "en", "channel": "whatsapp", "phone": "+1555"}) == {
        "language": "en", "channel": "web"}
    assert web.clean_metadata('{"language": "en"}') == {"language": "en", "channel": "web"}
    assert web.clean_metadata("{broken") == {"channel": "web"}
    assert web.clean_metadata(["x"]) == {"channel": "web"}
    assert web.clean_metadata({"big": "x" * 5000}) == {"channel": "web"}
    assert web.clean_metadata({"language": "x" * 5000}) == {"channel": "web"}
    assert web.clean_metadata({"language": {"nested": 1}}) == {"channel": "web"}
    assert web.clean_metadata({"channel": "whatsapp", "phone": "+1"}, channel=None) == {}
