"""The demo page's widget against a small fake socket.io server (Rasa's socket.io channel,
no model needed), shared by the widget's browser tests (the ``site`` fixture)."""
from __future__ import annotations

import asyncio
from contextlib import contextmanager
from typing import Dict, Iterator, List, Tuple

from playwright.sync_api import expect

from clinic.db import import_models, make_engine, make_session_factory
from clinic.handoff.models import Handoff
from clinic.settings import settings_from_env
from console.app import create_app
from console.staff import Console
from tests.browser.conftest import ServedApp, free_port

GREETING = ("Hello! I'm the clinic's virtual assistant. Call us on +971 4 000 0000, "
            "WhatsApp +971 50 000 0000, or in an emergency 998.")
PRICE = "A session costs AED 950."
TIMEOUT = 10_000


class FakeSocket:
    """rasa-webchat's side of Rasa's socket.io channel: session_request -> session_confirm,
    user_uttered -> bot_uttered (the greeting with two quick replies for /greet and
    "hello", the price for /faq_prices, else an echo)."""

    def __init__(self, web_origin: str) -> None:
        import socketio

        self.sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins=[web_origin])
        self.app = socketio.ASGIApp(self.sio, socketio_path="socket.io")
        self.loop = None
        self.received: List[str] = []
        self.sessions: Dict[str, str] = {}
        sio = self.sio

        @sio.on("session_request")
        async def session_request(sid, data):
            self.loop = asyncio.get_running_loop()
            session = (data or {}).get("session_id") or f"web-{sid}"
            self.sessions[sid] = session
            await sio.emit("session_confirm", session, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid, data):
            message = (data or {}).get("message", "")
            self.received.append(message)
            if message in ("/greet", "hello"):
                await sio.emit("bot_uttered", {"text": GREETING, "quick_replies": [
                    {"content_type": "text", "title": "Prices", "payload": "/faq_prices"},
                    {"content_type": "text", "title": "Talk to a person", "payload": "/human_handoff"}]}, room=sid)
            elif message == "/faq_prices":
                await sio.emit("bot_uttered", {"text": PRICE}, room=sid)
            else:
                await sio.emit("bot_uttered", {"text": f"You wrote: {message}"}, room=sid)

    def push(self, payload: dict) -> None:
        """What Rasa emits for a staff message or system line (clinic.handoff.team)."""
        asyncio.run_coroutine_threadsafe(self.sio.emit("bot_uttered", payload), self.loop).result(5)



def open_widget(page):
    page.click(".rw-launcher", timeout=TIMEOUT)
    expect(page.locator(".rw-response").first).to_be_visible(timeout=TIMEOUT)


@contextmanager
def served_site(tmp_path) -> Iterator[Tuple[str, str, FakeSocket]]:
    """The web app (the demo page /clinic, its widget, the console) and a fake socket.io
    server: ``(url, socket_url, fake)``."""
    web_port, socket_port = free_port(), free_port()
    web_url, socket_url = f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{socket_port}"
    fake = FakeSocket(web_url)
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    import_models()
    Handoff.metadata.create_all(engine)  # every table the console reads (bookings, aftercare panel...)
    settings = settings_from_env({"WIDGET_SOCKET_URL": socket_url, "RASA_URL": "http://127.0.0.1:9"})
    console = Console(settings, session_factory=make_session_factory(engine), watch_interval=5.0)
    try:
        with ServedApp(fake.app, socket_port, ws="websockets"), \
                ServedApp(create_app(settings, console=console), web_port) as web:
            yield web.url, socket_url, fake
    finally:
        engine.dispose()
