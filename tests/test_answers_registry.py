"""Approved answers: every FAQ and medical answer is registered and makes no banned claim."""
import pytest

from clinic.answers import audit, banned_claims, fill, load_registry, needs_entry
from clinic.facts import load_facts, template_values
from clinic.settings import PROJECT_ROOT, get_settings


@pytest.fixture(scope="module")
def values():
    return template_values(load_facts(get_settings().clinic_file))


def test_every_faq_and_medical_answer_is_registered_without_banned_claims(all_responses, values):
    problems = audit(all_responses, load_registry(), values)
    assert problems == [], "\n".join(problems)


def test_every_faq_answer_needs_an_entry(faq_responses):
    assert faq_responses and all(needs_entry(name, v) for name, v in faq_responses.items())


def test_registry_entries_have_unique_ids_versions_and_review_dates():
    registry = load_registry()
    assert len({e.id for e in registry.values()}) == len(registry)
    assert all(e.version >= 1 and e.reviewed_on.year >= 2026 for e in registry.values())


@pytest.mark.parametrize("text", [
    "Results are guaranteed.", "We GUARANTEE smooth skin", "100 % effective", "100% safe", "permanent results",
    "It is painless", "pain-free and quick", "completely risk-free", "a cure for scars", "No side effects at all",
    "totally safe", "scar-free skin",
])
def test_banned_claims_are_found(text):
    assert banned_claims(text)


@pytest.mark.parametrize("text,claim", [
    ("The best treatment for acne scars.", "best"), ("Dubai's BEST clinic", "BEST"),
    ("best-in-class results", "best-in-class"), ("Mesotherapy is best to treat scars.", "best"),
    ("our best results yet", "best"), ("The safest option.", "safest"), ("safer than laser", "safer than"),
    ("Better than fillers.", "Better than"), ("It works better for deep scars.", "works better"),
    ("superior results", "superior"), ("permanently smoother skin", "permanently"),
    ("long-lasting results", "long-lasting"), ("long lasting", "long lasting"),
    ("longer-lasting than creams", "longer-lasting"), ("results that last forever", "last forever"),
    ("less invasive than surgery", "less invasive than"), ("the most effective scar treatment", "most effective"),
    ("the number one choice", "number one"), ("No. 1 in Dubai", "No. 1"), ("#1 clinic", "#1"),
    ("unrivalled care", "unrivalled"),
])
def test_comparative_and_superlative_claims_are_found(text, claim):
    assert banned_claims(text) == [claim]


@pytest.mark.parametrize("text", [
    "It's usually best to avoid alcohol for about 48 hours.", "It’s best to wait a day.",
    "It is often best to ask first.", "Results are modest at best.", "I'll do my best to help.",
    "All the best for your session!", "You should feel better in a day or two.", "It's better to ask your practitioner.",
    "The most common side effects are redness and swelling.", "Swelling usually lasts less than a week.",
    "Best wishes from the team.", "bestseller", "semi-permanent makeup on the brows",
])
def test_idioms_with_best_and_better_pass(text):
    assert banned_claims(text) == []


@pytest.mark.parametrize("text", [
    "Your data is stored securely.", "We procure ingredients from licensed suppliers.", "curettage is not used",
    "Most people feel mild stinging.", "Results differ from person to person.", "Side effects are usually mild.",
    "There are some risks, which the practitioner explains.",
])
def test_honest_wording_passes(text):
    assert banned_claims(text) == []


def test_claims_hidden_in_clinic_facts_are_caught(values):
    responses = {"utter_faq/price": [{"text": "A session costs {session_price}."}]}
    registry = load_registry()
    assert audit(responses, registry, values) == []
    tampered = {**values, "session_price": "AED 950, results guaranteed"}
    assert audit(responses, registry, tampered) == ["utter_faq/price: banned claim 'guaranteed'"]
    assert fill("{unknown} {session_price}", values).startswith("{unknown} ")


def test_missing_entry_is_reported():
    responses = {"utter_faq/new_topic": [{"text": "New answer."}],
                 "utter_new_aftercare": [{"text": "Keep the swelling down with a cold compress."}],
                 "utter_ok": [{"text": "Okay!"}]}
    problems = audit(responses, {}, {})
    assert problems == ["utter_faq/new_topic: no entry in answers.yml (add id, version, reviewed_on)",
                        "utter_new_aftercare: no entry in answers.yml (add id, version, reviewed_on)"]


def test_banned_claim_in_a_button_title_is_found():
    assert audit({"utter_x": [{"text": "Hi", "buttons": [{"title": "Painless option", "payload": "/x"}]}]}, {}, {})


@pytest.mark.parametrize("body,error", [
    ("answers:\n  utter_a: {version: 1, reviewed_on: 2026-01-01}\n", "missing id"),
    ("answers:\n  utter_a: {id: a, version: 0, reviewed_on: 2026-01-01}\n", "version"),
    ("answers:\n  utter_a: {id: a, version: 1, reviewed_on: soon}\n", "reviewed_on"),
    ("answers:\n  utter_a: {id: a, version: 1, reviewed_on: 2026-01-01}\n"
     "  utter_b: {id: a, version: 1, reviewed_on: 2026-01-01}\n", "already used"),
])
def test_malformed_registry_is_refused(tmp_path, body, error):
    path = tmp_path / "answers.yml"
    path.write_text(body)
    with pytest.raises(ValueError, match=error):
        load_registry(path)


def test_every_faq_answer_has_its_id_and_seed_comment(faq_responses):
    """data/responses/faq.yml: each answer sits under ``# id: faq/<key> | seed: ...`` for review."""
    lines = (PROJECT_ROOT / "data" / "responses" / "faq.yml").read_text(encoding="utf-8").splitlines()
    for name in faq_responses:
        at = lines.index(f"  {name}:")
        key = name.split("/", 1)[1]
        assert lines[at - 1].startswith(f"  # id: faq/{key} | seed: "), name


def test_faq_registry_ids_follow_their_keys(faq_responses):
    registry = load_registry()
    for name in faq_responses:
        assert registry[name].id == "faq." + name.split("/", 1)[1], name
        assert registry[name].reviewer, f"{name}: who reviewed it?"


def test_out_of_scope_answers_are_registered(all_responses):
    registry = load_registry()
    names = [n for n in all_responses if n.startswith("utter_out_of_scope/")]
    assert sorted(names) == ["utter_out_of_scope/other", "utter_out_of_scope/smalltalk"]
    assert all(n in registry for n in names)
    assert "utter_out_of_scope" not in registry  # renamed: the retrieval action has no text of its own
