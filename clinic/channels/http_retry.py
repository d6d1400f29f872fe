"""POST with retries and exponential backoff (429, 5xx, timeouts, connection errors)."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Optional

import httpx

logger = logging.getLogger(__name__)
MAX_RETRY_AFTER = 30.0


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
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    **kwargs: Any,
) -> SendResult:
    """POST ``url``; retry on 429/5xx/timeouts with backoff ``backoff * 2**n``.

    Honours ``Retry-After`` (capped at 30 s). Other 4xx answers are not retried.
    ``what`` names the call in logs (never the message or the recipient).
    """
    status: Optional[int] = None
    error = ""
    for attempt in range(1, max_attempts + 1):
        delay = backoff * 2 ** (attempt - 1)
        try:
            response = await client.post(url, **kwargs)
        except httpx.TimeoutException:
            status, error = None, "timeout"
        except httpx.TransportError as exc:
            status, error = None, type(exc).__name__
        else:
            status = response.status_code
            try:
                body = response.json()
            except ValueError:
                body = None
            if status < 400:
                return SendResult(True, status, attempt, body=body)
            if status != 429 and status < 500:
                logger.warning("%s: rejected with HTTP %s", what, status)
                return SendResult(False, status, attempt, error=f"http {status}", body=body)
            error = f"http {status}"
            delay = _retry_after(response) or delay
        if attempt < max_attempts:
            logger.info("%s: attempt %d failed (%s), retrying in %.1f s", what, attempt, error, delay)
            await sleep(delay)
    logger.error("%s: gave up after %d attempts (%s)", what, max_attempts, error)
    return SendResult(False, status, max_attempts, error=error)


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
