"""Twilio forms in, numbered choices out."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinic.channels import twilio as tw

FIXTURES = Path(__file__).parents[2] / "fixtures" / "twilio"
ACCOUNT = "AC00000000000000000000000000000001"


def form(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_text_message():
    m = tw.parse_form(form("text.json"), ACCOUNT)
    assert (m.sender_id, m.text, m.metadata) == ("tw-15550001234", "Where is the clinic?",
                                                 {"channel": "twilio", "phone": "+15550001234"})
    assert m.message_sid == "SM11111111111111111111111111111111"


def test_button_reply_carries_the_payload_and_image_the_media():
    assert tw.parse_form(form("button_reply.json")).button_payload == "How much does it cost?"
    image = tw.parse_form(form("image.json"))
    assert image.text == "" and image.media[0][1] == "image/jpeg"


def test_a_form_without_body_is_a_message_with_no_text():
    m = tw.parse_form(form("no_body.json"))
    assert m.text == "" and m.media == ()


def test_status_callback_is_not_a_message():
    assert tw.parse_form(form("status.json")) is None


@pytest.mark.parametrize("change", [{"From": "whatsapp:<script>alert(1)</script>"}, {"From": ""},
                                   {"MessageSid": "", "SmsMessageSid": ""}, {"MessageSid": "'; DROP"},
                                   {"AccountSid": "AC99999999999999999999999999999999"}])
def test_malformed_forms_raise(change):
    with pytest.raises(tw.MalformedForm):
        tw.parse_form({**form("text.json"), **change}, ACCOUNT)


def test_numbered_choices_round_trip():
    text, payloads = tw.numbered_choices("Hello!", [{"title": "What is it?", "payload": "What is it?"},
                                                    {"title": "Book", "payload": "/book_appointment"}])
    assert text.startswith("Hello!\n\n1. What is it?\n2. Book\n\n")
    assert payloads == ["What is it?", "/book_appointment"]
    assert tw.chosen_number(" 2. ") == 2 and tw.chosen_number("2)") == 2
    assert tw.chosen_number("2 please") is None and tw.chosen_number("٢") is None


def test_numbered_choices_are_capped_at_ten():
    _, payloads = tw.numbered_choices("", [{"title": str(i), "payload": str(i)} for i in range(15)])
    assert len(payloads) == 10
