"""Transcripts show the buttons patients tapped by their titles, the widget's /greet as a
note, and the console's own lines to the patient as system lines; queue cards get the
patient's name or number and the last message."""
from clinic.handoff.team import bot_event
from clinic.handoff.transcript import last_patient_message, message_items, patient_identity


def user(text, intent="faq"):
    return {"event": "user", "text": text, "timestamp": 1.0, "parse_data": {"intent": {"name": intent}}}


def bot(text, buttons=None, **extra):
    data = {"buttons": buttons} if buttons else {}
    return {"event": "bot", "text": text, "timestamp": 2.0, "data": data, **extra}


OFFER = [{"title": "Talk to a person", "payload": "/human_handoff"}, {"title": "Prices", "payload": "/faq"}]


def test_button_payloads_show_the_title_the_patient_tapped():
    items = message_items([user("/greet", "greet"), bot("Hi! How can I help?", OFFER),
                           user("/human_handoff", "human_handoff"), user("/human_handoff")])
    assert [(i["who"], i["text"]) for i in items] == [
        ("note", "Opened the chat"), ("bot", "Hi! How can I help?"),
        ("patient", "Talk to a person"),
        ("patient", "/human_handoff"),  # typed, not a button offered in the last turn
    ]
    assert items[2]["button"] is True and items[2]["payload"] == "/human_handoff"
    assert "button" not in items[3]


def test_buttons_on_an_earlier_message_of_the_turn_still_count():
    items = message_items([bot("Choose:", OFFER), bot("Or type a question."), user("/faq")])
    assert items[-1]["text"] == "Prices"


def test_staff_and_system_lines_including_the_widgets_custom_payload():
    events = [bot_event("Sara from the clinic has joined the chat.", "system", "socketio", {"staff": "sara"}),
              bot_event("Sara (clinic team): hi", "staff", "socketio", {"staff": "sara"}),
              bot_event("Sara (clinic team): hi", "staff", "whatsapp", {"staff": "sara"}),
              {"event": "bot", "text": "Thanks, we have your message", "metadata": {"handoff_ack": 1}}]
    assert [(i["who"], i["text"]) for i in message_items(events)] == [
        ("system", "Sara from the clinic has joined the chat."), ("staff", "Sara (clinic team): hi"),
        ("staff", "Sara (clinic team): hi"), ("bot", "Thanks, we have your message")]


def test_last_patient_message_and_identity():
    events = [bot("Hi", OFFER), user("/faq"), bot("It costs AED 950.")]
    assert last_patient_message(events)["text"] == "Prices"
    assert last_patient_message([bot("Hi")]) is None
    assert patient_identity({"sender_id": "wa-971500000001", "slots": {}}) == {"name": None, "phone": "+971500000001"}
    slots = {"patient_name": "Amal", "patient_phone": "+971 50 1"}
    assert patient_identity({"sender_id": "web-abc", "slots": slots}) == {"name": "Amal", "phone": "+971 50 1"}
    assert patient_identity({"sender_id": "web-abc", "slots": {"patient_name": "  ", "patient_phone": 5}}) == {
        "name": None, "phone": None}
