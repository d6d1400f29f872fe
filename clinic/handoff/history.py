"""Resolved conversations for the staff console's history view (issue 18): newest first,
a page at a time, with a search box.

Queries only, no I/O beyond the session: the console (:mod:`console.staff`) calls
:func:`resolved_page` and adds what the conversation itself says (name, number, language,
last message) from Rasa for the rows of the page shown.

What the search reads: the handoff rows (the transcripts live in Rasa's tracker store,
which may be another database): the conversation id (a WhatsApp or Twilio id holds the
patient's number, ``wa-971500000001``, so "+971 50 000 0001" finds it), the channel, the
outcome and who resolved it (username or first name). The query is one parameterised
``LIKE`` per column, with ``%``, ``_`` and the escape character escaped, so typed
wildcards match themselves; case-insensitive.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import List, Optional

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from clinic.handoff.models import RESOLVED, Handoff, StaffAccount

PAGE_SIZE = 20
MAX_QUERY_CHARS = 100
MAX_PAGE = 10_000
ESCAPE = "\\"
MIN_NUMBER_DIGITS = 4  # a query with this many digits also matches them without spaces, + or dashes


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
    """The texts to look for: the query, and a typed phone number as bare digits."""
    terms = [query.lower()]
    digits = re.sub(r"\D", "", query)
    if len(digits) >= MIN_NUMBER_DIGITS and digits != query:
        terms.append(digits)
    return terms


def _matches(session: Session, query: str):
    conditions = []
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


def resolved_page(session: Session, query: Optional[str] = "", page: object = 1,
                  per_page: int = PAGE_SIZE) -> HistoryPage:
    """Resolved handoffs matching ``query`` (all when empty), newest resolution first; a page
    past the end gives the last page."""
    text = clean_query(query)
    conditions = [Handoff.status == RESOLVED]
    if text:
        conditions.append(_matches(session, text))
    total = session.execute(select(func.count()).select_from(Handoff).where(*conditions)).scalar_one()
    pages = max(1, math.ceil(total / per_page))
    number = min(clean_page(page), pages)
    rows = session.execute(
        select(Handoff).where(*conditions)
        .order_by(func.coalesce(Handoff.resolved_at, Handoff.updated_at).desc(), Handoff.id.desc())
        .offset((number - 1) * per_page).limit(per_page)
    ).scalars()
    return HistoryPage(items=list(rows), page=number, pages=pages, total=total, query=text, per_page=per_page)
