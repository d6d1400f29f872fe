"""Console security helpers: CSRF tokens, the login back-off, device tokens, headers."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from typing import Dict, MutableMapping, Optional, Tuple

from clinic.ratelimit import RateLimiter

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CONSOLE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def csrf_token(session: MutableMapping) -> str:
    """The session's CSRF token, created on first use."""
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) < 20:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def csrf_valid(session: MutableMapping, presented: object) -> bool:
    """Constant-time comparison of the presented token with the session's."""
    expected = session.get("csrf")
    if not isinstance(expected, str) or not presented or not isinstance(presented, str):
        return False
    return hmac.compare_digest(expected.encode(), presented.encode("utf-8", "replace"))


class LoginLimiter:
    """Login back-off that slows guessing without letting anyone lock a user out.

    * Per account and client (the address, or the browser when it shows the device token
      of an earlier sign-in to that account, :func:`device_token`): the first
      ``free_failures`` failures cost nothing; after that each attempt must wait
      ``base_delay * 2 ** (failures - free_failures)`` seconds (at most ``max_delay``)
      after the last failure, and an earlier one is refused (429 with Retry-After)
      without its password being tried, so guessing gets no faster.
    * Per account, over all clients: after ``account_failures`` failures within
      ``window``, every attempt on the account is answered ``account_delay`` seconds
      late (:attr:`sleep`) but never refused, so the right password from a new address
      or from the user's own browser still passes.

    Failures are forgotten ``window`` seconds after the last one and on a successful
    login (per client only). Kept in memory: the console is one process. Memory stays
    bounded (``max_keys``). The per-account count is :class:`clinic.ratelimit.RateLimiter`'s
    (the project's one sliding window), counting every failure (:meth:`~clinic.ratelimit.RateLimiter.hit`).
    """

    def __init__(self, max_failures: int = 5, window: float = 900.0, max_keys: int = 10000,
                 clock=time.monotonic, base_delay: float = 1.0, max_delay: float = 300.0,
                 account_failures: int = 20, account_delay: float = 2.0) -> None:
        self.free_failures, self.window, self.max_keys, self.clock = max_failures, window, max_keys, clock
        self.base_delay, self.max_delay = base_delay, max_delay
        self.account_failures, self.account_delay = account_failures, account_delay
        self.sleep = asyncio.sleep
        self._clients: Dict[Tuple[str, str], Tuple[int, float]] = {}  # key -> (failures, last failure)
        self._accounts = RateLimiter(account_failures, window, clock=clock, max_keys=max_keys)

    def _state(self, username: str, client: str) -> Tuple[int, float]:
        failures, last = self._clients.get((username, client), (0, 0.0))
        if failures and self.clock() - last > self.window:
            self._clients.pop((username, client), None)
            return 0, 0.0
        return failures, last

    def retry_after(self, username: str, client: str) -> float:
        """Seconds before ``client`` may try ``username`` again (0: now)."""
        failures, last = self._state(username, client)
        if failures < self.free_failures:
            return 0.0
        delay = min(self.max_delay, self.base_delay * 2 ** min(failures - self.free_failures, 30))
        return max(0.0, last + delay - self.clock())

    def blocked(self, username: str, client: str) -> bool:
        return self.retry_after(username, client) > 0

    def delay(self, username: str) -> float:
        """Seconds every attempt on ``username`` is held back (0 unless under attack)."""
        return self.account_delay if self._accounts.full(username) else 0.0

    def failed(self, username: str, client: str) -> None:
        failures, _ = self._state(username, client)
        self._clients[(username, client)] = (failures + 1, self.clock())
        self._accounts.hit(username)
        if len(self._clients) > self.max_keys:
            for old in list(self._clients)[: len(self._clients) - self.max_keys]:
                del self._clients[old]

    def succeeded(self, username: str, client: str) -> None:
        self._clients.pop((username, client), None)


def device_token(secret: str, username: str, device: Optional[str] = None) -> str:
    """The value of the device cookie a browser gets on signing in to ``username``."""
    device = device or secrets.token_urlsafe(16)
    mac = hmac.new(secret.encode(), f"device:{username}:{device}".encode(), hashlib.sha256).hexdigest()
    return f"{device}.{mac}"


def device_of(secret: str, username: str, token: Optional[str]) -> Optional[str]:
    """The device id in ``token`` if it was issued for ``username`` by this console, else None."""
    if not isinstance(token, str) or len(token) > 200 or "." not in token:
        return None
    device = token.split(".", 1)[0]
    return device if hmac.compare_digest(device_token(secret, username, device), token) else None


# Headers every response of the web app carries unless its route set its own.
DEFAULT_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)


class SecurityHeadersMiddleware:
    """ASGI middleware: adds :data:`DEFAULT_HEADERS` to every HTTP response (static files,
    pages, errors), keeping any value a route chose itself."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in DEFAULT_HEADERS if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
