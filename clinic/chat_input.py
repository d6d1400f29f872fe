"""Validation of a chat message sent by a client (REST channel and web page).

Framework-free so that the Rasa channel and the web console share one set of rules.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, Optional, Tuple

SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_.:@+\-]{1,128}$")
MAX_METADATA_DEPTH = 8


class InvalidRequest(ValueError):
    """The request body does not follow the chat format; ``status`` is the HTTP code."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def parse_chat_body(raw: bytes, max_chars: int) -> Tuple[str, str, Optional[Dict[str, Any]]]:
    """Validate ``{"sender": str, "message": str, "metadata": {...}?}``.

    Returns ``(sender, message, metadata)``; raises :class:`InvalidRequest` with a
    message that is safe to show the client.
    """
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: deeply nested JSON
        raise InvalidRequest("The body must be a JSON object encoded as UTF-8.")
    if not isinstance(body, dict):
        raise InvalidRequest("The body must be a JSON object.")
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if not isinstance(sender, str) or not SENDER_PATTERN.match(sender):
        raise InvalidRequest(
            "'sender' is required: 1-128 characters of letters, digits and _ . : @ + -"
        )
    if not isinstance(message, str):
        raise InvalidRequest("'message' is required and must be a string.")
    if len(message) > max_chars:
        raise InvalidRequest(f"'message' is longer than {max_chars} characters.", status=413)
    if metadata is not None and not isinstance(metadata, dict):
        raise InvalidRequest("'metadata' must be a JSON object when given.")
    if metadata is not None and nesting_depth(metadata) > MAX_METADATA_DEPTH:
        raise InvalidRequest(f"'metadata' may be nested at most {MAX_METADATA_DEPTH} levels deep.")
    return sender, message, metadata


def nesting_depth(value: Any, limit: int = 64) -> int:
    """How deeply ``value`` nests lists and objects (counting stops past ``limit``)."""
    depth, level = 0, [value]
    while level and depth <= limit:
        depth += 1
        level = [child for item in level if isinstance(item, (dict, list))
                 for child in (item.values() if isinstance(item, dict) else item)
                 if isinstance(child, (dict, list))]
    return depth
