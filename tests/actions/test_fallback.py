"""action_did_you_mean run directly with a rasa-sdk Tracker and CollectingDispatcher."""
from datetime import datetime, timezone

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionDidYouMean
from actions.handoff import ActionHandoff
from clinic.db import make_engine, make_session_factory
from clinic.facts import load_facts
from clinic.handoff import service
from clinic.handoff.models import Handoff
from clinic.topics import load_topics
from tests.conftest import ROOT

TOPICS = load_topics()
MONDAY_NOON = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)  # 12:00 in Dubai: open


def user_event(intent, text="x"):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.3}}}


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
    events = [user_event(i) for i in previous_intents] + [user_event("nlu_fallback", text)]
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


@pytest.fixture
def handoff(tmp_path):
    """action_handoff on its own database, at a time the clinic is open."""
    engine = make_engine(f"sqlite:///{tmp_path / 'clinic.db'}")
    Handoff.metadata.create_all(engine, tables=[Handoff.__table__])
    factory = make_session_factory(engine)
    yield ActionHandoff(session_factory=factory, facts=load_facts(ROOT / "clinic.yml"), clock=lambda: MONDAY_NOON), \
        factory
    engine.dispose()


def test_second_failure_in_a_row_hands_over_to_a_person_in_the_same_turn(handoff):
    action, factory = handoff
    dispatcher = CollectingDispatcher()
    events = ActionDidYouMean(action).run(dispatcher, tracker("hmm what", previous_intents=["greet", "nlu_fallback"]),
                                          {})
    # no follow-up action: nothing is left for the dialogue policies to predict after a handoff that does not pause
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_offer_human", "utter_handoff_open_hours", "utter_handoff_keep_asking"]
    assert not dispatcher.messages[0]["buttons"]
    assert all(e["event"] not in ("followup", "pause") for e in events)
    with factory.begin() as session:
        assert service.find_open(session, "sender").reason == "not_understood"


def test_first_failure_does_not_hand_over():
    dispatcher = CollectingDispatcher()
    assert ActionDidYouMean().run(dispatcher, tracker("hmm what", previous_intents=["greet"]), {}) == []


def test_understood_message_in_between_resets_the_count():
    message = run(tracker("hmm what", previous_intents=["nlu_fallback", "faq"]))
    assert message["response"] == "utter_did_you_mean"


def test_persian_gets_the_bilingual_offer_of_a_person_then_a_person(handoff):
    assert run(tracker("قیمت چقدر است"))["response"] == "utter_other_language"
    dispatcher = CollectingDispatcher()
    ActionDidYouMean(handoff[0]).run(dispatcher, tracker("قیمت کیا ہے", previous_intents=["nlu_fallback"]), {})
    assert [m["response"] for m in dispatcher.messages][:2] == ["utter_offer_human", "utter_handoff_open_hours"]


def test_arabic_not_understood_gets_did_you_mean_with_arabic_buttons():
    message = run(tracker("ما هي الآثار الجانبية"))
    assert message["response"] == "utter_did_you_mean"
    assert [b["title"] for b in message["buttons"]] == [
        TOPICS["faq/side_effects"].label_ar, TOPICS["faq/downtime"].label_ar, TOPICS["human_handoff"].label_ar,
    ]
    # the payload stays the English question the model understands (it does not switch the language)
    assert [b["payload"] for b in message["buttons"]] == [
        TOPICS["faq/side_effects"].ask, TOPICS["faq/downtime"].ask, "/human_handoff",
    ]


def test_buttons_follow_the_conversation_not_just_the_message():
    # an Arabic conversation: a neutral "??? ok" message keeps Arabic buttons
    events = [{"event": "user", "text": "كم السعر", "parse_data": {"intent": {"name": "faq"}}}]
    t = tracker("hmm ok")
    t.events[:0] = events
    assert run(t)["buttons"][0]["title"] == TOPICS["faq/side_effects"].label_ar
    # "English please" earlier switches back
    t = tracker("hmm ok")
    t.events[:0] = events + [{"event": "user", "text": "English please",
                              "parse_data": {"intent": {"name": "switch_language"}}}]
    assert run(t)["buttons"][0]["title"] == TOPICS["faq/side_effects"].label


def test_empty_and_emoji():
    assert run(tracker(""))["response"] == "utter_empty_message"
    assert run(tracker("🙏🙏"))["response"] == "utter_no_words"


def test_a_language_request_in_fallback_is_confirmed():
    assert run(tracker("بالعربي لو سمحت"))["response"] == "utter_language_switched"


@pytest.mark.parametrize("text", ["session sat 11am", "consultation tmrw 5pm pls"])
def test_a_service_and_a_time_start_the_booking_form_however_unsure_the_classifier(text):
    dispatcher = CollectingDispatcher()
    events = ActionDidYouMean().run(dispatcher, tracker(text), {})
    assert events == [{"event": "followup", "timestamp": None, "name": "booking_form"}]
    assert dispatcher.messages == []


def test_a_service_named_after_did_you_mean_starts_the_booking_form():
    # helper tries6: "i want the same as last time" -> "Did you mean...?" -> "the meso session"
    dispatcher = CollectingDispatcher()
    events = ActionDidYouMean().run(dispatcher, tracker("the meso session", previous_intents=["nlu_fallback"]), {})
    assert events == [{"event": "followup", "timestamp": None, "name": "booking_form"}]
    assert dispatcher.messages == []
    # the same words as a first message not understood: "Did you mean...?" as before
    assert run(tracker("the meso session"))["response"] == "utter_did_you_mean"


def test_a_question_about_a_session_is_not_a_booking():
    assert run(tracker("how much is a session on friday?"))["response"] == "utter_did_you_mean"


@pytest.mark.parametrize("text,intent,form", [
    ("need to cancel my appt tmrw, something came up", "cancel_appointment", "cancel_form"),
    ("can i move my thursday session to next week", "reschedule_appointment", "reschedule_form"),
])
def test_a_plain_cancel_or_move_starts_its_form_however_unsure_the_classifier(text, intent, form):
    ranking = [{"name": "nlu_fallback", "confidence": 0.85}, {"name": intent, "confidence": 0.7},
               {"name": "faq", "confidence": 0.2}]
    dispatcher = CollectingDispatcher()
    events = ActionDidYouMean().run(dispatcher, tracker(text, intent_ranking=ranking), {})
    assert events == [{"event": "followup", "timestamp": None, "name": form}]
    assert dispatcher.messages == []


def test_a_question_about_the_cancellation_rules_still_gets_did_you_mean():
    ranking = [{"name": "nlu_fallback", "confidence": 0.85}, {"name": "cancel_appointment", "confidence": 0.7}]
    message = run(tracker("what's your cancellation policy for appointments?", intent_ranking=ranking))
    assert message["response"] == "utter_did_you_mean"


def test_a_follow_up_to_the_answer_before_gets_it_again_not_did_you_mean():
    # "what time u open on friday" answered with the hours, then "and saturday?" (unsure)
    t = tracker("and saturday?", faq_ranking=[{"intent_response_key": "faq/location_hours", "confidence": 0.85},
                                              {"intent_response_key": "faq/price", "confidence": 0.02}])
    t.events[:0] = [user_event("faq", "what time u open on friday"),
                    {"event": "bot", "text": "...", "metadata": {"utter_action": "utter_faq/location_hours"}}]
    dispatcher = CollectingDispatcher()
    assert ActionDidYouMean().run(dispatcher, t, {}) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq/location_hours"]
