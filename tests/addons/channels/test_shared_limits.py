"""With Redis configured, every chat channel's limits are shared by all Rasa processes.

Two channel objects stand for two processes: a sender (or a client address opening new
conversations) that used up its allowance on one is refused on the other."""
from __future__ import annotations

import dataclasses
import uuid

import pytest

from addons.channels import rest, socketio, twilio, webhook, whatsapp
from clinic.ratelimit import RateLimiter, RedisRateLimiter
from clinic.settings import get_settings


def settings_with_redis(url: str):
    settings = get_settings()
    return dataclasses.replace(settings, channels=dataclasses.replace(settings.channels, rate_limit_redis_url=url))


CHANNELS = [
    (rest, lambda: rest.ClinicRestInput(rate_limit=2), "limiter"),
    (whatsapp, lambda: whatsapp.WhatsAppInput(rate_limit=2), "limiter"),
    (twilio, lambda: twilio.TwilioWhatsAppInput(rate_limit=2), "limiter"),
    (socketio, lambda: socketio.ClinicSocketIOInput(rate_limit=2), "limiter"),
    (socketio, lambda: socketio.ClinicSocketIOInput(rate_limit=2), "new_conversations"),
]


@pytest.mark.parametrize("module,make,attribute", CHANNELS,
                         ids=["rest", "whatsapp", "twilio", "socketio", "socketio-new-conversations"])
def test_two_processes_share_one_count(module, make, attribute, redis_url, monkeypatch):
    for where in (module, webhook):  # the messaging channels build their limiter in the shared pipeline
        monkeypatch.setattr(where, "get_settings", lambda: settings_with_redis(redis_url))
    first, second = getattr(make(), attribute), getattr(make(), attribute)
    assert isinstance(first, RedisRateLimiter)
    key = f"sender-{uuid.uuid4().hex}"
    allowance = first.limit
    assert all(first.allow(key) for _ in range(allowance))
    assert not second.allow(key)


@pytest.mark.parametrize("module,make,attribute", CHANNELS[:4], ids=["rest", "whatsapp", "twilio", "socketio"])
def test_without_redis_each_process_counts_for_itself(module, make, attribute, monkeypatch):
    for where in (module, webhook):
        monkeypatch.setattr(where, "get_settings", lambda: settings_with_redis(""))
    assert isinstance(getattr(make(), attribute), RateLimiter)
