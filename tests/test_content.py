"""The content is complete and consistent: every FAQ key has examples, an answer and a
rule; every response can be reached; answers follow the medical content rules; every
response has an Arabic variation with the same placeholders and buttons (issue 17)."""
import importlib
import pkgutil
import re

import pytest

import actions
from actions.fallback import RESPONSE_FOR
from clinic.answers import banned_claims, fill
from clinic.facts import load_facts, template_values
from clinic.language import normalise_arabic
from clinic.topics import faq_keys, load_topics
from tests.conftest import ROOT

CONTRACT = ROOT / "docs" / "nlu-contract.md"  # the copy of ../shared/nlu-contract.md (tests/test_contract_copy.py)
MIN_EXAMPLES = 25
MIN_SUBKEY_EXAMPLES = 12  # a sub-topic key faq/<key>_<subtopic> (counted as faq/<key> by the contract)
SUBKEY_ANSWER_MAX = 350  # sub-topic answers are WhatsApp length, clinic facts filled in
# retrieval intents: the rule's action utter_<intent> sends utter_<intent>/<key>
RETRIEVAL_INTENTS = ("faq", "out_of_scope")
OUT_OF_SCOPE_KEYS = {"smalltalk", "other"}


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


def base_key(key, contract_keys):
    """The contract key of a FAQ key: itself, or ``aftercare`` for ``aftercare_makeup``."""
    bases = [k for k in contract_keys if key == k or key.startswith(k + "_")]
    return max(bases, key=len) if bases else None


def by_intent(nlu_examples):
    """Examples per intent, the keys of a retrieval intent (``faq/price``) merged into it."""
    merged = {}
    for label, examples in nlu_examples.items():
        merged.setdefault(label.split("/", 1)[0], []).extend(examples)
    return merged


def test_contract_faq_keys_all_exist_as_topics_answers_and_examples(contract, faq_responses, nlu_examples):
    keys, _ = contract
    assert len(keys) == 23
    topics = faq_keys()
    assert set(keys) <= set(topics)
    sub_keys = sorted(set(topics) - set(keys))
    for key in sub_keys:  # faq/<key>_<subtopic>: refines a contract key, never a new topic
        assert base_key(key, keys) not in (None, key), f"faq/{key} is neither a contract key nor <key>_<subtopic>"
    assert sorted(faq_responses) == sorted(f"utter_faq/{k}" for k in topics)
    for key in keys:
        assert len(set(nlu_examples.get(f"faq/{key}", []))) >= MIN_EXAMPLES, key
    for key in sub_keys:
        assert len(set(nlu_examples.get(f"faq/{key}", []))) >= MIN_SUBKEY_EXAMPLES, key


def test_every_faq_label_in_the_training_data_is_a_topic(nlu_examples):
    labels = {label.split("/", 1)[1] for label in nlu_examples if label.startswith("faq/")}
    assert labels <= set(faq_keys()), labels - set(faq_keys())


def test_contract_intents_exist_with_examples(contract, domain, nlu_examples):
    _, intents = contract
    intents -= {"nlu_fallback"}  # produced by the FallbackClassifier, not trained
    assert intents <= set(domain["intents"])
    merged = by_intent(nlu_examples)
    for intent in intents:
        assert len(set(merged.get(intent, []))) >= MIN_EXAMPLES, intent
    assert len(set(merged["out_of_scope"])) >= 100


def test_out_of_scope_is_a_retrieval_intent_with_smalltalk_and_other(all_responses, nlu_examples):
    labels = {label for label in nlu_examples if label.split("/", 1)[0] == "out_of_scope"}
    assert labels == {f"out_of_scope/{key}" for key in OUT_OF_SCOPE_KEYS}, "every out_of_scope example needs a key"
    assert len(set(nlu_examples["out_of_scope/smalltalk"])) >= 40
    assert len(set(nlu_examples["out_of_scope/other"])) >= 100
    responses = {name for name in all_responses if name.startswith("utter_out_of_scope")}
    assert responses == {f"utter_out_of_scope/{key}" for key in OUT_OF_SCOPE_KEYS}


def test_every_retrieval_key_in_the_training_data_has_an_answer(all_responses, nlu_examples):
    for label in nlu_examples:
        intent, _, key = label.partition("/")
        if key:
            assert intent in RETRIEVAL_INTENTS, label
            assert f"utter_{label}" in all_responses, f"{label} has no answer utter_{label}"


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


def test_out_of_scope_answers_are_a_rule(rules):
    # Rasa's retrieval action utter_out_of_scope sends the answer of the key the classifier chose
    assert [{"intent": "out_of_scope"}, {"action": "utter_out_of_scope"}] in rules


def test_a_complaint_gets_an_apology_then_a_person(rules):
    assert [{"intent": "frustrated"}, {"action": "utter_frustrated_apology"}, {"action": "action_handoff"}] in rules


def test_every_response_is_reachable_and_every_used_response_exists(domain, all_responses, rules):
    asked = {f"utter_ask_{slot}" for form in (domain.get("forms") or {}).values()
             for slot in form["required_slots"]}  # a form asks for each slot with utter_ask_<slot>
    used = (rule_actions(rules) | set(RESPONSE_FOR.values()) | {"utter_default"}
            | action_module_names("RESPONSES_USED") | (asked & set(all_responses)))
    retrieval_actions = {f"utter_{intent}" for intent in RETRIEVAL_INTENTS}
    used_responses = {a for a in used if a.startswith("utter_") and a not in retrieval_actions}
    assert used_responses <= set(all_responses)
    retrieval_answers = {r for r in all_responses if r.split("/", 1)[0] in retrieval_actions and "/" in r}
    assert set(all_responses) - retrieval_answers <= used_responses, "responses nothing can reach"
    assert retrieval_actions <= used


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
    # one list of banned claims (clinic/answers.py), guaranteed outcomes and comparative or superlative
    # claims alike; tests/test_answers_registry.py checks it again with the clinic facts filled in
    for name, text in response_texts(all_responses):
        assert banned_claims(text) == [], f"{name} says {banned_claims(text)}"


# Issue 16, item 6: what the answers must cover (read against the clinic's article and general
# medical consensus). Each pattern must match the answer's text.
CONTENT_GAPS = {
    "utter_faq/aftercare": [r"\balcohol\b", r"\b48 hours\b", r"\bexercise\b", r"\bsaunas?\b|\bheat\b",
                            r"\bmassage\b", r"\bparacetamol\b", r"\bibuprofen\b", r"\baspirin\b",
                            r"ask your practitioner", r"\bsun\b", r"\bDubai\b", r"\bscabs?\b"],
    "utter_faq/aftercare_alcohol": [r"\balcohol\b", r"\b48 hours\b"],
    "utter_faq/aftercare_exercise": [r"\b48 hours\b"],
    "utter_faq/aftercare_heat": [r"\b48 hours\b", r"\bDubai\b"],
    "utter_faq/aftercare_sun": [r"\bDubai\b", r"\bSPF\b"],
    "utter_faq/aftercare_sleeping": [r"\bon your back\b"],
    "utter_faq/aftercare_washing": [r"\bscabs?\b.*\bpick"],
    "utter_faq/aftercare_skincare": [r"\bmassag"],
    "utter_faq/side_effects": [r"\bdarkens?\b", r"\blumps?\b.*\bweeks later\b", r"\binfection\b"],
    "utter_faq/candidates": [r"\bisotretinoin\b", r"\bkeloid\b", r"\bautoimmune\b", r"\bimmun(e|ity)\b",
                             r"tell your practitioner", r"will advise"],
    "utter_faq/results": [r"\b(research|evidence)\b[^.]*\blimited\b", r"\bresults vary\b"],
    "utter_faq/comparison": [r"\bmicroneedling\b", r"\blasers?\b", r"\bfillers?\b", r"\bsurgery\b",
                             r"practitioner will advise"],
}


@pytest.mark.parametrize("name", sorted(CONTENT_GAPS))
def test_answers_cover_the_issue_16_content_gaps(faq_responses, name):
    text = faq_responses[name][0]["text"]
    missing = [p for p in CONTENT_GAPS[name] if not re.search(p, text, re.I)]
    assert missing == [], f"{name} does not cover {missing}"


def test_comparison_answer_compares_nothing(faq_responses):
    """UAE health-advertising rules: describe each option, claim no option is better, faster or gentler."""
    text = faq_responses["utter_faq/comparison"][0]["text"]
    assert not re.search(r"\b(\w+er|more|less|fewer)\s+than\b|\bnone is\b|\b(quick|fast|slow|gentle|cheap|strong)"
                         r"(ly|er|est)?\b", text, re.I), text


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


def test_sub_topic_answers_that_touch_on_warning_signs_say_when_to_call(all_responses):
    for name in ["utter_faq/side_effects_bruising", "utter_faq/aftercare_painkillers"]:
        assert "{clinic_phone}" in all_responses[name][0]["text"], name


def sub_topic_answers(faq_responses):
    keys, _ = contract_names()
    for name, variations in faq_responses.items():
        key = name.split("/", 1)[1]
        if key not in keys:
            yield name, variations


def test_sub_topic_answers_are_whatsapp_length(faq_responses):
    values = template_values(load_facts(ROOT / "clinic.yml"))
    answers = list(sub_topic_answers(faq_responses))
    assert answers, "no sub-topic answers found"
    for name, variations in answers:
        for variation in variations:
            text = variation["text"].format(**values)
            assert len(text) <= SUBKEY_ANSWER_MAX, f"{name}: {len(text)} characters"


def test_sub_topic_answers_give_timings_as_usual_not_as_rules(faq_responses):
    """A timing ("24 hours", "a few days") is general advice: say "usually" or defer to the practitioner."""
    timing = re.compile(r"\b(\d+|few|first)\s+(hours?|days?|weeks?|night)\b|\bweek or so\b", re.I)
    for name, variations in sub_topic_answers(faq_responses):
        text = variations[0]["text"]
        if timing.search(text):
            assert re.search(r"\busually\b|your practitioner", text, re.I), name


def test_painkiller_answer_gives_no_doses(faq_responses):
    text = faq_responses["utter_faq/aftercare_painkillers"][0]["text"].lower()
    assert not re.search(r"\d+\s*(mg|g|ml|tablets?|times)\b", text)
    assert "paracetamol" in text and "ask your practitioner" in text


def test_greeting_says_it_is_the_clinics_virtual_assistant(domain):
    text = domain["responses"]["utter_greet"][0]["text"]
    assert "{clinic_name}" in text and "virtual assistant" in text


def test_topic_buttons_point_at_known_answers():
    topics = load_topics()
    assert all(t.label and t.ask for t in topics.values())
    assert {n for n in topics if not n.startswith("faq/")} <= {
        "book_appointment", "check_availability", "cancel_appointment", "reschedule_appointment", "human_handoff"}


# Issue 17, item 3: every response has an Arabic variation, chosen when the slot message_language is
# "ar" (addons/nlg.py). One per meaning: a response whose English variations differ by a condition
# (utter_booking_not_booked: hold_released) has one Arabic variation per English condition, with the
# same condition plus the language; interchangeable English variations share one Arabic variation.
LANGUAGE = {"type": "slot", "name": "message_language", "value": "ar"}
BUTTON_TITLE_MAX = 20  # characters, placeholders not counted
ARABIC_LENGTH_RATIO = 1.25  # WhatsApp length: an Arabic text is roughly as long as the English one
_PLACEHOLDER = re.compile(r"\{([^}]*)\}")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
# replies meant for a patient whose language is unknown say it in both languages (Arabic line
# first in the Arabic variation; button titles "عربي / English"): only their Arabic part is checked
BILINGUAL = {"utter_other_language"}


def arabic_part(name, text):
    """The text to check as Arabic: all of it, or the first line (or title part) of a bilingual reply."""
    return re.split(r"\n| / ", text, maxsplit=1)[0] if name in BILINGUAL else text


def is_arabic_variation(variation):
    return any(c.get("name") == LANGUAGE["name"] for c in variation.get("condition") or [])


def other_conditions(variation):
    """The variation's conditions other than the language, as a comparable key."""
    return tuple(sorted((c["type"], c["name"], str(c["value"])) for c in variation.get("condition") or []
                        if c.get("name") != LANGUAGE["name"]))


def arabic_pairs(variations):
    """(English variation, Arabic variation) for each meaning (English condition) of a response;
    raises AssertionError when a meaning has no Arabic variation or more than one."""
    english = [v for v in variations if not is_arabic_variation(v)]
    arabic = [v for v in variations if is_arabic_variation(v)]
    assert english and not is_arabic_variation(variations[0]), "the English variation stays first"
    for variation in arabic:
        languages = [c for c in variation["condition"] if c.get("name") == LANGUAGE["name"]]
        assert languages == [LANGUAGE], f"Arabic condition must be {LANGUAGE}: {languages}"
    meanings = {}
    for variation in english:
        meanings.setdefault(other_conditions(variation), variation)
    pairs = []
    for key, variation in meanings.items():
        matching = [v for v in arabic if other_conditions(v) == key]
        assert len(matching) == 1, f"{len(matching)} Arabic variations for the English condition {key or 'none'}"
        pairs.append((variation, matching[0]))
    assert len(arabic) == len(meanings), "an Arabic variation has a condition no English variation has"
    return pairs


def placeholders(variation):
    texts = [variation.get("text") or ""] + [b.get("title") or "" for b in variation.get("buttons") or []]
    return sorted({p for t in texts for p in _PLACEHOLDER.findall(t)})


def letters(text):
    return [ch for ch in _PLACEHOLDER.sub("", text) if ch.isalpha()]


@pytest.fixture(scope="module")
def arabic(all_responses):
    """{response: [(English, Arabic), ...]}, or an AssertionError message per broken response."""
    found, broken = {}, {}
    for name, variations in all_responses.items():
        try:
            found[name] = arabic_pairs(variations)
        except AssertionError as error:
            broken[name] = str(error)
    return found, broken


def test_every_response_has_one_arabic_variation_per_meaning(arabic):
    _, broken = arabic
    assert broken == {}, "\n".join(f"{name}: {why}" for name, why in sorted(broken.items()))


def test_arabic_variations_are_arabic_text(arabic):
    for name, pairs in arabic[0].items():
        for _, ar in pairs:
            chars = letters(arabic_part(name, ar["text"]))
            share = sum(1 for ch in chars if _ARABIC_LETTER.match(ch)) / max(len(chars), 1)
            assert share >= 0.8, f"{name}: only {share:.0%} of its Arabic variation's letters are Arabic"


def test_arabic_variations_have_the_same_placeholders(arabic):
    for name, pairs in arabic[0].items():
        for en, ar in pairs:
            assert placeholders(ar) == placeholders(en), f"{name}: {placeholders(ar)} != {placeholders(en)}"


def test_arabic_buttons_have_the_same_payloads_in_the_same_order_and_short_titles(arabic):
    for name, pairs in arabic[0].items():
        for en, ar in pairs:
            payloads = [b["payload"] for b in ar.get("buttons") or []]
            assert payloads == [b["payload"] for b in en.get("buttons") or []], name
            for button in ar.get("buttons") or []:
                title = _PLACEHOLDER.sub("", arabic_part(name, button["title"]))
                assert title.strip() and len(title) <= BUTTON_TITLE_MAX, f"{name}: button {button['title']!r}"
                assert _ARABIC_LETTER.search(title), f"{name}: button {button['title']!r} is not Arabic"


def test_arabic_variations_are_whatsapp_length(arabic):
    values = template_values(load_facts(ROOT / "clinic.yml"))
    for name, pairs in arabic[0].items():
        for en, ar in pairs:
            en_len, ar_len = (len(fill(v["text"], values)) for v in (en, ar))
            assert ar_len <= max(ARABIC_LENGTH_RATIO * en_len, en_len + 20), f"{name}: {ar_len} vs {en_len} characters"


def test_arabic_says_usually_where_the_english_does(arabic):
    for name, pairs in arabic[0].items():
        for en, ar in pairs:
            if re.search(r"\busually\b", en["text"], re.I):
                assert "عاده" in normalise_arabic(ar["text"]), f"{name}: English says 'usually', Arabic has no عادةً"


def test_the_arabic_warning_sign_replies_keep_the_numbers(all_responses):
    """Warning signs reach a person in Arabic too: the clinic's number and, where the English has it, 998."""
    for name, variations in all_responses.items():
        english, arabic_texts = variations[0]["text"], [v["text"] for v in variations if is_arabic_variation(v)]
        for number in ("{emergency_number}", "{clinic_phone}"):
            if number in english:
                assert arabic_texts and all(number in t for t in arabic_texts), f"{name}: {number}"


def test_arabic_checks_can_fail():
    """The checks above catch a missing, doubled, mis-conditioned or mismatched Arabic variation."""
    en = {"text": "Call {clinic_phone}.", "buttons": [{"title": "Yes", "payload": "/affirm"}]}
    ar = {"condition": [LANGUAGE], "text": "اتصل على {clinic_phone}.",
          "buttons": [{"title": "نعم", "payload": "/affirm"}]}
    assert arabic_pairs([en, ar]) == [(en, ar)]
    for broken in ([en], [en, ar, ar], [ar, en], [en, {**ar, "condition": [{**LANGUAGE, "value": "en"}]}],
                   [en, {**ar, "condition": [{"type": "slot", "name": "hold_released", "value": False}, LANGUAGE]}]):
        with pytest.raises(AssertionError):
            arabic_pairs(broken)
    assert placeholders({**ar, "text": "اتصل على {clinic_whatsapp}."}) != placeholders(en)
    held = {"text": "No hold.", "condition": [{"type": "slot", "name": "hold_released", "value": False}]}
    held_ar = {"text": "لا", "condition": held["condition"] + [LANGUAGE]}
    assert len(arabic_pairs([held, en, held_ar, ar])) == 2
    with pytest.raises(AssertionError):
        arabic_pairs([held, en, ar])  # the conditional meaning has no Arabic variation


def test_the_arabic_warning_sign_block_is_worded_once(all_responses):
    """The issue 15 "Warning signs:" block has one Arabic wording ("علامات تحذيرية:"), identical in
    every answer that carries the English block, up to the sentence with {emergency_number}."""
    english = re.compile(r"Warning signs:.*?\{emergency_number\}[^.]*\.")
    arabic_block = re.compile(r"علامات تحذيرية:.*?\{emergency_number\}[^.]*\.")
    carriers = sorted(n for n, v in all_responses.items() if english.search(v[0]["text"]))
    assert len(carriers) >= 5, carriers
    blocks = {}
    for name in carriers:
        for variation in (v for v in all_responses[name] if is_arabic_variation(v)):
            match = arabic_block.search(variation["text"])
            assert match, f"{name}: its Arabic variation has no علامات تحذيرية: block"
            blocks.setdefault(match.group(0), []).append(name)
    assert len(blocks) == 1, "the Arabic warning-sign block differs between: " + "; ".join(map(str, blocks.values()))
