"""The staff console under ``/console``: log in, see the handoff queue, read the
conversation, take over, reply through the patient's channel, hand back, resolve.

What the patient is told (issue 18; texts and rules in :mod:`clinic.handoff.team`):
taking over sends "Sara (Nurse) from the clinic has joined the chat."; replies go out
as "Sara (Nurse, clinic team): ..." (only from the member of staff who took over);
handing back sends "Sara has left the chat. The virtual assistant is back ..."; resolving
needs an outcome (answered, called the patient, false alarm, no answer needed: 400
without one), is refused on another member's conversation (409), and sends that
outcome's closing message (plus the "left" line when staff had joined) before the
assistant answers again. Each in the conversation's language; on the web widget styled
apart (:func:`clinic.handoff.team.bot_event`). Queue cards carry the patient's name or
number, the last message (button titles, not payloads) and who holds the conversation.
The history (``/api/history``) lists resolved conversations newest first, 20 a page,
searched over the handoff rows and, in Rasa's tracker store, the patients' messages, names
and numbers (:mod:`clinic.handoff.history`); opening one shows its transcript read-only.
The page is pushed change notices (``/api/stream``, :mod:`console.stream`) and polls
while that stream is down. Canned replies (``/api/canned``, :mod:`clinic.handoff.canned`)
are used by all staff and edited by admins. The page alerts staff to a new urgent case (desktop notification
once allowed, a WebAudio beep) and shows the urgent reply as an alert
(:mod:`clinic.handoff.alerts`).

Mounted by :func:`console.app.create_app` in the same process as the try-it page.
Security: argon2 passwords (:mod:`clinic.handoff.staff`); server-side sessions
(:mod:`clinic.handoff.sessions`: the HttpOnly ``SameSite=Strict`` cookie limited to
``/console``, ``Secure`` in production, carries only a random id; logout, "sign out
everywhere" on ``/console/sessions`` and a password change end sessions at once; idle
and absolute expiry); a CSRF token on every POST (form field or ``X-CSRF-Token``
header; else 403), kept in the session row (before login: derived from the cookie's id
with the console secret); a login back-off per account and address or browser that
never locks the user out (:class:`console.security.LoginLimiter`, 429 + Retry-After); a
strict CSP; and patient text rendered only as text (autoescaped templates; the page
script uses ``textContent``).
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import math
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional

import jinja2
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from clinic.handoff import canned, history, live, service, sessions, team
from clinic.handoff.bookings import appointments_of
from clinic.handoff.acknowledge import Acknowledger, watch
from clinic.handoff.models import Handoff, utcnow
from clinic.handoff.staff import (StaffError, StaffMember, authenticate, check_password, first_names,
                                  get_staff, normalise_username, set_password)
from clinic.handoff.transcript import summarise
from clinic.rasa_client import RasaClient, RasaError
from clinic.settings import MIN_SECRET_LENGTH, Settings, SettingsError
from console import stream
from console.languages import ConversationLanguages
from console.security import (CONSOLE_HEADERS, CSRF_FIELD, CSRF_HEADER, LoginLimiter, csrf_token, csrf_valid,
                              device_of, device_token)

logger = logging.getLogger(__name__)
TEMPLATES = Jinja2Templates(env=jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).with_name("templates"))), autoescape=True))
MAX_BODY_BYTES = 64 * 1024
MAX_REPLY_CHARS = 4000
MAX_DB_ID = 2**31 - 1
SESSION_COOKIE = "clinic_console"
DEVICE_COOKIE = "clinic_console_device"  # "this browser signed in to this account before"
DEVICE_SECONDS = 180 * 24 * 3600
COOKIE_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass
class Visit:
    """Who is asking: the cookie's id, the member of staff if it names a live session,
    the CSRF token to expect, and a new id to set when the browser had none."""

    token: str
    member: Optional[StaffMember] = None
    session_id: Optional[int] = None
    csrf: Dict[str, str] = field(default_factory=dict)
    new_cookie: bool = False


def _iso(value) -> Optional[str]:
    return value.isoformat(timespec="seconds") + "Z" if value else None


def handoff_json(handoff: Handoff, names: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    """What the console page shows about a handoff (no message text); ``names`` maps
    usernames to first names (who holds the conversation)."""
    return {
        "assigned_name": (names or {}).get(handoff.assigned_to) if handoff.assigned_to else None,
        "id": handoff.id, "conversation_id": handoff.conversation_id, "channel": handoff.channel,
        "reason": handoff.reason, "priority": handoff.priority, "status": handoff.status,
        "assigned_to": handoff.assigned_to, "outcome": handoff.outcome,
        "created_at": _iso(handoff.created_at), "taken_at": _iso(handoff.taken_at),
        "resolved_at": _iso(handoff.resolved_at), "acknowledged": handoff.acknowledged_at is not None,
        "waiting_seconds": int((utcnow() - handoff.created_at).total_seconds()),
        # warning signs not meant: the patient said so, or staff marked a false alarm
        "stood_down": handoff.stood_down_at is not None,
        "false_alarm_by": handoff.false_alarm_by, "false_alarm_at": _iso(handoff.false_alarm_at),
    }


def outage_notes(factory: sessionmaker, conversation_id: str) -> list:
    """Warning signs this conversation sent while the assistant was down (clinic.handoff.outbox)."""
    from clinic.channels.store import undelivered_for
    from clinic.handoff.outbox import NOTE_REASON

    try:
        with factory() as session:
            return [{"text": n.text, "created_at": _iso(n.created_at)}
                    for n in undelivered_for(session, conversation_id) if n.reason == NOTE_REASON]
    except SQLAlchemyError as error:  # the rest of the page still loads
        logger.warning("console: outage notes unavailable (%s)", type(error).__name__)
        return []


def checkin_unanswered(factory: sessionmaker) -> set:
    """Conversations whose day-1 check-in, sent over 24 hours ago, has had no answer (the
    flag the aftercare panel shows, clinic.aftercare.overview), for the queue's cards; none
    when the aftercare tables cannot be read (the queue still loads)."""
    from clinic.aftercare.overview import unanswered_day_one

    try:
        with factory() as session:
            return {row["conversation_id"] for row in unanswered_day_one(session)}
    except SQLAlchemyError as error:
        logger.warning("console: unanswered check-ins unavailable for the queue (%s)", type(error).__name__)
        return set()


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def sign(member: StaffMember, text: str, language: Optional[str] = None) -> str:
    """A staff reply as the patient sees it: first name and role first (clinic.handoff.team)."""
    return team.sign(member.first_name, member.role, text, language)


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=CONSOLE_HEADERS)


class Console:
    """The console sub-application plus its background acknowledgement watcher."""

    def __init__(self, settings: Settings, session_factory: Optional[sessionmaker] = None,
                 rasa: Optional[RasaClient] = None, limiter: Optional[LoginLimiter] = None,
                 acknowledger: Optional[Acknowledger] = None, watch_interval: float = 1.0,
                 live_interval: float = 0.5, hub: Optional[live.Hub] = None,
                 tracker_engine: Optional[Engine] = None) -> None:
        secret = settings.console_secret_key
        if len(secret) < MIN_SECRET_LENGTH:
            if settings.is_production:
                raise SettingsError(f"CONSOLE_SECRET_KEY must be at least {MIN_SECRET_LENGTH} random characters")
            secret = secrets.token_urlsafe(32)  # development: sessions end with the process
        self._factory = session_factory
        self._tracker_engine = tracker_engine
        self._tracker_url = settings.tracker_database_url
        self._secret = secret
        self._secure = settings.is_production
        self.rasa = rasa or RasaClient(settings.rasa_url, settings.rasa_auth_token)
        self.limiter = limiter or LoginLimiter()
        self._acknowledger = acknowledger
        self.watch_interval = watch_interval
        self.languages = ConversationLanguages(self.rasa.get_tracker)
        self._task: Optional[asyncio.Task] = None
        # push to the page (server-sent events): clinic.handoff.live, console/stream.py
        self.hub = hub or live.Hub()
        self.watcher = live.Watcher(lambda: self.factory, live.rasa_marks(self.rasa.get_tracker), self.hub,
                                    interval=live_interval, on_change=self.languages.forget)
        self._live_task: Optional[asyncio.Task] = None
        self._closing = asyncio.Event()
        self.app = Starlette(routes=self._routes())

    @property
    def factory(self) -> sessionmaker:
        if self._factory is None:
            from clinic.db import default_session_factory

            self._factory = default_session_factory()
        return self._factory

    @property
    def tracker_engine(self) -> Optional[Engine]:
        """Rasa's tracker store (read-only here: the History search over messages), or None
        while its SQLite file does not exist (never created by a search)."""
        if self._tracker_engine is None:
            from sqlalchemy.engine import make_url

            from clinic.db import make_engine

            url = make_url(self._tracker_url)
            if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).is_file()):
                return None
            self._tracker_engine = make_engine(self._tracker_url)
        return self._tracker_engine

    async def start(self) -> None:
        """Start the watcher that acknowledges patients writing while they wait."""
        try:
            with self.factory.begin() as session:
                sessions.purge_expired(session)
        except SQLAlchemyError as error:  # e.g. not migrated yet: say so, serve anyway
            logger.warning("console: expired sessions not purged (%s)", type(error).__name__)
        acknowledger = self._acknowledger or Acknowledger(self.factory, self.rasa)
        self._task = asyncio.create_task(watch(acknowledger, self.watch_interval))
        self._closing = asyncio.Event()
        self._live_task = asyncio.create_task(self.watcher.run())

    async def stop(self) -> None:
        self._closing.set()
        self.hub.publish({"type": "bye"})  # open streams end
        for task in (self._task, self._live_task):
            if task:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self.rasa.aclose()

    # -- sessions ------------------------------------------------------------------
    def _visit(self, request: Request) -> Visit:
        """The request's :class:`Visit`, read once per request."""
        visit = getattr(request.state, "console_visit", None)
        if visit is not None:
            return visit
        token = request.cookies.get(SESSION_COOKIE) or ""
        visit = Visit(token)
        if COOKIE_ID.match(token):
            with self.factory.begin() as session:
                row = sessions.find_session(session, token)
                if row is not None:
                    visit.member = get_staff(session, row.username)
                    if visit.member is None:  # account switched off: the session ends
                        sessions.end_session(session, token)
                    else:
                        visit.session_id, visit.csrf = row.id, {"csrf": row.csrf_token}
        else:
            visit = Visit(sessions.new_token(), new_cookie=True)
        if visit.member is None:  # before login: a CSRF token tied to the cookie's id
            visit.csrf = {"csrf": self._login_csrf(visit.token)}
        request.state.console_visit = visit
        return visit

    @staticmethod
    async def _csrf_ok(request: Request, visit: Visit) -> bool:
        """The CSRF token of a form post (field) or a script's post (header) is the visit's."""
        form: Mapping[str, Any]
        try:
            form = await request.form()
        except Exception:  # malformed body or encoding: no token in it
            form = {}
        return csrf_valid(visit.csrf, form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER))

    def _login_csrf(self, token: str) -> str:
        return hmac.new(self._secret.encode(), f"login-csrf:{token}".encode(), hashlib.sha256).hexdigest()

    def _staff(self, request: Request) -> Optional[StaffMember]:
        return self._visit(request).member

    def _set_cookie(self, response: Response, name: str, value: str, path: str = "/console",
                    max_age: Optional[int] = None) -> None:
        response.set_cookie(name, value, max_age=max_age, path=path, httponly=True, samesite="strict",
                            secure=self._secure)

    def _finish(self, request: Request, response: Response) -> Response:
        visit = self._visit(request)
        if visit.new_cookie:
            self._set_cookie(response, SESSION_COOKIE, visit.token)
        return response

    @staticmethod
    def _address(request: Request) -> str:
        """The client's address: the peer, or what a trusted proxy forwarded (console/app.py)."""
        return (request.client.host if request.client and request.client.host else "?")[:64]

    @staticmethod
    def _prefix(request: Request) -> str:
        return request.scope.get("root_path", "").rstrip("/")

    def _page(self, request: Request, name: str, status: int = 200, headers: Optional[Dict[str, str]] = None,
              **context: Any) -> Response:
        context.update(csrf=csrf_token(self._visit(request).csrf), prefix=self._prefix(request))
        response = TEMPLATES.TemplateResponse(request, name, context, status_code=status,
                                              headers={**CONSOLE_HEADERS, **(headers or {})})
        return self._finish(request, response)

    def _signed_out(self, request: Request, to: str = "/login") -> Response:
        response = RedirectResponse(f"{self._prefix(request)}{to}", status_code=303, headers=CONSOLE_HEADERS)
        response.delete_cookie(SESSION_COOKIE, path="/console", httponly=True, samesite="strict",
                               secure=self._secure)
        return response

    # -- pages ---------------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        member = self._staff(request)
        if member is None:
            return RedirectResponse(f"{self._prefix(request)}/login", status_code=303)
        return self._page(request, "console.html", staff=member, outcomes=team.OUTCOMES,
                          staff_label=team.label(member.first_name, member.role))

    async def login_page(self, request: Request) -> Response:
        if self._staff(request):
            return RedirectResponse(f"{self._prefix(request)}/", status_code=303)
        return self._page(request, "login.html")

    async def login(self, request: Request) -> Response:
        visit = self._visit(request)
        try:
            form = await request.form()
        except Exception:  # malformed body or encoding
            return self._page(request, "login.html", 400, error="The form could not be read.")
        if not csrf_valid(visit.csrf, form.get(CSRF_FIELD)):
            return self._page(request, "login.html", 403, error="The form expired; please try again.")
        username = normalise_username(str(form.get("username") or ""))[:64]
        password = str(form.get("password") or "")
        address = self._address(request)
        # a browser that signed in to this account before is counted apart from its
        # address, so others' failures from a shared address never slow it down
        device = device_of(self._secret, username, request.cookies.get(DEVICE_COOKIE))
        client = f"device:{device}" if device else f"ip:{address}"
        wait = self.limiter.retry_after(username, client)
        if wait > 0:
            seconds = math.ceil(wait)
            when = (f"{seconds} second{'s' if seconds > 1 else ''}" if seconds < 120
                    else f"{math.ceil(seconds / 60)} minutes")
            return self._page(request, "login.html", 429, headers={"Retry-After": str(seconds)},
                              username=username,
                              error=f"Too many failed attempts. Please wait {when} and try again.")
        delay = self.limiter.delay(username)
        if delay:
            await self.limiter.sleep(delay)
        member = await run_in_threadpool(self._authenticate, username, password)
        if member is None:
            self.limiter.failed(username, client)
            logger.info("console: failed login")
            return self._page(request, "login.html", 401, username=username,
                              error="Wrong username or password.")
        self.limiter.succeeded(username, client)
        with self.factory.begin() as session:
            sessions.end_session(session, visit.token)  # a fresh id (and CSRF token) after login
            token, _ = sessions.start_session(session, member.username, address,
                                              request.headers.get("user-agent", ""))
        response = RedirectResponse(f"{self._prefix(request)}/", status_code=303, headers=CONSOLE_HEADERS)
        self._set_cookie(response, SESSION_COOKIE, token)
        self._set_cookie(response, DEVICE_COOKIE, device_token(self._secret, member.username, device),
                         path=f"{self._prefix(request)}/login", max_age=DEVICE_SECONDS)
        return response

    def _authenticate(self, username: str, password: str) -> Optional[StaffMember]:
        with self.factory.begin() as session:
            return authenticate(session, username, password)

    async def logout(self, request: Request) -> Response:
        visit = self._visit(request)
        if not await self._csrf_ok(request, visit):
            return _error("Missing or wrong CSRF token.", 403)
        with self.factory.begin() as session:
            sessions.end_session(session, visit.token)
        return self._signed_out(request)

    async def sessions_page(self, request: Request) -> Response:
        member = self._staff(request)
        if member is None:
            return RedirectResponse(f"{self._prefix(request)}/login", status_code=303)
        return self._sessions_page(request, member)

    def _sessions_page(self, request: Request, member: StaffMember, status: int = 200,
                       error: Optional[str] = None) -> Response:
        current = self._visit(request).session_id
        with self.factory() as session:
            rows = [{"id": row.id, "current": row.id == current, "address": row.address,
                     "browser": row.user_agent, "signed_in": _when(row.created_at),
                     "last_seen": _when(row.last_seen_at)} for row in sessions.sessions_of(session, member.username)]
        return self._page(request, "sessions.html", status, staff=member, sessions=rows, error=error)

    async def change_password(self, request: Request) -> Response:
        """``/password``: the current password and the new one twice; every other session
        of the member ends (:func:`clinic.handoff.staff.set_password`), this browser gets a
        new one."""
        visit = self._visit(request)
        if visit.member is None:
            return RedirectResponse(f"{self._prefix(request)}/login", status_code=303)
        member = visit.member
        try:
            form = await request.form()
        except Exception:
            return self._sessions_page(request, member, 400, "The form could not be read.")
        if not csrf_valid(visit.csrf, form.get(CSRF_FIELD)):
            return _error("Missing or wrong CSRF token.", 403)
        current, new = str(form.get("current_password") or ""), str(form.get("new_password") or "")
        if new != str(form.get("new_password_again") or ""):
            return self._sessions_page(request, member, 400, "The new passwords differ.")
        try:
            check_password(new)
        except StaffError as error:
            return self._sessions_page(request, member, 400, str(error))
        client = f"session:{visit.session_id}"
        wait = self.limiter.retry_after(member.username, client)
        if wait > 0:
            return self._sessions_page(request, member, 429, "Too many wrong passwords; please wait and try again.")
        if await run_in_threadpool(self._authenticate, member.username, current) is None:
            self.limiter.failed(member.username, client)
            return self._sessions_page(request, member, 401, "The current password is wrong.")
        self.limiter.succeeded(member.username, client)
        with self.factory.begin() as session:
            set_password(session, member.username, new)
            token, _ = sessions.start_session(session, member.username, self._address(request),
                                              request.headers.get("user-agent", ""))
        logger.info("console: a member of staff changed their password")
        response = RedirectResponse(f"{self._prefix(request)}/sessions", status_code=303, headers=CONSOLE_HEADERS)
        self._set_cookie(response, SESSION_COOKIE, token)
        return response

    async def end_sessions(self, request: Request) -> Response:
        """"Sign out everywhere" (``/sessions/end-all``) or one session (``/sessions/{id}/end``)."""
        visit = self._visit(request)
        if visit.member is None:
            return RedirectResponse(f"{self._prefix(request)}/login", status_code=303)
        if not await self._csrf_ok(request, visit):
            return _error("Missing or wrong CSRF token.", 403)
        one = request.path_params.get("session_id")
        with self.factory.begin() as session:
            if one is None:
                sessions.end_all_sessions(session, visit.member.username)
                ended = True
            else:
                ended = one <= MAX_DB_ID and sessions.end_session_of(session, visit.member.username, one)
        if one is None or one == visit.session_id:
            return self._signed_out(request)
        if not ended:
            return self._sessions_page(request, visit.member, 404, "That session has already ended.")
        return RedirectResponse(f"{self._prefix(request)}/sessions", status_code=303, headers=CONSOLE_HEADERS)

    # -- JSON API ------------------------------------------------------------------
    def api(self, post: bool = False) -> Callable:
        """Wrap an API handler: login required (401), CSRF on POST (403), clear errors."""
        def wrap(handler: Callable[..., Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
            async def endpoint(request: Request) -> Response:
                visit = self._visit(request)
                member = visit.member
                if member is None:
                    return _error("Please log in.", 401)
                if post and not csrf_valid(visit.csrf, request.headers.get(CSRF_HEADER)):
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
                finally:
                    if post:  # other consoles hear of the change now, not at the next look
                        self.watcher.poke()
            return endpoint
        return wrap

    async def live_stream(self, request: Request) -> Response:
        """``/api/stream``: server-sent change notices (console/stream.py); 401 without a
        live session, 429 beyond the streams allowed per session."""
        visit = self._visit(request)
        if visit.member is None:
            return _error("Please log in.", 401)
        token = visit.token

        async def alive() -> bool:
            def check() -> bool:
                with self.factory.begin() as session:
                    row = sessions.find_session(session, token)
                    return row is not None and get_staff(session, row.username) is not None
            try:
                return await run_in_threadpool(check)
            except SQLAlchemyError:  # the database is down: keep the stream, check again later
                return True

        try:
            chunks = await stream.events(self.hub, visit.session_id, alive, closing=self._closing)
        except live.TooManyStreams as error:
            return _error(str(error), 429)
        return stream.stream_response(chunks, CONSOLE_HEADERS)

    # -- canned replies (clinic.handoff.canned): staff use them, admins edit them -------
    async def canned_list(self, request: Request, member: StaffMember) -> Response:
        """``/api/canned?language=en|ar``: every canned reply, that language's first."""
        with self.factory() as session:
            replies = [canned.as_json(r) for r in canned.list_replies(session, request.query_params.get("language"))]
        return JSONResponse({"replies": replies, "can_edit": member.is_admin}, headers=CONSOLE_HEADERS)

    async def canned_save(self, request: Request, member: StaffMember) -> Response:
        """Create (``POST /api/canned``), change (``/api/canned/{id}``) or delete
        (``/api/canned/{id}/delete``) a canned reply: admins only (403)."""
        if not member.is_admin:
            return _error("Only an admin may change the canned replies.", 403)
        reply_id = request.path_params.get("reply_id")
        if reply_id is not None and reply_id > MAX_DB_ID:
            return _error("That canned reply no longer exists.", 404)
        try:
            deleting = reply_id is not None and request.url.path.endswith("/delete")  # /api/canned/{id}/delete
            values = {} if deleting else await self._json_body(request)
            with self.factory.begin() as session:
                if deleting and reply_id is not None:
                    canned.delete(session, reply_id)
                    return JSONResponse({"deleted": reply_id}, headers=CONSOLE_HEADERS)
                if reply_id is None:
                    reply = canned.create(session, member.username, values)
                else:
                    reply = canned.update(session, reply_id, member.username, values)
                body = canned.as_json(reply)
        except canned.CannedError as error:
            return _error(str(error), error.status)
        logger.info("console: a canned reply was saved by an admin")
        return JSONResponse({"reply": body}, headers=CONSOLE_HEADERS)

    async def queue(self, request: Request, member: StaffMember) -> Response:
        with self.factory.begin() as session:
            rows = service.queue(session)
            names = first_names(session, (h.assigned_to for h in rows))
            items = [handoff_json(h, names) for h in rows]
        flagged = checkin_unanswered(self.factory) if items else set()
        for item in items:
            item["checkin_unanswered"] = item["conversation_id"] in flagged
        await self._add_cards(items)
        return JSONResponse({"handoffs": items, "me": member.username}, headers=CONSOLE_HEADERS)

    async def _add_cards(self, items: list) -> None:
        """Language "en"/"ar", patient name/number, last message (None: Rasa unreadable)."""
        cards = await self.languages.cards(item["conversation_id"] for item in items)
        for item in items:
            card = cards.get(item["conversation_id"]) or {}
            for key in ("language", "name", "phone", "last_message", "last_message_at"):
                item[key] = card.get(key)

    async def history_api(self, request: Request, member: StaffMember) -> Response:
        """``/api/history?q=...&page=N``: resolved conversations, newest first, 20 a page,
        searched by :func:`clinic.handoff.history.resolved_page`; each with the patient's
        name or number, language and last message when Rasa can say (as on queue cards)."""
        params = request.query_params
        engine = self.tracker_engine if (params.get("q") or "").strip() else None
        with self.factory() as session:
            found = await run_in_threadpool(history.resolved_page, session, params.get("q"), params.get("page"),
                                            tracker_engine=engine)
            names = first_names(session, (h.assigned_to for h in found.items))
            items = [handoff_json(h, names) for h in found.items]
        await self._add_cards(items)
        return JSONResponse({"handoffs": items, "page": found.page, "pages": found.pages, "total": found.total,
                             "q": found.query, "per_page": found.per_page, "me": member.username,
                             # False: the tracker store could not be read, only the handoff rows were searched
                             "searched_messages": found.searched_messages or engine is None},
                            headers=CONSOLE_HEADERS)

    async def detail(self, request: Request, member: StaffMember) -> Response:
        with self.factory.begin() as session:
            row = service.get_handoff(session, request.path_params["handoff_id"])
            handoff = handoff_json(row, first_names(session, [row.assigned_to]))
        with self.factory() as session:
            appointments = appointments_of(session, handoff["conversation_id"])
        notes = outage_notes(self.factory, handoff["conversation_id"])
        body: Dict[str, Any] = {"handoff": handoff, "me": member.username, "appointments": appointments,
                                "outage_notes": notes}
        try:
            tracker = await self.rasa.get_tracker(handoff["conversation_id"])
            body["conversation"] = summarise(tracker)
            body["conversation"]["language"] = self.languages.remember(handoff["conversation_id"], tracker)
        except RasaError as error:
            body["conversation_error"] = f"The conversation could not be loaded: {error}"
        return JSONResponse(body, headers=CONSOLE_HEADERS)

    async def _language(self, conversation_id: str) -> Optional[str]:
        """The conversation's language (``en``/``ar``), read from its tracker now."""
        return self.languages.remember(conversation_id, await self.rasa.get_tracker(conversation_id))

    async def _say(self, conversation_id: str, channel: str, member: StaffMember, handoff_id: int,
                   text: str, kind: str) -> None:
        """Deliver a staff message or a system line through the patient's own channel
        (styled apart in the web widget: clinic.handoff.team.bot_event)."""
        event = team.bot_event(text, kind, channel, {"staff": member.username, "handoff_id": handoff_id})
        await self.rasa.append_events(conversation_id, [event])

    async def take(self, request: Request, member: StaffMember) -> Response:
        """Take over: the bot pauses (an urgent one too) and the patient is told who joined."""
        handoff_id = request.path_params["handoff_id"]
        with self.factory.begin() as session:
            handoff = service.require_open(session, handoff_id)
            was_waiting = handoff.status == service.WAITING
            stays_on, conversation_id, channel = (service.bot_stays_on(handoff.reason), handoff.conversation_id,
                                                  handoff.channel)
        if stays_on:  # a warning sign or "not understood" did not pause the bot; a person taking over does
            await self.rasa.pause(conversation_id)
        with self.factory.begin() as session:
            taken = handoff_json(service.take_over(session, handoff_id, member.username),
                                 {member.username: member.first_name})
        body: Dict[str, Any] = {"handoff": taken}
        if was_waiting:
            try:
                line = team.joined_line(member.first_name, member.role, await self._language(conversation_id))
                await self._say(conversation_id, channel, member, handoff_id, line, "system")
            except RasaError as error:  # taken over all the same; staff know the patient was not told
                body["warning"] = f"Taken over, but the patient was not told you joined: {error}"
        return JSONResponse(body, headers=CONSOLE_HEADERS)

    async def false_alarm(self, request: Request, member: StaffMember) -> Response:
        """Mark an urgent handoff a false alarm (it stays open, at normal priority)."""
        with self.factory.begin() as session:
            handoff = handoff_json(service.mark_false_alarm(session, request.path_params["handoff_id"],
                                                            member.username))
        return JSONResponse({"handoff": handoff}, headers=CONSOLE_HEADERS)

    @staticmethod
    async def _json_body(request: Request) -> Dict[str, Any]:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            raise service.InvalidHandoff("The request is too long.")
        try:
            data = json.loads(body.decode("utf-8")) if body.strip() else {}
        except (ValueError, UnicodeDecodeError):
            raise service.InvalidHandoff("Send JSON.") from None
        if not isinstance(data, dict):
            raise service.InvalidHandoff("Send a JSON object.")
        return data

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
            handoff = service.reply(session, handoff_id, member.username, text)  # only the one who took over
            conversation_id, channel = handoff.conversation_id, handoff.channel
        language = await self._language(conversation_id)
        await self._say(conversation_id, channel, member, handoff_id, sign(member, text, language), "staff")
        return JSONResponse({"delivered": True}, headers=CONSOLE_HEADERS)

    async def hand_back(self, request: Request, member: StaffMember) -> Response:
        """The assistant answers again; the patient is told staff left and the assistant is back."""
        handoff_id = request.path_params["handoff_id"]
        with self.factory.begin() as session:
            handoff = service.require_assigned(session, handoff_id, member.username)
            conversation_id, channel = handoff.conversation_id, handoff.channel
        line = team.left_line(member.first_name, await self._language(conversation_id))
        await self._say(conversation_id, channel, member, handoff_id, line, "system")
        await self.rasa.resume(conversation_id)
        with self.factory.begin() as session:
            handed_back = handoff_json(service.hand_back(session, handoff_id, member.username),
                                       {member.username: member.first_name})
        return JSONResponse({"handoff": handed_back}, headers=CONSOLE_HEADERS)

    async def resolve(self, request: Request, member: StaffMember) -> Response:
        """``{"outcome": "answered" | "called_patient" | "false_alarm" | "no_answer_needed"}``:
        the patient gets the outcome's closing message (and, if staff had joined, that they
        left), the assistant answers again, the handoff closes."""
        handoff_id = request.path_params["handoff_id"]
        asked = (await self._json_body(request)).get("outcome")
        try:
            outcome = team.check_outcome(asked)
        except team.TeamError as error:
            return _error(str(error), 400)
        with self.factory.begin() as session:
            handoff = service.require_resolvable(session, handoff_id, member.username)
            conversation_id, channel = handoff.conversation_id, handoff.channel
            was_active = handoff.status == service.ACTIVE
        language = await self._language(conversation_id)
        for kind, line in team.resolve_messages(outcome, member.first_name, was_active, language):
            await self._say(conversation_id, channel, member, handoff_id, line, kind)
        await self.rasa.resume(conversation_id)  # never leave a patient talking to nobody
        with self.factory.begin() as session:
            resolved = handoff_json(service.resolve(session, handoff_id, member.username, outcome),
                                    {member.username: member.first_name})
        return JSONResponse({"handoff": resolved}, headers=CONSOLE_HEADERS)

    def _routes(self):
        one = "/api/handoffs/{handoff_id:int}"
        return [
            Route("/", self.index),
            Route("/login", self.login_page, methods=["GET"]),
            Route("/login", self.login, methods=["POST"]),
            Route("/logout", self.logout, methods=["POST"]),
            Route("/sessions", self.sessions_page, methods=["GET"]),
            Route("/sessions/end-all", self.end_sessions, methods=["POST"]),
            Route("/password", self.change_password, methods=["POST"]),
            Route("/sessions/{session_id:int}/end", self.end_sessions, methods=["POST"]),
            Route("/api/queue", self.api()(self.queue)),
            Route("/api/stream", self.live_stream),
            Route("/api/history", self.api()(self.history_api)),
            Route("/api/canned", self.api()(self.canned_list), methods=["GET"]),
            Route("/api/canned", self.api(post=True)(self.canned_save), methods=["POST"]),
            Route("/api/canned/{reply_id:int}", self.api(post=True)(self.canned_save), methods=["POST"]),
            Route("/api/canned/{reply_id:int}/delete", self.api(post=True)(self.canned_save), methods=["POST"]),
            Route(one, self.api()(self.detail)),
            Route(f"{one}/take", self.api(post=True)(self.take), methods=["POST"]),
            Route(f"{one}/reply", self.api(post=True)(self.reply), methods=["POST"]),
            Route(f"{one}/hand-back", self.api(post=True)(self.hand_back), methods=["POST"]),
            Route(f"{one}/false-alarm", self.api(post=True)(self.false_alarm), methods=["POST"]),
            Route(f"{one}/resolve", self.api(post=True)(self.resolve), methods=["POST"]),
        ]
