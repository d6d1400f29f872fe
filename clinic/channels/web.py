"""Web widget rules, framework-free: session ids, metadata, origins, rate limit."""
from __future__ import annotations

import json
import re
import uuid
from typing import Any, Dict, Iterable, Optional

SESSION_ID = re.compile(r"^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")
RESERVED_METADATA = ("channel", "phone")
MAX_METADATA_BYTES = 2048


def session_id_for(requested: Any) -> str:
    """The client's session id if it is a random UUID (hex or dashed), else a new one."""
    if isinstance(requested, str) and SESSION_ID.match(requested):
        try:
            if uuid.UUID(requested).version == 4:
                return requested
        except ValueError:
            pass
    return uuid.uuid4().hex


def origin_allowed(origin: Optional[str], allowed: Iterable[str]) -> bool:
    """Whether a browser ``Origin`` is on the list (a missing Origin is not a browser)."""
    if origin is None:
        return True
    return origin.rstrip("/") in {a.rstrip("/") for a in allowed}


def clean_metadata(raw: Any) -> Dict[str, Any]:
    """The widget's ``customData`` as metadata: a small JSON object, never claiming a channel.

    ``channel`` and ``phone`` are reserved for the messaging channels, so the browser
    cannot pretend to be a WhatsApp patient; ``channel`` is set to ``"web"``.
    """
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = {}
    if not isinstance(raw, dict):
        raw = {}
    data = {str(k): v for k, v in raw.items() if k not in RESERVED_METADATA}
    if len(json.dumps(data, default=str)) > MAX_METADATA_BYTES:
        data = {}
    data["channel"] = "web"
    return data

