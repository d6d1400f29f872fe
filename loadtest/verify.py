"""After a run: was anything lost, reordered, answered twice or booked twice?

* Messages: every message that got a normal answer is in its conversation exactly once,
  in the order it was sent (messages of one burst may be in any order among themselves),
  and is followed by at least one bot event. A message that got the apology or an error
  (during a fault) may be missing, but never stored twice.
* Bookings: no two live appointments of one practitioner overlap; every reference shown
  to a patient is a confirmed appointment; every confirmed appointment of a load-test
  conversation was shown to its patient (no half-done booking).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Set

import httpx
from sqlalchemy import text

from clinic.db import make_engine

Record = Dict[str, object]
CLOCK_SLACK_S = 1.0  # the driver and Rasa read the same clock; this covers rounding and scheduling


@dataclass
class MessageCheck:
    conversations: int = 0
    sent: int = 0
    answered: int = 0
    problems: List[str] = field(default_factory=list)


@dataclass
class BookingCheck:
    confirmed: int = 0
    shown: int = 0
    overlapping: int = 0
    shown_not_confirmed: List[str] = field(default_factory=list)
    confirmed_not_shown: List[str] = field(default_factory=list)

    @property
    def problems(self) -> List[str]:
        return ([f"{self.overlapping} overlapping appointments"] if self.overlapping else []) + \
               [f"reference {r} shown but not confirmed" for r in self.shown_not_confirmed] + \
               [f"appointment {r} confirmed but never shown" for r in self.confirmed_not_shown]


def answered(record: Record) -> bool:
    """A normal answer: HTTP 200 with at least one message that is not the apology."""
    return record["status"] == 200 and bool(record["replies"]) and not record["apology"]


def _sent_then(record: Record, event: dict) -> bool:
    """Could ``event`` (a stored user message) be ``record``? Same text, and stored while
    that request was open: patients repeat questions, so the text alone is ambiguous."""
    stamp = event.get("timestamp")
    return record["text"] == event.get("text") and (
        stamp is None or record["sent"] - CLOCK_SLACK_S <= stamp <= record["done"] + CLOCK_SLACK_S)


def check_conversation(sender: str, records: List[Record], events: List[dict]) -> List[str]:
    """Problems in one conversation (an empty list when all is well)."""
    records = sorted(records, key=lambda r: (r["group"], r["index"]))
    unused = list(records)
    problems: List[str] = []
    group = -1
    matched: List[Optional[Record]] = []
    for event in (e for e in events if e.get("event") == "user"):
        # of the requests that could have stored it, the one that ended first (two equal
        # messages of one burst: the earlier stored event belongs to the shorter request)
        candidates = sorted((r for r in unused if r["group"] >= group and _sent_then(r, event)),
                            key=lambda r: (r["group"], r.get("done", 0.0)))
        if not candidates:
            problems.append(f"{sender}: stored message {event.get('text')!r} was not sent then "
                            f"(duplicate or out of order)")
            matched.append(None)
            continue
        record = candidates[0]
        unused.remove(record)
        group = record["group"]  # type: ignore[assignment]
        matched.append(record)
    problems += [f"{sender}: answered message {r['text']!r} (#{r['index']}) is missing"
                 for r in unused if answered(r)]

    # a bot event after every normally answered message, before the next user message
    user_positions = [i for i, e in enumerate(events) if e.get("event") == "user"]
    for n, position in enumerate(user_positions):
        record = matched[n]
        if record is None or not answered(record):
            continue
        end = user_positions[n + 1] if n + 1 < len(user_positions) else len(events)
        if not any(e.get("event") == "bot" for e in events[position + 1:end]):
            problems.append(f"{sender}: no bot reply stored after {record['text']!r}")
    return problems


def tracker_events(api_url: str, token: str) -> Callable[[str], List[dict]]:
    client = httpx.Client(base_url=api_url, timeout=30.0)

    def fetch(sender: str) -> List[dict]:
        response = client.get(f"/conversations/{sender}/tracker",
                              params={"token": token, "include_events": "ALL"})
        response.raise_for_status()
        return response.json().get("events") or []

    return fetch


def check_messages(records: Iterable[Record], fetch: Callable[[str], List[dict]]) -> MessageCheck:
    by_sender: Dict[str, List[Record]] = defaultdict(list)
    for record in records:
        by_sender[str(record["sender"])].append(record)
    result = MessageCheck(conversations=len(by_sender))
    for sender, rows in by_sender.items():
        result.sent += len(rows)
        result.answered += sum(1 for r in rows if answered(r))
        result.problems += check_conversation(sender, rows, fetch(sender))
    return result


OVERLAPS = text("""
    SELECT count(*) FROM booking_appointments a JOIN booking_appointments b
      ON a.practitioner_id = b.practitioner_id AND a.id < b.id
     WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'
       AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
""")
CONFIRMED = text("""
    SELECT a.reference, p.conversation_id FROM booking_appointments a
      JOIN booking_patients p ON p.id = a.patient_id
     WHERE a.status = 'confirmed'
""")


def check_bookings(database_url: str, records: Iterable[Record]) -> BookingCheck:
    records = list(records)
    senders: Set[str] = {str(r["sender"]) for r in records}
    shown: Set[str] = {ref for r in records for ref in r["references"]}  # type: ignore[union-attr]
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            overlapping = connection.execute(OVERLAPS).scalar() or 0
            confirmed = {ref: conv for ref, conv in connection.execute(CONFIRMED)}
    finally:
        engine.dispose()
    ours = {ref for ref, conv in confirmed.items() if conv in senders}
    return BookingCheck(confirmed=len(ours), shown=len(shown), overlapping=int(overlapping),
                        shown_not_confirmed=sorted(shown - set(confirmed)),
                        confirmed_not_shown=sorted(ours - shown))
