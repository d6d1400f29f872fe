"""What a patient is told when their conversation goes to a person, and whether the bot pauses.

``action_handoff`` records the handoff (:func:`clinic.handoff.service.open_handoff`) and asks
:func:`handoff_reply` what to say; the decision lives here, the action only sends it:

* the handoff could not be recorded (the database is down): say so honestly, do not pause;
* a warning sign: the urgent reply (a nurse is alerted), and the bot goes on answering
  (:func:`~clinic.handoff.service.bot_stays_on`; ``action_urgent_care`` normally sends
  warning signs, this covers a handoff opened with that reason);
* "not understood twice" while that handoff already waits: only "the team already has it";
* otherwise when a person will reply (now, at the next opening, or "when the clinic opens");
  then either "ask me anything meanwhile" (the bot stays on: for the reasons of ``bot_stays_on``,
  and for every reason while the clinic is closed, so that nobody waits overnight in silence) or
  a pause until staff hand the conversation back.

A greeting while the conversation's handoff waits ("hello??" at night, the bot still on) is
"the team already has it", not the welcome that a new visitor gets (:func:`greeting`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Dict, List, Optional, Tuple

from clinic.facts import ClinicFacts
from clinic.handoff.hours import describe_opening, is_open, next_opening
from clinic.handoff.service import bot_stays_on

RESPONSES = {
    "open": "utter_handoff_open_hours",
    "closed": "utter_handoff_closed",
    "closed_unknown": "utter_handoff_closed_no_hours",
    "urgent": "utter_handoff_urgent",
    "unavailable": "utter_handoff_unavailable",
    # after one of the above when the bot stays on, or alone when that handoff already waits
    "keep_asking": "utter_handoff_keep_asking",
    "already_waiting": "utter_handoff_already_waiting",
}
URGENT = "urgent"
GREETING = "utter_greet"


@dataclass(frozen=True)
class HandoffReply:
    """Responses to send, in order (name, values for its placeholders), and whether to pause."""

    messages: List[Tuple[str, Dict[str, str]]] = field(default_factory=list)
    pause: bool = False


def when_someone_replies(facts: ClinicFacts, now: datetime) -> Tuple[str, Dict[str, str]]:
    """The response saying when a person will reply: now, at the next opening, or later."""
    if is_open(facts, now):
        return RESPONSES["open"], {}
    opening = next_opening(facts, now)
    if opening is None:
        return RESPONSES["closed_unknown"], {}
    return RESPONSES["closed"], {"next_opening": describe_opening(opening, now)}


def handoff_reply(reason: str, opened: Optional[bool], facts: ClinicFacts, now: datetime) -> HandoffReply:
    """What to say for a handoff with ``reason``: ``opened`` is True for a new handoff, False
    when one was already open for this conversation, None when it could not be recorded."""
    if opened is None:
        return HandoffReply([(RESPONSES["unavailable"], {})])
    if reason == URGENT:
        return HandoffReply([(RESPONSES["urgent"], {})])
    # no one to reply until the clinic opens: a patient who asked for a person is not left with
    # silence to every question until then ("ok also how much is the session?" had no answer);
    # staff pause the bot when they take the conversation over
    stays_on = bot_stays_on(reason) or not is_open(facts, now)
    if stays_on and not opened:
        return HandoffReply([(RESPONSES["already_waiting"], {})])
    first = when_someone_replies(facts, now)
    if stays_on:
        return HandoffReply([first, (RESPONSES["keep_asking"], {})])
    return HandoffReply([first], pause=True)


def greeting(handoff_waiting: bool) -> str:
    """The response to a greeting: the welcome, or, while the conversation's handoff waits for
    staff, that the team already has the conversation (and the bot still answers meanwhile)."""
    return RESPONSES["already_waiting"] if handoff_waiting else GREETING
