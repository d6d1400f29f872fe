"""Resolved conversations for the staff console's history view (issue 18): newest first,
a page at a time, with a search box.

Queries only, no I/O beyond the session: the console (:mod:`console.staff`) calls
:func:`resolved_page` and adds what the conversation itself says (name, number, language,
last message) from Rasa for the rows of the page shown.

What the search reads: the handoff rows: the conversation id (a WhatsApp or Twilio id
holds the patient's number, ``wa-971500000001``, so "+971 50 000 0001" or "050 000 0001"
finds it), the channel, the outcome and who resolved it (username or first name); and,
given the tracker store's engine (Rasa's ``events`` table, which may be another database:
:func:`conversations_matching`), the patient's own messages and the name and mobile
number slots. Every query is parameterised ``LIKE``, with ``%``, ``_`` and the escape
character escaped, so typed wildcards match themselves; case-insensitive (Arabic too:
Rasa stores event JSON with ``\\uXXXX`` escapes, which the pattern matches, and each hit is
confirmed on the decoded text).
"""
from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass, field
from typing import List, Optional

from sqlalchemy import and_, column, func, inspect, or_, select, table
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from clinic.handoff.models import RESOLVED, Handoff, StaffAccount
from clinic.handoff.transcript import NAME_SLOTS, PHONE_SLOTS

PAGE_SIZE = 20
MAX_QUERY_CHARS = 100
MAX_PAGE = 10_000
ESCAPE = "\\"
MIN_NUMBER_DIGITS = 4  # a query with this many digits also matches them without spaces, + or dashes
MAX_MATCHED_CONVERSATIONS = 500  # conversations a text search may add (newest events first)
MAX_SCANNED_EVENTS = 5000  # candidate events decoded per search
TRACKER_TABLE = "events"
IDENTITY_SLOTS = NAME_SLOTS + PHONE_SLOTS
logger = logging.getLogger(__name__)


def like_pattern(text: str) -> str:
    """``%text%`` for ``LIKE ... ESCAPE '\\'``, the text's own ``\\ % _`` matched literally."""
    escaped = text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return f"%{escaped}%"


def clean_query(query: Optional[str]) -> str:
    """The search text as used: trimmed, at most :data:`MAX_QUERY_CHARS`, control characters out."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(query or "")).strip()
    return text[:MAX_QUERY_CHARS]


def clean_page(page: object) -> int:
    """A page number from the query string: 1 for anything that is not a positive whole number."""
    try:
        number = int(str(page))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def _terms(query: str) -> List[str]:
    """The texts to look for: the query, a typed phone number as bare digits and, for a
    local UAE number ("050 000 0001"), without its leading 0 (stored as +97150...)."""
    terms = [query.lower()]
    digits = re.sub(r"\D", "", query)
    if len(digits) >= MIN_NUMBER_DIGITS and digits != query:
        terms.append(digits)
    if len(digits) >= 9 and digits.startswith("0") and not digits.startswith("00"):
        terms.append(digits[1:])
    return terms


def _json_forms(term: str) -> List[str]:
    """How ``term`` appears inside JSON text: as is and with ``\\uXXXX`` escapes (Rasa's)."""
    escaped = json.dumps(term)[1:-1]
    return list(dict.fromkeys([term, escaped]))


def _event_text(data: str, terms: List[str]) -> bool:
    """Whether a stored event (its JSON) really holds a term in the patient's text or the slot's value."""
    try:
        event = json.loads(data)
    except (TypeError, ValueError):
        return False
    value = event.get("text") if event.get("event") == "user" else event.get("value")
    if not isinstance(value, str):
        return False
    value = value.lower()
    return any(t in value or t in re.sub(r"\D", "", value) for t in terms)


def conversations_matching(engine: Engine, query: Optional[str]) -> List[str]:
    """Conversation ids whose patient wrote ``query`` or whose name or mobile number slot
    holds it (Rasa's ``events`` table; none if it does not exist), newest first, at most
    :data:`MAX_MATCHED_CONVERSATIONS`."""
    text = clean_query(query)
    if not text or not inspect(engine).has_table(TRACKER_TABLE):
        return []
    terms = _terms(text)
    events = table(TRACKER_TABLE, column("id"), column("sender_id"), column("type_name"),
                   column("action_name"), column("data"))
    patterns = [func.lower(events.c.data).like(like_pattern(form), escape=ESCAPE)
                for term in terms for form in _json_forms(term)]
    kinds = or_(events.c.type_name == "user",
                and_(events.c.type_name == "slot", events.c.action_name.in_(IDENTITY_SLOTS)))
    query_rows = (select(events.c.sender_id, events.c.data).where(kinds, or_(*patterns))
                  .order_by(events.c.id.desc()).limit(MAX_SCANNED_EVENTS))
    found: List[str] = []
    with engine.connect() as connection:
        for sender_id, data in connection.execute(query_rows):
            if sender_id in found or not _event_text(data, terms):
                continue
            found.append(sender_id)
            if len(found) >= MAX_MATCHED_CONVERSATIONS:
                break
    return found


def _matches(session: Session, query: str, conversations: Optional[List[str]] = None):
    conditions = []
    if conversations:
        conditions.append(Handoff.conversation_id.in_(conversations))
    for term in _terms(query):
        pattern = like_pattern(term)
        conditions += [func.lower(column).like(pattern, escape=ESCAPE)
                       for column in (Handoff.conversation_id, Handoff.channel, Handoff.outcome, Handoff.assigned_to)]
    # who resolved it, by first name: the usernames of staff whose first name matches
    staff = select(StaffAccount.username).where(
        func.lower(StaffAccount.first_name).like(like_pattern(query.lower()), escape=ESCAPE))
    conditions.append(Handoff.assigned_to.in_(staff))
    return or_(*conditions)


@dataclass
class HistoryPage:
    """One page of resolved handoffs, newest first."""

    items: List[Handoff] = field(default_factory=list)
    page: int = 1
    pages: int = 1
    total: int = 0
    query: str = ""
    per_page: int = PAGE_SIZE
    # False when the tracker store could not be searched (only the handoff rows were)
    searched_messages: bool = False


def resolved_page(session: Session, query: Optional[str] = "", page: object = 1,
                  per_page: int = PAGE_SIZE, tracker_engine: Optional[Engine] = None) -> HistoryPage:
    """Resolved handoffs matching ``query`` (all when empty), newest resolution first; a page
    past the end gives the last page. With ``tracker_engine`` the patients' messages and
    name and number slots are searched too (:func:`conversations_matching`); if that
    database cannot be read, the handoff rows alone are (``searched_messages`` False)."""
    text = clean_query(query)
    conditions = [Handoff.status == RESOLVED]
    searched = False
    if text:
        conversations: List[str] = []
        if tracker_engine is not None:
            try:
                conversations, searched = conversations_matching(tracker_engine, text), True
            except SQLAlchemyError as error:
                logger.warning("history search: messages not searched (%s)", type(error).__name__)
        conditions.append(_matches(session, text, conversations))
    total = session.execute(select(func.count()).select_from(Handoff).where(*conditions)).scalar_one()
    pages = max(1, math.ceil(total / per_page))
    number = min(clean_page(page), pages)
    rows = session.execute(
        select(Handoff).where(*conditions)
        .order_by(func.coalesce(Handoff.resolved_at, Handoff.updated_at).desc(), Handoff.id.desc())
        .offset((number - 1) * per_page).limit(per_page)
    ).scalars()
    return HistoryPage(items=list(rows), page=number, pages=pages, total=total, query=text, per_page=per_page,
                       searched_messages=searched)
