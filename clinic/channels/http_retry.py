"""HTTP calls with retries and exponential backoff (429, 5xx, timeouts, connection errors).

:func:`with_retries` is the one retry loop: it takes the request as a callable (a POST to
an API, a streamed GET with a size limit in :mod:`clinic.aftercare.photos`);
:func:`post_with_retries` is the POST the outbound clients use.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Generic, Optional, Tuple, TypeVar, Union

import httpx

logger = logging.getLogger(__name__)
MAX_RETRY_AFTER = 30.0
T = TypeVar("T")
Sleep = Callable[[float], Awaitable[Any]]


@dataclass(frozen=True)
class Retry:
    """A failed attempt worth repeating: what to log (``http 503``, ``timeout``), the
    HTTP status if there was an answer, and the wait the server asked for (else back-off)."""

    error: str
    status: Optional[int] = None
    delay: Optional[float] = None


@dataclass(frozen=True)
class Tried(Generic[T]):
    """The request's own answer (``value``), or ``failure`` when every attempt failed."""

    attempts: int
    value: Optional[T] = None
    failure: Optional[Retry] = None


async def with_retries(request: Callable[[], Awaitable[Union[T, Retry]]], *, what: str, max_attempts: int,
                       backoff: float = 0.5, sleep: Sleep = asyncio.sleep) -> Tried[T]:
    """Call ``request`` up to ``max_attempts`` times, waiting ``backoff * 2**n`` (or the
    :class:`Retry`'s ``delay``) between attempts. It is tried again when it returns a
    :class:`Retry` or raises a timeout or connection error (httpx); any other answer or
    exception ends the loop at once. ``what`` names the call in logs (never the content)."""
    failure = Retry("")
    for attempt in range(1, max_attempts + 1):
        delay = backoff * 2 ** (attempt - 1)
        try:
            answer = await request()
        except httpx.TimeoutException:
            failure = Retry("timeout")
        except httpx.TransportError as exc:
            failure = Retry(type(exc).__name__)
        else:
            if not isinstance(answer, Retry):
                return Tried(attempt, value=answer)
            failure = answer
            delay = answer.delay or delay
        if attempt < max_attempts:
            logger.info("%s: attempt %d failed (%s), retrying in %.1f s", what, attempt, failure.error, delay)
            await sleep(delay)
    return Tried(max_attempts, failure=failure)


@dataclass(frozen=True)
class SendResult:
    """What happened to one outbound call (no message content, safe to log)."""

    ok: bool
    status: Optional[int]
    attempts: int
    error: str = ""
    body: Any = None


def _retry_after(response: httpx.Response) -> Optional[float]:
    try:
        return min(float(response.headers.get("Retry-After", "")), MAX_RETRY_AFTER)
    except ValueError:
        return None


async def post_with_retries(
    client: httpx.AsyncClient,
    url: str,
    *,
    what: str,
    max_attempts: int = 4,
    backoff: float = 0.5,
    sleep: Sleep = asyncio.sleep,
    **kwargs: Any,
) -> SendResult:
    """POST ``url``; retry on 429/5xx/timeouts with backoff ``backoff * 2**n``.

    Honours ``Retry-After`` (capped at 30 s). Other 4xx answers are not retried.
    ``what`` names the call in logs (never the message or the recipient).
    """

    async def post() -> Union[Tuple[int, Any], Retry]:
        response = await client.post(url, **kwargs)
        status = response.status_code
        if status == 429 or status >= 500:
            return Retry(f"http {status}", status, _retry_after(response))
        try:
            body = response.json()
        except ValueError:
            body = None
        return status, body

    tried = await with_retries(post, what=what, max_attempts=max_attempts, backoff=backoff, sleep=sleep)
    if tried.value is not None:
        status, body = tried.value
        if status < 400:
            return SendResult(True, status, tried.attempts, body=body)
        logger.warning("%s: rejected with HTTP %s", what, status)
        return SendResult(False, status, tried.attempts, error=f"http {status}", body=body)
    failure = tried.failure or Retry("")
    logger.error("%s: gave up after %d attempts (%s)", what, max_attempts, failure.error)
    return SendResult(False, failure.status, max_attempts, error=failure.error)


class RetryingSender:
    """Base of the outbound API clients (Graph API, Twilio).

    The httpx client is injectable for tests, otherwise created lazily (inside the
    server's event loop); :meth:`post` retries with the settings' ``max_attempts``.
    """

    def __init__(self, settings: Any, client: Optional[httpx.AsyncClient] = None,
                 backoff: float = 0.5, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.settings = settings
        self.backoff = backoff
        self.sleep = sleep
        self._client = client

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.settings.timeout_seconds)
        return self._client

    async def post(self, url: str, *, what: str, **kwargs: Any) -> SendResult:
        return await post_with_retries(self.client, url, what=what, max_attempts=self.settings.max_attempts,
                                       backoff=self.backoff, sleep=self.sleep, **kwargs)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
