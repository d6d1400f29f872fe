"""WhatsApp payloads: parsing Meta's webhook formats and rendering outbound messages."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinic.channels import whatsapp as wa

FIXTURES = Path(__file__).parents[2] / "fixtures" / "whatsapp"
PNID = "100000000000001"


def parse(name: str, phone_number_id: str = PNID):
    return wa.parse_notification((FIXTURES / name).read_bytes(), phone_number_id)


def test_text_message():
    [m] = parse("text.json")
    assert (m.kind, m.text, m.wa_id) == (wa.TEXT, "How much does one session cost?", "15550001234")
    assert m.sender_id == "wa-15550001234"
    assert m.metadata == {"channel": "whatsapp", "phone": "+15550001234"}
    assert m.message_id.startswith("wamid.")


def test_button_and_list_replies_carry_the_payload():
    [button] = parse("button_reply.json")
    [row] = parse("list_reply.json")
    assert (button.kind, button.text) == (wa.PAYLOAD, "How much does it cost?")
    assert (row.kind, row.text) == (wa.PAYLOAD, "What are the side effects?")


def test_image_is_media_with_its_id():
    [m] = parse("image.json")
    # the caption travels as the text (clinic.aftercare.photos triages it)
    assert (m.kind, m.media_ref, m.mime_type, m.text) == (wa.MEDIA, "1000000000000004", "image/jpeg", "is this normal?")


@pytest.mark.parametrize("name,type_name", [("sticker.json", "sticker"), ("reaction.json", "reaction"),
                                            ("location.json", "location")])
def test_other_types_are_unsupported(name, type_name):
    [m] = parse(name)
    assert (m.kind, m.type_name) == (wa.UNSUPPORTED, type_name)


def test_status_updates_are_ignored():
    assert parse("status.json") == []


def test_odd_sender_ids_are_skipped():
    assert parse("odd_sender.json") == []


def test_messages_for_another_number_are_skipped():
    assert parse("text.json", phone_number_id="999") == []
    assert len(parse("text.json", phone_number_id="")) == 1


@pytest.mark.parametrize("raw", [b"", b"not json", b"\xff\xfe", b"[]", b'{"entry": 3}',
                                 (FIXTURES / "malformed.json").read_bytes()])
def test_malformed_bodies_raise(raw):
    with pytest.raises(wa.MalformedPayload):
        wa.parse_notification(raw)


def test_the_type_name_is_safe_to_log():
    body = {"entry": [{"changes": [{"value": {"messages": [
        {"id": "wamid.y", "from": "15550001234", "type": "sticker\nFAKE LOG LINE +15550001234"}]}}]}]}
    [m] = wa.parse_notification(json.dumps(body).encode())
    assert m.kind == wa.UNSUPPORTED and m.type_name == "sticker"


def test_odd_shapes_inside_a_notification_are_skipped():
    body = {"entry": [None, {"changes": "x"}, {"changes": [{"value": []}, {"value": {"messages": [
        1, {"id": "wamid.x", "from": "15550001234", "type": "text", "text": {"body": 5}}]}}]}]}
    [m] = wa.parse_notification(json.dumps(body).encode())
    assert m.kind == wa.UNSUPPORTED  # a text without a string body


BUTTONS = [{"title": "What is scar mesotherapy exactly?", "payload": "What is scar reduction mesotherapy?"},
           {"title": "Prices", "payload": "How much does it cost?"},
           {"title": "Book a consultation", "payload": "/book_appointment"}]


def test_up_to_three_buttons_are_reply_buttons_with_cut_titles():
    message = wa.buttons_message("15550001234", "Hello!", BUTTONS)
    interactive = message["interactive"]
    assert message["to"] == "15550001234" and interactive["type"] == "button"
    replies = [b["reply"] for b in interactive["action"]["buttons"]]
    assert [r["id"] for r in replies] == [b["payload"] for b in BUTTONS]
    assert all(len(r["title"]) <= 20 for r in replies)
    assert replies[0]["title"] == "What is scar mesoth…"
    assert replies[2]["title"] == "Book a consultation"


def test_more_than_three_buttons_become_a_list_of_at_most_ten_rows():
    many = BUTTONS + [{"title": f"Option number {i} with a long title", "payload": f"/opt{i}"} for i in range(12)]
    interactive = wa.buttons_message("15550001234", "Choose", many)["interactive"]
    assert interactive["type"] == "list"
    assert len(interactive["action"]["button"]) <= 20
    rows = interactive["action"]["sections"][0]["rows"]
    assert len(rows) == 10
    assert all(len(r["title"]) <= 24 and len(r["id"]) <= 200 for r in rows)
    assert rows[0]["description"].startswith("What is scar mesotherapy")
    assert "description" not in rows[1]


def test_button_body_is_never_empty_and_long_payloads_fall_back_to_the_title():
    message = wa.buttons_message("1", "", [{"title": "Yes", "payload": "x" * 300}])
    assert message["interactive"]["body"]["text"]
    assert message["interactive"]["action"]["buttons"][0]["reply"]["id"] == "Yes"


def test_text_template_and_image_messages():
    assert wa.text_message("1", "é" * 5000)["text"]["body"] == "é" * 4096
    template = wa.template_message("1", "follow_up", "en")
    assert template["template"] == {"name": "follow_up", "language": {"code": "en"}}
    assert wa.image_message("1", "https://x/y.png")["image"] == {"link": "https://x/y.png"}
