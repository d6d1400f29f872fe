"""The staff console served for the browser tests: a fake Rasa HTTP API (the few routes the
console uses, conversations in memory), a clinic database with every table the console
reads, and the web app with its console in front of both."""
from __future__ import annotations

import io
import json
import time
from contextlib import contextmanager
from datetime import timedelta
from typing import Dict, Iterator, List, Mapping, NamedTuple, Optional, Sequence, Tuple

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from clinic.db import import_models, make_engine, make_session_factory
from clinic.handoff import service
from clinic.handoff.models import Handoff
from clinic.handoff.staff import create_staff
from clinic.rasa_client import RasaClient
from clinic.settings import settings_from_env
from console.app import create_app
from console.staff import Console
from tests.browser.conftest import ServedApp, free_port
from tests.conftest import staff_hashed_once

PASSWORD = "browser test password"
SCRIPT = "<script>document.title='hacked'</script><img src=x onerror=\"document.title='hacked'\">"
WAITING = "Thanks, we have your message: someone from our team will reply here."
BILINGUAL = ("Sorry, call +971 4 000 0000 (10:00-20:00).\n"
             "عذرًا، اتصل على +971 4 000 0000 من 10:00-20:00.")


class FakeRasa:
    """The few Rasa API routes the console uses, conversations kept in memory."""

    def __init__(self) -> None:
        self.events: Dict[str, List[dict]] = {}

    def say(self, conversation: str, text: str, intent: str = "faq") -> None:
        self.events.setdefault(conversation, []).append({
            "event": "user", "text": text, "timestamp": time.time(),
            "parse_data": {"intent": {"name": intent, "confidence": 0.9}}})

    def app(self) -> Starlette:
        async def tracker(request: Request):
            events = self.events.setdefault(request.path_params["cid"], [])
            paused = False
            for event in events:
                paused = {"pause": True, "resume": False}.get(event.get("event"), paused)
            return JSONResponse({"sender_id": request.path_params["cid"], "events": events,
                                 "slots": {"booking_date": None, "name": "Amal"}, "paused": paused})

        async def append(request: Request):
            new = json.loads(await request.body())
            for event in new:
                event.setdefault("timestamp", time.time())
            self.events.setdefault(request.path_params["cid"], []).extend(new)
            return JSONResponse({})

        async def domain(_: Request):
            return JSONResponse({"responses": {"utter_handoff_waiting": [{"text": WAITING}]}})

        async def webhook(request: Request):  # the try-it page's /chat forwards here
            message = json.loads(await request.body())
            self.say(message["sender"], message["message"])
            return JSONResponse([{"recipient_id": message["sender"], "text": BILINGUAL},
                                 {"recipient_id": message["sender"], "text": "اختر موضوعًا:",
                                  "buttons": [{"title": "الأسعار", "payload": "كم تكلفة العلاج؟"},
                                              {"title": "التحدث مع شخص", "payload": "/human_handoff"}]}])

        return Starlette(routes=[
            Route("/webhooks/rest/webhook", webhook, methods=["POST"]),
            Route("/conversations/{cid}/tracker", tracker),
            Route("/conversations/{cid}/tracker/events", append, methods=["POST"]),
            Route("/domain", domain),
        ])



def console_database(tmp_path, staff: Sequence[Tuple[str, str, Optional[str]]] = (("sara", "Sara", None),),
                     admins: Sequence[str] = ()):
    """``(engine, factory)`` of a SQLite clinic database with every table the console reads
    (bookings, the aftercare panel...) and the given staff accounts (username, name, role);
    ``admins`` may edit the canned replies."""
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    import_models()
    Handoff.metadata.create_all(engine)
    factory = make_session_factory(engine)
    with staff_hashed_once(), factory.begin() as session:
        for username, name, role in staff:
            create_staff(session, username, name, PASSWORD, is_admin=username in admins,
                         **({"role": role} if role else {}))
    return engine, factory


@contextmanager
def served_console(fake: FakeRasa, factory, env: Optional[Mapping[str, str]] = None, port: Optional[int] = None,
                   **console_options) -> Iterator[Tuple[str, Console]]:
    """The web app and its console against ``fake``: yields the app's URL and the console.
    ``env``: more settings (e.g. ``WIDGET_SOCKET_URL`` for the widget on /clinic); ``port``:
    the web app's (a free one by default)."""
    with ServedApp(fake.app(), free_port()) as rasa_server:
        settings = settings_from_env({"RASA_URL": rasa_server.url, "RASA_AUTH_TOKEN": "browser-test-token",
                                      **(env or {})})
        console = Console(settings, session_factory=factory, rasa=RasaClient(rasa_server.url, "token"),
                          **console_options)
        app = create_app(settings, client=httpx.AsyncClient(base_url=rasa_server.url), console=console)
        with ServedApp(app, port or free_port()) as web:
            yield web.url, console



class Stack(NamedTuple):
    url: str
    fake: FakeRasa
    factory: object
    console: Console


@contextmanager
def console_stack(tmp_path) -> Iterator[Stack]:
    """The console every console browser test starts from (the ``stack`` fixture): a fake
    Rasa with no conversation yet, Sara (a nurse) and Omar, live updates every 0.5 s."""
    engine, factory = console_database(tmp_path, staff=(("sara", "Sara", "nurse"), ("omar", "Omar", None)))
    fake = FakeRasa()
    try:
        with served_console(fake, factory, watch_interval=0.5) as (url, console):
            yield Stack(url, fake, factory, console)
    finally:
        engine.dispose()


def open_handoff(factory, conversation_id: str, channel: str = "whatsapp", priority: str = "normal") -> int:
    """A conversation waiting in the queue (urgent: asked for by a warning sign); its id."""
    with factory.begin() as session:
        return service.open_handoff(session, conversation_id=conversation_id, channel=channel,
                                    reason="urgent" if priority == "urgent" else "asked", priority=priority).id

def log_in(page, url: str, username: str = "sara") -> None:
    """Sign in on the console's login page and wait for the queue's first card."""
    page.goto(f"{url}/console/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#queue button")


def watch_errors(page) -> List[str]:
    """The page's script errors and console errors, as they happen."""
    errors: List[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


def png(width: int = 320, height: int = 200) -> bytes:
    """A small PNG, as a patient's photo of a treated cheek."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (236, 200, 190))
    ImageDraw.Draw(image).ellipse((110, 60, 210, 140), fill=(214, 120, 120))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def aftercare_record(factory, conversation_id: str, caption: str) -> int:
    """A treatment four days ago with its day-1 check-in sent three days ago and unanswered,
    a stored photo (``caption``; opens a handoff) and one refused as too large; the stored
    photo's id. PHOTO_DIR must be set (monkeypatch)."""
    from clinic.aftercare import photos as ph
    from tests.aftercare_records import add_practitioner
    from tests.aftercare_records import aftercare_record as record

    add_practitioner(factory)
    return record(factory, conversation_id, treated_days_ago=4, sent={1: timedelta(days=3)}, caption=caption,
                  photo=ph.Fetched(png(), "image/png", "0" * 64),
                  failure=ph.PhotoProblem("refused", "too_large", "The photo is 20.0 MB, over the "
                                                                  "16.0 MB limit; not downloaded.")).photo
