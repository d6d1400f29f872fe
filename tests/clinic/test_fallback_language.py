"""clinic.fallback in the conversation's language: other scripts, Arabic buttons."""
import pytest

from clinic.fallback import FallbackDecision, buttons, decide
from clinic.topics import load_topics

TOPICS = load_topics()
INTENTS = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "faq", "confidence": 0.40}]
FAQ = [{"intent_response_key": "faq/price", "confidence": 0.60},
       {"intent_response_key": "faq/payment", "confidence": 0.35}]


@pytest.mark.parametrize("text", ["قیمت چقدر است", "قیمت کیا ہے", "Сколько стоит", "多少钱"])
def test_another_script_gets_the_bilingual_offer_then_a_person(text):
    assert decide(text, INTENTS, FAQ, failures_in_a_row=1, topics=TOPICS).kind == "other_language"
    # never the same refusal in a loop: the second such message goes to a person
    assert decide(text, INTENTS, FAQ, failures_in_a_row=2, topics=TOPICS).kind == "offer_human"


@pytest.mark.parametrize("text", ["كم سعر الجلسه؟؟", "kam el se3r", "how mch"])
def test_arabic_arabizi_and_english_get_did_you_mean(text):
    decision = decide(text, INTENTS, FAQ, failures_in_a_row=1, topics=TOPICS)
    assert decision.kind == "did_you_mean"
    assert [t.name for t in decision.topics] == ["faq/price", "faq/payment"]


def test_emoji_and_empty_keep_their_own_answers():
    assert decide("", INTENTS, FAQ, 3, TOPICS).kind == "empty"
    assert decide("🙏🙏", INTENTS, FAQ, 3, TOPICS).kind == "no_words"


def test_buttons_in_english_and_arabic():
    decision = FallbackDecision("did_you_mean", [TOPICS["faq/price"], TOPICS["human_handoff"]])
    en = buttons(decision, TOPICS, "en")
    ar = buttons(decision, TOPICS, "ar")
    assert en == [{"title": "Prices", "payload": "How much does it cost?"},
                  {"title": "Talk to a person", "payload": "/human_handoff"}]
    assert [b["payload"] for b in ar] == [b["payload"] for b in en]  # the same questions, understood
    assert all(any("\u0600" <= ch <= "\u06FF" for ch in b["title"]) for b in ar)
    assert buttons(FallbackDecision("offer_human"), TOPICS, "ar") is None


def test_every_topic_has_an_arabic_label():
    for topic in TOPICS.values():
        assert topic.label_ar and any("\u0600" <= ch <= "\u06FF" for ch in topic.label_ar), topic.name
        assert topic.label_in("ar") == topic.label_ar and topic.label_in("en") == topic.label


def test_clicking_a_did_you_mean_button_keeps_an_arabic_conversation_arabic():
    from clinic.language import conversation_language

    for topic in TOPICS.values():
        assert conversation_language(["كم السعر", topic.ask]) == "ar", topic.ask
    assert conversation_language(["كم السعر", "How much does it cost, and do you take cards?"]) == "en"


@pytest.mark.parametrize("text", ["عربي", "بالعربي لو سمحت", "3arabi", "English please", "انجليزي لو سمحت"])
def test_a_language_request_the_model_missed_is_confirmed(text):
    assert decide(text, INTENTS, FAQ, failures_in_a_row=1, topics=TOPICS).kind == "switch_language"
    assert decide(text, INTENTS, FAQ, failures_in_a_row=3, topics=TOPICS).kind == "switch_language"
