"""The REST channel with input validation (``/webhooks/rest/webhook``).

The stock ``RestInput`` lets every anonymous caller share the ``default``
conversation, trusts a client-chosen ``input_channel``, answers 500 to malformed JSON
or wrong-typed fields, and logs message text on failure. This subclass keeps the same
URL and payload format (``{"sender": "...", "message": "...", "metadata": {...}}``)
and answers client mistakes with a 400 and a JSON error instead.

Each sender may send ``WEBHOOK_RATE_LIMIT`` messages per minute (a sliding window,
:mod:`clinic.ratelimit`, kept in memory per process); past that the webhook answers
429 with a JSON error and a ``Retry-After`` header, and the assistant is not called.

When the assistant fails (a database or Redis outage) the answer is a 503 whose
``error`` is the polite ``channel_unavailable`` text, and nothing the assistant said
without the conversation's history is passed on; when it answers nothing although
the conversation is not paused (the action server is down) that text comes back as the
bot's message (:mod:`addons.channels.outage`).
"""
from __future__ import annotations

import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.outage import (begin_turn, silence_is_expected, turn_failed, unavailable_message,
                                    unavailable_text)
from clinic.chat_input import InvalidRequest, parse_chat_body
from clinic.ratelimit import RateLimiter
from clinic.settings import get_settings

logger = logging.getLogger(__name__)


class ClinicRestInput(RestInput):
    """REST input channel that validates requests before they reach the assistant."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def __init__(self, rate_limit: Optional[int] = None) -> None:
        super().__init__()
        self.limiter = RateLimiter(rate_limit or get_settings().channels.webhook_rate_limit)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        max_chars = get_settings().max_message_chars

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text, metadata = parse_chat_body(request.body or b"", max_chars)
            except InvalidRequest as error:
                return response.json({"error": str(error)}, status=error.status)
            if not self.limiter.allow(sender):
                logger.info("rest: rate limit reached for a sender; message refused")
                return response.json(
                    {"error": "Too many messages; please wait a minute and try again."}, status=429,
                    headers={"Retry-After": str(self.limiter.retry_after(sender))},
                )

            collector = CollectingOutputChannel()
            begin_turn()
            try:
                await on_new_message(
                    UserMessage(
                        text, collector, sender, input_channel=self.name(), metadata=metadata
                    )
                )
            except CancelledError:
                logger.error("rest: handling a message timed out")
                return response.json({"error": unavailable_text()}, status=503)
            except Exception as error:  # never a 500 or a stack trace to the client
                logger.error("rest: handling a message failed: %s", type(error).__name__)
                return response.json({"error": unavailable_text()}, status=503)
            if turn_failed():  # answered without the conversation's history: hold it back
                logger.error("rest: the conversation store failed during the turn")
                return response.json({"error": unavailable_text()}, status=503)
            if not collector.messages and not await silence_is_expected(request.app, sender):
                logger.error("rest: the assistant answered nothing (is the action server up?)")
                return response.json([unavailable_message(sender)])
            return response.json(collector.messages)

        return webhook
