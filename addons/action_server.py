"""The action server: rasa-sdk's app, locked down.

rasa-sdk 3.6 binds 0.0.0.0, has no authentication and its error handler echoes the
whole tracker back. This runner binds to the configured host (127.0.0.1 by default),
refuses calls without ``Authorization: Bearer $ACTION_SERVER_TOKEN`` (``/health``
stays open for probes), and answers errors without echoing anything.

Run with ``python -m addons.action_server``.
"""
from __future__ import annotations

import hmac
import logging
from typing import Optional

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic.settings import Settings, get_settings

logger = logging.getLogger(__name__)
OPEN_PATHS = {"/health"}


def token_is_valid(header: Optional[str], token: str) -> bool:
    """Constant-time check of an ``Authorization: Bearer <token>`` header."""
    if not token or not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer "):].encode(), token.encode())


def build_app(settings: Settings, actions_package: str = "actions") -> Sanic:
    """The rasa-sdk app with token authentication and a non-echoing error handler."""
    app = create_app(actions_package, cors_origins=[])

    @app.on_request
    async def require_token(request: Request) -> Optional[HTTPResponse]:
        if request.path in OPEN_PATHS:
            return None
        if not token_is_valid(request.headers.get("Authorization"), settings.action_server_token):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    async def safe_error(request: Request, exception: Exception) -> HTTPResponse:
        status = getattr(exception, "status_code", 500) or 500
        if status >= 500:
            logger.error("action server error: %s", type(exception).__name__, exc_info=exception)
        return response.json({"error": "action failed" if status >= 500 else "bad request"}, status=status)

    app.error_handler.add(Exception, safe_error)
    return app


def main() -> None:
    settings = get_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not settings.action_server_token:
        raise SystemExit("ACTION_SERVER_TOKEN is not set: run `make run` or see README.")
    app = build_app(settings)
    app.run(
        host=settings.action_server_host,
        port=settings.action_server_port,
        access_log=False,
        workers=1,
        motd=False,
    )


if __name__ == "__main__":
    main()
