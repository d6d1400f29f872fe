"""The REST channel with input validation (``/webhooks/rest/webhook``).

The stock ``RestInput`` lets every anonymous caller share the ``default``
conversation, trusts a client-chosen ``input_channel``, answers 500 to malformed JSON
or wrong-typed fields, and logs message text on failure. This subclass keeps the same
URL and payload format (``{"sender": "...", "message": "...", "metadata": {...}}``)
and answers client mistakes with a 400 and a JSON error instead.
"""
from __future__ import annotations

import json
import logging
import re
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic.settings import get_settings

logger = logging.getLogger(__name__)

SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_.:@+\-]{1,128}$")


class InvalidRequest(ValueError):
    """The request body does not follow the channel's format."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def parse_body(raw: bytes, max_chars: int) -> Tuple[str, str, Optional[Dict[str, Any]]]:
    """Validate a webhook body and return ``(sender, message, metadata)``."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidRequest("The body must be a JSON object encoded as UTF-8.")
    if not isinstance(body, dict):
        raise InvalidRequest("The body must be a JSON object.")
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if not isinstance(sender, str) or not SENDER_PATTERN.match(sender):
        raise InvalidRequest(
            "'sender' is required: 1-128 characters of letters, digits and _ . : @ + -"
        )
    if not isinstance(message, str):
        raise InvalidRequest("'message' is required and must be a string.")
    if len(message) > max_chars:
        raise InvalidRequest(f"'message' is longer than {max_chars} characters.", status=413)
    if metadata is not None and not isinstance(metadata, dict):
        raise InvalidRequest("'metadata' must be a JSON object when given.")
    return sender, message, metadata


class ClinicRestInput(RestInput):
    """REST input channel that validates requests before they reach the assistant."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

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
                sender, text, metadata = parse_body(request.body or b"", max_chars)
            except InvalidRequest as error:
                return response.json({"error": str(error)}, status=error.status)

            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        text, collector, sender, input_channel=self.name(), metadata=metadata
                    )
                )
            except CancelledError:
                logger.error("rest: handling a message timed out")
                return response.json({"error": "The assistant timed out; please try again."}, status=503)
            except Exception as error:  # never a 500 or a stack trace to the client
                logger.error("rest: handling a message failed: %s", type(error).__name__)
                return response.json(
                    {"error": "The assistant could not answer just now; please try again."},
                    status=503,
                )
            return response.json(collector.messages)

        return webhook
