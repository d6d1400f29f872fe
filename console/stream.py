"""``GET /console/api/stream``: the console's server-sent-events stream (issue 18).

The page (console/static/console.js) opens it with ``EventSource``; each notice from
:mod:`clinic.handoff.live` arrives as an SSE event (``queue``, ``conversation`` with a
handoff id, ``resync``), and the page then fetches the queue or the open conversation
through the ordinary API. While the stream is down the page polls as before.

Authentication is the rest of the staff API's: the session cookie (HttpOnly,
``SameSite=Strict``, path ``/console``) must name a live session (else 401); it is a GET
that changes nothing, so like ``/api/queue`` it needs no CSRF token (a token in the URL
would end up in access logs). The session is checked again every ``recheck`` seconds
while the stream is open; when it has ended (sign-out, "sign out everywhere", expiry)
the stream sends ``signed-out`` and closes. At most :attr:`clinic.handoff.live.Hub.per_key`
streams per session and :attr:`~clinic.handoff.live.Hub.total` in the process (429
beyond). Nothing personal is logged or sent: notices carry handoff ids only.
"""
from __future__ import annotations

import asyncio
import json
import time
from typing import AsyncIterator, Awaitable, Callable, Dict, Optional

from starlette.responses import Response, StreamingResponse

from clinic.handoff.live import Hub, Notice, TooManyStreams

KEEPALIVE_S = 15.0
RECHECK_S = 2.0  # a session that ended (expiry, sign-out elsewhere) is noticed this fast
RETRY_MS = 2000
READY_WAIT_S = 5.0  # "ready" waits for the watcher's first look at most this long
STREAM_HEADERS = {"X-Accel-Buffering": "no"}  # a reverse proxy must not buffer the stream


def sse(event: str, data: Dict) -> str:
    """One SSE event (``data`` is JSON on one line)."""
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def encode(notice: Notice) -> str:
    kind = str(notice.get("type") or "resync")
    return sse(kind, {k: v for k, v in notice.items() if k != "type"})


async def events(hub: Hub, key, alive: Callable[[], Awaitable[bool]], keepalive: float = KEEPALIVE_S,
                 recheck: float = RECHECK_S, closing: Optional[asyncio.Event] = None) -> AsyncIterator[str]:
    """The stream's text: ``retry``, ``ready``, then notices and keep-alive comments,
    ``signed-out`` when the session ends. ``ready`` comes once the watcher has noted the
    state with this stream listening (:meth:`Hub.wait_noted`): the page fetches what it
    shows on ``ready``, and every change after that comes down the stream. Raises
    :class:`TooManyStreams` before the first chunk if the session holds too many streams."""
    subscription = hub.subscribe(key)

    async def body() -> AsyncIterator[str]:
        try:
            await hub.wait_noted(READY_WAIT_S)
            yield f"retry: {RETRY_MS}\n\n" + sse("ready", {})
            checked = sent = time.monotonic()
            while closing is None or not closing.is_set():
                notice = await subscription.next(min(keepalive, recheck))
                now = time.monotonic()
                if now - checked >= recheck:
                    checked = now
                    if not await alive():
                        yield sse("signed-out", {})
                        return
                if notice is not None:
                    sent = now
                    yield encode(notice)
                elif now - sent >= keepalive:  # proxies close silent connections
                    sent = now
                    yield ": keep-alive\n\n"
        finally:
            hub.unsubscribe(subscription)

    return body()


def stream_response(chunks: AsyncIterator[str], headers: Dict[str, str]) -> Response:
    return StreamingResponse(chunks, media_type="text/event-stream", headers={**headers, **STREAM_HEADERS})


__all__ = ["TooManyStreams", "events", "stream_response", "sse", "encode"]
