"""Arabic conversations get the actions' days, times and service names in Arabic, and the
first session's privacy notice in the language of the first message."""
import asyncio
import re
from datetime import datetime

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons.channels.payloads import note_language
from addons.nlg import ClinicResponseGenerator
from clinic.booking.arabic_format import describe_ar
from clinic.booking.dates import ZONE, describe
from clinic.localise import localise_buttons, localise_values

WHEN = datetime(2027, 1, 19, 11, 0, tzinfo=ZONE)  # a Tuesday
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(scope="module")
def domain_object(all_responses):
    return Domain.from_dict({"responses": all_responses})  # with Rasa's slot session_started_metadata


@pytest.fixture(scope="module")
def generator(domain_object):
    return ClinicResponseGenerator(domain=domain_object)


def tracker_with(*texts, domain=None):
    tracker = DialogueStateTracker.from_events("s", [], slots=domain.slots if domain else [])
    for text in texts:
        tracker.update(UserUttered(text, intent={"name": "book_appointment", "confidence": 1.0}))
    return tracker


def generate(generator, name, tracker, **kwargs):
    return asyncio.run(generator.generate(name, tracker, "rest", **kwargs))


def test_booking_read_back_in_arabic(generator, domain_object):
    tracker = tracker_with("ابي احجز استشارة", domain=domain_object)
    text = generate(generator, "utter_booking_confirm", tracker, when=describe(WHEN), service_name="Consultation",
                    patient_name="محمد علي", patient_phone="+971501234567")["text"]
    assert describe_ar(WHEN) in text and "استشارة" in text
    assert not LATIN_WORD.search(text), text  # no "January", "at", "am" or "Consultation"


def test_english_conversations_are_unchanged(generator, domain_object):
    tracker = tracker_with("I want to book a consultation", domain=domain_object)
    text = generate(generator, "utter_booking_confirm", tracker, when=describe(WHEN), service_name="Consultation",
                    patient_name="Priya", patient_phone="+971501234567")["text"]
    assert describe(WHEN) in text and "Consultation" in text


def test_a_lower_case_service_name_and_a_window(generator, domain_object):
    tracker = tracker_with("بكرة الصبح", domain=domain_object)
    text = generate(generator, "utter_booking_service_changed", tracker,
                    service_name="scar-reduction mesotherapy session")["text"]
    assert "ميزوثيرابي" in text and not LATIN_WORD.search(text)


def test_slot_buttons_through_rasas_own_path(generator, domain_object):
    """End to end as Rasa runs an action server's answer: the text and the button titles
    of utter_booking_slot_free in Arabic, the payloads untouched."""
    tracker = tracker_with("باچر الساعة ١١", domain=domain_object)
    payload = '/inform{"slot_start": "2027-01-19T11:00:00+04:00"}'
    responses = [{"response": "utter_booking_slot_free", "when": describe(WHEN),
                  "buttons": [{"title": describe(WHEN, short=True), "payload": payload}], "text": None,
                  "attachment": None, "image": None, "elements": [], "custom": {}, "template": None}]
    uttered = asyncio.run(RemoteAction._utter_responses(responses, CollectingOutputChannel(), generator, tracker))
    assert len(uttered) == 1
    message = uttered[0]
    assert describe_ar(WHEN) in message.text and not LATIN_WORD.search(message.text)
    assert message.data["buttons"] == [{"title": describe_ar(WHEN, short=True), "payload": payload}]


def test_first_session_privacy_notice_in_the_first_messages_language(generator, domain_object):
    tracker = DialogueStateTracker.from_events("s", [], slots=domain_object.slots)
    english = generate(generator, "utter_privacy_notice", tracker)["text"]
    tracker.update(SlotSet("session_started_metadata", {"text_language": "ar", "channel": "web"}))
    arabic = generate(generator, "utter_privacy_notice", tracker)["text"]
    assert re.search(r"[\u0600-\u06FF]{4}", arabic) and not re.search(r"[\u0600-\u06FF]", english)
    tracker.update(SlotSet("session_started_metadata", {"text_language": "fr"}))
    assert generate(generator, "utter_privacy_notice", tracker)["text"] == english


@pytest.mark.parametrize("text, language", [
    ("مرحبا", "ar"), ("abi a7jiz maw3ed", "ar"), ("عربي", "ar"), ("hello, how much is a session?", None), ("ok", None),
    ("/greet", None), ("", None),
])
def test_the_channel_notes_the_language_of_the_text(text, language):
    message = UserMessage(text, CollectingOutputChannel(), "s", metadata={"channel": "web"})
    note_language(message)
    assert message.metadata.get("text_language") == language and message.metadata["channel"] == "web"
    bare = UserMessage(text, CollectingOutputChannel(), "s")
    note_language(bare)
    assert (bare.metadata or {}).get("text_language") == language


def test_localise_leaves_other_values_and_languages_alone():
    values = {"when": describe(WHEN), "reference": "NS-7K3D", "patient_name": "Priya", "reason": "National Day"}
    assert localise_values(values, "en", {}) == values
    arabic = localise_values(values, "ar", {"consultation": "استشارة"})
    assert arabic["when"] == describe_ar(WHEN) and {k: arabic[k] for k in values if k != "when"} == \
        {k: values[k] for k in values if k != "when"}
    buttons = [{"title": "Talk to a person", "payload": "/human_handoff"}, {"title": describe(WHEN, short=True)}, "x"]
    localise_buttons(buttons, "ar")
    assert buttons[0]["title"] == "Talk to a person" and buttons[1]["title"] == describe_ar(WHEN, short=True)
    localise_buttons(None, "ar")


def test_the_cancel_question_reads_the_booking_summary_in_arabic(all_responses):
    domain = Domain.from_dict({"responses": all_responses,
                               "slots": {"booking_summary": {"type": "text", "mappings": [{"type": "custom"}]}}})
    generator = ClinicResponseGenerator(domain=domain)
    tracker = tracker_with("ابي الغي موعدي", domain=domain)
    tracker.update(SlotSet("booking_summary", f"consultation on {describe(WHEN)}"))
    text = generate(generator, "utter_confirm_cancel", tracker)["text"]
    assert describe_ar(WHEN) in text and "استشارة" in text
    assert not LATIN_WORD.search(text), text
