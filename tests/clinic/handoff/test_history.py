"""The history of resolved conversations: newest first, 20 a page, a search over the
handoff rows whose typed wildcards match only themselves."""
from __future__ import annotations

from datetime import timedelta

from clinic.handoff import history, service
from clinic.handoff.models import Handoff, utcnow
from clinic.handoff.staff import create_staff

PASSWORD = "a long enough password"


def resolve(session, conversation_id, channel="whatsapp", staff="sara", outcome="answered", minutes_ago=0):
    handoff = service.open_handoff(session, conversation_id=conversation_id, channel=channel, reason="asked",
                                   priority="normal")
    service.resolve(session, handoff.id, staff, outcome)
    session.get(Handoff, handoff.id).resolved_at = utcnow() - timedelta(minutes=minutes_ago)
    return handoff.id


def test_newest_first_twenty_a_page_open_ones_left_out(factory):
    with factory.begin() as session:
        ids = [resolve(session, f"wa-97150000{n:04d}", minutes_ago=100 - n) for n in range(45)]
        service.open_handoff(session, conversation_id="still-open", channel="socketio", reason="asked",
                             priority="normal")
    with factory() as session:
        first = history.resolved_page(session)
        assert (first.total, first.pages, first.page) == (45, 3, 1)
        assert [h.id for h in first.items] == ids[::-1][:20]
        last = history.resolved_page(session, page="3")
        assert [h.id for h in last.items] == ids[::-1][40:]
        assert history.resolved_page(session, page="99").page == 3  # past the end: the last page
        for bad in ("0", "-2", "two", None, "1e9"):
            assert history.resolved_page(session, page=bad).page == 1


def test_search_by_number_id_staff_and_outcome(factory):
    with factory.begin() as session:
        create_staff(session, "sara", "Sara", PASSWORD)
        create_staff(session, "omar", "Omar", PASSWORD)
        wa = resolve(session, "wa-971500000001")
        web = resolve(session, "web-0123abcd", channel="socketio", staff="omar", outcome="called_patient")
    with factory() as session:
        def found(query):
            return [h.id for h in history.resolved_page(session, query).items]
        assert found("+971 50 000 0001") == [wa]  # typed with + and spaces
        assert found("0123ABCD") == [web]  # case-insensitive
        assert found("omar") == [web] and found("Sara") == [wa]  # who resolved it
        assert found("called") == [web]
        assert found("nothing like this") == []


def test_wildcards_and_quotes_are_plain_text(factory):
    with factory.begin() as session:
        plain = resolve(session, "web-plain")
        odd = resolve(session, "web-50%_off\\x")
    with factory() as session:
        def found(query):
            return [h.id for h in history.resolved_page(session, query).items]
        assert found("%") == [odd] and found("_") == [odd] and found("\\") == [odd]
        assert found("web-%") == []  # not "web-" followed by anything
        assert found("' OR '1'='1") == []
        assert sorted(found("")) == sorted([plain, odd])
        assert history.clean_query("x" * 500 + "\x00") == "x" * history.MAX_QUERY_CHARS


def test_like_pattern_escapes():
    assert history.like_pattern("50%_a\\b") == "%50\\%\\_a\\\\b%"
