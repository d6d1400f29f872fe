"""Every response renders with the clinic's facts: no placeholder left, no 'None'."""
import asyncio
import re
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from addons.nlg import ClinicResponseGenerator
from clinic.facts import load_facts, template_values

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def generator(all_responses):
    domain = Domain.from_dict({"responses": all_responses})
    return ClinicResponseGenerator(domain=domain)


@pytest.fixture(scope="module")
def tracker():
    return DialogueStateTracker("test-sender", slots=[])


def render(generator, tracker, name):
    return asyncio.run(generator.generate(name, tracker, "rest"))


def test_every_response_renders_with_facts(generator, tracker, all_responses, domain):
    from tests.test_content import action_module_names

    # values the actions pass at run time (e.g. {when}, {next_opening}) and slots get a sample
    runtime = {name: "sample" for name in action_module_names("RUNTIME_VALUES") | set(domain["slots"])}
    for name in all_responses:
        message = asyncio.run(generator.generate(name, tracker, "rest", **runtime))
        assert message and message["text"], name
        for field in [message["text"]] + [b["title"] for b in message.get("buttons") or []]:
            assert not re.search(r"\{[^}]*\}", field), f"{name}: unfilled placeholder in {field!r}"
            assert "None" not in field, name


def test_facts_come_from_clinic_yml(generator, tracker):
    facts = template_values(load_facts(ROOT / "clinic.yml"))
    text = render(generator, tracker, "utter_faq/price")["text"]
    assert facts["session_price"] in text
    assert facts["clinic_phone"] in render(generator, tracker, "utter_urgent_care")["text"]


def test_keyword_arguments_from_actions_still_win(all_responses):
    domain = Domain.from_dict({"responses": {"utter_x": [{"text": "{clinic_name}/{extra}"}]}})
    generator = ClinicResponseGenerator(domain=domain)
    tracker = DialogueStateTracker("s", slots=[])
    message = asyncio.run(generator.generate("utter_x", tracker, "rest", extra="42", clinic_name="Other"))
    assert message["text"] == "Other/42"


def _tracker_after(text, triage):
    from rasa.shared.core.events import UserUttered

    tracker = DialogueStateTracker("s-ar", slots=[])
    tracker.update(UserUttered(text, intent={"name": "urgent_symptom", "confidence": 1.0},
                               parse_data={"triage": triage}))
    return tracker


@pytest.mark.parametrize("name", ["utter_urgent_care", "utter_urgent_emergency", "utter_urgent_emergency_alerted",
                                  "utter_urgent_nurse_alerted", "utter_urgent_stand_down"])
def test_urgent_replies_are_arabic_when_triage_read_arabic(generator, name):
    arabic = _tracker_after("صديد وحرارة", {"urgent": True, "categories": ["infection"], "emergency": False,
                                             "language": "ar"})
    english = _tracker_after("pus and fever", {"urgent": True, "categories": ["infection"], "emergency": False})
    ar_text = asyncio.run(generator.generate(name, arabic, "rest"))["text"]
    en_text = asyncio.run(generator.generate(name, english, "rest"))["text"]
    assert re.search(r"[\u0600-\u06FF]{3}", ar_text) and not re.search(r"[A-Za-z]{4}", ar_text), ar_text
    assert not re.search(r"[\u0600-\u06FF]", en_text)
    assert "{" not in ar_text
    if name != "utter_urgent_stand_down":
        assert "998" in ar_text or load_facts(ROOT / "clinic.yml").phone in ar_text


def test_the_emergency_reply_puts_998_before_the_clinic_phone_in_both_languages(generator):
    phone = load_facts(ROOT / "clinic.yml").phone
    for triage in ({"emergency": True}, {"emergency": True, "language": "ar"}):
        text = asyncio.run(generator.generate("utter_urgent_emergency", _tracker_after("x", triage), "rest"))["text"]
        assert text.index("998") < text.index(phone), text


def _conversation(*texts, triage=None):
    from rasa.shared.core.events import UserUttered

    tracker = DialogueStateTracker("s-lang", slots=[])
    for text in texts:
        tracker.update(UserUttered(text, intent={"name": "faq", "confidence": 0.9}, parse_data={}))
    if triage is not None:
        tracker.update(UserUttered("x", intent={"name": "urgent_symptom", "confidence": 1.0},
                                   parse_data={"triage": triage}))
    return tracker


@pytest.fixture(scope="module")
def switch_generator():
    domain = Domain.from_dict({"responses": {
        "utter_x": [{"text": "english"},
                    {"text": "عربي", "condition": [{"type": "slot", "name": "message_language", "value": "ar"}]}],
    }})
    return ClinicResponseGenerator(domain=domain)


@pytest.mark.parametrize("texts, expected", [
    ((), "english"),
    (("hello",), "english"),
    (("كم السعر",), "عربي"),
    (("3ndi so2al",), "عربي"),                                  # Arabizi
    (("كم السعر", "ok", "/affirm", "👍"), "عربي"),               # neutral messages keep the language
    (("كم السعر", "how much is it"), "english"),
    (("كم السعر", "English please"), "english"),
    (("how much is it", "عربي"), "عربي"),
    (("how much is it", "3arabi please"), "عربي"),
])
def test_responses_follow_the_conversations_language(switch_generator, texts, expected):
    message = asyncio.run(switch_generator.generate("utter_x", _conversation(*texts), "rest"))
    assert message["text"] == expected


def test_triage_reading_arabic_still_answers_in_arabic(switch_generator):
    tracker = _conversation("hello there how are you", triage={"urgent": True, "language": "ar"})
    assert asyncio.run(switch_generator.generate("utter_x", tracker, "rest"))["text"] == "عربي"


def test_language_switch_is_confirmed_in_the_new_language(generator):
    en = asyncio.run(generator.generate("utter_language_switched", _conversation("مرحبا", "English please"), "rest"))
    ar = asyncio.run(generator.generate("utter_language_switched", _conversation("hello there", "بالعربي"), "rest"))
    assert re.search(r"[A-Za-z]{4}", en["text"]) and not re.search(r"[\u0600-\u06FF]", en["text"])
    assert re.search(r"[\u0600-\u06FF]{3}", ar["text"]) and not re.search(r"[A-Za-z]", ar["text"])


def test_other_language_reply_is_bilingual_with_arabic_first_in_an_arabic_conversation(generator):
    en = asyncio.run(generator.generate("utter_other_language", _conversation("hello"), "rest"))
    ar = asyncio.run(generator.generate("utter_other_language", _conversation("مرحبا"), "rest"))
    for message in (en, ar):
        assert re.search(r"[A-Za-z]{4}", message["text"]) and re.search(r"[\u0600-\u06FF]{3}", message["text"])
        assert message["buttons"][0]["payload"] == "/human_handoff"
    assert re.match(r"[A-Za-z]", en["text"]) and re.match(r"[\u0600-\u06FF]", ar["text"])


def test_arabic_answers_get_the_arabic_clinic_facts(generator):
    facts = template_values(load_facts(ROOT / "clinic.yml"), "ar")
    text = asyncio.run(generator.generate("utter_faq/price", _conversation("كم سعر الجلسة"), "rest"))["text"]
    assert facts["session_price"] in text and "AED" not in text


def test_the_most_specific_matching_variation_is_chosen():
    ar = {"type": "slot", "name": "message_language", "value": "ar"}
    kept = {"type": "slot", "name": "hold_released", "value": False}
    domain = Domain.from_dict({"responses": {"utter_y": [
        {"text": "en"}, {"text": "en kept", "condition": [kept]},
        {"text": "ar", "condition": [ar]}, {"text": "ar kept", "condition": [kept, ar]}]}})
    generator = ClinicResponseGenerator(domain=domain)
    for slots, expected in [({"hold_released": False, "message_language": "ar"}, {"ar kept"}),
                            ({"hold_released": None, "message_language": "ar"}, {"ar"}),
                            ({"hold_released": False, "message_language": "en"}, {"en kept"}),
                            ({"hold_released": None, "message_language": "en"}, {"en"})]:
        seen = {generator._random_response_for("utter_y", "rest", slots)["text"] for _ in range(40)}
        assert seen == expected, slots


def test_otherwise_the_choice_is_rasas_own(all_responses, domain):
    """Where no variation is more specific than another, the candidates are exactly those
    Rasa's own generator chooses from (for every response, both languages, a few slots)."""
    from rasa.core.nlg.generator import ResponseVariationFilter
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

    assert "_random_response_for" in vars(TemplatedNaturalLanguageGenerator)  # what we override
    ours = ClinicResponseGenerator(domain=Domain.from_dict({"responses": all_responses}))
    checked = 0
    for name in all_responses:
        for language in ("en", "ar"):
            for channel in ("rest", "whatsapp"):
                slots = {"message_language": language}
                suitable = ResponseVariationFilter(all_responses).responses_for_utter_action(name, channel, slots)
                if len({len(v.get("condition") or []) for v in suitable}) != 1:
                    continue
                chosen = ours._random_response_for(name, channel, slots)
                assert chosen in suitable, (name, language)
                checked += 1
    assert checked > 100
