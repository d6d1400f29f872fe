"""Triage of reports after neighbouring procedures (issue 15): dental numbing injections,
piercings, tattoos, vaccines, waxing, laser, insect bites.

Their stories read like the clinic's own: a sign mid-story told in the writer's words
("passed right out", "hard to walk", "couldn't get any air"), contractions written with a
backtick, and the expected course with alarming words in passing. The reports are written
by the team (no evaluation row is copied here).
"""
import pytest

from clinic.triage import assess_text
from clinic.triage.lexicon import split_contraction
from clinic.triage.nlp import DEFAULT_MODEL

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed")


@pytest.mark.parametrize("text", [
    "i can`t breath since the injection",
    "after the numbing shot I couldn`t open my right eye",
])
def test_a_backtick_contraction_keeps_a_cant_sign(text):
    assert assess_text(text).urgent, assess_text(text)


@pytest.mark.parametrize("text", [
    "I don`t have a fever and there`s no pus, it`s just a bit pink",
    "it didn`t swell at all after the filling",
])
def test_a_negation_written_with_a_backtick_is_still_a_negation(text):
    assert assess_text(text).urgent is False, assess_text(text)


def test_backtick_contractions_split_into_verb_and_not():
    assert split_contraction("can`t") == ("can", "not")
    assert split_contraction("could`nt") == ("could", "not")
    assert split_contraction("won´t") == ("will", "not")
    assert split_contraction("wasn`t") == ("be", "not")
    assert split_contraction("it`s") is None
    assert split_contraction("cant") is None
