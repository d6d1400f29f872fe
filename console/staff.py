"""The staff console under ``/console``: log in, see the handoff queue, read the
conversation, take over, reply through the patient's channel, hand back, resolve.

Mounted by :func:`console.app.create_app` in the same process as the try-it page.
Security: argon2 passwords (:mod:`clinic.handoff.staff`), signed HttpOnly
``SameSite=Strict`` session cookies limited to ``/console`` (``Secure`` in production),
a CSRF token on every POST (form field or ``X-CSRF-Token`` header; else 403), a
login rate limit (429), a strict CSP, and patient text rendered only as text
(autoescaped templates; the page script uses ``textContent``).
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional

import jinja2
from sqlalchemy.orm import sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from clinic.handoff import service
from clinic.handoff.bookings import appointments_of
from clinic.handoff.acknowledge import Acknowledger, watch
from clinic.handoff.models import Handoff, utcnow
from clinic.handoff.staff import StaffMember, authenticate, get_staff, normalise_username
from clinic.handoff.transcript import summarise
from clinic.rasa_client import RasaClient, RasaError
from clinic.settings import MIN_SECRET_LENGTH, Settings, SettingsError
from console.security import CONSOLE_HEADERS, CSRF_FIELD, CSRF_HEADER, LoginLimiter, csrf_token, csrf_valid

logger = logging.getLogger(__name__)
TEMPLATES = Jinja2Templates(env=jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).with_name("templates"))), autoescape=True))
MAX_BODY_BYTES = 64 * 1024
MAX_REPLY_CHARS = 4000
MAX_DB_ID = 2**31 - 1
SESSION_SECONDS = 8 * 3600


def _iso(value) -> Optional[str]:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def handoff_json(handoff: Handoff) -> Dict[str, Any]:
    """What the console page shows about a handoff (no message text)."""
    return {
        "id": handoff.id, "conversation_id": handoff.conversation_id, "channel": handoff.channel,
        "reason": handoff.reason, "priority": handoff.priority, "status": handoff.status,
        "assigned_to": handoff.assigned_to, "outcome": handoff.outcome,
        "created_at": _iso(handoff.created_at), "taken_at": _iso(handoff.taken_at),
        "resolved_at": _iso(handoff.resolved_at), "acknowledged": handoff.acknowledged_at is not None,
        "waiting_seconds": int((utcnow() - handoff.created_at).total_seconds()),
    }


def sign(first_name: str, text: str) -> str:
    """A staff reply as the patient sees it: the staff member's first name first."""
    return f"{first_name} (clinic team): {text.strip()}"


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=CONSOLE_HEADERS)


class Console:
    """The console sub-application plus its background acknowledgement watcher."""

    def __init__(self, settings: Settings, session_factory: Optional[sessionmaker] = None,
                 rasa: Optional[RasaClient] = None, limiter: Optional[LoginLimiter] = None,
                 acknowledger: Optional[Acknowledger] = None, watch_interval: float = 1.0) -> None:
        secret = settings.console_secret_key
        if len(secret) < MIN_SECRET_LENGTH:
            if settings.is_production:
                raise SettingsError(f"CONSOLE_SECRET_KEY must be at least {MIN_SECRET_LENGTH} random characters")
            secret = secrets.token_urlsafe(32)  # development: sessions end with the process
        self._factory = session_factory
        self.rasa = rasa or RasaClient(settings.rasa_url, settings.rasa_auth_token)
        self.limiter = limiter or LoginLimiter()
        self._acknowledger = acknowledger
        self.watch_interval = watch_interval
        self._task: Optional[asyncio.Task] = None
        self.app = Starlette(routes=self._routes(), middleware=[Middleware(
            SessionMiddleware, secret_key=secret, session_cookie="clinic_console", max_age=SESSION_SECONDS,
            path="/console", same_site="strict", https_only=settings.is_production)])

    @property
    def factory(self) -> sessionmaker:
        if self._factory is None:
            from clinic.db import default_session_factory

            self._factory = default_session_factory()
        return self._factory

    async def start(self) -> None:
        """Start the watcher that acknowledges patients writing while they wait."""
        acknowledger = self._acknowledger or Acknowledger(self.factory, self.rasa)
        self._task = asyncio.create_task(watch(acknowledger, self.watch_interval))

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.rasa.aclose()

    # -- helpers -------------------------------------------------------------------
    def _staff(self, request: Request) -> Optional[StaffMember]:
        username = request.session.get("staff")
        if not isinstance(username, str):
            return None
        with self.factory.begin() as session:
            member = get_staff(session, username)
        if member is None:
            request.session.clear()
        return member

    @staticmethod
    def _prefix(request: Request) -> str:
        return request.scope.get("root_path", "").rstrip("/")

    def _page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        context.update(csrf=csrf_token(request.session), prefix=self._prefix(request))
        return TEMPLATES.TemplateResponse(request, name, context, status_code=status, headers=CONSOLE_HEADERS)

    # -- pages ---------------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        member = self._staff(request)
        if member is None:
            return RedirectResponse(f"{self._prefix(request)}/login", status_code=303)
        return self._page(request, "console.html", staff=member)

    async def login_page(self, request: Request) -> Response:
        if self._staff(request):
            return RedirectResponse(f"{self._prefix(request)}/", status_code=303)
        return self._page(request, "login.html")

    async def login(self, request: Request) -> Response:
        try:
            form = await request.form()
        except Exception:  # malformed body or encoding
            return self._page(request, "login.html", 400, error="The form could not be read.")
        if not csrf_valid(request.session, form.get(CSRF_FIELD)):
            return self._page(request, "login.html", 403, error="The form expired; please try again.")
        username = normalise_username(str(form.get("username") or ""))[:64]
        password = str(form.get("password") or "")
        ip = request.client.host if request.client else "?"
        if self.limiter.blocked(username, ip):
            return self._page(request, "login.html", 429, username=username,
                              error="Too many failed attempts. Please wait 15 minutes and try again.")
        with self.factory.begin() as session:
            member = authenticate(session, username, password)
        if member is None:
            self.limiter.failed(username, ip)
            logger.info("console: failed login")
            return self._page(request, "login.html", 401, username=username,
                              error="Wrong username or password.")
        self.limiter.succeeded(username, ip)
        request.session.clear()  # a fresh session (and CSRF token) after login
        request.session["staff"] = member.username
        csrf_token(request.session)
        return RedirectResponse(f"{self._prefix(request)}/", status_code=303)

    async def logout(self, request: Request) -> Response:
        try:
            form = await request.form()
        except Exception:
            form = {}
        if not csrf_valid(request.session, form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)):
            return _error("Missing or wrong CSRF token.", 403)
        request.session.clear()
        return RedirectResponse(f"{self._prefix(request)}/login", status_code=303)

    # -- JSON API ------------------------------------------------------------------
    def api(self, post: bool = False) -> Callable:
        """Wrap an API handler: login required (401), CSRF on POST (403), clear errors."""
        def wrap(handler: Callable[..., Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
            async def endpoint(request: Request) -> Response:
                member = self._staff(request)
                if member is None:
                    return _error("Please log in.", 401)
                if post and not csrf_valid(request.session, request.headers.get(CSRF_HEADER)):
                    return _error("Missing or wrong CSRF token.", 403)
                handoff_id = request.path_params.get("handoff_id")
                if handoff_id is not None and handoff_id > MAX_DB_ID:
                    return _error("This conversation no longer exists (it may have been erased).", 404)
                try:
                    return await handler(request, member)
                except service.HandoffError as error:
                    return _error(str(error), error.status)
                except RasaError as error:
                    return _error(f"Not done: {error}", 502)
            return endpoint
        return wrap

    async def queue(self, request: Request, member: StaffMember) -> Response:
        with self.factory.begin() as session:
            items = [handoff_json(h) for h in service.queue(session)]
        return JSONResponse({"handoffs": items, "me": member.username}, headers=CONSOLE_HEADERS)

    async def detail(self, request: Request, member: StaffMember) -> Response:
        with self.factory.begin() as session:
            handoff = handoff_json(service.get_handoff(session, request.path_params["handoff_id"]))
        with self.factory() as session:
            appointments = appointments_of(session, handoff["conversation_id"])
        body: Dict[str, Any] = {"handoff": handoff, "me": member.username, "appointments": appointments}
        try:
            body["conversation"] = summarise(await self.rasa.get_tracker(handoff["conversation_id"]))
        except RasaError as error:
            body["conversation_error"] = f"The conversation could not be loaded: {error}"
        return JSONResponse(body, headers=CONSOLE_HEADERS)

    async def take(self, request: Request, member: StaffMember) -> Response:
        with self.factory.begin() as session:
            handoff = handoff_json(service.take_over(session, request.path_params["handoff_id"], member.username))
        return JSONResponse({"handoff": handoff}, headers=CONSOLE_HEADERS)

    async def reply(self, request: Request, member: StaffMember) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return _error("The reply is too long.", 413)
        try:
            text = json.loads(body.decode("utf-8")).get("text")
        except (ValueError, UnicodeDecodeError, AttributeError):
            return _error("Send JSON like {\"text\": \"...\"}.", 400)
        if not isinstance(text, str) or not text.strip():
            return _error("The reply is empty.", 400)
        if len(text) > MAX_REPLY_CHARS:
            return _error(f"Replies are at most {MAX_REPLY_CHARS} characters.", 413)
        handoff_id = request.path_params["handoff_id"]
        with self.factory.begin() as session:
            conversation_id = service.reply(session, handoff_id, member.username, text).conversation_id
        await self.rasa.send_bot_message(conversation_id, sign(member.first_name, text),
                                         {"staff": member.username, "handoff_id": handoff_id})
        return JSONResponse({"delivered": True}, headers=CONSOLE_HEADERS)

    async def hand_back(self, request: Request, member: StaffMember) -> Response:
        handoff_id = request.path_params["handoff_id"]
        with self.factory.begin() as session:
            conversation_id = service.require_assigned(session, handoff_id, member.username).conversation_id
        await self.rasa.resume(conversation_id)
        with self.factory.begin() as session:
            handoff = handoff_json(service.hand_back(session, handoff_id, member.username))
        return JSONResponse({"handoff": handoff}, headers=CONSOLE_HEADERS)

    async def resolve(self, request: Request, member: StaffMember) -> Response:
        handoff_id = request.path_params["handoff_id"]
        with self.factory.begin() as session:
            conversation_id = service.require_open(session, handoff_id).conversation_id
        await self.rasa.resume(conversation_id)  # never leave a patient talking to nobody
        with self.factory.begin() as session:
            handoff = handoff_json(service.resolve(session, handoff_id, member.username))
        return JSONResponse({"handoff": handoff}, headers=CONSOLE_HEADERS)

    def _routes(self):
        one = "/api/handoffs/{handoff_id:int}"
        return [
            Route("/", self.index),
            Route("/login", self.login_page, methods=["GET"]),
            Route("/login", self.login, methods=["POST"]),
            Route("/logout", self.logout, methods=["POST"]),
            Route("/api/queue", self.api()(self.queue)),
            Route(one, self.api()(self.detail)),
            Route(f"{one}/take", self.api(post=True)(self.take), methods=["POST"]),
            Route(f"{one}/reply", self.api(post=True)(self.reply), methods=["POST"]),
            Route(f"{one}/hand-back", self.api(post=True)(self.hand_back), methods=["POST"]),
            Route(f"{one}/resolve", self.api(post=True)(self.resolve), methods=["POST"]),
        ]
