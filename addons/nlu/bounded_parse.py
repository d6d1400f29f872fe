"""Where a message's text enters NLU: bounded text, read off the event loop.

Rasa 3.6 parses a message (``MessageProcessor.parse_message``) by running the NLU
graph synchronously inside the server's event loop: while one long message was read,
every other conversation waited (a "hi" sent 0.5 s after 6,000 ``%`` waited 9.8 s).
:func:`install` replaces that one method so that

* the pipeline reads :func:`clinic.chat_input.text_for_model` of the text (runs
  collapsed, at most 1,000 characters), whatever the channel (REST, widget, WhatsApp,
  Twilio, the HTTP API's ``/model/parse``): this is the one place every message's text
  passes on its way into NLU, and the conversation still records the full text
  (``UserUttered.text`` is the message's own text; only the parse data's ``text`` is the
  bounded one);
* the graph runs in one worker thread (:data:`EXECUTOR`): the event loop keeps serving
  other conversations meanwhile. One thread, so NLU components never run concurrently
  (spaCy's pipeline is not documented as thread-safe); messages are parsed one at a time
  as before, and the bounded text keeps each parse short.

Installed by ``python -m addons.rasa_cli`` (so by the server, ``rasa shell`` and
``rasa test``), next to :mod:`addons.speedups`. Everything else ``parse_message`` does
is unchanged (an HTTP interpreter, when configured, is called as before).
"""
from __future__ import annotations

import asyncio
import copy
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from clinic.chat_input import text_for_model

EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlu")

_original_parse_message: Optional[Callable[..., Awaitable[Dict[Text, Any]]]] = None


def bounded_message(message: Any) -> Any:
    """``message`` itself, or a shallow copy whose text is what the model reads."""
    text = getattr(message, "text", None)
    if not isinstance(text, str):
        return message
    bounded = text_for_model(text)
    if bounded == text:
        return message
    seen = copy.copy(message)
    seen.text = bounded
    return seen


async def parse_message(self: Any, message: Any, tracker: Optional[Any] = None,
                        only_output_properties: bool = True) -> Dict[Text, Any]:
    """``MessageProcessor.parse_message`` on the bounded text, the graph in :data:`EXECUTOR`."""
    if self.http_interpreter:
        if _original_parse_message is None:
            raise RuntimeError("bounded_parse.install() has not run")
        return await _original_parse_message(self, bounded_message(message), tracker, only_output_properties)
    from rasa.shared.core.trackers import DialogueStateTracker

    if tracker is None:
        tracker = DialogueStateTracker.from_events(message.sender_id, [])
    parse_data = await asyncio.get_running_loop().run_in_executor(
        EXECUTOR, self._parse_message_with_graph, bounded_message(message), tracker, only_output_properties)
    self._update_full_retrieval_intent(parse_data)
    self._check_for_unseen_features(parse_data)
    return parse_data


def install() -> None:
    """Replace ``MessageProcessor.parse_message`` (once per process)."""
    global _original_parse_message
    from rasa.core.processor import MessageProcessor

    if _original_parse_message is None:
        _original_parse_message = MessageProcessor.parse_message
        MessageProcessor.parse_message = parse_message
