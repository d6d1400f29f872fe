import pytest

from clinic.fallback import consecutive_failures, decide, follow_up, last_answered_key, rank_topics, script_of
from clinic.topics import load_topics

TOPICS = load_topics()
INTENTS = [
    {"name": "nlu_fallback", "confidence": 0.45},
    {"name": "faq", "confidence": 0.40},
    {"name": "book_appointment", "confidence": 0.30},
    {"name": "greet", "confidence": 0.20},
]
FAQ = [
    {"intent_response_key": "faq/price", "confidence": 0.60},
    {"intent_response_key": "faq/payment", "confidence": 0.35},
    {"intent_response_key": "faq/pain", "confidence": 0.05},
]


@pytest.mark.parametrize("text, script", [
    ("how much", "latin"), ("5", "latin"), ("كم السعر", "arabic"), ("Привет", "other"),
    ("😀👍", "none"), ("?!...", "none"), ("", "none"), ("كم سعر mesotherapy", "arabic"),
    ("قیمت چقدر است", "other"), ("٠٥٠١٢٣٤٥٦٧", "latin"),
])
def test_script_of(text, script):
    assert script_of(text) == script


def test_ranking_weighs_faq_keys_by_the_faq_intent_and_skips_non_topics():
    ranked = [t.name for t in rank_topics(INTENTS, FAQ, TOPICS)]
    # price 0.40*0.60=0.24 < book 0.30; payment 0.14; pain 0.02; greet is no topic
    assert ranked[:3] == ["book_appointment", "faq/price", "faq/payment"]
    assert "greet" not in ranked and "nlu_fallback" not in ranked


def test_did_you_mean_offers_the_two_likeliest_topics():
    decision = decide("how mch is it", INTENTS, FAQ, failures_in_a_row=1, topics=TOPICS)
    assert decision.kind == "did_you_mean"
    assert [t.name for t in decision.topics] == ["book_appointment", "faq/price"]


def test_second_failure_in_a_row_offers_a_person_not_another_guess():
    assert decide("still unclear", INTENTS, FAQ, failures_in_a_row=2, topics=TOPICS).kind == "offer_human"
    assert decide("again", INTENTS, FAQ, failures_in_a_row=5, topics=TOPICS).kind == "offer_human"


def test_nothing_to_offer_goes_to_a_person():
    assert decide("blah", [{"name": "greet", "confidence": 0.3}], [], 1, TOPICS).kind == "offer_human"


@pytest.mark.parametrize("text, kind", [
    ("", "empty"), ("   \n\t", "empty"), ("😀😀", "no_words"),
])
def test_messages_without_english_words_get_their_own_answer(text, kind):
    # even after many failures: these are not "failed understanding" of English
    assert decide(text, INTENTS, FAQ, failures_in_a_row=3, topics=TOPICS).kind == kind


def user(intent):
    return {"event": "user", "parse_data": {"intent": {"name": intent}}}


def slot(name, value):
    return {"event": "slot", "name": name, "value": value}


@pytest.mark.parametrize("intents, expected", [
    ([], 0),
    (["greet", "nlu_fallback"], 1),
    (["nlu_fallback", "nlu_fallback"], 2),
    (["nlu_fallback", "faq", "nlu_fallback"], 1),
    (["nlu_fallback", "nlu_fallback", "greet"], 0),
])
def test_consecutive_failures(intents, expected):
    assert consecutive_failures([user(i) for i in intents]) == expected


def test_a_number_the_form_accepted_is_no_failure():
    # "0507788991" read as nlu_fallback but taken by the booking form as the phone number,
    # then "half 4" not understood: one failure, not two (no handoff yet)
    events = [user("book_appointment"), slot("service", "consultation"), user("nlu_fallback"),
              slot("patient_phone", "+971507788991"), slot("requested_slot", "contact_consent"),
              {"event": "bot", "text": "..."}, user("nlu_fallback")]
    assert consecutive_failures(events) == 1


def test_only_bookkeeping_slots_set_is_still_a_failure():
    events = [user("nlu_fallback"), slot("requested_slot", "patient_name"), slot("message_language", "en"),
              slot("patient_name", None), user("nlu_fallback")]
    assert consecutive_failures(events) == 2


def answer(key):
    return {"event": "bot", "text": "...", "metadata": {"utter_action": f"utter_{key}"}}


HOURS_READING = ([{"name": "nlu_fallback", "confidence": 0.85}, {"name": "faq", "confidence": 0.61}],
                 [{"intent_response_key": "faq/location_hours", "confidence": 0.85},
                  {"intent_response_key": "faq/price", "confidence": 0.02}])


def test_a_short_follow_up_gets_the_answer_before_it_when_it_is_its_own_best_guess():
    # "what time u open on friday" (answered), then "and saturday?" (unsure, hours likeliest)
    events = [user("faq"), answer("faq/location_hours"), user("nlu_fallback")]
    previous = last_answered_key(events)
    assert previous == "faq/location_hours"
    assert follow_up("and saturday?", *HOURS_READING, previous) == "faq/location_hours"


def test_the_context_never_picks_an_answer_alone():
    intents, faq = HOURS_READING
    assert follow_up("and saturday?", intents, faq, "faq/price") is None  # another key was answered
    assert follow_up("and saturday?", intents, faq, None) is None  # nothing answered before
    long = "and what about saturday because my husband works all week and i need the car then"
    assert follow_up(long, intents, faq, "faq/location_hours") is None  # no short follow-up
    unlikely = [{"name": "nlu_fallback", "confidence": 0.85}, {"name": "out_of_scope", "confidence": 0.9},
                {"name": "faq", "confidence": 0.05}]
    assert follow_up("and saturday?", unlikely, faq, "faq/location_hours") is None


def test_only_the_turn_just_before_counts():
    events = [user("faq"), answer("faq/location_hours"), user("greet"), {"event": "bot", "text": "hi"},
              user("nlu_fallback")]
    assert last_answered_key(events) is None


def test_a_follow_up_answered_in_context_is_no_failure():
    events = [user("faq"), answer("faq/location_hours"), user("nlu_fallback"), answer("faq/location_hours"),
              user("nlu_fallback")]
    assert consecutive_failures(events) == 1
