import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.message_guard import MessageGuard


def classified(text):
    message = Message({TEXT: text})
    message.set(INTENT, {"name": "greet", "confidence": 0.9}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": "greet", "confidence": 0.9}], add_to_output=True)
    return message


@pytest.mark.parametrize("text", [
    "", "   ", "😀🙏", "؟؟", "——",
    "قیمت چقدر است",           # Persian
    "آپ کی فیس کیا ہے",          # Urdu
    "Сколько стоит сеанс",      # Russian
    "多少钱",
])
def test_messages_it_cannot_read_become_fallback(text):
    [message] = MessageGuard().process([classified(text)])
    assert message.get(INTENT)["name"] == "nlu_fallback"
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "nlu_fallback"
    assert message.get(INTENT_RANKING_KEY)[1]["name"] == "greet"


@pytest.mark.parametrize("text", [
    "hello", "hi 😀", "/human_handoff", "2", "كم سعر mesotherapy",
    "كم سعر الجلسة",              # Arabic (MSA / Gulf): read by the multilingual model
    "شلونكم، ابي احجز موعد باچر",   # Gulf spelling with چ
    "ابي احجز appointment بكرة",   # mixed, mostly Arabic
    "kam el se3r",                 # Arabizi
    "٠٥٠١٢٣٤٥٦٧",                  # a mobile number in Arabic-Indic digits
])
def test_other_messages_keep_the_classifier_result(text):
    [message] = MessageGuard().process([classified(text)])
    assert message.get(INTENT)["name"] == "greet"


def called_off_topic(text):
    message = Message({TEXT: text})
    message.set(INTENT, {"name": "out_of_scope", "confidence": 0.87}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": "out_of_scope", "confidence": 0.87}], add_to_output=True)
    return message


@pytest.mark.parametrize("text", [
    "mumkin maw3ed esteshara bukra sa3a 5?",
    "ابي موعد بكرة الساعة ٥",
    "can i get an appointment tomorrow at 5",
])
def test_a_clear_booking_request_called_off_topic_starts_the_booking(text):
    [message] = MessageGuard().process([called_off_topic(text)])
    assert message.get(INTENT) == {"name": "book_appointment", "confidence": 0.87}
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "book_appointment"


@pytest.mark.parametrize("text", [
    "book me a flight to london tomorrow", "table for 2 at 8pm", "book a table for 2 at 8pm",
    "reserve a room for tomorrow", "what is the weather tomorrow",
])
def test_other_requests_called_off_topic_stay_declined(text):
    [message] = MessageGuard().process([called_off_topic(text)])
    assert message.get(INTENT)["name"] == "out_of_scope"


def read_as(text, ranking):
    """``text`` as the pipeline hands it over: ``ranking`` [(intent, confidence)], best first."""
    message = Message({TEXT: text})
    top = {"name": ranking[0][0], "confidence": ranking[0][1]}
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking], add_to_output=True)
    return message


@pytest.mark.parametrize("text, ranking", [
    ("I AM VERY DISAPPOINTED NO RESULTS AFTER 3 SESSIONS", [("faq", 0.93), ("frustrated", 0.07)]),
    ("i feel cheated", [("nlu_fallback", 0.85), ("frustrated", 0.71), ("faq", 0.2)]),
    ("not happy at all with my treatment", [("nlu_fallback", 0.85), ("frustrated", 0.4), ("faq", 0.3)]),
])
def test_a_complaint_read_as_a_question_or_unsure_becomes_frustrated(text, ranking):
    [message] = MessageGuard().process([read_as(text, ranking)])
    assert message.get(INTENT)["name"] == "frustrated"
    names = [r["name"] for r in message.get(INTENT_RANKING_KEY)]
    assert names[0] == "frustrated" and names.count("frustrated") == 1 and "nlu_fallback" not in names


@pytest.mark.parametrize("text, ranking", [
    ("I'm really upset right now but my credit card has been stolen.", [("out_of_scope", 0.9)]),
    ("i'm so upset, i want to talk to a person", [("human_handoff", 0.95)]),
    ("what if im not happy with the results", [("faq", 0.99)]),
    ("HOW MUCH IS IT", [("faq", 0.99)]),
])
def test_no_complaint_or_a_reading_it_keeps(text, ranking):
    [message] = MessageGuard().process([read_as(text, ranking)])
    assert message.get(INTENT)["name"] == ranking[0][0]


@pytest.mark.parametrize("text, intent, expected", [
    ("salam, mumkin esteshara bukra el sa3a 4?", "reschedule_appointment", "book_appointment"),
    ("mumkin maw3ed esteshara bukra sa3a 5?", "cancel_appointment", "book_appointment"),
    ("can we change my consultation to tomorrow at 4?", "reschedule_appointment", "reschedule_appointment"),
    ("pls cancel my consultation bukra sa3a 5", "cancel_appointment", "cancel_appointment"),
    ("NS-7K3W consultation tomorrow 4pm", "reschedule_appointment", "reschedule_appointment"),
])
def test_a_clear_new_booking_called_a_move_or_cancel_without_such_words_starts_the_booking(text, intent, expected):
    [message] = MessageGuard().process([read_as(text, [(intent, 0.95), ("book_appointment", 0.04)])])
    assert message.get(INTENT)["name"] == expected
