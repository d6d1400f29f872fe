"""action_did_you_mean run directly with a rasa-sdk Tracker and CollectingDispatcher."""
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionDidYouMean
from clinic.topics import load_topics

TOPICS = load_topics()


def user_event(intent):
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent, "confidence": 0.3}}}


def tracker(text, previous_intents=(), faq_ranking=None, intent_ranking=None):
    latest = {
        "text": text,
        "intent": {"name": "nlu_fallback", "confidence": 0.45},
        "intent_ranking": intent_ranking or [
            {"name": "nlu_fallback", "confidence": 0.45},
            {"name": "faq", "confidence": 0.41},
            {"name": "human_handoff", "confidence": 0.05},
        ],
        "response_selector": {"faq": {"ranking": faq_ranking or [
            {"intent_response_key": "faq/side_effects", "confidence": 0.7},
            {"intent_response_key": "faq/downtime", "confidence": 0.2},
        ]}},
    }
    events = [user_event(i) for i in previous_intents] + [user_event("nlu_fallback")]
    return Tracker("sender", {}, latest, events, False, None, {}, "action_listen")


def run(t):
    dispatcher = CollectingDispatcher()
    events = ActionDidYouMean().run(dispatcher, t, {})
    assert events == []
    [message] = dispatcher.messages
    return message


def test_first_failure_offers_the_two_likeliest_topics_and_a_person():
    message = run(tracker("is the redness thing ok", previous_intents=["greet"]))
    assert message["response"] == "utter_did_you_mean"
    assert [b["title"] for b in message["buttons"]] == [
        TOPICS["faq/side_effects"].label, TOPICS["faq/downtime"].label, TOPICS["human_handoff"].label,
    ]
    assert message["buttons"][0]["payload"] == TOPICS["faq/side_effects"].ask


def test_handoff_is_offered_once_even_when_it_is_a_likely_topic():
    ranking = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "human_handoff", "confidence": 0.4},
               {"name": "faq", "confidence": 0.1}]
    message = run(tracker("someone pls", intent_ranking=ranking))
    titles = [b["title"] for b in message["buttons"]]
    assert titles.count(TOPICS["human_handoff"].label) == 1 and titles[-1] == TOPICS["human_handoff"].label


def test_second_failure_in_a_row_hands_over_to_a_person():
    dispatcher = CollectingDispatcher()
    events = ActionDidYouMean().run(dispatcher, tracker("hmm what", previous_intents=["greet", "nlu_fallback"]), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_offer_human"]
    assert not dispatcher.messages[0]["buttons"]
    assert events == [{"event": "slot", "timestamp": None, "name": "handoff_reason", "value": "not_understood"},
                      {"event": "followup", "timestamp": None, "name": "action_handoff"}]


def test_first_failure_does_not_hand_over():
    dispatcher = CollectingDispatcher()
    assert ActionDidYouMean().run(dispatcher, tracker("hmm what", previous_intents=["greet"]), {}) == []


def test_understood_message_in_between_resets_the_count():
    message = run(tracker("hmm what", previous_intents=["nlu_fallback", "faq"]))
    assert message["response"] == "utter_did_you_mean"


def test_arabic_gets_the_english_only_answer():
    assert run(tracker("ما هي الآثار الجانبية"))["response"] == "utter_english_only"


def test_empty_and_emoji():
    assert run(tracker(""))["response"] == "utter_empty_message"
    assert run(tracker("🙏🙏"))["response"] == "utter_no_words"
