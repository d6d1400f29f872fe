"""The staff console served for the browser tests: a fake Rasa HTTP API (the few routes the
console uses, conversations in memory), a clinic database with every table the console
reads, and the web app with its console in front of both."""
from __future__ import annotations

import json
import time
from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from clinic.db import import_models, make_engine, make_session_factory
from clinic.handoff.models import Handoff
from clinic.handoff.staff import create_staff
from clinic.rasa_client import RasaClient
from clinic.settings import settings_from_env
from console.app import create_app
from console.staff import Console
from tests.browser.conftest import ServedApp, free_port

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



def console_database(tmp_path, staff: Sequence[Tuple[str, str, Optional[str]]] = (("sara", "Sara", None),)):
    """``(engine, factory)`` of a SQLite clinic database with every table the console reads
    (bookings, the aftercare panel...) and the given staff accounts (username, name, role)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    import_models()
    Handoff.metadata.create_all(engine)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        for username, name, role in staff:
            create_staff(session, username, name, PASSWORD, **({"role": role} if role else {}))
    return engine, factory


@contextmanager
def served_console(fake: FakeRasa, factory, **console_options) -> Iterator[Tuple[str, Console]]:
    """The web app and its console against ``fake``: yields the app's URL and the console."""
    with ServedApp(fake.app(), free_port()) as rasa_server:
        settings = settings_from_env({"RASA_URL": rasa_server.url, "RASA_AUTH_TOKEN": "browser-test-token"})
        console = Console(settings, session_factory=factory, rasa=RasaClient(rasa_server.url, "token"),
                          **console_options)
        app = create_app(settings, client=httpx.AsyncClient(base_url=rasa_server.url), console=console)
        with ServedApp(app, free_port()) as web:
            yield web.url, console
