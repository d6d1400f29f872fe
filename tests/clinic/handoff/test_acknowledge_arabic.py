"""The "we have your message" acknowledgement is in the conversation's language."""
import asyncio

from clinic.facts import load_facts, template_values
from clinic.handoff import service
from clinic.handoff.acknowledge import Acknowledger, render_response, tracker_language
from clinic.settings import get_settings
from tests.clinic.handoff.test_acknowledge import FakeRasa

AR_CONDITION = [{"type": "slot", "name": "message_language", "value": "ar"}]
DOMAIN = {"responses": {"utter_handoff_waiting": [
    {"text": "Thanks. Call {clinic_phone}. Open: {clinic_hours}"},
    {"condition": AR_CONDITION, "text": "شكرًا. اتصل على {clinic_phone}. ساعات العمل: {clinic_hours}"},
]}}


def test_render_response_picks_the_language_variation():
    assert render_response(DOMAIN, "utter_handoff_waiting", {"clinic_phone": "1"}, "ar").startswith("شكرًا. اتصل على 1")
    assert render_response(DOMAIN, "utter_handoff_waiting", {"clinic_phone": "1"}).startswith("Thanks. Call 1")
    # no Arabic variation: the English one
    only_english = {"responses": {"utter_x": [{"text": "Hi"}]}}
    assert render_response(only_english, "utter_x", {}, "ar") == "Hi"
    # the Arabic variation listed first is not taken for English
    reversed_domain = {"responses": {"utter_x": [{"condition": AR_CONDITION, "text": "مرحبا"}, {"text": "Hi"}]}}
    assert render_response(reversed_domain, "utter_x", {}) == "Hi"


def test_tracker_language():
    assert tracker_language({"events": [{"event": "user", "text": "ابي موظف"}, {"event": "pause"}]}) == "ar"
    assert tracker_language({"events": [{"event": "user", "text": "I want a person"}]}) == "en"
    assert tracker_language({}) == "en"


def test_an_arabic_conversation_is_acknowledged_in_arabic_with_arabic_facts(sqlite_factory):
    rasa = FakeRasa()
    rasa.domain = DOMAIN
    rasa.events["ar1"] = [{"event": "user", "text": "ابي اكلم موظف"}, {"event": "pause"},
                          {"event": "user", "text": "مرحبا؟"}]
    rasa.events["en1"] = [{"event": "user", "text": "I want a person"}, {"event": "pause"},
                          {"event": "user", "text": "hello?"}]
    with service_session(sqlite_factory) as session:
        for conversation in ("ar1", "en1"):
            service.open_handoff(session, conversation_id=conversation, channel="rest", reason="asked",
                                 priority="normal")
    assert asyncio.run(Acknowledger(sqlite_factory, rasa).run_once()) == 2
    sent = dict(rasa.sent)
    facts = load_facts(get_settings().clinic_file)
    assert sent["ar1"].startswith("شكرًا") and template_values(facts, "ar")["clinic_hours"] in sent["ar1"]
    assert sent["en1"].startswith("Thanks") and template_values(facts)["clinic_hours"] in sent["en1"]


def service_session(factory):
    return factory.begin()
