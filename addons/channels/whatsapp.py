"""WhatsApp Cloud API channel: webhook at ``/webhooks/whatsapp/webhook``.

* ``GET``: the verify handshake (``hub.mode``, ``hub.verify_token``, ``hub.challenge``).
* ``POST``: ``X-Hub-Signature-256`` checked over the raw body (else 403), each message
  id claimed once in SQL (redeliveries are answered 200 and ignored), then 200 at once;
  the assistant's turn runs in a background task.

Text and button/list replies go to the assistant (a tap sends the button's payload);
images are recorded for staff (``channel_media``), fetched, checked and kept by
:mod:`clinic.aftercare.photos` and acknowledged, never read (a warning sign in the caption
goes to the assistant, whose urgent path answers); stickers,
reactions, locations and other types get a polite reply; status callbacks are ignored.
Each sender may send ``WEBHOOK_RATE_LIMIT`` messages per minute (a sliding window,
:mod:`clinic.ratelimit`: in Redis when `REDIS_URL` is set, shared by every process); messages
past that are still answered
200 (so Meta does not deliver them again) but get no turn and no reply.
Settings: ``WHATSAPP_*`` (see :mod:`clinic.channels.config`).
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Sequence, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.messaging import ChannelStore
from addons.channels.outage import CountingOutput, assess, run_turn
from addons.channels.webhook import MessagingWebhook, Refused
from clinic.aftercare.photos import NOT_RECEIVED, STORED, PhotoIntake, text as photo_text
from clinic.channels import whatsapp as wa
from clinic.channels.config import WhatsAppSettings
from clinic.channels.graph_api import GraphClient, outside_window
from clinic.channels.signature import valid_meta_signature, valid_verify_request
from clinic.channels.texts import text as channel_text
from clinic.settings import get_settings

logger = logging.getLogger(__name__)
CHANNEL = "whatsapp"


class WhatsAppOutput(CountingOutput, OutputChannel):
    """Sends the assistant's (and staff's) messages through the Graph API."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    def __init__(self, graph: GraphClient, store: ChannelStore) -> None:
        self.graph = graph
        self.store = store

    async def _deliver(self, recipient_id: Text, payload_for: Callable[[str], Dict[str, Any]], note: str) -> bool:
        if not self.may_send():  # an answer given without the conversation's history
            return False
        wa_id = recipient_id[3:] if recipient_id.startswith("wa-") else ""
        if not wa.WA_ID.match(wa_id):
            logger.warning("whatsapp: recipient is not a wa-<digits> conversation; not sent")
            return False
        if not await self.store.within_window(recipient_id):
            await self._outside_window(recipient_id, wa_id, note)
            return False
        result = await self.graph.send(payload_for(wa_id))
        if result.ok:
            return True
        if outside_window(result):
            await self._outside_window(recipient_id, wa_id, note)
        else:
            await self.store.note_undelivered(recipient_id, CHANNEL, "send_failed", note)
        return False

    async def _outside_window(self, recipient_id: str, wa_id: str, note: str) -> None:
        settings = self.graph.settings
        logger.info("whatsapp: outside the 24-hour window, %s",
                    "sending the template" if settings.template_name else "leaving a note for staff")
        await self.store.note_undelivered(recipient_id, CHANNEL, "outside_window", note)
        if settings.template_name:
            await self.graph.send(wa.template_message(wa_id, settings.template_name, settings.template_language))

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._deliver(recipient_id, lambda w: wa.text_message(w, text), text)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text,
                                     buttons: List[Dict[Text, Any]], **kwargs: Any) -> None:
        await self._deliver(recipient_id, lambda w: wa.buttons_message(w, text, buttons), text)

    async def send_quick_replies(self, recipient_id: Text, text: Text,
                                 quick_replies: List[Dict[Text, Any]], **kwargs: Any) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._deliver(recipient_id, lambda w: wa.image_message(w, image), f"[image] {image}")

    async def send_elements(self, recipient_id: Text, elements: Iterable[Dict[Text, Any]], **kwargs: Any) -> None:
        for element in elements:
            title = " - ".join(str(element.get(k)) for k in ("title", "subtitle") if element.get(k))
            await self.send_text_with_buttons(recipient_id, title, element.get("buttons") or [])

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        """A raw Graph API message body (``to`` and ``messaging_product`` are filled in)."""
        def payload(wa_id: str) -> Dict[str, Any]:
            return {**json_message, "messaging_product": "whatsapp", "to": wa_id}
        await self._deliver(recipient_id, payload, "[custom message]")


def _caption_is_urgent(caption: str) -> bool:
    """The warning-sign rules on a photo's caption (the spaCy pipeline already in memory)."""
    return bool(assess(caption).urgent)


class WhatsAppInput(MessagingWebhook):
    """WhatsApp Cloud API input channel (credentials.yml: ``addons.channels.whatsapp.WhatsAppInput:``);
    the webhook POST is :meth:`MessagingWebhook.receive`, this class its WhatsApp adapter."""

    channel = CHANNEL
    not_configured = "The WhatsApp channel is not configured."

    def __init__(self, settings: Optional[WhatsAppSettings] = None, graph: Optional[GraphClient] = None,
                 store: Optional[ChannelStore] = None, max_body: Optional[int] = None,
                 max_chars: Optional[int] = None, rate_limit: Optional[int] = None,
                 photos: Optional[PhotoIntake] = None) -> None:
        self.settings = settings or get_settings().channels.whatsapp
        self.graph = graph or GraphClient(self.settings)
        self.photos = photos or PhotoIntake(lambda: self.store.factory, assess=_caption_is_urgent)
        self._set_up_pipeline(store, max_body, max_chars, rate_limit)

    def get_output_channel(self) -> Optional[OutputChannel]:
        return WhatsAppOutput(self.graph, self.store)

    async def _handle(self, inbound: wa.Inbound, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                      app: Any = None) -> None:
        output = WhatsAppOutput(self.graph, self.store)
        if inbound.kind == wa.MEDIA:
            await self._photo(inbound, output, on_new_message, app)
            return
        if inbound.kind == wa.UNSUPPORTED:
            logger.info("whatsapp: unsupported message type %r", inbound.type_name)
            await output.send_text_message(inbound.sender_id, channel_text("channel_unsupported"))
            return
        if len(inbound.text) > self.max_chars:
            await output.send_text_message(inbound.sender_id, channel_text("channel_too_long"))
            return
        message = UserMessage(inbound.text, output, inbound.sender_id, input_channel=CHANNEL,
                              metadata=inbound.metadata, message_id=inbound.message_id)
        if not await run_turn(on_new_message, message, app, CHANNEL):  # the patient got the apology
            await self.store.note_undelivered(inbound.sender_id, CHANNEL, "not_processed", inbound.text)

    async def _photo(self, inbound: wa.Inbound, output: "WhatsAppOutput",
                     on_new_message: Callable[[UserMessage], Awaitable[Any]], app: Any = None) -> None:
        """A photo: kept for staff, never read; one reply (thanks, or why to send it again).
        A warning sign in the caption is passed to the assistant first: its urgent path."""
        async def caption_turn() -> None:
            message = UserMessage(inbound.text, output, inbound.sender_id, input_channel=CHANNEL,
                                  metadata=inbound.metadata, message_id=inbound.message_id)
            await run_turn(on_new_message, message, app, CHANNEL)

        try:
            await self.store.record_media(inbound.sender_id, CHANNEL, inbound.media_ref, inbound.mime_type)
            outcome = await self.photos.receive(self.graph, inbound.sender_id, CHANNEL, inbound.message_id,
                                                inbound.media_ref, inbound.mime_type, inbound.text)
        except Exception as error:  # e.g. the database unreachable: a note, and a warning sign still answered
            logger.error("whatsapp: the photo could not be recorded: %s", type(error).__name__)
            await self.store.note_undelivered(inbound.sender_id, CHANNEL, "not_processed", "[photo not stored]")
            if await self._caption_is_urgent(inbound.text):
                await caption_turn()
            await output.send_text_message(inbound.sender_id, photo_text(NOT_RECEIVED))
            return
        if outcome.duplicate:
            return
        if outcome.urgent:
            await caption_turn()
        logger.info("whatsapp: photo %s", "kept for staff" if outcome.status == STORED else "not kept")
        await output.send_text_message(inbound.sender_id, outcome.reply)

    async def _caption_is_urgent(self, caption: str) -> bool:
        if not (caption or "").strip() or self.photos.assess is None:
            return False
        try:
            return bool(await asyncio.to_thread(self.photos.assess, caption))
        except Exception as error:  # noqa: BLE001 - logged; the photo path goes on
            logger.error("whatsapp: a photo caption could not be triaged: %s", type(error).__name__)
            return False

    def _read(self, request: Request, body: bytes) -> Sequence[wa.Inbound]:
        """``X-Hub-Signature-256`` over the raw body, then the notification's messages."""
        if not valid_meta_signature(self.settings.app_secret, body, request.headers.get("X-Hub-Signature-256")):
            raise Refused(403, "Invalid signature.", "missing or wrong signature")
        try:
            return wa.parse_notification(body, self.settings.phone_number_id)
        except wa.MalformedPayload as error:
            raise Refused(400, str(error)) from None

    def _accepted(self) -> HTTPResponse:
        return response.json({"status": "ok"})

    async def _process(self, items: List[wa.Inbound], on_new_message: Callable[[UserMessage], Awaitable[Any]],
                       app: Any = None) -> None:
        for inbound in items:  # in order: one notification may hold several messages
            try:
                await self._handle(inbound, on_new_message, app)
            except Exception as error:  # nothing lost: staff see the message in the notes
                logger.error("whatsapp: handling a message failed: %s", type(error).__name__)
                await self.store.note_undelivered(inbound.sender_id, CHANNEL, "not_processed",
                                                  inbound.text or f"[{inbound.type_name}]")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @hook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.settings.enabled else "not configured"})

        @hook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            args = request.args
            if valid_verify_request(self.settings.verify_token, args.get("hub.mode"), args.get("hub.verify_token")):
                return response.text(args.get("hub.challenge", ""))
            logger.warning("whatsapp: verify handshake refused")
            return response.json({"error": "Verification failed."}, status=403)

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.receive(request, on_new_message)

        return hook
