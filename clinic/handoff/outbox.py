"""A small durable outbox for warning signs that could not reach the staff queue.

When the model, the tracker store or the clinic database is down, a message that
matches the warning-sign rules still gets the urgent reply (:mod:`addons.channels.outage`,
:mod:`actions.urgent`); the handoff it needs is written here first: a local SQLite file
(``var/urgent-outbox.db`` by default, stdlib ``sqlite3``, so it works while the clinic's
PostgreSQL is unreachable). :meth:`UrgentOutbox.drain` moves each entry into the clinic
database in one unit of work (an urgent handoff, upgraded if one is open, plus a
``channel_undelivered`` note with the message for staff, reason ``urgent_outage``) and
deletes it only after that committed, so nothing is lost between the two. Drainers are
serialised by SQLite's write lock (``BEGIN IMMEDIATE``), so several processes may drain.

Who drains: :meth:`UrgentOutbox.drain_soon` starts (once per process) a daemon thread
that retries with a growing pause (1 s doubling to 30 s) until the outbox is empty,
and :meth:`UrgentOutbox.drain_if_pending` is cheap enough to call after any successful
database access. The file holds patient text only until it is drained.
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, List, Optional

from clinic.handoff.models import utcnow

logger = logging.getLogger(__name__)
NOTE_REASON = "urgent_outage"
FIRST_RETRY_S, MAX_RETRY_S = 1.0, 30.0
MAX_TEXT_CHARS = 4000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending_urgent (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    text TEXT NOT NULL,
    categories TEXT NOT NULL,
    emergency INTEGER NOT NULL,
    received_at TEXT NOT NULL
)"""


@dataclass(frozen=True)
class PendingUrgent:
    """A warning sign answered while the staff queue could not be written."""

    conversation_id: str
    channel: str
    text: str
    categories: List[str] = field(default_factory=list)
    emergency: bool = False
    received_at: datetime = field(default_factory=utcnow)


def record_urgent(session, item: PendingUrgent) -> None:
    """Put ``item`` in the staff queue: an urgent handoff and a note with the message."""
    from clinic.channels.models import Undelivered
    from clinic.handoff.service import open_urgent

    open_urgent(session, conversation_id=item.conversation_id, channel=item.channel)
    prefix = "EMERGENCY (998) " if item.emergency else ""
    signs = ", ".join(item.categories) or "warning sign"
    session.add(Undelivered(
        conversation_id=item.conversation_id, channel=item.channel[:16], reason=NOTE_REASON,
        text=f"{prefix}[{signs}] received during an outage: {item.text}"[:MAX_TEXT_CHARS],
        created_at=item.received_at))


class UrgentOutbox:
    """The outbox file; ``session_factory`` is the clinic database's (``factory.begin()``)."""

    def __init__(self, path: Path, session_factory: Optional[Callable] = None) -> None:
        self.path = Path(path)
        self._factory = session_factory
        self._lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None
        self._again = False

    @property
    def factory(self):
        if self._factory is None:
            from clinic.db import default_session_factory

            self._factory = default_session_factory()
        return self._factory

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(str(self.path), timeout=10, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(_SCHEMA)
        return connection

    def put(self, item: PendingUrgent) -> None:
        """Keep ``item`` durably (committed before this returns)."""
        connection = self._connect()
        try:
            connection.execute(
                "INSERT INTO pending_urgent (conversation_id, channel, text, categories, emergency, received_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (item.conversation_id, item.channel, item.text[:MAX_TEXT_CHARS], json.dumps(item.categories),
                 int(item.emergency), item.received_at.isoformat()))
        finally:
            connection.close()

    def forget(self, conversation_id: str) -> int:
        """Delete the entries of one conversation (erasure); returns how many.

        Works while the clinic database is down, so an erased conversation's text never
        reaches the staff queue afterwards through a later drain."""
        if not self.path.exists():
            return 0
        connection = self._connect()
        try:
            return connection.execute("DELETE FROM pending_urgent WHERE conversation_id = ?",
                                      (conversation_id,)).rowcount or 0
        finally:
            connection.close()

    def pending(self) -> int:
        """How many entries wait (0 when the file does not exist)."""
        if not self.path.exists():
            return 0
        connection = self._connect()
        try:
            return connection.execute("SELECT COUNT(*) FROM pending_urgent").fetchone()[0]
        finally:
            connection.close()

    def drain(self) -> int:
        """Move every entry into the clinic database, oldest first; returns how many moved.

        Stops at the first failure (the database is still down): that entry and the
        later ones stay for the next try; the error is re-raised."""
        if not self.path.exists():
            return 0
        moved = 0
        connection = self._connect()
        try:
            while True:
                connection.execute("BEGIN IMMEDIATE")  # one drainer at a time, across processes
                row = connection.execute(
                    "SELECT id, conversation_id, channel, text, categories, emergency, received_at"
                    " FROM pending_urgent ORDER BY id LIMIT 1").fetchone()
                if row is None:
                    connection.execute("COMMIT")
                    return moved
                item = PendingUrgent(row[1], row[2], row[3], json.loads(row[4]), bool(row[5]),
                                     datetime.fromisoformat(row[6]))
                try:
                    with self.factory.begin() as session:
                        record_urgent(session, item)
                except Exception:
                    connection.execute("ROLLBACK")
                    raise
                connection.execute("DELETE FROM pending_urgent WHERE id = ?", (row[0],))
                connection.execute("COMMIT")
                moved += 1
        finally:
            connection.close()

    def drain_if_pending(self) -> int:
        """:meth:`drain` when something waits; errors are logged (by type), not raised."""
        try:
            return self.drain() if self.pending() else 0
        except Exception as error:
            logger.warning("urgent outbox: could not drain yet: %s", type(error).__name__)
            return 0

    def drain_soon(self) -> None:
        """Drain in a background thread, retrying until the outbox is empty."""
        with self._lock:
            self._again = True
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(target=self._retry, name="urgent-outbox", daemon=True)
            self._thread.start()

    def _retry(self) -> None:
        pause = FIRST_RETRY_S
        while True:
            with self._lock:
                self._again = False
            try:
                moved = self.drain()
                if moved:
                    logger.info("urgent outbox: %d warning sign(s) moved to the staff queue", moved)
                empty = not self.pending()
            except Exception as error:
                logger.warning("urgent outbox: staff queue still unavailable: %s", type(error).__name__)
                empty = False
            if empty:
                with self._lock:
                    if not self._again:  # nothing was put while this pass ran
                        self._thread = None
                        return
                continue
            time.sleep(pause)
            pause = min(pause * 2, MAX_RETRY_S)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait for the background drain to finish (tests, shutdown); True when it did."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True


_default: Optional[UrgentOutbox] = None
_default_lock = threading.Lock()


def writable_path(path: Path) -> Path:
    """``path`` when its directory can be written, else the same name in the temporary
    directory (a read-only container: kept while the container runs, not across restarts)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if os.access(path.parent, os.W_OK):
            return path
    except OSError:
        pass
    fallback = Path(tempfile.gettempdir()) / path.name
    logger.warning("urgent outbox: %s is not writable; using the temporary directory (give the process a "
                   "writable CLINIC_VAR_DIR to keep it across restarts)", path.parent.name)
    return fallback


def default_outbox() -> UrgentOutbox:
    """The process's outbox, at ``Settings.urgent_outbox`` (``var/urgent-outbox.db``)."""
    global _default
    with _default_lock:
        if _default is None:
            from clinic.settings import get_settings

            _default = UrgentOutbox(writable_path(get_settings().urgent_outbox))
        return _default
