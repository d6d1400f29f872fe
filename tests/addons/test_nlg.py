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
