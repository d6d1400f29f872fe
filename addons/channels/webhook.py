"""The one webhook pipeline of the messaging channels (WhatsApp Cloud API, Twilio).

A POST goes through the same steps on both:

1. the gate: 503 while the channel's settings are incomplete;
2. the size limit: 413 above ``max_body`` bytes;
3. the platform's own reading (:meth:`MessagingWebhook._read`): its signature scheme and its
   payload parser; it refuses with :class:`Refused` (400, 403);
4. the claim: each message id is recorded once in SQL before the 200 (a redelivery is
   answered and ignored; 503 when the database is down, so the platform delivers again);
5. the rate limit per sender (``WEBHOOK_RATE_LIMIT`` a minute): past it, 200 but no turn;
6. the assistant's turns in one background task (:meth:`MessagingWebhook._process`, the
   platform's sender), and the platform's "accepted" answer at once.

Each channel (``addons.channels.whatsapp``, ``addons.channels.twilio``) is an adapter: it
builds its own settings and client, calls :meth:`MessagingWebhook._set_up_pipeline` for the
store, limiter and limits, and supplies ``_read``, ``_accepted`` and ``_process``.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Protocol, Sequence, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.messaging import BackgroundTasks, ChannelStore
from clinic.ratelimit import Limiter, make_limiter
from clinic.settings import get_settings

logger = logging.getLogger(__name__)


class Inbound(Protocol):
    """What the pipeline reads of a parsed message: its platform id and its conversation."""

    @property
    def message_id(self) -> str: ...

    @property
    def sender_id(self) -> str: ...


class Refused(Exception):
    """The request is answered ``status`` with ``{"error": error}``; ``log`` (never content)
    is logged as a warning when given."""

    def __init__(self, status: int, error: str, log: str = "") -> None:
        super().__init__(error)
        self.status, self.error, self.log = status, error, log


class MessagingWebhook(InputChannel):
    """Base of the WhatsApp and Twilio input channels: :meth:`receive` is the webhook POST."""

    channel: str  # the channel's name in logs and in the store
    not_configured: str  # the 503 answer's text
    settings: Any  # the platform's settings (``enabled``)
    store: ChannelStore
    limiter: Limiter
    background: BackgroundTasks
    max_body: int
    max_chars: int

    @classmethod
    def name(cls) -> Text:
        return cls.channel

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()  # every setting comes from the environment (clinic.settings), none from credentials.yml

    def _set_up_pipeline(self, store: Optional[ChannelStore], max_body: Optional[int],
                         max_chars: Optional[int], rate_limit: Optional[int]) -> None:
        """The pipeline's store, per-sender limiter and size limits (from the settings unless
        given), and its background tasks; warns when the platform's settings are incomplete."""
        app_settings = get_settings()
        self.limiter = make_limiter(rate_limit or app_settings.channels.webhook_rate_limit,
                                    redis_url=app_settings.channels.rate_limit_redis_url, namespace=self.channel)
        self.store = store or ChannelStore()
        self.max_body = max_body or app_settings.channels.max_webhook_bytes
        self.max_chars = max_chars or app_settings.max_message_chars
        self.background = BackgroundTasks()
        if not self.settings.enabled:
            logger.warning("%s: %s_* settings incomplete; the webhook answers 503", self.channel, self.channel.upper())

    def _read(self, request: Request, body: bytes) -> Sequence[Inbound]:
        """The messages in a request: its signature checked, its payload parsed (none for a
        status callback); raises :class:`Refused`."""
        raise NotImplementedError

    def _accepted(self) -> HTTPResponse:
        """The 200 answer the platform expects."""
        raise NotImplementedError

    async def _process(self, items: List[Any], on_new_message: Callable[[UserMessage], Awaitable[Any]],
                       app: Any = None) -> None:
        """The assistant's turns for the claimed, allowed messages, in order."""
        raise NotImplementedError

    async def receive(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
                      ) -> HTTPResponse:
        channel = self.channel
        if not self.settings.enabled:
            return response.json({"error": self.not_configured}, status=503)
        body = request.body or b""
        if len(body) > self.max_body:
            return response.json({"error": "The request is too large."}, status=413)
        try:
            items = self._read(request, body)
        except Refused as refused:
            if refused.log:
                logger.warning("%s: webhook refused: %s", channel, refused.log)
            return response.json({"error": refused.error}, status=refused.status)
        fresh = []
        try:
            for inbound in items:
                if await self.store.claim(inbound.message_id, channel, inbound.sender_id):
                    fresh.append(inbound)
        except Exception as error:  # database down: 503 so the platform delivers again later
            logger.error("%s: could not record messages: %s", channel, type(error).__name__)
            return response.json({"error": "Temporarily unavailable."}, status=503)
        allowed = [inbound for inbound in fresh if self.limiter.allow(inbound.sender_id)]
        logger.info("%s: webhook with %d message(s), %d new", channel, len(items), len(fresh))
        if len(allowed) < len(fresh):  # no sender id or text: the count only
            logger.info("%s: rate limit reached; %d message(s) skipped", channel, len(fresh) - len(allowed))
        if allowed:
            self.background.spawn(self._process(allowed, on_new_message, request.app), f"{channel} turn")
        return self._accepted()
