"""Channels tables (SQLAlchemy, declared on clinic.db.Base)."""
from __future__ import annotations

from clinic.db import Base  # noqa: F401
