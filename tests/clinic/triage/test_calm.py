"""Calm evidence (clinic.triage.calm): the message tells the expected course in its own words.

Own-words examples; no evaluation row is copied here.
"""
import pytest

from clinic.triage import TriageResult, needs_learned, overrules_classifier
from clinic.triage.calm import says_expected_course


@pytest.mark.parametrize("text", [
    "the little bumps from the session went down by the evening",
    "my cheeks were puffy the morning after but it settled by lunch",
    "I woke up with slightly sore lips",
    "it was a little painful, but only for a few minutes",
    "it stung a bit during the treatment",
    "bit of a headache tonight, one of the side effects they mentioned",
])
def test_the_expected_course_told_in_the_message(text):
    assert says_expected_course(text) is True


@pytest.mark.parametrize("text", [
    # a fresh report after the calm part
    "the swelling went down but now it's back",
    # "hasn't gone down" is not a resolution
    "it hasn't gone down at all since monday",
    # direction, not resolution
    "a red line is going down my neck from the injection site",
    "the redness went down my neck overnight",
    # an alarming word next to a mild one
    "slightly blue around the lip",
    "a little bit of pus on one spot",
    "slight fever tonight",
    # a mild word about something else, the symptom itself unqualified
    "my face was swollen and there was a pain below my eye. you tend to get a bit of swelling after fillers",
    # no calm evidence at all: a paraphrase the rules lack may hide here
    "my face feels weird and heavy since the session",
    "",
])
def test_no_calm_evidence(text):
    assert says_expected_course(text) is False


def test_calm_evidence_closes_the_second_opinions_only_when_the_rules_passed():
    calm = "it was a little painful, but only for a few minutes"
    quiet = TriageResult(urgent=False)
    assert not needs_learned(calm, quiet) and overrules_classifier(calm, quiet)
    assert needs_learned("my face feels weird and heavy since the session", quiet)
    assert not overrules_classifier("my face feels weird and heavy since the session", quiet)
    assert not overrules_classifier(calm, TriageResult(urgent=True, categories=["pain"]))


@pytest.mark.parametrize("text", [
    "its not spreading, just itchy a bit",
    "no fever, just a little sore where the needle went",
    "slightly red, not hot and not getting worse",
])
def test_an_alarm_word_taken_back_or_a_mild_itch_is_calm(text):
    assert says_expected_course(text) is True


@pytest.mark.parametrize("text", [
    "not breathing properly since the injection, a bit tight",
    "a bit itchy all over my body",
    "no fever but it is spreading",
    "not spreading but there is pus",
    "slightly itchy and the lip is turning blue",
    "i can't swallow properly, just a little sore",
])
def test_a_negation_does_not_take_back_every_alarm(text):
    assert says_expected_course(text) is False


@pytest.mark.parametrize("text, calm", [
    ("لا يوجد صديد ولا حرارة بس احمرار خفيف", True),
    ("احمرار خفيف بعد الجلسة", True),
    ("mafi sadeed wala 7arara, bas shwai a7mar", True),
    ("لا يوجد صديد بس التورم يزيد", False),        # denied pus, a growing swelling
    ("احمرار خفيف وحرارة", False),                 # a fever named
    ("شفايفي لونها ازرق شوي", False),              # blue, however mild
    ("وجهي متورم", False),                          # no calm evidence at all
])
def test_calm_evidence_in_arabic(text, calm):
    assert overrules_classifier(text, TriageResult(urgent=False, language="ar")) is calm
