"""The demo clinic web page with the chat widget, and the try-it page's ``/chat``.

``chat_endpoint()`` is the try-it page's chat (mounted by :mod:`console.app`): each
visitor's conversation id (``rest-<32 hex>``) is made here and given to the browser
signed (:mod:`clinic.channels.ids`, header ``X-Chat-Sender``); a request whose
``sender`` is not such a token starts a new conversation (at most
``NEW_CONVERSATIONS_PER_HOUR`` per client address). It forwards only the message to the
Rasa REST channel with the API token, refuses posts from other sites' pages (403) and
text that is not valid Unicode (400).

The demo page (rasa-webchat 1.0.1 from npm):

``site_routes()`` gives the Starlette routes; the web app mounts them. The page is
served at ``/clinic``; the widget connects straight to Rasa's socket.io channel
(``WIDGET_SOCKET_URL``, default the Rasa URL), whose origin check must list this
page's origin (``SOCKETIO_ALLOWED_ORIGINS``, default http://127.0.0.1:8000 and
http://localhost:8000). The widget's script is served from ``node_modules`` (installed
by ``npm ci``), never committed. It is served without its ``@import`` of Google Fonts
(:func:`webchat_source`): the page asks no third party for anything (the CSP would block
it: 11 CSP errors and failed font requests per load) and uses the system's fonts.
The widget's colours, title, avatar and how long a stored conversation lasts come from
the ``widget:`` block of ``clinic.yml`` (:mod:`console.widget_config`); ``/favicon.ico``
and ``/favicon.svg`` are the clinic's icon.
"""
from __future__ import annotations

import html
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Awaitable, Callable, List, Optional
from urllib.parse import urlsplit

import httpx
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from clinic.channels.ids import REST, ConversationIds, conversation_key
from clinic.channels.web import origin_allowed
from clinic.chat_input import InvalidRequest, parse_chat_body
from clinic.facts import load_facts
from clinic.ratelimit import make_limiter
from clinic.settings import PROJECT_ROOT, Settings, get_settings
from console.widget_config import widget_settings

STATIC = Path(__file__).with_name("static") / "site"
WEBCHAT_JS = PROJECT_ROOT / "node_modules" / "rasa-webchat" / "lib" / "index.js"
BIDI_JS = Path(__file__).with_name("static") / "bidi.js"  # right-to-left helpers, shared with the console
FAVICON = Path(__file__).with_name("static") / "favicon.svg"
# the widget's stylesheets each start with this (in a JS string); dropped when served
FONT_IMPORT = re.compile(r"@import url\((?:https?:)?//fonts\.(?:googleapis|gstatic)\.com/[^)\"']*\);?")
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MAX_CHAT_BODY_BYTES = 256 * 1024
NEW_CONVERSATIONS_PER_HOUR = 30  # per client address and process
SENDER_HEADER = "X-Chat-Sender"
logger = logging.getLogger(__name__)


def same_site(request: Request, allowed: tuple) -> bool:
    """False for a browser post from another site's page (``Origin`` or ``Sec-Fetch-Site``)."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"
    return origin is None or origin_allowed(origin, (own, *allowed))


def chat_endpoint(settings: Settings, rasa: httpx.AsyncClient) -> Callable[[Request], Awaitable[Response]]:
    """``POST /chat``: ``{"sender": <token from X-Chat-Sender, or anything to start>, "message": str}``."""
    ids = ConversationIds(conversation_key(settings), REST)
    new_conversations = make_limiter(NEW_CONVERSATIONS_PER_HOUR, 3600.0, namespace="new-conversations",
                                     redis_url=settings.channels.rate_limit_redis_url)
    allowed = tuple(settings.channels.socketio_allowed_origins)
    auth = {"Authorization": f"Bearer {settings.rasa_auth_token}"}

    async def chat(request: Request) -> Response:
        if not same_site(request, allowed):
            logger.warning("chat: a post from another site's page was refused")
            return JSONResponse({"error": "Posts from other sites are not accepted."}, status_code=403)
        body = await request.body()
        if len(body) > MAX_CHAT_BODY_BYTES:
            return JSONResponse({"error": "The request is too large."}, status_code=413)
        try:
            token, message, _ = parse_chat_body(body, settings.max_message_chars)  # refuses lone surrogates
        except InvalidRequest as error:
            return JSONResponse({"error": str(error)}, status_code=error.status)
        conversation_id = ids.verify(token)
        if conversation_id is None:
            client = request.client.host if request.client else "unknown"
            if not new_conversations.allow(client):
                return JSONResponse({"error": "Too many new conversations; please try again later."},
                                    status_code=429, headers={"Retry-After": "3600"})
            conversation_id, token = ids.issue()
        try:
            reply = await rasa.post("/webhooks/rest/webhook", headers=auth,
                                    json={"sender": conversation_id, "message": message})
        except httpx.HTTPError as error:
            logger.warning("chat: assistant unreachable (%s)", type(error).__name__)
            return JSONResponse(
                {"error": "The assistant is not reachable; please try again shortly."},
                status_code=503,
            )
        if reply.status_code != 200:
            status = 502 if reply.status_code >= 500 or reply.status_code == 401 else reply.status_code
            return JSONResponse(
                {"error": "The assistant could not answer; please try again."}, status_code=status
            )
        return JSONResponse(reply.json(), headers={SENDER_HEADER: token})

    return chat


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


def whatsapp_link(number: str) -> str:
    """``https://wa.me/<digits>`` for a phone number such as ``+971 50 000 0000``."""
    return "https://wa.me/" + re.sub(r"\D", "", number or "")


@lru_cache(maxsize=2)
def _patched(path: str, mtime_ns: int) -> bytes:
    return FONT_IMPORT.sub("", Path(path).read_text(encoding="utf-8")).encode("utf-8")


def webchat_source(path: Optional[Path] = None) -> bytes:
    """rasa-webchat's bundle without its third-party font imports (read once per version)."""
    path = path or WEBCHAT_JS
    return _patched(str(path), path.stat().st_mtime_ns)


def render_page(settings: Settings) -> str:
    """The page with the clinic's facts (from clinic.yml) and the widget's settings filled in."""
    facts = load_facts(settings.clinic_file)
    hours = "".join(
        f"<tr><th scope=\"row\">{day.capitalize()}</th>"
        f"<td>{html.escape(facts.opening_hours.get(day) or 'Closed')}</td></tr>"
        for day in WEEKDAYS
    )
    values = {
        "name": facts.name, "phone": facts.phone, "whatsapp": facts.whatsapp,
        "address": facts.address, "directions": facts.directions,
        "socket_url": settings.channels.widget_socket_url,
    }
    widget = widget_settings(facts.name, facts.extra)
    values.update(emergency=facts.emergency_number, whatsapp_link=whatsapp_link(facts.whatsapp))
    attributes = " ".join(f'data-{key}="{html.escape(value, quote=True)}"'
                          for key, value in widget.data_attributes().items())
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    for key, value in values.items():
        page = page.replace("{{" + key + "}}", html.escape(value, quote=True))
    return page.replace("{{hours}}", hours).replace('data-widget=""', attributes)


def site_routes(settings: Optional[Settings] = None) -> List[BaseRoute]:
    """Routes of the demo page: ``/clinic``, ``/clinic/webchat.js``, ``/clinic/bidi.js``,
    ``/clinic/static/...``, and the site's icon (``/favicon.ico``, ``/favicon.svg``)."""
    settings = settings or get_settings()
    headers = security_headers(settings.channels.widget_socket_url)

    async def page(_: Request) -> Response:
        return HTMLResponse(render_page(settings), headers=headers)

    async def webchat(_: Request) -> Response:
        if not WEBCHAT_JS.exists():
            return PlainTextResponse("The chat widget is not installed: run `npm ci` (make run does).",
                                     status_code=503)
        return Response(webchat_source(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})

    async def bidi(_: Request) -> Response:
        return FileResponse(BIDI_JS, media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})

    async def favicon(_: Request) -> Response:
        return FileResponse(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})

    return [
        Route("/favicon.ico", favicon),
        Route("/favicon.svg", favicon),
        Route("/clinic", page),
        Route("/clinic/webchat.js", webchat),
        Route("/clinic/bidi.js", bidi),
        Mount("/clinic/static", StaticFiles(directory=STATIC), name="site-static"),
    ]
