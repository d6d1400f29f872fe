"""Starlette app: the try-it page, its chat endpoint and the staff console.

The browser never talks to Rasa directly: it posts to ``/chat`` here, which validates
the message and forwards it to the Rasa REST channel on the private interface. The
staff console (:mod:`console.staff`) is mounted under ``/console``.
"""
from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import AsyncIterator, Optional

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from clinic.chat_input import InvalidRequest, parse_chat_body
from clinic.settings import Settings, get_settings
from console.site import site_routes
from console.staff import Console

logger = logging.getLogger(__name__)
STATIC = Path(__file__).with_name("static")
MAX_BODY_BYTES = 256 * 1024
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def create_app(settings: Optional[Settings] = None, client: Optional[httpx.AsyncClient] = None,
               console: Optional[Console] = None) -> Starlette:
    """Build the web app; ``client`` and ``console`` are injectable for tests."""
    settings = settings or get_settings()
    rasa = client or httpx.AsyncClient(base_url=settings.rasa_url, timeout=30.0)
    console = console or Console(settings)

    async def index(_: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers=SECURITY_HEADERS)

    async def chat(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return JSONResponse({"error": "The request is too large."}, status_code=413)
        try:
            sender, message, _ = parse_chat_body(body, settings.max_message_chars)
        except InvalidRequest as error:
            return JSONResponse({"error": str(error)}, status_code=error.status)
        try:
            reply = await rasa.post(
                "/webhooks/rest/webhook", json={"sender": sender, "message": message}
            )
        except httpx.HTTPError as error:
            logger.warning("chat: assistant unreachable (%s)", type(error).__name__)
            return JSONResponse(
                {"error": "The assistant is not reachable; please try again shortly."},
                status_code=503,
            )
        if reply.status_code != 200:
            status = 502 if reply.status_code >= 500 else reply.status_code
            return JSONResponse(
                {"error": "The assistant could not answer; please try again."}, status_code=status
            )
        return JSONResponse(reply.json(), headers=SECURITY_HEADERS)

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await console.start()
        try:
            yield
        finally:
            await console.stop()
            await rasa.aclose()

    return Starlette(
        routes=[
            Route("/", index),
            Route("/chat", chat, methods=["POST"]),
            Route("/health", health),
            Mount("/console", app=console.app),
            *site_routes(settings),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        lifespan=lifespan,
    )
