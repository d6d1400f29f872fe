"""Webhook signature checks (constant-time)."""
from __future__ import annotations

import hashlib
import hmac
from typing import Optional


def meta_signature(app_secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` value Meta sends for ``body``."""
    digest = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def valid_meta_signature(app_secret: str, body: bytes, header: Optional[str]) -> bool:
    """Check ``X-Hub-Signature-256`` over the raw body with :func:`hmac.compare_digest`."""
    if not app_secret or not header:
        return False
    expected = meta_signature(app_secret, body)
    return hmac.compare_digest(expected.encode("ascii"), header.strip().encode("utf-8", "replace"))


def valid_verify_request(verify_token: str, mode: Optional[str], token: Optional[str]) -> bool:
    """The GET handshake: ``hub.mode=subscribe`` and our verify token."""
    if not verify_token or mode != "subscribe" or token is None:
        return False
    return hmac.compare_digest(verify_token.encode("utf-8"), token.encode("utf-8"))
