"""Rasa's SQL tracker store, pointed at the database named by the clinic's settings.

``endpoints.yml`` names this class, so one environment variable (``DATABASE_URL``, or
``TRACKER_DATABASE_URL``) moves conversations from the default SQLite file to
PostgreSQL without editing YAML. On SQLite it switches on write-ahead logging: with
the default rollback journal every turn waits for two disk syncs.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from clinic.db import use_sqlite_pragmas
from clinic.settings import get_settings

SQLITE_PREFIX = "sqlite:///"


class ClinicSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` whose URL comes from :func:`clinic.settings.get_settings`."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = host or get_settings().tracker_database_url
        if url.startswith(SQLITE_PREFIX):
            Path(url[len(SQLITE_PREFIX):]).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        if self.engine.dialect.name == "sqlite":
            use_sqlite_pragmas(self.engine)
            self.engine.dispose()  # reconnect with the pragmas
