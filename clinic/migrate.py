"""Bring the clinic database to the newest schema (Alembic ``upgrade head``)."""
from __future__ import annotations

from typing import Optional

from alembic import command
from alembic.config import Config

from clinic.settings import PROJECT_ROOT, get_settings


def alembic_config(url: Optional[str] = None) -> Config:
    """Alembic configuration for ``url`` (default: the settings' ``DATABASE_URL``)."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "clinic" / "migrations"))
    config.attributes["url"] = url or get_settings().database_url
    return config


def upgrade(url: Optional[str] = None, revision: str = "head") -> None:
    """Apply every migration up to ``revision``."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: Optional[str] = None, revision: str = "base") -> None:
    """Undo migrations down to ``revision`` (tests use this to prove they are reversible)."""
    command.downgrade(alembic_config(url), revision)
