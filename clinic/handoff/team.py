"""What the patient sees of the clinic team in a handed-over conversation (issue 18).

Decisions only, no I/O: the console (:mod:`console.staff`) calls these and delivers the
result through the patient's channel.

* **Roles.** A member of staff has an optional role (``staff_accounts.role``, one of
  :data:`ROLES`); patients see "Sara (Nurse, clinic team)", in Arabic
  "Sara (ممرض/ة، فريق العيادة)"; without a role "Sara (clinic team)".
* **Staff messages** (:func:`sign`): the first name and role first, so WhatsApp, Twilio
  and the widget all show who wrote; the widget also styles them apart
  (:func:`widget_payload`).
* **System lines** (:func:`joined_line`, :func:`left_line`): "Sara (Nurse) from the clinic
  has joined the chat." when a member of staff takes over, and "... has left the chat; the
  virtual assistant is back" when they hand back or resolve.
* **Outcomes** (:data:`OUTCOMES`): resolving asks which one; each has a closing message
  (:func:`closing_message`) that tells the patient what happens now.

Every text is a channel text (:mod:`clinic.channels.texts`, English and Arabic), picked by
the conversation's language (``en``/``ar``, :func:`clinic.language.conversation_language`).
"""
from __future__ import annotations

from typing import Dict, Optional, Tuple

from clinic.channels.texts import text as channel_text

AR = "ar"

# role key -> (English, Arabic); what patients see after the first name
ROLES: Dict[str, Tuple[str, str]] = {
    "nurse": ("Nurse", "ممرض/ة"),
    "doctor": ("Doctor", "طبيب/ة"),
    "receptionist": ("Receptionist", "موظف/ة الاستقبال"),
    "coordinator": ("Patient coordinator", "منسّق/ة المرضى"),
    "manager": ("Clinic manager", "مدير/ة العيادة"),
}
TEAM = ("clinic team", "فريق العيادة")

# outcome key -> (label for staff, channel text of the closing message)
OUTCOMES: Dict[str, Tuple[str, str]] = {
    "answered": ("Answered in the chat", "handoff_closed_answered"),
    "called_patient": ("Called the patient", "handoff_closed_called"),
    "false_alarm": ("False alarm", "handoff_closed_false_alarm"),
    "no_answer_needed": ("No answer needed", "handoff_closed_no_answer"),
}
HANDED_BACK = "handed_back"

# the widget (rasa-webchat) gives a bot message whose metadata has customCss this class
STAFF_CLASS = "rw-staff"
SYSTEM_CLASS = "rw-system"


class TeamError(ValueError):
    """An unknown role or outcome; ``str()`` is fit to show to staff."""


def check_role(role: Optional[str]) -> Optional[str]:
    """The role key (lower case) or None for none; :class:`TeamError` for an unknown one."""
    role = (role or "").strip().lower()
    if not role:
        return None
    if role not in ROLES:
        raise TeamError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.")
    return role


def check_outcome(outcome: Optional[str]) -> str:
    """The outcome key; :class:`TeamError` when missing or unknown."""
    if not isinstance(outcome, str) or outcome not in OUTCOMES:
        raise TeamError(f"Choose an outcome: {', '.join(OUTCOMES)}.")
    return outcome


def _ar(language: Optional[str]) -> bool:
    return language == AR


def label(first_name: str, role: Optional[str], language: Optional[str] = None) -> str:
    """"Sara (Nurse, clinic team)", or in Arabic "Sara (ممرض/ة، فريق العيادة)"."""
    index = 1 if _ar(language) else 0
    team = TEAM[index]
    title = ROLES[role][index] if role in ROLES else None
    comma = "، " if _ar(language) else ", "
    inside = f"{title}{comma}{team}" if title else team
    return f"{first_name.strip()} ({inside})"


def sign(first_name: str, role: Optional[str], text: str, language: Optional[str] = None) -> str:
    """A staff reply as the patient reads it: who wrote it first."""
    return f"{label(first_name, role, language)}: {text.strip()}"


def _with_staff(key: str, language: Optional[str], first_name: str) -> str:
    # the name goes in last and by replace(): a name is never read as a template
    return channel_text(key, AR if _ar(language) else None).replace("{staff}", first_name.strip())


def short_label(first_name: str, role: Optional[str], language: Optional[str] = None) -> str:
    """"Sara (Nurse)", or "Sara" without a role."""
    title = ROLES[role][1 if _ar(language) else 0] if role in ROLES else None
    return f"{first_name.strip()} ({title})" if title else first_name.strip()


def joined_line(first_name: str, role: Optional[str], language: Optional[str] = None) -> str:
    """"Sara (Nurse) from the clinic has joined the chat." on take-over."""
    return _with_staff("staff_joined", language, short_label(first_name, role, language))


def left_line(first_name: str, language: Optional[str] = None) -> str:
    """"Sara has left the chat. The virtual assistant is back ..." on hand-back or resolve."""
    return _with_staff("staff_left", language, first_name)


def closing_message(outcome: str, first_name: str, language: Optional[str] = None) -> str:
    """What the patient is told when the conversation is resolved with ``outcome``."""
    return _with_staff(OUTCOMES[check_outcome(outcome)][1], language, first_name)


def resolve_messages(outcome: str, first_name: str, was_active: bool,
                     language: Optional[str] = None) -> Tuple[Tuple[str, str], ...]:
    """The (kind, text) lines to send on resolving: the closing message, then, when a
    member of staff had joined the chat, that they left. ``kind`` is ``system``."""
    lines = [("system", closing_message(outcome, first_name, language))]
    if was_active:
        lines.append(("system", left_line(first_name, language)))
    return tuple(lines)


def widget_payload(text: str, kind: str) -> Dict[str, object]:
    """The ``custom`` data of a bot event that reaches the web widget as
    ``{"text": ..., "metadata": {"customCss": ...}}``: Rasa's socket.io output emits a
    ``custom`` dict's ``data`` as the bot message itself, and rasa-webchat gives the
    message the class named in ``customCss`` (staff bubble or system line)."""
    css = STAFF_CLASS if kind == "staff" else SYSTEM_CLASS
    return {"data": {"text": text, "metadata": {"customCss": {"style": "class", "css": css}}}}


def bot_event(text: str, kind: str, channel: str, metadata: Dict[str, object]) -> Dict[str, object]:
    """The Rasa ``bot`` event that delivers ``text`` (``kind`` ``staff`` or ``system``).

    On the web widget (socket.io) the text travels only in ``data.custom`` so it is shown
    once, styled; elsewhere (WhatsApp, Twilio, REST) it is the plain text. ``metadata``
    always says who and what (``staff``, ``kind``) for the staff transcript."""
    meta = {**metadata, "kind": kind}
    if is_widget(channel):
        return {"event": "bot", "text": None, "data": {"custom": widget_payload(text, kind)}, "metadata": meta}
    return {"event": "bot", "text": text, "metadata": meta}


def is_widget(channel: Optional[str]) -> bool:
    """True for the website widget's channel (Rasa's ``socketio`` input)."""
    return (channel or "").lower() == "socketio"
