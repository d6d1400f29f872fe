"""The REST channel with input validation (``/webhooks/rest/webhook``).

The stock ``RestInput`` lets every anonymous caller share the ``default``
conversation, trusts a client-chosen ``input_channel``, answers 500 to malformed JSON
or wrong-typed fields, and logs message text on failure. This subclass keeps the same
URL and payload format (``{"sender": "...", "message": "...", "metadata": {...}}``)
and answers client mistakes with a 400 and a JSON error instead.

The channel is for servers, not browsers: it answers only callers holding the API token
(``RASA_AUTH_TOKEN``, as ``Authorization: Bearer <token>`` or ``?token=<token>``, like
Rasa's HTTP API), else 401. Those choose their sender ids, except the prefixes of the
widget, WhatsApp and Twilio (``web-``, ``wa-``, ``tw-``: 403), so a REST call never
writes into another channel's conversation (:mod:`clinic.channels.ids`). Browsers use
the web app's ``/chat`` (the try-it page), which gives each visitor a signed id of its
own. Metadata keeps only the keys clients may set (``language``); the channel and the
phone number never come from the caller.

Each sender may send ``WEBHOOK_RATE_LIMIT`` messages per minute (a sliding window,
:mod:`clinic.ratelimit`: in Redis when `REDIS_URL` is set, shared by every process); past that the webhook answers
429 with a JSON error and a ``Retry-After`` header, and the assistant is not called.

When the assistant fails (a database or Redis outage) the answer is a 503 whose
``error`` is the polite ``channel_unavailable`` text, and nothing the assistant said
without the conversation's history is passed on; when it answers nothing although
the conversation is not paused (the action server is down) that text comes back as the
bot's message (:mod:`addons.channels.outage`). A warning sign gets the urgent reply
(200) in both cases, and is recorded for staff.
"""
from __future__ import annotations

import hmac
import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.outage import begin_turn, outage_response, silence_is_expected, turn_failed
from addons.channels.payloads import restrict_payload
from clinic.channels.ids import RESERVED_PREFIXES, claims_other_channel
from clinic.channels.web import clean_metadata
from clinic.chat_input import InvalidRequest, parse_chat_body
from clinic.ratelimit import make_limiter
from clinic.settings import get_settings

logger = logging.getLogger(__name__)


class ClinicRestInput(RestInput):
    """REST input channel that validates requests before they reach the assistant."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def __init__(self, rate_limit: Optional[int] = None, auth_token: Optional[str] = None) -> None:
        super().__init__()
        settings = get_settings()
        self.limiter = make_limiter(rate_limit or settings.channels.webhook_rate_limit,
                                    redis_url=settings.channels.rate_limit_redis_url, namespace="rest")
        self.auth_token = auth_token or settings.rasa_auth_token

    def authorised(self, request: Request) -> bool:
        """Whether the caller holds the API token (header or ``?token=``)."""
        given = request.headers.get("Authorization", "")
        given = given[7:].strip() if given[:7].lower() == "bearer " else request.args.get("token", "")
        return bool(self.auth_token) and hmac.compare_digest(given.encode("utf-8", "replace"),
                                                             self.auth_token.encode("utf-8"))

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
            if not self.authorised(request):
                return response.json(
                    {"error": "This endpoint needs the API token (Authorization: Bearer $RASA_AUTH_TOKEN); "
                              "browsers use the web app's /chat."},
                    status=401, headers={"WWW-Authenticate": "Bearer"})
            try:
                sender, text, metadata = parse_chat_body(request.body or b"", max_chars)
            except InvalidRequest as error:
                return response.json({"error": str(error)}, status=error.status)
            if claims_other_channel(sender):
                return response.json(
                    {"error": f"Sender ids starting with {', '.join(RESERVED_PREFIXES)} belong to other channels."},
                    status=403)
            metadata = clean_metadata(metadata, channel=None)
            if not self.limiter.allow(sender):
                logger.info("rest: rate limit reached for a sender; message refused")
                return response.json(
                    {"error": "Too many messages; please wait a minute and try again."}, status=429,
                    headers={"Retry-After": str(self.limiter.retry_after(sender))},
                )

            collector = CollectingOutputChannel()
            begin_turn()
            try:
                message = UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
                await restrict_payload(request.app, message)  # /intent: only the offered buttons
                await on_new_message(message)
            except CancelledError:
                logger.error("rest: handling a message timed out")
                return response.json(*await outage_response(text, sender, self.name()))
            except Exception as error:  # never a 500 or a stack trace to the client
                logger.error("rest: handling a message failed: %s", type(error).__name__)
                return response.json(*await outage_response(text, sender, self.name()))
            if turn_failed():  # answered without the conversation's history: hold it back
                logger.error("rest: the conversation store failed during the turn")
                return response.json(*await outage_response(text, sender, self.name()))
            if not collector.messages and not await silence_is_expected(request.app, sender):
                logger.error("rest: the assistant answered nothing (is the action server up?)")
                return response.json(*await outage_response(text, sender, self.name(), failed=False))
            return response.json(collector.messages)

        return webhook
