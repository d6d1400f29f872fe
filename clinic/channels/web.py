"""Web channel rules, framework-free: metadata, origins.

Conversation ids are in :mod:`clinic.channels.ids`.
"""
from __future__ import annotations

import json
from typing import Any, Dict, Iterable, Mapping, Optional

# The metadata keys a client may send, and how long each value may be. Everything else
# (``channel``, ``phone``, anything unknown) is dropped: the channel and the phone number
# come from the channel, never from the client.
CLIENT_METADATA = {"language": 16}
MAX_METADATA_BYTES = 256


def origin_allowed(origin: Optional[str], allowed: Iterable[str]) -> bool:
    """Whether a browser ``Origin`` is on the list (a missing Origin is not a browser)."""
    if origin is None:
        return True
    return origin.rstrip("/") in {a.rstrip("/") for a in allowed}


def clean_metadata(raw: Any, channel: Optional[str] = "web",
                   allowed: Mapping[str, int] = CLIENT_METADATA) -> Dict[str, Any]:
    """A client's metadata reduced to the keys the channel defines (short strings).

    ``raw`` may be an object or its JSON text (the widget's ``customData``); anything
    else, a key not in ``allowed`` or a value that is not a short string is dropped, and
    the result is at most :data:`MAX_METADATA_BYTES`. ``channel`` (the server's own name
    for the channel) is set last, so a client can never claim to be WhatsApp.
    """
    if isinstance(raw, str) and len(raw) <= MAX_METADATA_BYTES * 4:
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError):
            raw = {}
    if not isinstance(raw, dict):
        raw = {}
    data = {key: value for key, value in raw.items()
            if key in allowed and isinstance(value, str) and len(value) <= allowed[key]}
    if len(json.dumps(data)) > MAX_METADATA_BYTES:
        data = {}
    if channel:
        data["channel"] = channel
    return data
