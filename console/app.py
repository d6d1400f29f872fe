"""Starlette app: the try-it page, its chat endpoint and the staff console.

The browser never talks to Rasa directly: it posts to ``/chat`` here
(:func:`console.site.chat_endpoint`), which validates the message, gives the visitor a
signed conversation id of its own and forwards it to the Rasa REST channel on the
private interface. The staff console (:mod:`console.staff`) is mounted under ``/console``.
"""
from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import AsyncIterator, Optional

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from clinic.settings import Settings, get_settings
from console.photos import mount as mount_aftercare
from console.security import SecurityHeadersMiddleware
from console.site import chat_endpoint, site_routes
from console.staff import Console

logger = logging.getLogger(__name__)
STATIC = Path(__file__).with_name("static")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def create_app(settings: Optional[Settings] = None, client: Optional[httpx.AsyncClient] = None,
               console: Optional[Console] = None) -> Starlette:
    """Build the web app; ``client`` and ``console`` are injectable for tests.

    Every response gets ``nosniff``, ``X-Frame-Options: DENY`` and no referrer
    (:class:`console.security.SecurityHeadersMiddleware`). The client's address
    (``request.client``: login back-off, per-address limits) is the connection's peer;
    ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed only from the proxies in
    ``CONSOLE_TRUSTED_PROXIES`` (uvicorn's own ProxyHeadersMiddleware, which
    ``python -m console`` switches off in the server).
    """
    settings = settings or get_settings()
    rasa = client or httpx.AsyncClient(base_url=settings.rasa_url, timeout=30.0)
    console = console or Console(settings)
    mount_aftercare(console)  # /console/api/aftercare: treatments, check-ins, photos (console/photos.py)

    async def index(_: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers=SECURITY_HEADERS)

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
            Route("/chat", chat_endpoint(settings, rasa), methods=["POST"]),
            Route("/health", health),
            Mount("/console", app=console.app),
            *site_routes(settings),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        lifespan=lifespan,
        middleware=[
            Middleware(SecurityHeadersMiddleware),
            *([Middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.console_trusted_proxies))]
              if settings.console_trusted_proxies else []),
        ],
    )
