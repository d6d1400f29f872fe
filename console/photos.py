"""The staff console's aftercare API (issue 16 items 4 and 7), under ``/console/api/aftercare``.

* ``GET conversations/{conversation_id}``: the patient's treatments, the check-ins and
  reminders with their answers, the opt-in, a flag for a day-1 check-in left unanswered for
  24 hours, and the conversation's photos (status, staff note, caption, urgent flag)
  (:func:`clinic.aftercare.overview.conversation_overview`);
* ``GET photos/{id}``: the image bytes, only to signed-in staff, ``Cache-Control: no-store``,
  the type found in the file's first bytes, ``nosniff`` and the console's strict CSP;
* ``GET unanswered``: every conversation with an unanswered day-1 check-in;
* ``POST photos/{id}/retry``: fetch a photo that failed to arrive again (CSRF token needed).

Same authentication as the rest of the staff API (:meth:`console.staff.Console.api`: 401
without a session, 403 on a POST without the CSRF token). The page side is
``console/static/aftercare.js``. Added to the console's routes by :func:`mount`, called
from :func:`console.app.create_app`.
"""
from __future__ import annotations

import logging
import re
from typing import Any, List, Optional

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from clinic.aftercare import photos as ph
from clinic.aftercare.overview import conversation_overview, unanswered_day_one
from console.security import CONSOLE_HEADERS

logger = logging.getLogger(__name__)
PREFIX = "/api/aftercare"
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:+-]{0,254}$")
MAX_DB_ID = 2**31 - 1
IMAGE_HEADERS = {**CONSOLE_HEADERS, "Cache-Control": "no-store, private", "Pragma": "no-cache"}


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status,
                        headers={**CONSOLE_HEADERS, "Cache-Control": "no-store"})


def _json(body: Any) -> JSONResponse:
    return JSONResponse(body, headers={**CONSOLE_HEADERS, "Cache-Control": "no-store"})


class AftercareAPI:
    """Handlers over the console's database and login (``console``: a :class:`console.staff.Console`)."""

    def __init__(self, console: Any, photo_settings: Optional[ph.PhotoSettings] = None, graph: Any = None) -> None:
        self.console = console
        self._photo_settings = photo_settings
        self._graph = graph

    @property
    def photo_settings(self) -> ph.PhotoSettings:
        return self._photo_settings or ph.photo_settings()

    @property
    def graph(self) -> Any:
        if self._graph is None:
            from clinic.channels.graph_api import GraphClient
            from clinic.settings import get_settings

            self._graph = GraphClient(get_settings().channels.whatsapp)
        return self._graph

    @staticmethod
    def _url(request: Request, photo_id: int) -> str:
        return f"{request.scope.get('root_path', '').rstrip('/')}{PREFIX}/photos/{photo_id}"

    async def conversation(self, request: Request, member: Any) -> Response:
        conversation_id = request.path_params["conversation_id"]
        if not CONVERSATION_ID.match(conversation_id):
            return _error("That is not a conversation id.", 400)
        try:
            with self.console.factory() as session:
                body = conversation_overview(session, conversation_id, photo_url=lambda i: self._url(request, i))
        except SQLAlchemyError as error:
            logger.warning("console: aftercare panel unavailable (%s)", type(error).__name__)
            return _error("The aftercare records could not be read; try again shortly.", 503)
        return _json(body)

    async def unanswered(self, request: Request, member: Any) -> Response:
        try:
            with self.console.factory() as session:
                return _json({"unanswered_day1": unanswered_day_one(session)})
        except SQLAlchemyError as error:
            logger.warning("console: unanswered check-ins unavailable (%s)", type(error).__name__)
            return _error("The check-ins could not be read; try again shortly.", 503)

    async def image(self, request: Request, member: Any) -> Response:
        photo_id = request.path_params["photo_id"]
        if photo_id > MAX_DB_ID:
            return _error("No such photo.", 404)
        try:
            with self.console.factory() as session:
                found = ph.photo_file(session, self.photo_settings, photo_id)
        except SQLAlchemyError as error:
            logger.warning("console: photo unavailable (%s)", type(error).__name__)
            return _error("The photo could not be read; try again shortly.", 503)
        if found is None:
            return _error("No such photo (not received, or erased).", 404)
        path, mime = found
        logger.info("console: a member of staff opened a photo")
        return FileResponse(path, media_type=mime, headers={
            **IMAGE_HEADERS, "Content-Disposition": f'inline; filename="photo-{photo_id}.{ph.ALLOWED[mime]}"'})

    async def retry(self, request: Request, member: Any) -> Response:
        photo_id = request.path_params["photo_id"]
        if photo_id > MAX_DB_ID:
            return _error("No such photo.", 404)
        try:
            view = await ph.refetch(self.console.factory, self.graph, self.photo_settings, photo_id)
        except LookupError as error:
            return _error(str(error), 404)
        except ValueError as error:
            return _error(str(error), 409)
        except (SQLAlchemyError, OSError) as error:
            logger.warning("console: photo not fetched again (%s)", type(error).__name__)
            return _error("The photo could not be fetched again; try later.", 503)
        item = view.as_json()
        item["url"] = self._url(request, view.id) if view.status == ph.STORED else None
        return _json({"photo": item})

    def routes(self) -> List[Route]:
        api = self.console.api
        return [
            Route(f"{PREFIX}/unanswered", api()(self.unanswered)),
            Route(f"{PREFIX}/conversations/{{conversation_id}}", api()(self.conversation)),
            Route(f"{PREFIX}/photos/{{photo_id:int}}", api()(self.image)),
            Route(f"{PREFIX}/photos/{{photo_id:int}}/retry", api(post=True)(self.retry), methods=["POST"]),
        ]


def mount(console: Any, photo_settings: Optional[ph.PhotoSettings] = None, graph: Any = None) -> AftercareAPI:
    """Add the aftercare routes to the console's app (once per console)."""
    existing = getattr(console, "aftercare_api", None)
    if existing is not None:
        return existing
    api = AftercareAPI(console, photo_settings, graph)
    console.app.router.routes.extend(api.routes())
    console.aftercare_api = api
    return api
