"""Warning-sign triage on spaCy's en_core_web_md, without Rasa."""
import pytest

from clinic.triage import assess_text, evaluate, load_reports
from clinic.triage.lexicon import correct, read_word
from clinic.triage.nlp import DEFAULT_MODEL

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed (make setup)")


@pytest.mark.parametrize("text", [
    "no fever, not hot, just a bit red",
    "mild redness and small bumps on day 2",
    "a bit of bruising and some tenderness",
    "peeling and tight skin",
    "i don't think it's infected",
    "numb from the numbing cream",
    "is it ok to take a hot shower?",
    "purple bruise near the injection site",
    "does mesotherapy hurt a lot?",
    "can it cause infection?",
    "",
    "   ",
    "🙏🙏",
    "كم سعر الجلسة",
    "I feel so self-conscious about my acne scars, what can I do?",
    "do you have parking near the hospital?",
])
def test_expected_effects_and_questions_are_not_urgent(text):
    assert assess_text(text).urgent is False


@pytest.mark.parametrize("text,category", [
    ("no pain but there's pus", "infection"),
    ("it isn't getting better, it's spreading", "worsening"),
    ("there's puss coming out", "infection"),
    ("feaver since last night", "infection"),
    ("my lips are swolen", "allergic"),
    ("hives all over", "allergic"),
    ("the skin turned grey", "vascular"),
    ("blisters on the treated area", "tissue_damage"),
    ("a hard painful lump", "lump"),
    ("the pain is getting worse every day", "pain"),
    ("feeling giddy", "systemic"),
    ("still numb after three days", "numbness"),
    ("no fever my lips are swollen", "allergic"),
    ("not hot, not painful but there are blisters", "tissue_damage"),
    # weakness after a toxin, in the patient's words
    ("since yesterday my eyelid is heavy and i cant squeeze my eyes shut", "weakness"),
    ("two days after botox i cant hold my neck up properly", "weakness"),
    ("having trouble talking since the injections", "weakness"),
    ("this time the eye is completely closed", "weakness"),
    ("it started burning, a scorching burn on both cheeks", "tissue_damage"),
])
def test_warning_signs_are_urgent_with_their_category(text, category):
    result = assess_text(text)
    assert result.urgent is True
    assert category in result.categories


@pytest.mark.parametrize("text", [
    "brething is hard", "my throat is closing", "cant breath", "tongue is swollen", "i fainted",
    "I PASSED OUT THIS MORNING", "i was unconcious for a minute", "i lost consciousness",
    "i couldnt see where the steps were after the filler", "my parents called an ambulance after the session",
    "wajhi mntfe5 w ma a8dar atnafas", "ma a9dar atnafas",
])
def test_airway_and_fainting_are_emergencies(text):
    result = assess_text(text)
    assert result.urgent and result.emergency


def test_infection_is_not_an_emergency():
    assert assess_text("pus and fever").as_dict() == {"urgent": True, "categories": ["infection"], "emergency": False}


def test_typo_lexicon_and_fuzzy_correction_leave_real_words_alone():
    assert correct("puss") == "pus" and correct("dizzyness") == "dizziness"
    assert read_word("swolen", "swolen")[0] == "swell"
    for word in ("injection", "injected", "never", "slight", "training", "seeing", "conscious"):
        assert correct(word) is None, word


def test_run_on_message_with_a_question_is_urgent():
    text = ("hello doctor i did mesotherapy thursday everything ok but from yesterday my cheek is hot "
            "and red and today some pus also coming what to do")
    assert assess_text(text).urgent


def test_huge_message_is_handled():
    assert assess_text("a bit red " * 800).urgent is False
    assert assess_text("a bit red " * 800 + " and pus").urgent is True


def test_symptom_set_urgent_recall_is_100_percent_and_false_alarms_are_reported():
    reports = load_reports()
    assert sum(r["urgent"] for r in reports) >= 100
    assert len(reports) >= 150
    result = evaluate(reports)
    print(f"\ntriage false-alarm rate {result['false_alarm_rate']:.3f} "
          f"on {result['expected_reports']} expected reports")
    assert result["missed"] == [], "missed warning signs"
    assert result["urgent_recall"] == 1.0
    assert result["false_alarm_rate"] <= 0.10, result["false_alarms"]


def test_evaluate_counts_with_any_classifier():
    reports = [{"text": "a", "urgent": True}, {"text": "b", "urgent": False}, {"text": "c", "urgent": False}]
    result = evaluate(reports, is_urgent=lambda text: text in ("a", "b"))
    assert result["urgent_recall"] == 1.0
    assert result["false_alarm_rate"] == 0.5
    assert result["false_alarms"] == ["b"]


@pytest.mark.parametrize("text", ["\u200b\u200bpus", "\ufb01ever", "a\u00adbscess", "pus\n\n  fever"])
def test_hidden_characters_and_ligatures_do_not_hide_a_sign(text):
    assert assess_text(text).urgent
