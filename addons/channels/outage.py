"""What a chat channel says when the assistant could not answer.

A turn can fail three ways:

* outright: Redis is down and Rasa raises (``LockError``);
* amnesiac: the tracker database is down, Rasa's fail-safe wrapper reads the conversation
  as empty and carries on (:func:`addons.tracker_store.store_failed` tells);
* empty: the action server is down, Rasa logs the failed custom action and carries on
  without its messages.

Each way the patient gets ``channel_unavailable`` at once, with the clinic's number and
the warning signs, instead of silence or out-of-context answers. An empty reply is
normal only while staff have taken over the conversation (it is paused), so that is
checked first. The REST channel (which answers in its HTTP response) calls
:func:`begin_turn` and :func:`turn_failed` itself; channels that send as they go
(socket.io, WhatsApp, Twilio) use an output with :class:`CountingOutput` and
:func:`run_turn`.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage

from addons.tracker_store import reset_store_failure, store_failed
from clinic.channels.texts import text as channel_text

logger = logging.getLogger(__name__)


def begin_turn() -> None:
    """Forget failures of an earlier turn handled in this context."""
    reset_store_failure()


def turn_failed() -> bool:
    """True when the conversation store failed during this turn (answers are unreliable)."""
    return store_failed()


def unavailable_text() -> str:
    return channel_text("channel_unavailable")


def unavailable_message(recipient_id: Text) -> Dict[str, Any]:
    """The apology in the REST channel's message format."""
    return {"recipient_id": recipient_id, "text": unavailable_text()}


async def silence_is_expected(app: Any, sender_id: Text) -> bool:
    """True when the conversation is paused (staff answer it), so no bot reply is due."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return False
    try:
        tracker = await store.retrieve(sender_id)
    except Exception as error:  # the store is down: the turn did fail
        logger.warning("channel: could not check whether a conversation is paused: %s",
                       type(error).__name__)
        return False
    return bool(tracker and tracker.is_paused())


class CountingOutput:
    """Mixin for output channels that send as they go: counts what Rasa sends in a turn,
    and holds it back once the conversation store failed in that turn. Call
    :meth:`may_send` first thing in the channel's send path."""

    sent = 0

    def may_send(self) -> bool:
        if turn_failed():
            return False
        self.sent += 1
        return True


async def run_turn(on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage,
                   app: Any, channel: str,
                   apologise: Optional[Callable[[], Awaitable[Any]]] = None) -> bool:
    """Hand ``message`` to Rasa; apologise when the turn failed or answered nothing
    outside a handoff. ``message.output_channel`` must be a :class:`CountingOutput`;
    ``apologise`` defaults to sending the text through it. Returns False when the patient
    got the apology instead of an answer (the caller may leave a note for staff)."""
    output = message.output_channel
    begin_turn()
    try:
        await on_new_message(message)
    except Exception as error:
        logger.error("%s: handling a message failed: %s", channel, type(error).__name__)
    else:
        if turn_failed():
            logger.error("%s: the conversation store failed during the turn", channel)
        elif output.sent or await silence_is_expected(app, message.sender_id):
            return True
        else:
            logger.error("%s: the assistant answered nothing (is the action server up?)", channel)
    reset_store_failure()  # the apology itself must go out
    if apologise is not None:
        await apologise()
    else:
        await output.send_text_message(message.sender_id, unavailable_text())
    return False
