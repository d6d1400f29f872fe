"""A per-sender sliding-window rate limit, framework-free, shared by the chat channels.

The limiter keeps, per key (a conversation or sender id), the times of the events it
allowed in the last ``window`` seconds, and allows a new one only while there are
fewer than ``limit`` of them: at most ``limit`` events in *any* ``window``-long span.
Refused events are not recorded, so a sender who keeps writing is not locked out
longer than the window.

State lives **in memory, per process**: with several Rasa processes behind a load
balancer each one counts on its own (a sender gets up to ``limit`` per process). The
multi-process answer is a Redis-backed limiter (e.g. a sorted set per key); one process
is what the clinic runs today. Memory is bounded: idle keys are forgotten and, past
``max_keys`` active keys, the least recently seen ones are dropped.
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from typing import Callable, Deque

DEFAULT_WINDOW = 60.0
DEFAULT_MAX_KEYS = 10_000


class RateLimiter:
    """At most ``limit`` events per key in any ``window`` seconds (in memory, per process)."""

    def __init__(self, limit: int, window: float = DEFAULT_WINDOW, *,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = DEFAULT_MAX_KEYS) -> None:
        if limit < 1:
            raise ValueError("the rate limit must allow at least one event per window")
        if window <= 0 or max_keys < 1:
            raise ValueError("the window must be positive and max_keys at least 1")
        self.limit = limit
        self.window = window
        self.clock = clock
        self.max_keys = max_keys
        self._events: "OrderedDict[str, Deque[float]]" = OrderedDict()  # least recently seen first
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record an event for ``key`` and return True, or return False if over the limit."""
        with self._lock:
            now = self.clock()
            events = self._events.get(key)
            if events is None:
                events = self._events[key] = deque()
            else:
                self._events.move_to_end(key)
                self._expire(events, now)
            if len(events) >= self.limit:
                return False
            events.append(now)
            self._forget(now)
            return True

    def retry_after(self, key: str) -> int:
        """Whole seconds until ``key`` may send again (0 if it may now)."""
        with self._lock:
            events = self._events.get(key)
            if not events:
                return 0
            now = self.clock()
            self._expire(events, now)
            if len(events) < self.limit:
                return 0
            return max(1, math.ceil(events[0] + self.window - now))

    def __len__(self) -> int:
        """How many keys are tracked (for tests and metrics)."""
        return len(self._events)

    def _expire(self, events: Deque[float], now: float) -> None:
        while events and now - events[0] >= self.window:
            events.popleft()

    def _forget(self, now: float) -> None:
        """Drop idle keys from the old end, then the least recently seen past ``max_keys``."""
        while self._events:
            oldest_key, oldest = next(iter(self._events.items()))
            idle = not oldest or now - oldest[-1] >= self.window
            if not idle and len(self._events) <= self.max_keys:
                break
            del self._events[oldest_key]
