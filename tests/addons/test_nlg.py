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
