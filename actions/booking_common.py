"""Helpers shared by the booking actions: database access, slot buttons, channel phone."""
from __future__ import annotations

import functools
import json
import logging
from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from sqlalchemy.exc import SQLAlchemyError

from actions.context import Clock, latest_intent, message_metadata, session_factory  # noqa: F401  (read as common.X)
from clinic.booking import holds, request
from clinic.booking.dates import describe
from clinic.booking.errors import BookingError
from clinic.booking.phone import normalise_phone
from clinic.booking.slots import Slot
from clinic.booking.store import DUBAI

log = logging.getLogger(__name__)
MAX_BUTTONS = 5


def slot_buttons(slots: Sequence[Any]) -> List[Dict[str, str]]:
    """Up to 5 buttons whose payloads set ``slot_start`` (local ISO time), for slots or their starts."""
    buttons = []
    for slot in list(slots)[:MAX_BUTTONS]:
        start = slot.start if isinstance(slot, Slot) else slot
        payload = json.dumps({"slot_start": start.astimezone(DUBAI).isoformat()})
        buttons.append({"title": describe(start, short=True), "payload": f"/inform{payload}"})
    return buttons


def offered_times(tracker: Tracker) -> List[datetime]:
    """The times offered as buttons (``slot_buttons``) in the bot's messages just before the
    latest user message, in the order shown."""
    seen_user = False
    found: List[datetime] = []
    for event in reversed(tracker.events or []):
        kind = event.get("event")
        if kind == "user":
            if seen_user:
                break
            seen_user = True
        elif kind == "bot" and seen_user:
            times = [_button_time(b) for b in ((event.get("data") or {}).get("buttons") or [])]
            found = [t for t in times if t] + found
    return found


def offered_earlier(tracker: Tracker) -> List[datetime]:
    """The times of the bot's latest message that offered times as buttons, however many
    messages ago ("actually make it the 2nd one" at the name question), in the order shown."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "bot":
            times = [_button_time(b) for b in ((event.get("data") or {}).get("buttons") or [])]
            if any(times):
                return [t for t in times if t]
    return []


def _button_time(button: Any) -> Optional[datetime]:
    payload = button.get("payload") if isinstance(button, dict) else None
    if not isinstance(payload, str) or not payload.startswith("/inform{"):
        return None
    try:
        value = json.loads(payload[len("/inform"):]).get("slot_start")
    except (ValueError, AttributeError):
        return None
    return parse_start(value)


def channel_phone(tracker: Tracker) -> Optional[str]:
    """The E.164 number the WhatsApp/Twilio channel vouches for, if any."""
    metadata = message_metadata(tracker)
    if metadata.get("channel") not in ("whatsapp", "twilio"):
        return None
    phone = metadata.get("phone")
    return normalise_phone(phone) if isinstance(phone, str) else None


def channel_name(tracker: Tracker) -> str:
    """The channel a booking records: ``whatsapp``/``twilio`` from the metadata, else ``web``."""
    channel = message_metadata(tracker).get("channel")
    return channel if channel in ("whatsapp", "twilio") else "web"


def service_key(value: Any) -> Optional[str]:
    """What the patient said or clicked -> a service key, or None (clinic.booking.request)."""
    return request.service_key(value)


def parse_start(value: Any) -> Optional[datetime]:
    """An ISO time with offset (from a button payload) -> aware datetime, else None."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=DUBAI)


def release_held_slot(tracker: Tracker, factory=None) -> List[Dict[str, Any]]:
    """A warning sign or a request for a person while a time is held for the patient's yes:
    the time is freed at once (not after the next message or the lapse) and the pending
    question forgotten. ``factory``: the caller's session factory (default: the clinic's)."""
    reference = tracker.get_slot("held_reference")
    if not reference:
        return []
    try:
        holds.release_hold(factory or session_factory(), reference)
    except Exception as error:  # never block a handoff; the hold lapses by itself anyway
        log.warning("booking: hold not released (%s)", type(error).__name__)
    return [SlotSet("held_reference", None), SlotSet("slot_start", None), SlotSet("confirming", None),
            SlotSet("confirm_asked_again", None)]


def latest_text(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text") or ""
    return text if isinstance(text, str) else ""


def idempotency_key(tracker: Tracker, *parts: str) -> str:
    """Conversation id + the id of the user message being answered (+ request parts)."""
    message_id = ""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            message_id = str(event.get("message_id") or "")
            break
    return ":".join([tracker.sender_id or "", message_id or "-", *parts])


def times_asked(tracker: Tracker, response: str) -> int:
    """How many times the active form has said ``response`` (its question, e.g.
    ``utter_ask_service``) since it began: bot messages carry the response name in their
    metadata (``utter_action``); the form's activation (an ``active_loop`` event) ends the count."""
    count = 0
    for event in reversed(tracker.events or []):
        kind = event.get("event")
        if kind == "active_loop":
            break
        if kind == "bot" and (event.get("metadata") or {}).get("utter_action") == response:
            count += 1
    return count


def last_response(tracker: Tracker) -> Optional[str]:
    """The response name of the bot's last message (its ``utter_action`` metadata)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None


def last_value(tracker: Tracker, slot: str) -> Optional[str]:
    """The last value ``slot`` had before it was cleared."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "slot" and event.get("name") == slot and event.get("value"):
            return str(event.get("value"))
    return None


def buttons_shown_this_turn(tracker: Tracker) -> bool:
    """True when a bot message with time buttons (payloads setting ``slot_start``) followed
    the latest user message. A FAQ answer's own button ("Book a consultation") does not
    count: after it the form still offers the times."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            return False
        buttons = (event.get("data") or {}).get("buttons") or [] if event.get("event") == "bot" else []
        if any('"slot_start"' in str(b.get("payload", "")) for b in buttons):
            return True
    return False


def details_instead_of_a_time(tracker: Tracker) -> bool:
    """True when the latest message, sent while the time was asked, gave a name or a number
    instead ("her name is Aisha Khan", "0551234000"), which the form took: the times offered
    again are then preceded by a word that it was noted, not repeated as if it was not read."""
    taken = False
    seen_user = False
    for event in reversed(tracker.events or []):
        kind = event.get("event")
        if not seen_user:
            if kind == "user":
                seen_user = True
            elif kind == "slot" and event.get("name") in ("patient_name", "patient_phone") and event.get("value"):
                taken = True
        elif kind == "slot" and event.get("name") == "requested_slot":
            return taken and event.get("value") == "slot_start"
    return False


def answer_failures(fallback: Any = ()) -> Callable:
    """Decorate an action's ``run`` (or a validation method): a database that is down or
    not seeded yields ``utter_booking_unavailable`` and ``fallback``, never an HTTP 500."""

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def wrapper(self, value_or_dispatcher, *args):
            try:
                return method(self, value_or_dispatcher, *args)
            except (SQLAlchemyError, BookingError) as error:
                log.warning("%s failed: %s", self.name(), type(error).__name__)
                dispatcher = value_or_dispatcher if hasattr(value_or_dispatcher, "utter_message") else args[0]
                dispatcher.utter_message(response="utter_booking_unavailable")
                return dict(fallback) if isinstance(fallback, dict) else list(fallback)

        return wrapper

    return decorate
