"""Putting it off: "let me check with my husband first", "i'll get back to u", "not now maybe
later", "will confirm after i check my schedule", "let me think about it".

A deferral is never a yes, and it is not a refusal either: the patient is told there is no
hurry and to message when ready. What it does depends on where it is said; the actions ask
this module and do what it says:

* at a yes/no confirmation ("Shall I book it?") it is a no: :func:`clinic.booking.replies.read_reply`
  reads :data:`clinic.booking.replies.DEFER_PHRASES` as a delay, which wins over a yes word in
  the same message ("ok i will let u know"), and the classifier's ``defer`` as a no; nothing is
  booked and a held time is freed;
* in the middle of a booking, cancelling or moving form (:func:`leaving_form`) it leaves the
  form at once, whatever detail was asked, the consent question included (putting it off
  answers none of them); "stop" / "never mind" (:func:`clinic.booking.replies.wants_to_stop`)
  leave it too, except at the consent question, which reads its own yes or no;
* the booking that was left says "nothing is booked" with the friendly answer
  (:func:`not_booked_response`); outside any booking the rule for the ``defer`` intent answers
  ``utter_deferred``.

A deferral is the classifier's ``defer`` intent or the words of ``DEFER_PHRASES`` (English)
or ``DEFER_ARABIC`` (Arabic and Arabizi: "خليني افكر", "بشاور زوجي", "mo al7een") in a message
that asks nothing: "do i need to decide today?" is a question, not a deferral.
"""
from __future__ import annotations

import enum
from typing import Optional

from clinic.booking.replies import DEFER_ARABIC, DEFER_PHRASES, drops_the_booking, normalise, wants_to_stop

DEFER_INTENT = "defer"
CONSENT_SLOT = "contact_consent"
# a long message that mentions "later" is about something else ("... my sister will let you know ...")
MAX_WORDS = 16
# first words of a question (not "will" / "can": "will confirm after i check", "can i let you know tmrw")
QUESTION_WORDS = frozenset(("what", "how", "when", "where", "why", "who", "which", "is", "are", "do", "does",
                            "should", "shall"))
# the answers (responses in domain.yml)
DEFERRED = "utter_deferred"
BOOKING_DEFERRED = "utter_booking_deferred"
BOOKING_DEFERRED_NO_HOLD = "utter_booking_deferred_no_hold"
NOT_BOOKED = "utter_booking_not_booked"
NOT_BOOKED_NO_HOLD = "utter_booking_not_booked_no_hold"


class Leaving(str, enum.Enum):
    """What a message in the middle of a form does to it."""

    STAY = "stay"    # the form goes on (the message is read as the detail asked, or answered by a rule)
    STOP = "stop"    # "stop", "never mind": left, nothing booked
    DEFER = "defer"  # "let me check with my husband first": left, nothing booked, message us when ready


def _asks(text: str, words: str) -> bool:
    first = words.split()[:1]
    return "?" in text or "؟" in text or (bool(first) and first[0] in QUESTION_WORDS)


def defers(text: Optional[str], intent: Optional[str] = None) -> bool:
    """Whether the message puts the decision off: the classifier's ``defer``, or deferral
    words in a short message that is no question and no button payload."""
    if intent == DEFER_INTENT:
        return True
    text = text if isinstance(text, str) else ""
    if not text.strip() or text.strip().startswith("/"):
        return False
    words = normalise(text)
    if len(words.split()) > MAX_WORDS or _asks(text, words):
        return False
    return any(f" {phrase} " in words for phrase in DEFER_PHRASES + DEFER_ARABIC)


def leaving_form(text: Optional[str], intent: Optional[str], requested_slot: Optional[str],
                 new_booking: bool = False) -> Leaving:
    """A message while a form asks for ``requested_slot``: stay, stop or defer. The message
    that opens a form (no slot asked yet) never leaves it. In a ``new_booking`` (the booking
    form), "cancel it" drops it too (:func:`clinic.booking.replies.drops_the_booking`)."""
    if not requested_slot:
        return Leaving.STAY
    if defers(text, intent):
        return Leaving.DEFER
    if requested_slot != CONSENT_SLOT and (wants_to_stop(text or "")
                                           or (new_booking and drops_the_booking(text or ""))):
        return Leaving.STOP
    return Leaving.STAY


def left_the_booking(text: Optional[str], intent: Optional[str], new_booking: bool = False) -> bool:
    """After the booking or moving form ended: whether its last message left it (so nothing
    is held or moved) rather than filling its last detail."""
    return defers(text, intent) or wants_to_stop(text or "") or (new_booking and drops_the_booking(text or ""))


def not_booked_response(text: Optional[str], intent: Optional[str], released: bool) -> str:
    """What a booking left or declined says: nothing is booked (and the held time is free
    again when one was ``released``), with "message us when you're ready" for a deferral."""
    if defers(text, intent):
        return BOOKING_DEFERRED if released else BOOKING_DEFERRED_NO_HOLD
    return NOT_BOOKED if released else NOT_BOOKED_NO_HOLD
