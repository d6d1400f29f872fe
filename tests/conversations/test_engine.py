"""The judge of the conversation runner, without a stack."""
from datetime import datetime, timezone

import pytest

from tests.conversations import engine
from tests.conversations.engine import (BotTurn, GOALS, PLACEHOLDERS, ResponseIndex, Row, count_reasks,
                                        is_explicit_yes, load_conversations, want_failures)

NOW = datetime(2026, 11, 26, 7, 0, tzinfo=timezone.utc)  # Thursday 11:00 in Dubai


def test_the_conversation_set_is_large_and_well_formed():
    conversations = load_conversations()
    assert len(conversations) >= 60
    assert len({c.id for c in conversations}) == len(conversations)
    for c in conversations:
        assert c.goal in GOALS, c.id
        assert c.turns, c.id
        if c.goal in ("cancelled", "rescheduled"):
            assert c.seed, c.id
        for turn in c.turns:
            for placeholder in ("{pick_time}", "{type_time}", "{consent}"):
                assert placeholder not in turn or turn == placeholder, c.id
    by_category = {}
    for c in conversations:
        by_category[c.category] = by_category.get(c.category, 0) + 1
    assert by_category["booking"] >= 25 and by_category["cancel"] >= 10 and by_category["reschedule"] >= 10
    assert PLACEHOLDERS


def test_only_an_explicit_yes_counts():
    for text in ("yes", "yes cancel it", "ok", "ok ok book it", "haan yes", "yalla yes", "go ahead", "/affirm",
                 "yes please do the needful", "Yess", "نعم", "اوكي", "نعم احجزه", "تمام", "ee yes", "tamam yes",
                 "aywa"):
        assert is_explicit_yes(text), text
    for text in ("no", "not now", "actually no, let me check with my husband first", "yes but wait",
                 "ok leave it", "thanks", "never mind", "okay no", "stop", "لا", "نعم بس مو الحين", "اين",
                 "اوكي بعدين", "la tamam", "tamam ba3dain", "ee la", "layla"):
        assert not is_explicit_yes(text), text


def test_bot_messages_are_named_by_their_response():
    index = ResponseIndex()
    assert index.name("What name should I make the booking under?") == "utter_ask_patient_name"
    assert index.name("Shall I cancel your appointment NS-7K3W?") == "utter_confirm_cancel"
    assert index.name("something the bot never says") is None


def test_a_question_asked_again_right_away_is_a_reask():
    ask = BotTurn(["name?"], ["utter_ask_patient_name"], [])
    again = BotTurn(["name again"], ["utter_booking_name_invalid"], [])
    faq = BotTurn(["answer", "name?"], ["utter_faq", "utter_ask_patient_name"], [])
    assert count_reasks([ask, again]) == 1
    assert count_reasks([ask, ask]) == 1
    assert count_reasks([ask, faq]) == 0  # a question answered, then the form goes on


def test_wants_are_checked_against_the_booked_row():
    row = Row("NS-AAAA", "confirmed", datetime(2026, 11, 26, 14, 0, tzinfo=timezone.utc), "consultation",
              "Priya Nair", "+971509876543")  # Thursday 18:00 in Dubai
    assert want_failures({"service": "consultation", "weekday": "thursday", "after": "17:30"}, row, NOW) == []
    assert want_failures({"weekday": "friday", "before": "12:00"}, row, NOW) == ["weekday thursday",
                                                                               "time not before 12:00"]


def test_placeholders_answer_only_what_the_bot_asks():
    from tests.conversations.engine import CONSENT_REPLY, NO_TIME_OFFERED, Runner

    runner = Runner.__new__(Runner)
    slot = {"title": "Thu 14 Jan, 5:30 pm", "payload": '/inform{"slot_start": "2027-01-14T17:30:00+04:00"}'}
    offer = BotTurn(["Here are the free times"], ["utter_booking_slots"], [slot])
    consent = BotTurn(["May we keep..."], ["utter_ask_contact_consent"], [])
    no_buttons = BotTurn(["Here are the earliest free times"], ["utter_ask_slot_start"], [])
    assert runner._user_text("{pick_time}", offer, {}) == (slot["payload"], False)
    assert runner._user_text("{type_time}", offer, {}) == (slot["title"], False)
    assert runner._user_text("{pick_time}", no_buttons, {}) == (NO_TIME_OFFERED, True)
    assert runner._user_text("{pick_time}", consent, {}) == (None, False)  # the time is already settled
    assert runner._user_text("{consent}", consent, {}) == (CONSENT_REPLY, False)
    assert runner._user_text("{consent}", offer, {}) == (None, False)
    assert runner._user_text("cancel {reference}", offer, {"{reference}": "NS-7K3W"}) == ("cancel NS-7K3W", False)


def test_changes_between_two_reads_of_the_diary():
    from tests.conversations.engine import diff

    start = datetime(2027, 1, 18, 8, 0, tzinfo=timezone.utc)
    held = Row("NS-AAAA", "held", start, "consultation", "A B", "+971501234567")
    booked = Row("NS-AAAA", "confirmed", start, "consultation", "A B", "+971501234567")
    moved = Row("NS-AAAA", "confirmed", start.replace(hour=9), "consultation", "A B", "+971501234567")
    cancelled = Row("NS-AAAA", "cancelled", start.replace(hour=9), "consultation", "A B", "+971501234567")
    assert diff({}, {1: held}) == [("held", 1)]
    assert diff({1: held}, {1: booked}) == [("confirmed", 1)]
    assert diff({1: booked}, {1: moved}) == [("moved", 1)]
    assert diff({1: moved}, {1: cancelled}) == [("cancelled", 1)]
    assert diff({1: held}, {}) == [("released", 1)]


def test_seeded_references_are_valid_and_the_same_on_every_run():
    from clinic.booking.references import normalise_reference
    from tests.conversations.engine import seed_reference

    refs = {seed_reference(c.id) for c in load_conversations() if c.seed}
    assert len(refs) == sum(1 for c in load_conversations() if c.seed)
    assert all(normalise_reference(r) == r for r in refs)
    assert seed_reference("cancel-001") == seed_reference("cancel-001")


@pytest.mark.parametrize("text", [
    "حسنًا، لم يُحجز أي موعد. إذا أردت موعدًا لاحقًا، اطلب مني الحجز مجددًا.",
    "حسنًا، لم أُلغِ أي شيء: موعدك ما زال محجوزًا.",
    "Okay, nothing is booked.",
])
def test_the_judge_reads_nothing_changed_in_arabic_and_english(text):
    assert engine._TOLD_NOTHING.search(engine._plain(text))


def test_the_judge_reads_an_arabic_cancellation_and_handoff_but_not_a_question():
    assert engine._TOLD_CANCELLED.search(engine._plain("أُلغي موعدك NS-7K3W في الخميس."))
    assert engine._TOLD_HANDED_OFF.search(engine._plain("حوّلت محادثتك إلى فريقنا."))
    assert not engine._TOLD_NOTHING.search(engine._plain("هل أُلغي موعدك؟"))


def test_a_booking_cancelled_in_the_same_conversation_is_told_as_nothing_booked():
    from tests.conversations.engine import tells_nothing_booked

    start = {}
    booked = {7: Row("NS-KR6G", "confirmed", NOW, "consultation", "Anil Kumar", "+971509632587")}
    undone = {7: Row("NS-KR6G", "cancelled", NOW, "consultation", "Anil Kumar", "+971509632587")}
    told = "Your appointment NS-KR6G on Tuesday 19 January at 10:00 am is cancelled."
    assert tells_nothing_booked(told, start, undone)
    assert not tells_nothing_booked(told, start, booked)  # still booked: the cancellation was not made
    assert not tells_nothing_booked("Your appointment NS-ZZZZ is cancelled.", start, undone)  # another one
    assert not tells_nothing_booked(told, undone, undone)  # a seeded booking cancelled is no "nothing booked"
    assert tells_nothing_booked("OK, nothing is booked.", start, {})
