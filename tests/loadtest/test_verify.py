"""The load test's checks must catch what they are for: lost, duplicated, reordered or
unanswered messages."""
from __future__ import annotations

import random

from loadtest.conversations import BOOKING_MESSAGES, Burst, Say, booker, start
from loadtest.verify import check_conversation


def rec(index: int, group: int, text: str, status: int = 200, apology: bool = False) -> dict:
    return {"index": index, "group": group, "text": text, "status": status, "replies": 1,
            "apology": apology, "error": None, "references": [], "sent": 10.0 * group, "done": 10.0 * group + 1}


def user(text: str, at: float = None) -> dict:
    return {"event": "user", "text": text} if at is None else {"event": "user", "text": text, "timestamp": at}


BOT = {"event": "bot", "text": "answer"}
SENT = [rec(0, 0, "hi"), rec(1, 1, "a"), rec(2, 1, "b"), rec(3, 2, "price?")]


def test_a_complete_conversation_passes_and_burst_order_is_free():
    events = [user("hi"), BOT, user("b"), BOT, user("a"), BOT, user("price?"), BOT]
    assert check_conversation("s", SENT, events) == []


def test_a_missing_message_is_caught():
    events = [user("hi"), BOT, user("a"), BOT, user("b"), BOT]
    assert check_conversation("s", SENT, events) == ["s: answered message 'price?' (#3) is missing"]


def test_a_duplicated_message_is_caught():
    events = [user("hi"), BOT, user("a"), BOT, user("b"), BOT, user("price?"), BOT, user("price?"), BOT]
    [problem] = check_conversation("s", SENT, events)
    assert "'price?' was not sent then" in problem


def test_messages_out_of_order_are_caught():
    events = [user("hi"), BOT, user("price?"), BOT, user("a"), BOT, user("b"), BOT]
    problems = check_conversation("s", SENT, events)
    assert any("out of order" in p for p in problems)


def test_a_message_without_a_bot_reply_is_caught():
    events = [user("hi"), BOT, user("a"), user("b"), BOT, user("price?"), BOT]
    assert check_conversation("s", SENT, events) == ["s: no bot reply stored after 'a'"]


def test_a_message_that_got_the_apology_may_be_missing_but_not_doubled():
    sent = SENT[:3] + [rec(3, 2, "price?", status=503, apology=True)]
    assert check_conversation("s", sent, [user("hi"), BOT, user("a"), BOT, user("b"), BOT]) == []


def test_a_repeated_question_is_matched_by_when_it_was_stored():
    sent = [rec(0, 0, "where are you?"), rec(1, 1, "where are you?", status=503, apology=True),
            rec(2, 2, "where are you?")]  # asked again after the apology
    stored = [user("where are you?", 0.5), BOT, user("where are you?", 20.5), BOT]
    assert check_conversation("s", sent, stored) == []
    lost = [user("where are you?", 0.5), BOT]
    assert check_conversation("s", sent, lost) == ["s: answered message 'where are you?' (#2) is missing"]


def test_the_same_question_twice_in_one_burst_is_matched_by_when_each_was_answered():
    slow, quick = rec(1, 1, "makeup?"), rec(2, 1, "makeup?")
    slow.update(sent=10.0, done=12.5)
    quick.update(sent=10.0, done=10.1)
    stored = [user("hi", 0.5), BOT, user("makeup?", 10.09), BOT, user("makeup?", 12.4), BOT]
    assert check_conversation("s", [rec(0, 0, "hi"), slow, quick], stored) == []


def test_a_booker_follows_the_buttons_it_is_offered():
    rng = random.Random(3)
    conversation = booker(rng, BOOKING_MESSAGES)
    steps = [next(conversation)]
    replies = [[{"text": "hello"}], [{"text": "Which service?", "buttons": [
        {"title": "Consultation", "payload": '/choose_service{"service": "consultation"}'}]}],
        [{"text": "Times:", "buttons": [{"title": "10:00", "payload": '/choose_slot{"slot_start": "x"}'}]}]]
    for reply in replies:
        steps.append(conversation.send(reply))
    assert [s.text for s in steps[1:]] == ["I'd like to book a consultation please",
                                           '/choose_service{"service": "consultation"}',
                                           '/choose_slot{"slot_start": "x"}']


def test_conversations_have_the_planned_length_and_bursts():
    rng = random.Random(7)
    for _ in range(50):
        conversation, sent, replies = start(rng, 20), 0, None
        try:
            while True:
                step = conversation.send(replies) if sent else next(conversation)
                count = len(step.texts) if isinstance(step, Burst) else 1
                assert isinstance(step, (Say, Burst))
                sent += count
                replies = [[]] * count if isinstance(step, Burst) else []
        except StopIteration:
            pass
        assert sent == 20  # a booker offered no buttons asks questions instead
