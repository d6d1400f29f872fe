"""What patients see of the clinic team: names and roles, joined/left lines, closing
messages per outcome, in English and Arabic, and how each reaches the widget."""
import re

import pytest

from clinic.handoff import team


def test_labels_and_signatures_name_the_member_of_staff_and_role():
    assert team.label("Sara", "nurse") == "Sara (Nurse, clinic team)"
    assert team.label("Omar", None) == "Omar (clinic team)"
    assert team.label("Sara", "nurse", "ar") == "Sara (ممرض/ة، فريق العيادة)"
    assert team.sign("Sara", "nurse", "  Hello Amal \n") == "Sara (Nurse, clinic team): Hello Amal"
    assert team.sign("Sara", None, "أهلًا", "ar") == "Sara (فريق العيادة): أهلًا"


def test_joined_and_left_lines_in_both_languages():
    assert team.joined_line("Sara", "nurse") == "Sara (Nurse) from the clinic has joined the chat."
    assert team.joined_line("Sara", None) == "Sara from the clinic has joined the chat."
    arabic = team.joined_line("Sara", "nurse", "ar")
    assert arabic.startswith("Sara (ممرض/ة)") and "العيادة" in arabic
    left = team.left_line("Sara")
    assert left.startswith("Sara has left the chat.") and "virtual assistant is back" in left
    assert "المساعد الآلي" in team.left_line("Sara", "ar")


@pytest.mark.parametrize("outcome", list(team.OUTCOMES))
@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_outcome_has_a_closing_message_with_the_clinic_phone(outcome, language):
    message = team.closing_message(outcome, "Sara", language)
    assert "{" not in message and "}" not in message
    assert re.search(r"\+971 4 000 0000|the clinic's number", message)
    script = r"[\u0600-\u06FF]" if language == "ar" else r"^[A-Za-z]"
    assert re.search(script, message)


def test_a_name_is_never_read_as_a_template():
    assert "{clinic_phone}" in team.left_line("{clinic_phone}")
    assert team.label("{x}", None) == "{x} (clinic team)"


def test_false_alarm_closing_keeps_the_safety_net():
    message = team.closing_message("false_alarm", "Sara")
    assert "998" in message and "call us" in message


def test_unknown_outcomes_and_roles_are_refused_clearly():
    for bad in (None, "", "resolved", "handed_back", 5):
        with pytest.raises(team.TeamError, match="Choose an outcome"):
            team.check_outcome(bad)
    assert team.check_role(" Nurse ") == "nurse" and team.check_role("") is None and team.check_role(None) is None
    with pytest.raises(team.TeamError, match="Unknown role"):
        team.check_role("surgeon")


def test_resolve_sends_the_closing_message_and_says_staff_left_only_if_they_joined():
    waiting = team.resolve_messages("called_patient", "Sara", was_active=False)
    active = team.resolve_messages("answered", "Sara", was_active=True, language="ar")
    assert [kind for kind, _ in waiting] == ["system"] and "phone" in waiting[0][1]
    assert len(active) == 2 and "المساعد الآلي" in active[1][1]


def test_widget_gets_the_text_once_with_a_class_other_channels_plain_text():
    widget = team.bot_event("Sara (clinic team): hi", "staff", "socketio", {"staff": "sara", "handoff_id": 1})
    assert widget["text"] is None
    assert widget["data"]["custom"] == {"data": {"text": "Sara (clinic team): hi",
                                                 "metadata": {"customCss": {"style": "class", "css": "rw-staff"}}}}
    assert widget["metadata"] == {"staff": "sara", "handoff_id": 1, "kind": "staff"}
    line = team.bot_event("Sara has left the chat.", "system", "socketio", {"staff": "sara"})
    assert line["data"]["custom"]["data"]["metadata"]["customCss"]["css"] == "rw-system"
    whatsapp = team.bot_event("Sara (clinic team): hi", "staff", "whatsapp", {"staff": "sara"})
    assert whatsapp == {"event": "bot", "text": "Sara (clinic team): hi",
                        "metadata": {"staff": "sara", "kind": "staff"}}
