"""X-Hub-Signature-256 and the verify handshake."""
from __future__ import annotations

from pathlib import Path

from clinic.channels.signature import meta_signature, valid_meta_signature, valid_verify_request

BODY = (Path(__file__).parents[2] / "fixtures" / "whatsapp" / "text.json").read_bytes()
SECRET = "an-app-secret-of-32-characters!!"


def test_valid_signature_is_accepted():
    assert valid_meta_signature(SECRET, BODY, meta_signature(SECRET, BODY))


def test_missing_signature_is_refused():
    assert not valid_meta_signature(SECRET, BODY, None)
    assert not valid_meta_signature(SECRET, BODY, "")


def test_signature_with_the_wrong_secret_is_refused():
    assert not valid_meta_signature(SECRET, BODY, meta_signature("another-secret", BODY))


def test_body_changed_by_one_byte_is_refused():
    changed = bytearray(BODY)
    changed[len(changed) // 2] ^= 0x01
    assert not valid_meta_signature(SECRET, bytes(changed), meta_signature(SECRET, BODY))


def test_garbage_and_unconfigured_secret_are_refused():
    assert not valid_meta_signature(SECRET, BODY, "sha1=abc")
    assert not valid_meta_signature(SECRET, BODY, "sha256=" + "é" * 64)
    assert not valid_meta_signature("", BODY, meta_signature("", BODY))


def test_verify_handshake():
    assert valid_verify_request("verify-me", "subscribe", "verify-me")
    assert not valid_verify_request("verify-me", "subscribe", "wrong")
    assert not valid_verify_request("verify-me", "unsubscribe", "verify-me")
    assert not valid_verify_request("verify-me", "subscribe", None)
    assert not valid_verify_request("", "subscribe", "")
