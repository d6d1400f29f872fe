"""clinic.handoff.reply: what a patient is told at a handoff, and whether the bot pauses."""
from datetime import datetime, timezone

import pytest

from clinic.facts import load_facts
from clinic.handoff.models import REASONS
from clinic.handoff.reply import RESPONSES, handoff_reply
from clinic.handoff.service import bot_stays_on
from clinic.settings import PROJECT_ROOT

FACTS = load_facts(PROJECT_ROOT / "clinic.yml")
MONDAY_NOON = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)       # 12:00 in Dubai
SATURDAY_EVENING = datetime(2026, 11, 28, 15, 0, tzinfo=timezone.utc)  # 19:00, closed till Monday


def names(reply):
    return [name for name, _ in reply.messages]


@pytest.mark.parametrize("reason", sorted(REASONS))
def test_an_unrecorded_handoff_is_said_honestly_and_never_pauses(reason):
    reply = handoff_reply(reason, None, FACTS, MONDAY_NOON)
    assert (names(reply), reply.pause) == (["utter_handoff_unavailable"], False)


def test_asking_for_a_person_pauses_and_says_when_someone_replies():
    reply = handoff_reply("asked", True, FACTS, MONDAY_NOON)
    assert (names(reply), reply.pause) == (["utter_handoff_open_hours"], True)
    reply = handoff_reply("asked", False, FACTS, MONDAY_NOON)  # already open: still told, still paused
    assert reply.messages == [("utter_handoff_open_hours", {})] and reply.pause


def test_while_the_clinic_is_closed_nobody_is_left_in_silence_until_it_opens():
    # Saturday evening: nobody replies before Monday; the bot goes on answering questions
    reply = handoff_reply("asked", True, FACTS, SATURDAY_EVENING)
    assert reply.messages == [("utter_handoff_closed", {"next_opening": "on Monday at 10:00"}),
                              ("utter_handoff_keep_asking", {})] and not reply.pause
    reply = handoff_reply("asked", False, FACTS, SATURDAY_EVENING)  # asked again: the team already has it
    assert (names(reply), reply.pause) == (["utter_handoff_already_waiting"], False)


def test_not_understood_keeps_the_bot_on_and_does_not_repeat_itself():
    reply = handoff_reply("not_understood", True, FACTS, SATURDAY_EVENING)
    assert (names(reply), reply.pause) == (["utter_handoff_closed", "utter_handoff_keep_asking"], False)
    reply = handoff_reply("not_understood", False, FACTS, SATURDAY_EVENING)
    assert (names(reply), reply.pause) == (["utter_handoff_already_waiting"], False)


def test_a_warning_sign_gets_the_urgent_reply_and_leaves_the_bot_answering():
    for opened in (True, False):
        reply = handoff_reply("urgent", opened, FACTS, SATURDAY_EVENING)
        assert (names(reply), reply.pause) == (["utter_handoff_urgent"], False)


@pytest.mark.parametrize("reason", sorted(REASONS))
def test_the_bot_pauses_exactly_when_it_does_not_stay_on(reason):
    assert handoff_reply(reason, True, FACTS, MONDAY_NOON).pause is not bot_stays_on(reason)


def test_every_reply_is_a_named_response():
    for reason in REASONS:
        for opened in (True, False, None):
            for now in (MONDAY_NOON, SATURDAY_EVENING):
                assert set(names(handoff_reply(reason, opened, FACTS, now))) <= set(RESPONSES.values())
