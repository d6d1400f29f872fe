"""The shared sliding-window rate limits (per sender, per client address; in memory or
in Redis) and their settings."""
from __future__ import annotations

import uuid

import pytest

from clinic.channels.config import ChannelSettingsError, channel_settings_from_env
from clinic.ratelimit import RateLimiter, RedisRateLimiter, client_address, make_limiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


def test_allows_the_limit_then_refuses(clock):
    limiter = RateLimiter(3, window=60, clock=clock)
    assert [limiter.allow("a") for _ in range(5)] == [True, True, True, False, False]


def test_window_boundaries(clock):
    limiter = RateLimiter(2, window=60, clock=clock)
    assert limiter.allow("a") and limiter.allow("a")
    clock.now += 59.999
    assert not limiter.allow("a")  # both still inside the window
    clock.now += 0.001  # exactly one window after the first two: they no longer count
    assert limiter.allow("a") and limiter.allow("a")
    assert not limiter.allow("a")


def test_the_window_slides_one_event_at_a_time(clock):
    limiter = RateLimiter(2, window=60, clock=clock)
    assert limiter.allow("a")          # t=0
    clock.now += 30
    assert limiter.allow("a")          # t=30
    clock.now += 29
    assert not limiter.allow("a")      # t=59: two in the last minute
    clock.now += 1
    assert limiter.allow("a")          # t=60: the t=0 event left the window
    assert not limiter.allow("a")      # t=30 and t=60 are both inside


def test_refused_messages_do_not_extend_the_wait(clock):
    limiter = RateLimiter(1, window=60, clock=clock)
    assert limiter.allow("a")
    for _ in range(50):
        clock.now += 1
        assert not limiter.allow("a")
    clock.now += 10  # 60 s after the one allowed message
    assert limiter.allow("a")


def test_counted_failures_keep_a_key_full_while_they_go_on(clock):
    """hit(): every failure is recorded (the newest ``limit`` kept), so an attacker who keeps
    failing keeps the account full; full() records nothing."""
    limiter = RateLimiter(3, window=60, clock=clock)
    for _ in range(2):
        limiter.hit("sara")
    assert not limiter.full("sara") and not limiter.full("omar")
    limiter.hit("sara")
    assert limiter.full("sara") and limiter.full("sara")  # asking does not count
    for _ in range(5):  # failures go on, one every 15 s: always three in the last minute
        clock.now += 15
        assert limiter.full("sara")
        limiter.hit("sara")
    # the newest three were 30, 15 and 0 s ago: full until the oldest of them leaves the window
    clock.now += 29.999
    assert limiter.full("sara")
    clock.now += 0.001
    assert not limiter.full("sara")
    assert limiter.allow("sara") and not limiter.allow("sara")  # hit() and allow() count the same events


def test_counted_failures_stay_bounded(clock):
    limiter = RateLimiter(2, window=60, clock=clock, max_keys=3)
    for n in range(10):
        limiter.hit(f"user{n}")
        limiter.hit("sara")  # seen again and again: kept
    assert len(limiter) <= 3 and limiter.full("sara")
    clock.now += 60
    limiter.hit("omar")
    assert len(limiter) == 1  # the idle ones are forgotten


def test_senders_are_counted_separately(clock):
    limiter = RateLimiter(2, window=60, clock=clock)
    assert limiter.allow("wa-971500000001") and limiter.allow("wa-971500000001")
    assert not limiter.allow("wa-971500000001")
    assert limiter.allow("wa-971500000002") and limiter.allow("tw-971500000001")
    assert limiter.allow("مريض") and limiter.allow("😀")


def test_retry_after(clock):
    limiter = RateLimiter(2, window=60, clock=clock)
    assert limiter.retry_after("a") == 0
    limiter.allow("a")
    clock.now += 20.5
    limiter.allow("a")
    assert limiter.retry_after("a") == 40  # the first message leaves the window in 39.5 s
    clock.now += 39.5
    assert limiter.retry_after("a") == 0 and limiter.allow("a")


def test_idle_senders_are_forgotten_and_memory_is_bounded(clock):
    limiter = RateLimiter(1, window=60, clock=clock, max_keys=100)
    for i in range(50):
        limiter.allow(f"old-{i}")
    clock.now += 61
    limiter.allow("new")
    assert len(limiter) == 1  # the idle ones are gone
    for i in range(1000):
        limiter.allow(f"flood-{i}")
    assert len(limiter) == 100
    assert not limiter.allow("flood-999")  # the most recent senders are still limited


@pytest.mark.parametrize("args", [{"limit": 0}, {"limit": 1, "window": 0}, {"limit": 1, "max_keys": 0}])
def test_nonsense_settings_are_refused(args):
    with pytest.raises(ValueError):
        RateLimiter(**args)


def test_webhook_rate_limit_setting():
    assert channel_settings_from_env({}).webhook_rate_limit == 30
    assert channel_settings_from_env({"WEBHOOK_RATE_LIMIT": " 12 "}).webhook_rate_limit == 12
    for bad in ("0", "-3", "ten", "1.5"):
        with pytest.raises(ChannelSettingsError, match="WEBHOOK_RATE_LIMIT"):
            channel_settings_from_env({"WEBHOOK_RATE_LIMIT": bad})


def test_redis_limiters_of_two_processes_share_one_count(redis_url, clock):
    namespace = f"test-{uuid.uuid4().hex[:8]}"
    first, second = (RedisRateLimiter.from_url(redis_url, 3, window=60, namespace=namespace, clock=clock)
                     for _ in range(2))
    assert [first.allow("203.0.113.7"), second.allow("203.0.113.7"), first.allow("203.0.113.7")] == [True] * 3
    assert not second.allow("203.0.113.7") and not first.allow("203.0.113.7")
    assert second.allow("203.0.113.8")  # another address has its own count
    assert second.retry_after("203.0.113.7") == 60
    clock.now += 30
    assert first.retry_after("203.0.113.7") == 30
    clock.now += 30.5
    assert first.allow("203.0.113.7") and first.retry_after("203.0.113.7") == 0


def test_the_redis_limiter_lets_messages_through_when_redis_is_down(clock):
    limiter = RedisRateLimiter.from_url("redis://127.0.0.1:9/0", 1, clock=clock)  # nothing listens
    assert limiter.allow("a") and limiter.allow("a") and limiter.retry_after("a") == 0


def test_memory_without_a_redis_url_redis_with_one():
    assert isinstance(make_limiter(5), RateLimiter)
    assert isinstance(make_limiter(5, redis_url="redis://127.0.0.1:9/0"), RedisRateLimiter)


@pytest.mark.parametrize("peer, forwarded, trusted, expected", [
    ("198.51.100.4", None, (), "198.51.100.4"),
    ("198.51.100.4", "1.2.3.4", (), "198.51.100.4"),                      # no trusted proxy: ignored
    ("127.0.0.1", "1.2.3.4", ("10.0.0.0/8",), "127.0.0.1"),              # the peer is not one of them
    ("127.0.0.1", "6.6.6.6, 1.2.3.4", ("127.0.0.1",), "1.2.3.4"),        # the hop the proxy saw
    ("10.0.0.2", "1.2.3.4, 10.0.0.3", ("10.0.0.0/8",), "1.2.3.4"),       # two proxies
    ("127.0.0.1", "not-an-address", ("127.0.0.1",), "127.0.0.1"),
    (None, None, (), "unknown"),
])
def test_client_address_believes_forwarded_for_only_from_trusted_proxies(peer, forwarded, trusted, expected):
    assert client_address(peer, forwarded, trusted) == expected


def test_address_limit_settings():
    settings = channel_settings_from_env({})
    assert settings.address_rate_limit == 60 and settings.rate_limit_redis_url == ""
    settings = channel_settings_from_env({"ADDRESS_RATE_LIMIT": "10", "REDIS_URL": "redis://r:6379/1",
                                          "CHANNEL_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"})
    assert settings.address_rate_limit == 10 and settings.rate_limit_redis_url == "redis://r:6379/1"
    assert settings.channel_trusted_proxies == ("127.0.0.1", "10.0.0.0/8")
    assert channel_settings_from_env({"REDIS_URL": "redis://a", "RATE_LIMIT_REDIS_URL": "redis://b"}
                                     ).rate_limit_redis_url == "redis://b"
    with pytest.raises(ChannelSettingsError, match="ADDRESS_RATE_LIMIT"):
        channel_settings_from_env({"ADDRESS_RATE_LIMIT": "0"})
