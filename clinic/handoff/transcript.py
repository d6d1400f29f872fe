"""Turn a Rasa tracker (``GET /conversations/<id>/tracker?include_events=ALL``) into
what staff read: the transcript of every session and what the bot collected.

Pure functions on the tracker's JSON; text stays plain text (the console renders it
with ``textContent``).
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple

from clinic.handoff.alerts import is_urgent_reply

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


OPENING_PAYLOADS = {"/greet"}  # the widget sends /greet when a visitor opens it


def bot_text(event: Mapping[str, Any]) -> str:
    """A bot event's text; a staff or system line for the web widget carries it only in
    ``data.custom`` (:func:`clinic.handoff.team.bot_event`)."""
    if event.get("text"):
        return str(event["text"])
    custom = (event.get("data") or {}).get("custom")
    inner = custom.get("data") if isinstance(custom, Mapping) else None
    return str(inner.get("text") or "") if isinstance(inner, Mapping) else ""


def _buttons(event: Mapping[str, Any]) -> List[Mapping[str, Any]]:
    data = event.get("data") or {}
    return [b for b in (data.get("buttons") or data.get("quick_replies") or []) if isinstance(b, Mapping)]


def message_items(events: List[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """Patient, bot and staff messages plus session/pause markers, oldest first.

    A patient message that is the payload of a button the bot had just offered
    ("/human_handoff") shows the button's title ("Talk to a person", ``button: True``);
    the widget's opening ``/greet`` is a note ("Opened the chat"). Staff messages are
    ``who: staff``, the console's lines to the patient (joined, left, closing) ``who:
    system``; the urgent reply to a warning sign has ``alert: True``."""
    items: List[Dict[str, Any]] = []
    offered: Dict[str, str] = {}  # payload -> title of the buttons of the bot's last turn
    for index, event in enumerate(events):
        kind, when = event.get("event"), event.get("timestamp")
        if kind == "user":
            text = event.get("text") or ""
            item = {"id": index, "who": "patient", "text": text, "time": when, "intent": _intent(event)}
            if text in offered:
                item.update(text=offered[text], payload=text, button=True)
            elif text.strip() in OPENING_PAYLOADS:
                item.update(who="note", text="Opened the chat", payload=text)
            items.append(item)
            offered = {}
        elif kind == "bot":
            metadata = event.get("metadata") or {}
            who = "bot"
            if metadata.get("staff"):
                who = "system" if metadata.get("kind") == "system" else "staff"
            buttons = _buttons(event)
            if buttons:
                offered = {str(b.get("payload", "")): str(b.get("title", "")) for b in buttons}
            item = {"id": index, "who": who, "text": bot_text(event), "time": when,
                    "buttons": [str(b.get("title", "")) for b in buttons]}
            if who == "bot" and is_urgent_reply(metadata):  # the warning-sign reply: an alert
                item["alert"] = True
            items.append(item)
        elif kind in ("session_started", "pause", "resume"):
            note = {"session_started": "New session", "pause": "Bot paused: waiting for staff",
                    "resume": "Handed back to the bot"}[kind]
            items.append({"id": index, "who": "note", "text": note, "time": when})
    return items


def last_patient_message(events: List[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    """The newest patient message as :func:`message_items` shows it (button titles, not
    payloads), or None."""
    for item in reversed(message_items(events)):
        if item["who"] == "patient":
            return item
    return None


# the slots that hold the patient's name and mobile number, best first (the booking form's, then older ones)
NAME_SLOTS = ("patient_name", "name")
PHONE_SLOTS = ("patient_phone", "phone")


def _first_slot(slots: Mapping[str, Any], names: Tuple[str, ...]) -> Any:
    return next((slots[n] for n in names if slots.get(n)), None)


def patient_identity(tracker: Mapping[str, Any]) -> Dict[str, Optional[str]]:
    """The patient's name and mobile number when known: the booking slots, else the
    number in a WhatsApp/Twilio conversation id (``wa-971...``)."""
    slots = tracker.get("slots") or {}
    name = _first_slot(slots, NAME_SLOTS)
    phone = _first_slot(slots, PHONE_SLOTS)
    sender = str(tracker.get("sender_id") or "")
    if not phone and sender[:3] in ("wa-", "tw-") and sender[3:].lstrip("+").isdigit():
        phone = "+" + sender[3:].lstrip("+")
    return {"name": _short(name, 60) if isinstance(name, str) and name.strip() else None,
            "phone": _short(phone, 32) if isinstance(phone, str) and phone.strip() else None}


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
