"""Sliding-window rate limits, framework-free, shared by the chat channels: per sender
and per client address.

The limiter keeps, per key (a conversation or sender id), the times of the events it
allowed in the last ``window`` seconds, and allows a new one only while there are
fewer than ``limit`` of them: at most ``limit`` events in *any* ``window``-long span.
Refused events are not recorded, so a sender who keeps writing is not locked out
longer than the window. (:meth:`RateLimiter.hit` records one anyway, for counting
failures: the console's login back-off.) This is the project's one rate limiter.

:class:`RateLimiter` keeps its state **in memory, per process** (memory is bounded: idle
keys are forgotten and, past ``max_keys`` active keys, the least recently seen ones are
dropped). :class:`RedisRateLimiter` has the same interface and keeps a sorted set per
key in Redis, so several Rasa processes share one count; :func:`make_limiter` picks
Redis when a URL is configured (``RATE_LIMIT_REDIS_URL``, else ``REDIS_URL``:
:mod:`clinic.channels.config`), memory otherwise. When Redis cannot be reached the
Redis limiter lets messages through (logged): a limiter outage must not stop the chat.

A new sender id per message defeats a per-sender limit, so the public channels also
limit per client address (``ADDRESS_RATE_LIMIT``); :func:`client_address` believes an
``X-Forwarded-For`` only from a configured trusted proxy.
"""
from __future__ import annotations

import ipaddress
import logging
import math
import threading
import time
import uuid
from collections import OrderedDict, deque
from typing import Any, Callable, Deque, Iterable, Optional, Union

logger = logging.getLogger(__name__)

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

    def _recent(self, key: str, now: float) -> Deque[float]:
        """``key``'s events within the window (created empty; marked most recently seen).
        Call with the lock held."""
        events = self._events.get(key)
        if events is None:
            events = self._events[key] = deque()
        else:
            self._events.move_to_end(key)
            self._expire(events, now)
        return events

    def allow(self, key: str) -> bool:
        """Record an event for ``key`` and return True, or return False if over the limit."""
        with self._lock:
            now = self.clock()
            events = self._recent(key, now)
            if len(events) >= self.limit:
                return False
            events.append(now)
            self._forget(now)
            return True

    def hit(self, key: str) -> None:
        """Record an event for ``key`` even over the limit, keeping the newest ``limit``: for
        counting failures (a login back-off), where each new one keeps ``key`` :meth:`full`
        for another window, rather than for refusing messages."""
        with self._lock:
            now = self.clock()
            events = self._recent(key, now)
            events.append(now)
            if len(events) > self.limit:
                events.popleft()
            self._forget(now)

    def full(self, key: str) -> bool:
        """True when ``key`` has had ``limit`` events in the last ``window`` seconds (nothing
        is recorded)."""
        with self._lock:
            events = self._events.get(key)
            if not events:
                return False
            self._expire(events, self.clock())
            return len(events) >= self.limit

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


# KEYS[1]: the key's sorted set; ARGV: now, window, limit, a unique member.
# Returns {1, 0} when allowed (and recorded), else {0, seconds until the oldest expires}.
_ALLOW_SCRIPT = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tostring(tonumber(oldest[2]) + window - now)}
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
return {1, '0'}
"""


class RedisRateLimiter:
    """:class:`RateLimiter` shared by every process using the same Redis (a sorted set of
    event times per key, checked and updated atomically by one script).

    Times are the processes' wall clocks (``clock``); refused events are not recorded.
    Redis errors let the event through (and are logged once a minute at most).
    """

    def __init__(self, limit: int, window: float = DEFAULT_WINDOW, *, client: Any,
                 namespace: str = "ratelimit", clock: Callable[[], float] = time.time) -> None:
        if limit < 1:
            raise ValueError("the rate limit must allow at least one event per window")
        if window <= 0:
            raise ValueError("the window must be positive")
        self.limit = limit
        self.window = window
        self.clock = clock
        self.namespace = namespace
        self._client = client
        self._script = client.register_script(_ALLOW_SCRIPT)
        self._last_error = -math.inf

    @classmethod
    def from_url(cls, url: str, limit: int, window: float = DEFAULT_WINDOW, **kwargs: Any) -> "RedisRateLimiter":
        import redis

        client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        return cls(limit, window, client=client, **kwargs)

    def _key(self, key: str) -> str:
        return f"clinic:{self.namespace}:{key}"

    def _check(self, key: str) -> "tuple[bool, float]":
        now = self.clock()
        allowed, wait = self._script(keys=[self._key(key)],
                                     args=[repr(now), repr(float(self.window)), self.limit,
                                           f"{now!r}:{uuid.uuid4().hex}"])
        return bool(int(allowed)), float(wait)

    def allow(self, key: str) -> bool:
        """Record an event for ``key`` and return True, or return False if over the limit."""
        try:
            return self._check(key)[0]
        except Exception as error:  # redis.RedisError and connection failures: fail open
            now = time.monotonic()
            if now - self._last_error >= 60:
                self._last_error = now
                logger.warning("rate limit: Redis unavailable (%s); messages are not limited",
                               type(error).__name__)
            return True

    def retry_after(self, key: str) -> int:
        """Whole seconds until ``key`` may send again (0 if it may now, or Redis is down)."""
        try:
            raw = self._client.zrange(self._key(key), 0, 0, withscores=True)
            count = self._client.zcount(self._key(key), self.clock() - self.window, "+inf")
        except Exception:
            return 0
        if not raw or count < self.limit:
            return 0
        return max(1, math.ceil(raw[0][1] + self.window - self.clock()))


Limiter = Union[RateLimiter, RedisRateLimiter]


def make_limiter(limit: int, window: float = DEFAULT_WINDOW, *, redis_url: str = "",
                 namespace: str = "ratelimit") -> Limiter:
    """A Redis-backed limiter when ``redis_url`` is given, else an in-memory one."""
    if redis_url:
        return RedisRateLimiter.from_url(redis_url, limit, window, namespace=namespace)
    return RateLimiter(limit, window)


def _in(address: str, networks: Iterable[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for network in networks:
        try:
            if ip in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(peer: Optional[str], forwarded_for: Optional[str] = None,
                   trusted_proxies: Iterable[str] = ()) -> str:
    """The client's address: the peer, or, when the peer is a trusted proxy, the last
    address in ``X-Forwarded-For`` that is not itself a trusted proxy (the one the proxy
    saw; addresses further left are whatever the client wrote)."""
    peer = (peer or "").strip() or "unknown"
    trusted = tuple(trusted_proxies)
    if not forwarded_for or not trusted or not _in(peer, trusted):
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if not _in(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # not an address: a proxy would not write that
    return peer


_address_limiter: Optional[Limiter] = None
_address_lock = threading.Lock()


def address_limiter() -> Limiter:
    """The process's per-client-address limiter (``ADDRESS_RATE_LIMIT`` a minute; Redis
    when configured), shared by the REST and widget channels."""
    global _address_limiter
    with _address_lock:
        if _address_limiter is None:
            from clinic.settings import get_settings

            channels = get_settings().channels
            _address_limiter = make_limiter(channels.address_rate_limit,
                                            redis_url=channels.rate_limit_redis_url, namespace="address")
        return _address_limiter


def address_retry_after(peer: Optional[str], forwarded_for: Optional[str] = None) -> int:
    """0 when the client at this address may send a message now (and it is counted),
    else the whole seconds to wait. The channels' one call for the per-address limit."""
    from clinic.settings import get_settings

    address = client_address(peer, forwarded_for, get_settings().channels.channel_trusted_proxies)
    limiter = address_limiter()
    if limiter.allow(address):
        return 0
    logger.info("rate limit reached for a client address; message refused")
    return max(1, limiter.retry_after(address))
