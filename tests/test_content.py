"""The content is complete and consistent: every FAQ key has examples, an answer and a
rule; every response can be reached; answers follow the medical content rules."""
import importlib
import pkgutil
import re

import pytest

import actions
from actions.fallback import RESPONSE_FOR
from clinic.facts import load_facts, template_values
from clinic.topics import faq_keys, load_topics
from tests.conftest import ROOT, SHARED

CONTRACT = SHARED / "nlu-contract.md"
MIN_EXAMPLES = 25
BANNED = ["painless", "100%", "100 %", "permanent", "risk-free", "risk free", "guarantee", "cure "]


def action_module_names(attribute):
    """Union of ``attribute`` (a tuple of names) over every module of the actions package:
    actions export ``RESPONSES_USED`` (responses they utter) and ``RUNTIME_VALUES``
    (placeholders they fill in at run time besides the clinic facts)."""
    names = set()
    for module in pkgutil.iter_modules(actions.__path__):
        names.update(getattr(importlib.import_module(f"actions.{module.name}"), attribute, ()))
    return names


def contract_names():
    text = CONTRACT.read_text(encoding="utf-8")
    faq = re.findall(r"^\| `faq/([a-z_]+)`", text, flags=re.M)
    intents = set()
    for cell in re.findall(r"^\| (`[a-z_]+`(?:, `[a-z_]+`)*) \|", text, flags=re.M):
        intents.update(re.findall(r"`([a-z_]+)`", cell))
    return faq, intents


@pytest.fixture(scope="module")
def contract():
    if not CONTRACT.exists():
        pytest.fail(f"{CONTRACT} is missing: the contract is the source of the required names")
    return contract_names()


def test_contract_faq_keys_all_exist_as_topics_answers_and_examples(contract, faq_responses, nlu_examples):
    keys, _ = contract
    assert len(keys) == 23
    assert sorted(faq_keys()) == sorted(keys)
    assert sorted(faq_responses) == sorted(f"utter_faq/{k}" for k in keys)
    for key in keys:
        assert len(set(nlu_examples.get(f"faq/{key}", []))) >= MIN_EXAMPLES, key


def test_contract_intents_exist_with_examples(contract, domain, nlu_examples):
    _, intents = contract
    intents -= {"nlu_fallback"}  # produced by the FallbackClassifier, not trained
    assert intents <= set(domain["intents"])
    for intent in intents:
        assert len(set(nlu_examples.get(intent, []))) >= MIN_EXAMPLES, intent
    assert len(set(nlu_examples["out_of_scope"])) >= 100


def test_no_example_is_given_two_labels(nlu_examples):
    seen = {}
    for label, examples in nlu_examples.items():
        for text in examples:
            norm = " ".join(text.lower().split())
            assert seen.setdefault(norm, label) == label, f"{text!r}: {seen[norm]} and {label}"


def rule_actions(rules):
    return {step["action"] for steps in rules for step in steps if "action" in step}


def test_every_intent_has_a_rule(domain, rules):
    ruled = {step["intent"] for steps in rules for step in steps if "intent" in step}
    assert set(domain["intents"]) | {"nlu_fallback"} <= ruled


def test_faq_answers_are_rules(rules):
    assert [{"intent": "faq"}, {"action": "utter_faq"}] in rules


def test_every_response_is_reachable_and_every_used_response_exists(domain, all_responses, rules):
    asked = {f"utter_ask_{slot}" for form in (domain.get("forms") or {}).values()
             for slot in form["required_slots"]}  # a form asks for each slot with utter_ask_<slot>
    used = (rule_actions(rules) | set(RESPONSE_FOR.values()) | {"utter_default"}
            | action_module_names("RESPONSES_USED") | (asked & set(all_responses)))
    used_responses = {a for a in used if a.startswith("utter_") and a != "utter_faq"}
    assert used_responses <= set(all_responses)
    faq_answers = {r for r in all_responses if r.startswith("utter_faq/")}
    assert set(all_responses) - faq_answers <= used_responses, "responses nothing can reach"
    assert "utter_faq" in used


def test_custom_actions_are_declared(domain):
    from rasa_sdk import Action

    defined = set()
    for module in pkgutil.iter_modules(actions.__path__):
        for value in vars(importlib.import_module(f"actions.{module.name}")).values():
            if isinstance(value, type) and issubclass(value, Action) and value.__module__.startswith("actions."):
                try:
                    defined.add(value().name())
                except TypeError:  # abstract helpers
                    continue
    assert defined, "no actions found"
    assert defined <= set(domain["actions"]) | set(domain.get("forms") or {}), defined - set(domain["actions"])


def response_texts(all_responses):
    for name, variations in all_responses.items():
        for variation in variations:
            yield name, variation["text"]
            for button in variation.get("buttons") or []:
                yield name, button["title"]


def test_answers_follow_the_medical_content_rules(all_responses):
    for name, text in response_texts(all_responses):
        lowered = text.lower() + " "
        for word in BANNED:
            assert word not in lowered, f"{name} says {word!r}"


def test_placeholders_are_known_clinic_facts(domain, all_responses):
    # clinic facts, values actions pass at run time, and slots (Rasa fills those itself)
    known = (set(template_values(load_facts(ROOT / "clinic.yml"))) | action_module_names("RUNTIME_VALUES")
             | set(domain.get("slots") or {}))
    for name, text in response_texts(all_responses):
        for placeholder in re.findall(r"\{([^}]*)\}", text):
            assert placeholder in known, f"{name}: unknown placeholder {{{placeholder}}}"


def test_clinic_facts_are_not_written_into_answers(all_responses):
    facts = template_values(load_facts(ROOT / "clinic.yml"))
    literal = [facts[k] for k in ("clinic_phone", "clinic_whatsapp", "clinic_email", "session_price",
                                  "package_price", "deposit")]
    for name, text in response_texts(all_responses):
        for value in literal:
            assert value not in text, f"{name} contains {value!r}: use its placeholder"


def test_warning_sign_answers_give_the_phone_and_emergency_number(all_responses):
    for name in ["utter_urgent_care", "utter_faq/side_effects", "utter_faq/aftercare"]:
        text = all_responses[name][0]["text"]
        assert "{clinic_phone}" in text and "{emergency_number}" in text, name


def test_greeting_says_it_is_the_clinics_virtual_assistant(domain):
    text = domain["responses"]["utter_greet"][0]["text"]
    assert "{clinic_name}" in text and "virtual assistant" in text


def test_topic_buttons_point_at_known_answers():
    topics = load_topics()
    assert all(t.label and t.ask for t in topics.values())
    assert {n for n in topics if not n.startswith("faq/")} <= {
        "book_appointment", "check_availability", "cancel_appointment", "reschedule_appointment", "human_handoff"}
