"""Console security helpers: CSRF tokens, the login rate limit, response headers."""
from __future__ import annotations

import hmac
import secrets
import time
from collections import deque
from typing import Deque, Dict, MutableMapping, Optional, Tuple

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


def csrf_valid(session: MutableMapping, presented: Optional[str]) -> bool:
    """Constant-time comparison of the presented token with the session's."""
    expected = session.get("csrf")
    if not isinstance(expected, str) or not presented or not isinstance(presented, str):
        return False
    return hmac.compare_digest(expected.encode(), presented.encode("utf-8", "replace"))


class LoginLimiter:
    """At most ``max_failures`` failed logins per (username, IP) within ``window`` seconds.

    Kept in memory: the console is one process. Old keys are dropped so memory stays
    bounded (``max_keys``)."""

    def __init__(self, max_failures: int = 5, window: float = 900.0, max_keys: int = 10000,
                 clock=time.monotonic) -> None:
        self.max_failures, self.window, self.max_keys, self.clock = max_failures, window, max_keys, clock
        self._failures: Dict[Tuple[str, str], Deque[float]] = {}

    def _recent(self, key: Tuple[str, str]) -> Deque[float]:
        now = self.clock()
        times = self._failures.get(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def blocked(self, username: str, ip: str) -> bool:
        return len(self._recent((username, ip))) >= self.max_failures

    def failed(self, username: str, ip: str) -> None:
        key = (username, ip)
        times = self._recent(key)
        times.append(self.clock())
        self._failures[key] = times
        if len(self._failures) > self.max_keys:
            for old in list(self._failures)[: len(self._failures) - self.max_keys]:
                del self._failures[old]

    def succeeded(self, username: str, ip: str) -> None:
        self._failures.pop((username, ip), None)
