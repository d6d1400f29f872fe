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
