"""Change notices for the staff console's live stream (issue 18: push, not polling).

The console page keeps one server-sent-events stream open (``console/stream.py``); this
module decides what goes down it. A :class:`Watcher` looks, every ``interval`` seconds
and only while at least one stream is open, at

* the open handoff rows (clinic database): a new case, a take-over, a false alarm, a
  stood-down warning sign, a resolution (the row leaves the queue), and
* a change marker of each open conversation (``latest_event_time`` from Rasa's tracker
  state, fetched without its events): a new patient message, a bot answer, a staff line,

and publishes notices to a :class:`Hub`, which fans them out to every subscriber:

* ``{"type": "queue"}``: the queue changed (new case, state change, a card's last message);
* ``{"type": "conversation", "handoff_id": N}``: that handoff's conversation or row changed.

Notices carry handoff ids only: no names, numbers, conversation ids (a WhatsApp id holds
the patient's number) or message text; the page fetches what it shows through the
ordinary authenticated API. The first look only notes the state; nothing is published
for what was already there.

Streams are bounded: at most ``per_key`` per console session and ``total`` in the
process (:class:`TooManyStreams` otherwise); each subscriber's queue holds at most
``backlog`` notices (older ones are dropped and a ``{"type": "resync"}`` is sent instead,
which makes the page reload both views). Framework-free: asyncio and SQLAlchemy only.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, Hashable, Iterable, List, Optional, Set, Tuple

from sqlalchemy.orm import sessionmaker

from clinic.handoff import service

logger = logging.getLogger(__name__)

RowState = Tuple[Any, ...]
Notice = Dict[str, Any]
MarkSource = Callable[[List[str]], Awaitable[Dict[str, Optional[Hashable]]]]


class TooManyStreams(Exception):
    """A session (or the process) already holds as many streams as allowed."""


@dataclass(eq=False)
class Subscription:
    """One open stream: notices waiting to be sent."""

    key: Hashable
    backlog: int
    queue: "asyncio.Queue[Notice]" = field(default_factory=asyncio.Queue)
    overflowed: bool = False

    def put(self, notice: Notice) -> None:
        if self.overflowed:
            return
        if self.queue.qsize() >= self.backlog:  # a stalled reader: tell it to reload everything
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait({"type": "resync"})
            self.overflowed = True
            return
        self.queue.put_nowait(notice)

    async def next(self, timeout: float) -> Optional[Notice]:
        """The next notice, or None after ``timeout`` seconds (time for a keep-alive)."""
        try:
            notice = await asyncio.wait_for(self.queue.get(), timeout)
        except asyncio.TimeoutError:
            return None
        if notice.get("type") == "resync":
            self.overflowed = False
        return notice


class Hub:
    """Subscribers by key (the console session's id), bounded per key and in total."""

    def __init__(self, per_key: int = 3, total: int = 200, backlog: int = 50) -> None:
        self.per_key, self.total, self.backlog = per_key, total, backlog
        self._subscribers: Dict[Hashable, Set[Subscription]] = {}
        self.has_subscribers = asyncio.Event()
        # set once the watcher has looked since listeners came (Watcher.look): a stream says
        # "ready" only then, so a change right after "ready" is never taken for the state as
        # it was (the first look notes the state and publishes nothing)
        self.noted = asyncio.Event()

    async def wait_noted(self, timeout: float) -> bool:
        """Wait until the watcher has noted the state (:attr:`noted`), at most ``timeout``
        seconds (a failing watcher must not hold a stream back: the page polls then)."""
        try:
            await asyncio.wait_for(self.noted.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True

    def count(self, key: Optional[Hashable] = None) -> int:
        if key is not None:
            return len(self._subscribers.get(key, ()))
        return sum(len(subs) for subs in self._subscribers.values())

    def subscribe(self, key: Hashable) -> Subscription:
        if self.count(key) >= self.per_key:
            raise TooManyStreams("This session already has the most live streams allowed; close another console tab.")
        if self.count() >= self.total:
            raise TooManyStreams("The console has the most live streams it serves; the page falls back to polling.")
        subscription = Subscription(key, self.backlog)
        self._subscribers.setdefault(key, set()).add(subscription)
        self.has_subscribers.set()
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        subs = self._subscribers.get(subscription.key)
        if subs is not None:
            subs.discard(subscription)
            if not subs:
                del self._subscribers[subscription.key]
        if not self._subscribers:
            self.has_subscribers.clear()

    def publish(self, notice: Notice) -> None:
        for subs in list(self._subscribers.values()):
            for subscription in list(subs):
                subscription.put(notice)


def row_state(handoff) -> RowState:
    """What of a handoff row the console shows and may change."""
    return (handoff.status, handoff.priority, handoff.assigned_to, handoff.stood_down_at is not None,
            handoff.false_alarm_by, handoff.acknowledged_at is not None)


def changes(before_rows: Dict[int, RowState], after_rows: Dict[int, RowState],
            before_marks: Dict[int, Optional[Hashable]], after_marks: Dict[int, Optional[Hashable]]) -> List[Notice]:
    """The notices for going from one look to the next (pure: tested on its own).

    A handoff that appeared, left the queue or changed state, and an open conversation
    whose marker changed (a marker that could not be read, ``None``, counts as no change),
    each get a ``conversation`` notice; any of them also a single ``queue`` notice first."""
    changed: List[int] = []
    for handoff_id in sorted(set(before_rows) | set(after_rows)):
        if before_rows.get(handoff_id) != after_rows.get(handoff_id):
            changed.append(handoff_id)
            continue
        old, new = before_marks.get(handoff_id), after_marks.get(handoff_id)
        if new is not None and old != new:
            changed.append(handoff_id)
    if not changed:
        return []
    return [{"type": "queue"}] + [{"type": "conversation", "handoff_id": h} for h in changed]


def tracker_mark(tracker: Dict[str, Any]) -> Optional[Hashable]:
    """A value that changes whenever a conversation gets an event: Rasa's
    ``latest_event_time`` (the tracker state without events), else the events' count and
    last timestamp (a full tracker)."""
    latest = tracker.get("latest_event_time")
    if latest is not None:
        return latest
    events = tracker.get("events")
    if isinstance(events, list):
        return (len(events), events[-1].get("timestamp") if events else None)
    return None


class Watcher:
    """Looks for changes every ``interval`` seconds while anyone listens (:meth:`run`)."""

    def __init__(self, factory: Callable[[], sessionmaker], marks: MarkSource, hub: Hub,
                 interval: float = 0.5, max_conversations: int = 50,
                 on_change: Optional[Callable[[Iterable[str]], None]] = None) -> None:
        self._factory, self._marks, self.hub = factory, marks, hub
        self.interval, self.max_conversations = interval, max_conversations
        self._on_change = on_change
        self._rows: Optional[Dict[int, RowState]] = None
        self._marks_seen: Dict[int, Optional[Hashable]] = {}
        self._wake = asyncio.Event()

    def poke(self) -> None:
        """Look now (after this process changed something) instead of at the next tick."""
        self._wake.set()

    def reset(self) -> None:
        """Forget the last look: the next one only notes the state (after nobody listened)."""
        self._rows, self._marks_seen = None, {}
        self.hub.noted.clear()

    async def look(self) -> List[Notice]:
        """One look: publish and return the notices since the last one."""
        def read() -> Tuple[Dict[int, RowState], Dict[int, str]]:
            with self._factory()() as session:
                rows = service.queue(session)  # urgent first, then oldest
                return ({h.id: row_state(h) for h in rows},
                        {h.id: h.conversation_id for h in rows[: self.max_conversations]})

        rows, conversations = await asyncio.to_thread(read)
        found = await self._marks(list(dict.fromkeys(conversations.values())))
        marks = {handoff_id: found.get(cid) for handoff_id, cid in conversations.items()}
        if self._rows is None:
            notices: List[Notice] = []
        else:
            notices = changes(self._rows, rows, self._marks_seen, marks)
        # a marker that could not be read keeps the last one known
        self._marks_seen = {h: (m if m is not None else self._marks_seen.get(h)) for h, m in marks.items()}
        self._rows = rows
        if notices and self._on_change:
            ids = {n["handoff_id"] for n in notices if n["type"] == "conversation"}
            self._on_change(cid for h, cid in conversations.items() if h in ids)
        for notice in notices:
            self.hub.publish(notice)
        self.hub.noted.set()
        return notices

    async def run(self) -> None:
        """Forever: wait for a listener, look every ``interval`` seconds (or when poked);
        errors are logged by type only, once."""
        last_error = None
        while True:
            if not self.hub.has_subscribers.is_set():
                self.reset()
                await self.hub.has_subscribers.wait()
            try:
                await self.look()
                last_error = None
            except asyncio.CancelledError:
                raise
            except Exception as error:  # keep watching; the page polls meanwhile
                if type(error).__name__ != last_error:
                    logger.warning("console live updates failing: %s", type(error).__name__)
                    last_error = type(error).__name__
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), self.interval)
            except asyncio.TimeoutError:
                pass


def rasa_marks(get_tracker: Callable[..., Awaitable[Dict[str, Any]]], timeout: float = 2.0,
               parallel: int = 4) -> MarkSource:
    """A :data:`MarkSource` over Rasa's HTTP API: each conversation's tracker state without
    events (``include_events=NONE``), a few at a time; one that fails gives ``None``."""
    async def marks(conversation_ids: List[str]) -> Dict[str, Optional[Hashable]]:
        limit = asyncio.Semaphore(parallel)

        async def one(conversation_id: str) -> Tuple[str, Optional[Hashable]]:
            async with limit:
                try:
                    tracker = await asyncio.wait_for(get_tracker(conversation_id, include_events="NONE"), timeout)
                except asyncio.CancelledError:
                    raise
                except Exception:  # Rasa down or slow: no change known for it this time
                    return conversation_id, None
            return conversation_id, tracker_mark(tracker)

        return dict(await asyncio.gather(*(one(c) for c in conversation_ids)))
    return marks
