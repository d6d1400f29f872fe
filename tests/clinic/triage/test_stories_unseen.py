"""Triage of long stories in wording the older rules did not share (issue 15, December 2026).

Emergencies told mid-story (blurring "in her left eye", sight that "keeps getting worse",
"no longer able to see", eyes that rolled back, a clammy cold sweat, slurred speech, a
throat that feels odd after a shot, a news story's "when she had the filler ..."), weakness
in the writer's words, and the expected course around alarming words: chills and a sore arm
after a vaccine, a face that feels huge while the dentist's numbing lasts, light-headedness
the sentence calls fine, fainting told as a trait or a childhood story. The reports are
written by the team (no evaluation row is copied here).
"""
import pytest

from clinic.triage import assess_text
from clinic.triage.nlp import DEFAULT_MODEL

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed")


@pytest.mark.parametrize("text", [
    "a few minutes after the nose filler she had blurring in her left eye",
    "since the forehead filler my sight keeps getting worse",
    "I am no longer able to see properly out of my right eye",
    "after the injection I was unable to see clearly for a while",
    "my husband said my eyes rolled back and I went floppy in the chair",
    "I went all clammy and grey straight after the jab",
    "broke out in a cold sweat and my hearing went muffled during the drip",
    "my speech is slurred since the botox this morning",
    "I felt woozy and sick at the blood draw and then faint",
    "there is a weird tickle in my throat since the vitamin drip",
    "ten minutes after the shot my throat feels scratchy and itchy",
    "When she had the filler done, she felt a strange sensation in her throat",
])
def test_emergencies_told_in_new_words(text):
    result = assess_text(text)
    assert result.urgent and result.emergency, result


@pytest.mark.parametrize("text", [
    "I can't pronounce my words properly since the botox",
    "I have trouble holding my head up since the neck botox",
    "after the skin booster I have chills and a headache",
])
def test_warning_signs_told_in_new_words(text):
    assert assess_text(text).urgent


@pytest.mark.parametrize("text", [
    "had my flu jab yesterday and had chills overnight, all fine now",
    "second dose of the covid vaccine last night, temperature 38.1 this morning and achy",
    "got my covid vaccine and my arm hurt so much I could not lift it",
    "the dentist numbed me for a filling and half my face feels tingly and huge",
    "I felt a bit light-headed walking out of the clinic but fine",
    "I always pass out when I see needles, can I lie down for the session?",
    "When I was about ten I fainted after a jab at school, should I eat before my meso?",
    "I had 30 injections around my temples for migraine last year and it helped",
    "the needle dots were red then faint by day three",
])
def test_the_expected_course_around_alarming_words(text):
    assert assess_text(text).urgent is False, assess_text(text)


@pytest.mark.parametrize("text", [
    "since the vaccine my throat feels tight",
    "I fainted at my blood test yesterday, I always pass out with needles",
    "my temperature is 38.5 since the meso",
    "my immunity is low and I have had chills since the meso",
])
def test_the_new_exceptions_keep_real_signs(text):
    assert assess_text(text).urgent, assess_text(text)


@pytest.mark.parametrize("text, emergency", [
    # a vaccine named beside this clinic's treatment excuses nothing
    ("got my flu shot on tuesday and the meso yesterday, now i have fever 38.5", False),
    ("had the covid vaccine last month, after today's session temp is 38.4", False),
    ("after the filler my cheek hurts so badly i cant sleep, i also had a tetanus shot last week", False),
    # the numbing cream is no dentist: slurring after it stays an emergency
    ("used the numbing cream before the session, now my speech is slurred", True),
])
def test_what_excuses_a_sign_elsewhere_excuses_nothing_after_our_treatments(text, emergency):
    result = assess_text(text)
    assert result.urgent, result
    if emergency:
        assert result.emergency, result

