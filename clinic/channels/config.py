"""Channel settings (WhatsApp Cloud API, Twilio, the web widget), read from the environment.

Part of :class:`clinic.settings.Settings` as ``settings.channels``. A channel whose
secrets are empty is switched off: its webhook answers 503. In production, secrets
that look like the examples in the README (``example-...``, ``changeme``) or are too
short are refused at start-up.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Tuple

from clinic.config_schema import SettingsError

DEFAULT_ORIGINS = ("http://127.0.0.1:8000", "http://localhost:8000")
MIN_CHANNEL_SECRET = 16
EXAMPLE_MARKERS = ("example", "changeme", "change-me", "xxx", "your-")


class ChannelSettingsError(SettingsError):
    """A channel setting is unusable: an example or too-short secret in production, a bad number."""


@dataclass(frozen=True)
class WhatsAppSettings:
    graph_url: str = "https://graph.facebook.com"
    api_version: str = "v21.0"
    access_token: str = ""
    app_secret: str = ""
    verify_token: str = ""
    phone_number_id: str = ""
    template_name: str = ""
    template_language: str = "en"
    timeout_seconds: float = 10.0
    max_attempts: int = 4

    @property
    def enabled(self) -> bool:
        return bool(self.app_secret and self.verify_token and self.access_token and self.phone_number_id)


@dataclass(frozen=True)
class TwilioSettings:
    api_url: str = "https://api.twilio.com"
    account_sid: str = ""
    auth_token: str = ""
    whatsapp_number: str = ""
    webhook_url: str = ""
    timeout_seconds: float = 10.0
    max_attempts: int = 4

    @property
    def enabled(self) -> bool:
        return bool(self.account_sid and self.auth_token and self.whatsapp_number)


@dataclass(frozen=True)
class ChannelSettings:
    whatsapp: WhatsAppSettings = WhatsAppSettings()
    twilio: TwilioSettings = TwilioSettings()
    widget_socket_url: str = "http://127.0.0.1:5005"
    socketio_allowed_origins: Tuple[str, ...] = DEFAULT_ORIGINS
    socketio_rate_limit: int = 20  # messages per sender per minute
    max_webhook_bytes: int = 256 * 1024
    socketio_redis_url: str = ""  # share rooms between Rasa processes (staff replies reach any socket)
    webhook_rate_limit: int = 30  # REST, WhatsApp and Twilio messages per sender per minute
    # REST and widget messages per client address per minute (a new sender id per message
    # must not escape the limit); shared between processes through Redis when configured
    address_rate_limit: int = 60
    rate_limit_redis_url: str = ""
    # proxies in front of Rasa whose X-Forwarded-For is believed (HAProxy: option forwardfor)
    channel_trusted_proxies: Tuple[str, ...] = ()


def _looks_like_example(value: str) -> bool:
    lowered = value.lower()
    return len(value) < MIN_CHANNEL_SECRET or any(m in lowered for m in EXAMPLE_MARKERS)


def _origins(raw: str) -> Tuple[str, ...]:
    return tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ChannelSettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise ChannelSettingsError(f"{name} must be at least 1")
    return value


def channel_settings_from_env(env: Mapping[str, str], production: bool = False) -> ChannelSettings:
    """Parse the ``WHATSAPP_*``, ``TWILIO_*``, ``WIDGET_*``, ``SOCKETIO_*`` and ``WEBHOOK_RATE_LIMIT`` variables."""
    whatsapp = WhatsAppSettings(
        graph_url=env.get("WHATSAPP_GRAPH_URL", WhatsAppSettings.graph_url).rstrip("/"),
        api_version=env.get("WHATSAPP_API_VERSION", WhatsAppSettings.api_version),
        access_token=env.get("WHATSAPP_ACCESS_TOKEN", ""),
        app_secret=env.get("WHATSAPP_APP_SECRET", ""),
        verify_token=env.get("WHATSAPP_VERIFY_TOKEN", ""),
        phone_number_id=env.get("WHATSAPP_PHONE_NUMBER_ID", ""),
        template_name=env.get("WHATSAPP_TEMPLATE_NAME", ""),
        template_language=env.get("WHATSAPP_TEMPLATE_LANGUAGE", "en"),
        timeout_seconds=float(env.get("WHATSAPP_TIMEOUT_SECONDS", "10")),
        max_attempts=_positive_int(env, "WHATSAPP_SEND_ATTEMPTS", WhatsAppSettings.max_attempts),
    )
    twilio = TwilioSettings(
        api_url=env.get("TWILIO_API_URL", TwilioSettings.api_url).rstrip("/"),
        account_sid=env.get("TWILIO_ACCOUNT_SID", ""),
        auth_token=env.get("TWILIO_AUTH_TOKEN", ""),
        whatsapp_number=env.get("TWILIO_WHATSAPP_NUMBER", ""),
        webhook_url=env.get("TWILIO_WEBHOOK_URL", ""),
        timeout_seconds=float(env.get("TWILIO_TIMEOUT_SECONDS", "10")),
        max_attempts=_positive_int(env, "TWILIO_SEND_ATTEMPTS", TwilioSettings.max_attempts),
    )
    if production:
        secrets = {
            "WHATSAPP_ACCESS_TOKEN": whatsapp.access_token,
            "WHATSAPP_APP_SECRET": whatsapp.app_secret,
            "WHATSAPP_VERIFY_TOKEN": whatsapp.verify_token,
            "TWILIO_AUTH_TOKEN": twilio.auth_token,
        }
        bad = [name for name, value in secrets.items() if value and _looks_like_example(value)]
        if bad:
            raise ChannelSettingsError(
                f"{', '.join(bad)} look like example values; set the real secrets "
                f"(at least {MIN_CHANNEL_SECRET} characters) or leave them empty to switch the channel off"
            )
    return ChannelSettings(
        whatsapp=whatsapp,
        twilio=twilio,
        widget_socket_url=env.get("WIDGET_SOCKET_URL", env.get("RASA_URL", "http://127.0.0.1:5005")).rstrip("/"),
        socketio_allowed_origins=_origins(env.get("SOCKETIO_ALLOWED_ORIGINS", ",".join(DEFAULT_ORIGINS))),
        socketio_rate_limit=int(env.get("SOCKETIO_RATE_LIMIT", "20")),
        max_webhook_bytes=int(env.get("CHANNEL_MAX_WEBHOOK_BYTES", str(256 * 1024))),
        socketio_redis_url=env.get("SOCKETIO_REDIS_URL", ""),
        webhook_rate_limit=_positive_int(env, "WEBHOOK_RATE_LIMIT", 30),
        address_rate_limit=_positive_int(env, "ADDRESS_RATE_LIMIT", 60),
        rate_limit_redis_url=env.get("RATE_LIMIT_REDIS_URL", env.get("REDIS_URL", "")),
        channel_trusted_proxies=_origins(env.get("CHANNEL_TRUSTED_PROXIES", "")),
    )
