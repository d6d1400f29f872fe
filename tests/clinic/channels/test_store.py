"""Durable dedupe, the 24-hour window, media, numbered choices, notes and erasure."""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from clinic.channels import store
from clinic.channels.models import InboundMessage, utcnow


def test_a_message_id_is_claimed_once(factory):
    assert store.claim_message(factory, "wamid.1", "whatsapp", "wa-15550001234") is True
    assert store.claim_message(factory, "wamid.1", "whatsapp", "wa-15550001234") is False
    assert store.claim_message(factory, "wamid.1", "whatsapp", "wa-15550001234") is False
    assert store.claim_message(factory, "wamid.2", "whatsapp", "wa-15550001234") is True


def test_concurrent_claims_of_one_id_have_exactly_one_winner(factory):
    results = []
    barrier = threading.Barrier(8)

    def claim():
        barrier.wait()
        results.append(store.claim_message(factory, "wamid.same", "whatsapp", "wa-1555"))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]
    with factory.begin() as session:
        assert session.scalar(select(func.count()).select_from(InboundMessage)) == 1


def test_the_window_is_open_for_24_hours_after_the_patient_writes(factory):
    now = utcnow()
    assert not store.within_window(factory, "wa-1555", now)
    store.touch_contact(factory, "wa-1555", "whatsapp", now - timedelta(hours=23, minutes=59))
    assert store.within_window(factory, "wa-1555", now)
    assert not store.within_window(factory, "wa-1555", now + timedelta(minutes=2))
    store.touch_contact(factory, "wa-1555", "whatsapp", now)
    assert store.within_window(factory, "wa-1555", now + timedelta(hours=23))
    # an older delivery arriving late does not move the window back
    store.touch_contact(factory, "wa-1555", "whatsapp", now - timedelta(days=3))
    assert store.within_window(factory, "wa-1555", now + timedelta(hours=23))


def test_numbered_choices_map_back_to_payloads(factory):
    store.save_choices(factory, "tw-1555", ["What is it?", "/book_appointment"])
    assert store.choice_payload(factory, "tw-1555", 2) == "/book_appointment"
    assert store.choice_payload(factory, "tw-1555", 3) is None
    assert store.choice_payload(factory, "tw-1555", 0) is None
    assert store.choice_payload(factory, "tw-other", 1) is None
    store.save_choices(factory, "tw-1555", ["Prices"])
    assert store.choice_payload(factory, "tw-1555", 2) is None
    assert store.choice_payload(factory, "tw-1555", 1, now=utcnow() + timedelta(days=2)) is None


def test_media_notes_and_erasure(factory):
    store.record_media(factory, "wa-1555", "whatsapp", "1000000000000004", "image/jpeg")
    store.record_undelivered(factory, "wa-1555", "whatsapp", "outside_window", "Your appointment ...")
    store.claim_message(factory, "wamid.9", "whatsapp", "wa-1555")
    store.touch_contact(factory, "wa-1555", "whatsapp")
    store.record_media(factory, "wa-other", "whatsapp", "x", None)
    with factory.begin() as session:
        assert [m.media_ref for m in store.media_for(session, "wa-1555")] == ["1000000000000004"]
        from clinic.handoff.service import find_open

        assert find_open(session, "wa-1555").reason == "asked"  # staff review the photo
        assert [n.reason for n in store.undelivered_for(session, "wa-1555")] == ["outside_window"]
    with factory.begin() as session:
        assert store.erase_channel_data(session, "wa-1555") == 4
        from clinic.handoff.service import erase_conversation

        erase_conversation(session, "wa-1555")
    with factory.begin() as session:
        assert store.media_for(session, "wa-1555") == []
        assert len(store.media_for(session, "wa-other")) == 1
