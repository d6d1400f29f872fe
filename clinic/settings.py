"""Settings read once from the environment (and a git-ignored ``.env`` file).

Everything that differs between a laptop and production lives here: database URLs,
service addresses and secrets. Clinic facts (hours, prices, ...) live in ``clinic.yml``
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
from typing import Mapping, Optional, Tuple

from clinic.channels.config import ChannelSettings, channel_settings_from_env

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRET_NAMES = ("RASA_AUTH_TOKEN", "ACTION_SERVER_TOKEN", "CONSOLE_SECRET_KEY")
MIN_SECRET_LENGTH = 32


class SettingsError(RuntimeError):
    """The environment does not describe a safe, usable configuration."""


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

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


def _fixed_now(value: str, environment: str) -> Optional[datetime]:
    if not value:
        return None
    if environment == "production":
        raise SettingsError("CLINIC_FIXED_NOW is for tests: unset it in production")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise SettingsError(f"CLINIC_FIXED_NOW must be an ISO time with an offset, not {value!r}") from None
    if moment.tzinfo is None:
        raise SettingsError("CLINIC_FIXED_NOW needs an offset (e.g. 2027-01-17T11:00:00+04:00)")
    return moment.astimezone(timezone.utc)


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


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

    ``DATABASE_URL`` is the one switch from the embedded default (SQLite files under
    ``var/``) to a server database: when it points at PostgreSQL, the clinic tables and
    Rasa's tracker store both use it, unless ``TRACKER_DATABASE_URL`` says otherwise.
    """
    environment = env.get("CLINIC_ENV", "development")
    if environment not in ("development", "test", "production"):
        raise SettingsError(f"CLINIC_ENV must be development, test or production, not {environment!r}")
    var_dir = Path(env.get("CLINIC_VAR_DIR", PROJECT_ROOT / "var"))
    database_url = env.get("DATABASE_URL") or _sqlite_url(var_dir / "clinic.db")
    if env.get("TRACKER_DATABASE_URL"):
        tracker_url = env["TRACKER_DATABASE_URL"]
    elif database_url.startswith("sqlite"):
        tracker_url = _sqlite_url(var_dir / "tracker.db")
    else:
        tracker_url = database_url

    tokens = {name: env.get(name, "") for name in SECRET_NAMES}
    weak = [n for n, v in tokens.items() if len(v) < MIN_SECRET_LENGTH]
    if weak and environment == "production":
        raise SettingsError(
            f"{', '.join(weak)} must be set to random values of at least "
            f"{MIN_SECRET_LENGTH} characters in production (see README)"
        )
    return Settings(
        environment=environment,
        clinic_file=Path(env.get("CLINIC_FILE", PROJECT_ROOT / "clinic.yml")),
        database_url=database_url,
        tracker_database_url=tracker_url,
        rasa_url=env.get("RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
        rasa_auth_token=tokens["RASA_AUTH_TOKEN"],
        action_server_host=env.get("ACTION_SERVER_HOST", "127.0.0.1"),
        action_server_port=int(env.get("ACTION_SERVER_PORT", "5055")),
        action_server_token=tokens["ACTION_SERVER_TOKEN"],
        web_host=env.get("WEB_HOST", "127.0.0.1"),
        web_port=int(env.get("WEB_PORT", "8000")),
        max_message_chars=int(env.get("MAX_MESSAGE_CHARS", "20000")),
        channels=channel_settings_from_env(env, environment == "production"),
        console_secret_key=env.get("CONSOLE_SECRET_KEY", ""),
        privacy_audit_key=env.get("PRIVACY_AUDIT_KEY", ""),
        redis_url=env.get("REDIS_URL", ""),
        console_trusted_proxies=trusted_proxies(env.get("CONSOLE_TRUSTED_PROXIES", "")),
        urgent_outbox=var_dir / "urgent-outbox.db",
        fixed_now=_fixed_now(env.get("CLINIC_FIXED_NOW", ""), environment),
        checkin_template=env.get("WHATSAPP_CHECKIN_TEMPLATE", "aftercare_checkin"),
        reminder_template=env.get("WHATSAPP_REMINDER_TEMPLATE", "appointment_reminder"),
        aftercare_poll_seconds=float(env.get("AFTERCARE_POLL_SECONDS", "30")),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (``.env`` first, real environment wins)."""
    from dotenv import load_dotenv

    load_dotenv(PROJECT_ROOT / ".env", override=False)
    return settings_from_env(os.environ)


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
