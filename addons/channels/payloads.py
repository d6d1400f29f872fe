"""Rasa side of :mod:`clinic.channels.payloads`: read the bot's last offer from the tracker.

Called by every public channel right before the turn (:func:`addons.channels.outage.run_turn`
and the REST channel). Only messages starting with ``/`` cost a tracker read.
"""
from __future__ import annotations

import logging
from typing import Any, Iterator, Optional, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered

from clinic.channels import payloads

logger = logging.getLogger(__name__)


def _newest_first(tracker: Any) -> Iterator[Tuple[str, Optional[dict]]]:
    for event in reversed(list(getattr(tracker, "events", None) or ())):
        if isinstance(event, UserUttered):
            yield "user", None
        elif isinstance(event, BotUttered):
            yield "bot", event.data


def note_language(message: UserMessage) -> None:
    """Note ``text_language: ar`` in the metadata of a message whose text sets the
    conversation's language to Arabic (:func:`clinic.language.message_language`: Arabic
    script or Arabizi, "عربي"); English, the default, is not noted. Rasa runs
    ``action_session_start`` (the first session's privacy notice) before it reads the
    message; the response generator takes the session's language from this."""
    from clinic.language import AR, message_language

    language = message_language(message.text or "", "")
    if language == AR:
        message.metadata = {**(message.metadata if isinstance(message.metadata, dict) else {}),
                            "text_language": language}


async def restrict_payload(app: Any, message: UserMessage) -> None:
    """Turn a payload the bot did not offer in its last turn into plain text (in place);
    note the language of the text (:func:`note_language`)."""
    note_language(message)
    if not payloads.is_payload(message.text):
        return
    store = getattr(getattr(getattr(app, "ctx", None), "agent", None), "tracker_store", None)
    offered = set()
    if store is not None:
        try:
            tracker = await store.retrieve(message.sender_id)
        except Exception as error:  # the turn itself will meet the outage; be strict here
            logger.warning("channel: could not read the last offer: %s", type(error).__name__)
            tracker = None
        offered = payloads.offered_payloads(_newest_first(tracker)) if tracker is not None else set()
    text = payloads.allowed_text(message.text, offered)
    if text != message.text:
        logger.info("channel: a payload the bot did not offer was passed on as plain text")
        message.text = text
