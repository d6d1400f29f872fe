"""What a check-in or a booking reminder says: the WhatsApp template, its parameters and the
payloads of its quick-reply buttons (framework-free; the texts are in docs/whatsapp-templates.md,
submitted to Meta under the names in settings, in English ``en`` and Arabic ``ar``).

The buttons answer with words, not ``/intent`` payloads: the message was sent by the worker,
not by the assistant, so the channel passes a tapped button on as text
(:mod:`clinic.channels.payloads`) and the classifier reads it like a typed reply ("all good",
"stop", "cancel my appointment"). A typed answer and a tapped one take the same path.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Dict, List, Tuple

from clinic.booking.dates import ZONE

QUICK_REPLIES: Dict[Tuple[str, str], Tuple[str, ...]] = {
    ("checkin", "en"): ("all good", "stop"),
    ("checkin", "ar"): ("كل شيء بخير", "توقف"),
    ("booking_reminder", "en"): ("I'll be there", "reschedule my appointment", "cancel my appointment"),
    ("booking_reminder", "ar"): ("نعم، سأحضر", "أريد تغيير موعدي", "أريد إلغاء موعدي"),
}


@dataclass(frozen=True)
class Outgoing:
    """One template message to send (no recipient: the worker adds it)."""

    template: str
    language: str
    parameters: Tuple[str, ...]
    quick_replies: Tuple[str, ...]


@dataclass(frozen=True)
class Templates:
    """The approved template names (settings ``WHATSAPP_CHECKIN_TEMPLATE``, ``WHATSAPP_REMINDER_TEMPLATE``)."""

    checkin: str = "aftercare_checkin"
    reminder: str = "appointment_reminder"


@dataclass(frozen=True)
class ClinicLine:
    """The clinic's name and phone as the templates show them, per language."""

    name: Dict[str, str]
    phone: str

    @classmethod
    def from_facts(cls, facts) -> "ClinicLine":
        arabic = (getattr(facts, "arabic", None) or {}).get("name") or facts.name
        return cls({"en": facts.name, "ar": arabic}, facts.phone)


def _language(language: str) -> str:
    return language if language in ("en", "ar") else "en"


def checkin(templates: Templates, clinic: ClinicLine, language: str, day: int) -> Outgoing:
    """``aftercare_checkin``: {{1}} clinic name, {{2}} day after the session, {{3}} clinic phone."""
    language = _language(language)
    return Outgoing(templates.checkin, language, (clinic.name[language], str(day), clinic.phone),
                    QUICK_REPLIES[("checkin", language)])


def describe_start(starts_at_utc: datetime) -> Tuple[str, str]:
    """("Saturday 5 December", "10:30") in clinic time, from a naive UTC start."""
    from datetime import timezone

    local = starts_at_utc.replace(tzinfo=timezone.utc).astimezone(ZONE)
    return f"{local:%A} {local.day} {local:%B}", f"{local:%H:%M}"


def booking_reminder(templates: Templates, clinic: ClinicLine, language: str, starts_at_utc: datetime,
                     reference: str) -> Outgoing:
    """``appointment_reminder``: {{1}} clinic name, {{2}} day, {{3}} time, {{4}} booking reference."""
    language = _language(language)
    day, hour = describe_start(starts_at_utc)
    return Outgoing(templates.reminder, language, (clinic.name[language], day, hour, reference),
                    QUICK_REPLIES[("booking_reminder", language)])


def as_payload(wa_id: str, message: Outgoing) -> dict:
    """The Graph API body (:func:`clinic.channels.whatsapp.template_message`)."""
    from clinic.channels.whatsapp import template_message

    return template_message(wa_id, message.template, message.language, list(message.parameters),
                            list(message.quick_replies))


def all_quick_replies() -> List[str]:
    return [payload for payloads in QUICK_REPLIES.values() for payload in payloads]
