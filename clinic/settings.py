"""Settings read once from the environment (and a git-ignored ``.env`` file).

Everything that differs between a laptop and production lives here: database URLs,
service addresses and secrets. Each variable is declared once, with its type, default
and production rules, in :mod:`clinic.config_schema`; this module turns a validated
environment into :class:`Settings`. Clinic facts (hours, prices, ...) live in ``clinic.yml``
instead and are loaded through :func:`clinic.facts.load_facts`.
"""
from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional, Tuple

from clinic import config_schema as schema
from clinic.channels.config import ChannelSettings, channel_settings_from_env
from clinic.config_schema import MIN_SECRET_LENGTH, SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# the secrets production requires, generated into .env on first run (clinic/config_schema.py)
SECRET_NAMES = tuple(v.name for v in schema.VARIABLES if v.secret and v.required_in_production)
__all__ = ["MIN_SECRET_LENGTH", "PROJECT_ROOT", "SECRET_NAMES", "Settings", "SettingsError", "ensure_env_file",
           "get_settings", "settings_from_env", "trusted_proxies"]


@dataclass(frozen=True)
class Settings:
    environment: str
    clinic_file: Path
    database_url: str
    tracker_database_url: str
    rasa_url: str
    rasa_auth_token: str
    action_server_host: str
    action_server_port: int
    action_server_token: str
    web_host: str
    web_port: int
    max_message_chars: int
    channels: ChannelSettings = ChannelSettings()
    # staff console session cookies (console/staff.py refuses a weak one in production)
    console_secret_key: str = ""
    # privacy: conversations idle longer than this are erased by `python -m clinic retention`
    # key of the hash that names erased conversations in the audit table (else RASA_AUTH_TOKEN)
    privacy_audit_key: str = ""
    # Rasa's lock store (deploy/endpoints.prod.yml): required when several Rasa processes
    # share one tracker store, else concurrent messages to one conversation are lost
    redis_url: str = ""
    # addresses (or networks) of the reverse proxies in front of the web process whose
    # X-Forwarded-For / X-Forwarded-Proto are believed (console/app.py); none by default
    console_trusted_proxies: Tuple[str, ...] = ()
    # warning signs answered while the staff queue was down wait here (clinic/handoff/outbox.py)
    urgent_outbox: Path = PROJECT_ROOT / "var" / "urgent-outbox.db"
    # tests only (CLINIC_FIXED_NOW, an ISO time with its offset): the time the booking
    # actions take as "now" (tests/conversations); refused in production
    fixed_now: Optional[datetime] = None
    # aftercare check-ins and booking reminders (clinic/aftercare/worker.py): the WhatsApp
    # templates approved by Meta (texts: docs/whatsapp-templates.md), in English ("en") and
    # Arabic ("ar") under the same name, and how often the worker looks for due messages
    checkin_template: str = "aftercare_checkin"
    reminder_template: str = "appointment_reminder"
    aftercare_poll_seconds: float = 30.0
    # the action server as Rasa reaches it (``${ACTION_SERVER_URL}`` in endpoints.yml)
    action_server_url: str = "http://127.0.0.1:5055/webhook"
    # CLINIC_RASA_PATCHES (addons/compat.py reads it before the settings exist)
    rasa_patches: bool = True

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


def trusted_proxies(value: str) -> Tuple[str, ...]:
    """``CONSOLE_TRUSTED_PROXIES``: comma-separated IP addresses or networks, checked here."""
    proxies = []
    for item in (part.strip() for part in (value or "").split(",")):
        if not item:
            continue
        try:
            proxies.append(str(ipaddress.ip_network(item, strict=False)) if "/" in item
                           else str(ipaddress.ip_address(item)))
        except ValueError:
            raise SettingsError(
                f"CONSOLE_TRUSTED_PROXIES: {item!r} is not an IP address or network") from None
    return tuple(proxies)


def settings_from_env(env: Mapping[str, str]) -> Settings:
    """Build :class:`Settings` from a mapping such as ``os.environ``.

    Every variable is declared, typed and validated in :mod:`clinic.config_schema`
    (:func:`~clinic.config_schema.check` raises :class:`SettingsError` listing every
    problem, placeholder secrets in production included); this reads the values from it.
    ``DATABASE_URL`` is the one switch from the embedded default (SQLite files under
    ``var/``) to a server database: when it points at PostgreSQL, the clinic tables and
    Rasa's tracker store both use it, unless ``TRACKER_DATABASE_URL`` says otherwise.
    """
    schema.check(env)

    def value(name: str) -> Any:
        return schema.read(name, env)

    environment = value("CLINIC_ENV")
    fixed_now = value("CLINIC_FIXED_NOW")
    return Settings(
        environment=environment,
        clinic_file=value("CLINIC_FILE"),
        database_url=value("DATABASE_URL"),
        tracker_database_url=value("TRACKER_DATABASE_URL"),
        rasa_url=value("RASA_URL").rstrip("/"),
        rasa_auth_token=env.get("RASA_AUTH_TOKEN", ""),
        action_server_host=value("ACTION_SERVER_HOST"),
        action_server_port=value("ACTION_SERVER_PORT"),
        action_server_token=env.get("ACTION_SERVER_TOKEN", ""),
        action_server_url=value("ACTION_SERVER_URL"),
        web_host=value("WEB_HOST"),
        web_port=value("WEB_PORT"),
        max_message_chars=value("MAX_MESSAGE_CHARS"),
        channels=channel_settings_from_env(env, environment == schema.PRODUCTION),
        console_secret_key=env.get("CONSOLE_SECRET_KEY", ""),
        privacy_audit_key=env.get("PRIVACY_AUDIT_KEY", ""),
        redis_url=value("REDIS_URL"),
        console_trusted_proxies=trusted_proxies(env.get("CONSOLE_TRUSTED_PROXIES", "")),
        urgent_outbox=value("CLINIC_VAR_DIR") / "urgent-outbox.db",
        fixed_now=fixed_now.astimezone(timezone.utc) if fixed_now else None,
        checkin_template=value("WHATSAPP_CHECKIN_TEMPLATE"),
        reminder_template=value("WHATSAPP_REMINDER_TEMPLATE"),
        aftercare_poll_seconds=value("AFTERCARE_POLL_SECONDS"),
        rasa_patches=value("CLINIC_RASA_PATCHES"),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (``.env`` first, real environment wins)."""
    from dotenv import load_dotenv

    load_dotenv(PROJECT_ROOT / ".env", override=False)
    return settings_from_env(os.environ)


def now() -> datetime:
    """The current time (aware, UTC), or a test stack's fixed one (``CLINIC_FIXED_NOW``): the
    clock of the actions (``actions.context.Clock``) and of the NLU's booking readings."""
    return get_settings().fixed_now or datetime.now(timezone.utc)


def ensure_env_file(path: Optional[Path] = None) -> bool:
    """Create ``.env`` with freshly generated secrets if it is missing any.

    Returns True when the file was written. Existing values are kept.
    """
    path = path or PROJECT_ROOT / ".env"
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {line.split("=", 1)[0].strip() for line in existing.splitlines() if "=" in line}
    missing = [name for name in SECRET_NAMES if name not in present]
    if not missing:
        return False
    lines = [] if not existing or existing.endswith("\n") else [""]
    if not existing:
        lines.append("# Generated on first run; git-ignored. Keep these secret.")
    lines += [f"{name}={secrets.token_urlsafe(32)}" for name in missing]
    path.write_text(existing + "\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return True
