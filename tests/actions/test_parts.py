"""action_answer_parts, and action_did_you_mean handing it a message of several parts."""
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionDidYouMean
from actions.parts import ActionAnswerParts

SELECTOR = {"faq": {"response": {"utter_action": "utter_faq/session_duration",
                                 "intent_response_key": "faq/session_duration"},
                    "ranking": [{"intent_response_key": "faq/session_duration", "confidence": 0.9}]}}


def tracker(text, intent, parts=None):
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.6},
              "intent_ranking": [{"name": intent, "confidence": 0.6}, {"name": "faq", "confidence": 0.3}],
              "entities": [{"entity": "parts", "value": "several"}] if parts else [],
              "response_selector": SELECTOR}
    if parts is not None:
        latest["parts"] = parts
    events = [{"event": "user", "text": text, "parse_data": latest}]
    return Tracker("sender", {}, latest, events, False, None, {}, "action_listen")


def run(action, t):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, {})
    return [m["response"] for m in dispatcher.messages], events


def test_a_question_and_a_booking_request_get_the_answer_then_the_booking_form():
    said, events = run(ActionAnswerParts(), tracker(
        "how long is the mesotherapy session and can i come saturday for one", "faq",
        {"answers": ["faq/session_duration"], "book": True}))
    assert said == ["utter_faq/session_duration"]
    assert events == [FollowupAction("booking_form")]


def test_two_questions_get_two_answers_and_no_booking():
    said, events = run(ActionAnswerParts(), tracker("how much is it and does it hurt", "faq",
                                                    {"answers": ["faq/price", "faq/pain"], "book": False}))
    assert said == ["utter_faq/price", "utter_faq/pain"] and events == []


def test_without_a_plan_the_usual_answer_or_booking():
    assert run(ActionAnswerParts(), tracker("how long is it", "faq")) == (["utter_faq/session_duration"], [])
    assert run(ActionAnswerParts(), tracker("book me tuesday", "book_appointment")) == (
        [], [FollowupAction("booking_form")])


def test_a_message_unsure_as_a_whole_but_sure_of_each_part_is_not_did_you_mean():
    said, events = run(ActionDidYouMean(), tracker(
        "how much is it, does it hurt, and can u book me a session for saturday 2pm", "nlu_fallback",
        {"answers": ["faq/price", "faq/pain"], "book": True}))
    assert said == ["utter_faq/price", "utter_faq/pain"]
    assert events == [FollowupAction("booking_form")]
