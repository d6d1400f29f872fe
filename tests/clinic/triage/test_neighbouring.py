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
from clinic.triage.scope import is_resolved

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed")


@pytest.mark.parametrize("text", [
    "halfway through the shading I passed right out in the chair",
    "after the second jab I just passed clean out, the nurse caught me",
    "I went out cold for a moment when they did the numbing shot",
    "during the piercing I couldn't get any air and my chest went tight",
    "after the shot I had trouble getting a proper, full breath",
    "it felt like I was suffocating as soon as the numbing went in",
    "I had to fight to not suffocate in the dentist's chair",
    "I went pale and the whole room went dark on me",
    "after the jab the world turned grey and I slid off the chair",
    "I keeled over at the front desk an hour after the shot",
    "after the piercing she stood up and then she fell to the floor",
    "it felt like my airway was closing up",
])
def test_fainting_and_breathing_told_in_a_story_are_emergencies(text):
    result = assess_text(text)
    assert result.urgent and result.emergency, result


@pytest.mark.parametrize("text", [
    # walking made hard after a bite or an injection in the leg
    "the bite on my calf swelled into a knot and by the evening it was hard to walk",
    # an eye that will not blink after a dental injection
    "after the numbing shot I could not blink my right eye",
    # heat told as a simile
    "my arm feels like it's resting on a hot stove where they vaccinated me",
    "the tattoo feels like there's a hot iron on it today",
    # pus in a spelling patients use
    "the new navel piercing pusses a bit every morning",
    # swollen and sore now, weeks after a piercing
    "I had my cartilage pierced three weeks ago. It is swollen and sore and I can't sleep on that side.",
    "my son got his tongue done a month ago and it's really swollen and painful",
    "thick green gunk keeps coming out of the top hole",
    "the industrial is all crusty and smells",
    "the welt from the bite is the size of my hand now",
    "since the tattoo the redness keeps growing",
    "I was violently sick the night after the numbing shot",
])
def test_warning_signs_after_neighbouring_procedures_are_urgent(text):
    assert assess_text(text).urgent, assess_text(text)


@pytest.mark.parametrize("text", [
    # the wax, not the skin, was hot
    "after my brow wax there's a small sore strip, was the wax too hot?",
    # treated veins look worse before they fade
    "two weeks after sclerotherapy the veins look worse and darker, is that normal?",
    # red and blotchy is the usual look after a peel
    "day two after my laser peel: red and blotchy, like a sunburn",
    # a sharp sting that was over at once
    "the needle hurt for a second, then a very painful sting, and it was over.",
    # a simile of heat with a sunburn is the usual warmth
    "my cheeks feel like a hot sunburn the evening after the laser",
    # a little red and sore two weeks after a piercing: the tail of the healing
    "I got my ears pierced two weeks ago and they are a little red and sore when I turn the studs.",
    # swollen lips weeks after lip filler have their own, longer course
    "I had lip filler a week ago and my lips are swollen and tender in the mornings",
    # other things that fall, grow or go dark
    "my hair keeps growing back after the laser, is that normal?",
    "the needle cap fell on the floor so she opened a new one",
    "the room went dark for the LED part of the facial",
])
def test_expected_course_after_neighbouring_procedures_is_not_urgent(text):
    assert assess_text(text).urgent is False, assess_text(text)


@pytest.mark.parametrize("text", [
    "the pain stayed with me for days and it was over my whole jaw",
    "it was over the injection site and it is still there",
])
def test_over_a_place_is_not_a_resolution(text):
    assert is_resolved(text) is False


@pytest.mark.parametrize("text", [
    "my leg is a bit red from the bite but it's not hard to walk",
    "it was hard to stand the pain of the needle but it's fine now",
])
def test_walking_denied_or_bearing_the_needle_is_not_a_sign(text):
    assert assess_text(text).urgent is False, assess_text(text)


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
