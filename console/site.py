"""The demo clinic web page with the chat widget (rasa-webchat 1.0.1 from npm).

``site_routes()`` gives the Starlette routes; the web app mounts them. The page is
served at ``/clinic``; the widget connects straight to Rasa's socket.io channel
(``WIDGET_SOCKET_URL``, default the Rasa URL), whose origin check must list this
page's origin (``SOCKETIO_ALLOWED_ORIGINS``, default http://127.0.0.1:8000 and
http://localhost:8000). The widget's script is served from ``node_modules`` (installed
by ``npm ci``), never committed.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import List, Optional
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from clinic.facts import load_facts
from clinic.settings import PROJECT_ROOT, Settings, get_settings

STATIC = Path(__file__).with_name("static") / "site"
WEBCHAT_JS = PROJECT_ROOT / "node_modules" / "rasa-webchat" / "lib" / "index.js"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _socket_origins(url: str) -> str:
    parts = urlsplit(url)
    ws = "wss" if parts.scheme == "https" else "ws"
    return f"{parts.scheme}://{parts.netloc} {ws}://{parts.netloc}"


def security_headers(socket_url: str) -> dict:
    """CSP for the page: our own scripts, the socket to Rasa, the widget's inline styles."""
    return {
        "Content-Security-Policy": (
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; font-src 'self' data:; connect-src 'self' {_socket_origins(socket_url)}; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def render_page(settings: Settings) -> str:
    """The page with the clinic's facts (from clinic.yml) and the widget's settings filled in."""
    facts = load_facts(settings.clinic_file)
    hours = "".join(
        f"<tr><th scope=\"row\">{day.capitalize()}</th><td>{html.escape(facts.opening_hours.get(day) or 'Closed')}</td></tr>"
        for day in WEEKDAYS
    )
    values = {
        "name": facts.name, "phone": facts.phone, "whatsapp": facts.whatsapp,
        "address": facts.address, "directions": facts.directions,
        "socket_url": settings.channels.widget_socket_url,
    }
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    for key, value in values.items():
        page = page.replace("{{" + key + "}}", html.escape(value, quote=True))
    return page.replace("{{hours}}", hours)


def site_routes(settings: Optional[Settings] = None) -> List[BaseRoute]:
    """Routes of the demo page: ``/clinic``, ``/clinic/webchat.js``, ``/clinic/static/...``."""
    settings = settings or get_settings()
    headers = security_headers(settings.channels.widget_socket_url)

    async def page(_: Request) -> Response:
        return HTMLResponse(render_page(settings), headers=headers)

    async def webchat(_: Request) -> Response:
        if not WEBCHAT_JS.exists():
            return PlainTextResponse("The chat widget is not installed: run `npm ci` (make run does).",
                                     status_code=503)
        return FileResponse(WEBCHAT_JS, media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})

    return [
        Route("/clinic", page),
        Route("/clinic/webchat.js", webchat),
        Mount("/clinic/static", StaticFiles(directory=STATIC), name="site-static"),
    ]
