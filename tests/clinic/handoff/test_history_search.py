"""The history search over the patients' own messages and name and number slots, read
from Rasa's events table (clinic.handoff.history.conversations_matching)."""
from __future__ import annotations

import json
import time

import pytest
import sqlalchemy as sa

from clinic.db import make_engine
from clinic.handoff import history
from tests.clinic.handoff.test_history import resolve


@pytest.fixture
def tracker(tmp_path):
    """Rasa's events table as its SQLTrackerStore writes it (JSON with ASCII escapes)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    events = sa.Table("events", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                      sa.Column("sender_id", sa.String(255), index=True), sa.Column("type_name", sa.String(255)),
                      sa.Column("timestamp", sa.Float), sa.Column("intent_name", sa.String(255)),
                      sa.Column("action_name", sa.String(255)), sa.Column("data", sa.Text))
    events.metadata.create_all(engine)

    def add(sender, event):
        with engine.begin() as connection:
            connection.execute(events.insert().values(
                sender_id=sender, type_name=event["event"], timestamp=time.time(),
                intent_name=(event.get("parse_data") or {}).get("intent", {}).get("name"),
                action_name=event.get("name"), data=json.dumps(event)))

    add("web-amal", {"event": "user", "text": "My CHEEK feels warm, is that normal?",
                     "parse_data": {"intent": {"name": "faq"}}})
    add("web-amal", {"event": "slot", "name": "patient_name", "value": "Amal Haddad"})
    add("web-amal", {"event": "slot", "name": "patient_phone", "value": "+971501234567"})
    add("web-noor", {"event": "user", "text": "كم سعر الجلسة؟", "parse_data": {"intent": {"name": "faq"}}})
    add("web-noor", {"event": "bot", "text": "Aftercare: avoid makeup for 24 hours"})  # not the patient's
    add("web-noor", {"event": "slot", "name": "booking_time", "value": "Amal time"})  # not a name slot
    add("web-pct", {"event": "user", "text": "is 100% of the fee a deposit?",
                    "parse_data": {"intent": {"name": "faq"}}})
    yield engine
    engine.dispose()


@pytest.mark.parametrize("query, found", [
    ("cheek", ["web-amal"]),                # a word of the patient's message, any case
    ("amal", ["web-amal"]),                 # the name slot (not a booking slot that holds the word)
    ("050 123 4567", ["web-amal"]),         # a local number finds the stored +97150...
    ("+971 50 123 4567", ["web-amal"]),
    ("سعر الجلسة", ["web-noor"]),           # Arabic, stored as \\u escapes
    ("makeup", []),                         # the bot's words are not searched
    ("faq", []),                            # nor intent names in the parse data
    ("100%", ["web-pct"]),                  # a typed wildcard matches itself only
    ("%", ["web-pct"]),
    ("_", []),
])
def test_conversations_matching(tracker, query, found):
    assert history.conversations_matching(tracker, query) == found


def test_no_events_table_means_no_matches(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert history.conversations_matching(engine, "anything") == []
    engine.dispose()


def test_resolved_page_finds_conversations_by_message_name_and_number(factory, tracker):
    with factory.begin() as session:
        amal = resolve(session, "web-amal", channel="socketio")
        noor = resolve(session, "web-noor", channel="socketio")
        resolve(session, "wa-971509999999")
    with factory() as session:
        assert [h.id for h in history.resolved_page(session, "warm", tracker_engine=tracker).items] == [amal]
        page = history.resolved_page(session, "الجلسة", tracker_engine=tracker)
        assert [h.id for h in page.items] == [noor] and page.searched_messages
        assert history.resolved_page(session, "warm").items == []  # without the tracker store: rows only
        both = history.resolved_page(session, "0501234567", tracker_engine=tracker)
        assert [h.id for h in both.items] == [amal]


def test_an_unreadable_tracker_store_still_searches_the_rows(factory, tmp_path):
    broken = sa.create_engine("postgresql://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1})
    with factory.begin() as session:
        wa = resolve(session, "wa-971509999999")
    with factory() as session:
        page = history.resolved_page(session, "0509999999", tracker_engine=broken)
    assert [h.id for h in page.items] == [wa] and not page.searched_messages
