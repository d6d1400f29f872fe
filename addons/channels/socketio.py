"""The socket.io channel for the website widget (rasa-webchat 1.0.1).

Differences from Rasa's ``SocketIOInput``:

* ``enter_room`` is awaited (python-socketio >= 5.10 made it a coroutine; the stock
  channel never awaits it, so with ``session_persistence`` no bot message reached
  the browser, RasaHQ/rasa#13027);
* session persistence is on by default; the conversation id (``web-<32 hex>``) is made
  by the server and the browser gets it signed (:mod:`clinic.channels.ids`): a browser
  coming back with a token whose signature checks continues its conversation, anything
  else gets a new one; the id is bound to the socket, so a message cannot claim another
  conversation; one client address gets at most ``NEW_CONVERSATIONS_PER_HOUR`` new ones;
* browsers from origins not in ``SOCKETIO_ALLOWED_ORIGINS`` are refused (the stock
  channel accepts any origin);
* the urgent reply (warning signs) reaches the widget marked as an alert
  (:mod:`clinic.handoff.alerts`: rasa-webchat's ``customCss`` class ``rw-urgent``);
* ``customData`` is the metadata key by default; only ``language`` is kept
  (:func:`clinic.channels.web.clean_metadata`), so it cannot claim a channel or phone;
* a message size limit (``MAX_MESSAGE_CHARS``) and a per-session rate limit
  (``SOCKETIO_RATE_LIMIT`` per minute, :mod:`clinic.ratelimit`: in Redis when configured) and a
  per-address one (``ADDRESS_RATE_LIMIT``, shared through Redis when configured);
* with ``SOCKETIO_REDIS_URL``, rooms are shared through Redis, so a staff reply posted
  to one Rasa process reaches a browser connected to another;
* when the assistant fails or answers nothing outside a handoff, the browser gets the
  polite ``channel_unavailable`` text (:mod:`addons.channels.outage`); the channel's own
  notices go straight to the socket, so they arrive even while Redis is down.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer

from addons.channels.outage import CountingOutput, run_turn
from clinic.channels import web
from clinic.channels.ids import ConversationIds, conversation_key
from clinic.channels.texts import text as channel_text
from clinic.handoff import alerts
from clinic.chat_input import is_valid_text
from clinic.ratelimit import address_retry_after, client_address, make_limiter
from clinic.settings import get_settings

logger = logging.getLogger(__name__)
NEW_CONVERSATIONS_PER_HOUR = 30  # per client address and process


class _AppAwareBlueprint(SocketBlueprint):
    """Remembers the Sanic app it is registered on (to reach Rasa's tracker store)."""

    def register(self, app: Any, options: Dict[Text, Any]) -> None:
        self.ctx.app = app
        super().register(app, options)


class _CountingOutput(CountingOutput, SocketIOOutput):
    """Rasa's socket.io output, counting what it sends and holding back answers given
    without the conversation's history (:mod:`addons.channels.outage`)."""

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        if self.may_send():
            await super()._send_message(socket_id, response)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        """Rasa's parts (split at blank lines); the urgent reply's carry the widget's alert
        class (:func:`clinic.handoff.alerts.widget_message`, keyed on ``utter_action``)."""
        for part in text.strip().split("\n\n"):
            await self._send_message(recipient_id, alerts.widget_message(part, kwargs))


class ClinicSocketIOInput(SocketIOInput):
    """socket.io input channel (credentials.yml: ``addons.channels.socketio.ClinicSocketIOInput:``)."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            credentials.get("session_persistence", True),
            credentials.get("socketio_path", "/socket.io"),
            credentials.get("metadata_key", "customData"),
        )

    def __init__(self, user_message_evt: Text = "user_uttered", bot_message_evt: Text = "bot_uttered",
                 namespace: Optional[Text] = None, session_persistence: bool = True,
                 socketio_path: Text = "/socket.io", metadata_key: Text = "customData", *,
                 allowed_origins: Optional[tuple] = None, rate_limit: Optional[int] = None,
                 max_chars: Optional[int] = None, redis_url: Optional[str] = None,
                 redis_channel: str = "clinic-socketio") -> None:
        super().__init__(user_message_evt, bot_message_evt, namespace, session_persistence,
                         socketio_path, metadata_key=metadata_key)
        settings = get_settings()
        self.allowed_origins = tuple(allowed_origins or settings.channels.socketio_allowed_origins)
        redis = settings.channels.rate_limit_redis_url  # shared by every Rasa process when set
        self.limiter = make_limiter(rate_limit or settings.channels.socketio_rate_limit, redis_url=redis,
                                    namespace="socketio")
        self.max_chars = max_chars or settings.max_message_chars
        self.redis_url = settings.channels.socketio_redis_url if redis_url is None else redis_url
        self.redis_channel = redis_channel
        self.ids = ConversationIds(conversation_key(settings), "web")
        self.new_conversations = make_limiter(NEW_CONVERSATIONS_PER_HOUR, 3600.0, redis_url=redis,
                                             namespace="new-conversations")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        manager = AsyncRedisManager(self.redis_url, channel=self.redis_channel) if self.redis_url else None
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=list(self.allowed_origins),
                          client_manager=manager)
        hook = _AppAwareBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio  # used by get_output_channel (staff replies, output_channel=latest)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            if not web.origin_allowed(environ.get("HTTP_ORIGIN"), self.allowed_origins):
                logger.warning("socketio: connection refused: origin not allowed")
                return False
            request = environ.get("sanic.request")
            address = client_address(getattr(request, "ip", None) or environ.get("REMOTE_ADDR"),
                                     environ.get("HTTP_X_FORWARDED_FOR"),
                                     get_settings().channels.channel_trusted_proxies)
            await sio.save_session(sid, {"address": address}, namespace=self.namespace)
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text, reason: Any = None) -> None:
            logger.debug("socketio: %s disconnected", sid)

        async def say(sid: Text, message: str) -> None:
            # straight to this socket (it is connected here), not through the Redis queue
            await sio.emit(self.bot_message_evt, {"text": message}, room=sid,
                           namespace=self.namespace, ignore_queue=True)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session = await sio.get_session(sid, namespace=self.namespace)
            conversation_id = self.ids.verify(requested)
            if conversation_id is None:
                if not self.new_conversations.allow(session.get("address", "unknown")):
                    logger.info("socketio: too many new conversations from one address; refused")
                    await say(sid, channel_text("channel_slow_down"))
                    return
                conversation_id, token = self.ids.issue()
            else:
                token = str(requested)  # verified: the token it was issued with
            session["session_id"] = conversation_id
            await sio.save_session(sid, session, namespace=self.namespace)
            if self.session_persistence:
                await sio.enter_room(sid, conversation_id, namespace=self.namespace)
            # the browser keeps the signed token; the room and the tracker use the id
            await sio.emit("session_confirm", token, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                return
            session = await sio.get_session(sid, namespace=self.namespace)
            sender_id = session.get("session_id") if self.session_persistence else sid
            if not sender_id:
                logger.warning("socketio: message before session_request; ignored")
                return
            text = data["message"]
            if len(text) > self.max_chars:
                await say(sid, channel_text("channel_too_long"))
                return
            if not is_valid_text(text):  # a lone surrogate ("\ud800") cannot be stored
                await say(sid, channel_text("channel_unsupported"))
                return
            if not self.limiter.allow(sender_id):
                logger.info("socketio: rate limit reached for a session")
                await say(sid, channel_text("channel_slow_down"))
                return
            if address_retry_after(session.get("address")):  # many sessions from one address
                await say(sid, channel_text("channel_slow_down"))
                return
            metadata = web.clean_metadata(data.get(self.metadata_key))
            message = UserMessage(text, _CountingOutput(sio, self.bot_message_evt), sender_id,
                                  input_channel=self.name(), metadata=metadata)
            await run_turn(on_new_message, message, getattr(hook.ctx, "app", None), "socketio",
                           apologise=lambda text: say(sid, text))

        return hook
