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
checked first. Channels call :func:`begin_turn` before handing a message to Rasa.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Text

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
