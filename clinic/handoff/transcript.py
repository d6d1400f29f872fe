"""Turn a Rasa tracker (``GET /conversations/<id>/tracker?include_events=ALL``) into
what staff read: the transcript of every session and what the bot collected.

Pure functions on the tracker's JSON; text stays plain text (the console renders it
with ``textContent``).
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

LAST_INTENTS = 5
HIDDEN_SLOTS = {"session_started_metadata", "requested_slot"}
BOOKING_WORDS = ("booking", "appointment")
TRIAGE_INTENTS = {"urgent_symptom"}


def _intent(event: Mapping[str, Any]) -> str:
    return (((event.get("parse_data") or {}).get("intent")) or {}).get("name") or ""


def _triage_hits(event: Mapping[str, Any]) -> List[str]:
    parse = event.get("parse_data") or {}
    hits = [str(e.get("value") or e.get("entity")) for e in parse.get("entities") or []
            if str(e.get("entity", "")).startswith(("warning", "triage", "symptom"))]
    extra = parse.get("triage")
    if isinstance(extra, list):
        hits += [str(h.get("name", h) if isinstance(h, dict) else h) for h in extra]
    elif isinstance(extra, dict):  # addons/nlu/triage.py: {"urgent", "categories", "emergency"}
        hits += [str(c) for c in extra.get("categories") or []]
        if extra.get("emergency"):
            hits.append("EMERGENCY (998)")
    if _intent(event) in TRIAGE_INTENTS:
        hits.append(_intent(event))
    return hits


def message_items(events: List[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """Patient, bot and staff messages plus session/pause markers, oldest first."""
    items: List[Dict[str, Any]] = []
    for index, event in enumerate(events):
        kind, when = event.get("event"), event.get("timestamp")
        if kind == "user":
            items.append({"id": index, "who": "patient", "text": event.get("text") or "",
                          "time": when, "intent": _intent(event)})
        elif kind == "bot":
            metadata = event.get("metadata") or {}
            data = event.get("data") or {}
            who = "staff" if metadata.get("staff") else "bot"
            items.append({"id": index, "who": who, "text": event.get("text") or "", "time": when,
                          "buttons": [str(b.get("title", "")) for b in data.get("buttons") or []]})
        elif kind in ("session_started", "pause", "resume"):
            note = {"session_started": "New session", "pause": "Bot paused: waiting for staff",
                    "resume": "Handed back to the bot"}[kind]
            items.append({"id": index, "who": "note", "text": note, "time": when})
    return items


def summarise(tracker: Mapping[str, Any]) -> Dict[str, Any]:
    """Transcript plus last intents, slots, triage hits and booking details."""
    events = list(tracker.get("events") or [])
    user_events = [e for e in events if e.get("event") == "user"]
    slots = {k: v for k, v in (tracker.get("slots") or {}).items()
             if v not in (None, [], "") and k not in HIDDEN_SLOTS}
    triage: List[str] = []
    for event in user_events:
        for hit in _triage_hits(event):
            if hit not in triage:
                triage.append(hit)
    return {
        "messages": message_items(events),
        "paused": bool(tracker.get("paused")),
        "last_intents": [i for i in (_intent(e) for e in user_events[-LAST_INTENTS:]) if i][::-1],
        "slots": {k: _short(v) for k, v in slots.items()},
        "triage": triage,
        "bookings": {k: _short(v) for k, v in slots.items() if any(w in k for w in BOOKING_WORDS)},
    }


def _short(value: Any, limit: int = 200) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def patient_wrote_while_paused(tracker: Mapping[str, Any]) -> bool:
    """True when a user message follows the latest ``pause`` with no ``resume`` between."""
    events = list(tracker.get("events") or [])
    last_pause: Optional[int] = None
    for index, event in enumerate(events):
        if event.get("event") == "pause":
            last_pause = index
        elif event.get("event") == "resume":
            last_pause = None
    if last_pause is None:
        return False
    return any(e.get("event") == "user" for e in events[last_pause + 1:])
