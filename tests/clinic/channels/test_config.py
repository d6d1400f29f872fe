"""Channel settings from the environment."""
from __future__ import annotations

import pytest

from clinic.channels.config import ChannelSettingsError, channel_settings_from_env
from clinic.settings import settings_from_env

REAL = {
    "WHATSAPP_ACCESS_TOKEN": "EAAG" + "q" * 60,
    "WHATSAPP_APP_SECRET": "0123456789abcdef0123456789abcdef",
    "WHATSAPP_VERIFY_TOKEN": "a-long-random-verify-token-value",
    "WHATSAPP_PHONE_NUMBER_ID": "100000000000001",
}


def test_defaults_switch_the_messaging_channels_off():
    settings = channel_settings_from_env({})
    assert not settings.whatsapp.enabled and not settings.twilio.enabled
    assert settings.socketio_allowed_origins == ("http://127.0.0.1:8000", "http://localhost:8000")
    assert settings.whatsapp.graph_url == "https://graph.facebook.com"
    assert settings.whatsapp.max_attempts == settings.twilio.max_attempts == 4


def test_values_are_read():
    settings = channel_settings_from_env({**REAL, "WHATSAPP_GRAPH_URL": "http://127.0.0.1:9/",
                                          "SOCKETIO_ALLOWED_ORIGINS": "https://clinic.example/, http://x:1",
                                          "SOCKETIO_REDIS_URL": "redis://127.0.0.1:6379/0",
                                          "WHATSAPP_SEND_ATTEMPTS": "2", "TWILIO_SEND_ATTEMPTS": "1"})
    assert settings.whatsapp.enabled
    assert (settings.whatsapp.max_attempts, settings.twilio.max_attempts) == (2, 1)
    with pytest.raises(ChannelSettingsError, match="TWILIO_SEND_ATTEMPTS"):
        channel_settings_from_env({"TWILIO_SEND_ATTEMPTS": "0"})
    assert settings.whatsapp.graph_url == "http://127.0.0.1:9"
    assert settings.socketio_allowed_origins == ("https://clinic.example", "http://x:1")
    assert settings.socketio_redis_url == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize("name,value", [
    ("WHATSAPP_APP_SECRET", "example-app-secret-for-the-readme"),
    ("WHATSAPP_VERIFY_TOKEN", "changeme"),
    ("WHATSAPP_ACCESS_TOKEN", "short"),
    ("TWILIO_AUTH_TOKEN", "your-twilio-auth-token-goes-here"),
])
def test_production_refuses_example_values(name, value):
    env = {**REAL, name: value}
    channel_settings_from_env(env, production=False)  # fine in development
    with pytest.raises(ChannelSettingsError, match=name):
        channel_settings_from_env(env, production=True)


def test_production_accepts_real_values_and_an_unconfigured_channel():
    assert channel_settings_from_env(REAL, production=True).whatsapp.enabled
    assert not channel_settings_from_env({}, production=True).twilio.enabled


def test_settings_carry_the_channel_settings():
    assert settings_from_env(REAL).channels.whatsapp.phone_number_id == "100000000000001"
