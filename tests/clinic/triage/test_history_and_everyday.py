"""Triage of history, traits, everyday causes and the morning after (issue 15, helper "triage7").

False alarms noticed on ordinary messages (a relative's faint long ago, a blocked nose, lips
dark by nature, a face puffy from crying, a known food allergy asked about ahead, a memory of
not breathing, an injection that hurt and was over quickly, puffiness on waking after a
treatment) and misses (a late swelling years after lip filler, weakness in the arms after an
injection, a swelling growing as one watches). Each fix is checked against reports written to
break it: the same words told now, after a treatment, or with another sign. The reports are
written by the team (no evaluation row is copied here).
"""
import pytest

from clinic.triage import assess_text
from clinic.triage.nlp import DEFAULT_MODEL
from clinic.triage.scope import is_resolved

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed")


@pytest.mark.parametrize("text", [
    "my sister fainted at the dentist once, will she be ok",
    "i can't breathe through my nose normally, is that an issue",
    "my lips are naturally dark",
    "my face is swollen from crying lol",
    "puffy eyes in the morning always",
    "i get hives from shellfish, can i do it",
    "woke up with puffy face after treatment yesterday",
    # an allergy named as a diagnosis, set years ago
    "I had an allergic reaction in a salon back in 2012 and never went back",
    # a memory
    "I remember what it was like to be unable to breathe",
    # the injection hurt, and it was over quickly
    "The shots hurt more than I expected but it was all over very quickly.",
    # weakness from exercise
    "my legs are weak after the gym this morning",
    # a past fever asked about before a session (the year is the filler's)
    "I had filler in 2019 and a fever last month, can I still do the session?",
    # a faint at the dentist the writer fears having again
    "I've had fillings before. And yes, I've fainted in the dentist's chair. I don't want that to happen again.",
    # weak from the flu or a diet, asked about before a treatment
    "I feel so weak today after the flu",
    "I'm so weak from the diet, can I still have filler?",
    # numbness creeping up from the gum after the dentist's injection
    "a few minutes later I felt numbness creeping up past my gum into my cheek, it feels like it won't stop",
    # a peel that burned for a day and settled
    "the peel was intense, burning for a day then fine",
])
def test_history_traits_and_the_usual_course_are_not_warning_signs(text):
    result = assess_text(text)
    assert not result.urgent, result


@pytest.mark.parametrize("text", [
    # a late swelling after lip filler years before
    "In 2019 I had lip filler. Last month my lip swelled up and got red and hard",
    # weakness beyond the face right after an injection
    "I had weakness and trembling in my arms and hands a minute after the injection",
    # a swelling growing as one watches it
    "I could almost see them swelling as I was looking at them in the mirror",
    "my lips are swelling by the minute",
    # the same words told now or after a treatment
    "my lips went dark after the filler",
    "my face is swollen from the filler and it's getting worse",
    "my eyes are always puffy now since the botox",
    "i get hives from the filler, can i do another session?",
    "I got hives all over my chest this morning, can i still do my session tomorrow?",
    "woke up with puffy itchy eyes after treatment yesterday",
    "a week after the filler I woke up with a puffy face",
    "I had filler in 2015 and yesterday I had an allergic reaction",
    "the shots hurt a lot and the pain is still there today",
    # weakness of the whole body after a toxin
    "ten days after the botox she became very weak and even standing up is a great effort",
    "after the injections I got generalised weakness in my legs",
    # burning for days after a lash lift
    "I had extreme eye irritation and burning for days after the lash lift",
    # numbness that lasts days is no dentist's numbing
    "my gums are numb 3 days after the filler",
])
def test_the_same_words_told_as_a_report_stay_warning_signs(text):
    result = assess_text(text)
    assert result.urgent, result


@pytest.mark.parametrize("text", [
    "my sister fainted at the clinic today, will she be ok",
    "after the filler I fainted once in the car",
    "i can't breathe through my nose or mouth since the filler",
    "I remember the panic when I couldn't breathe last night after the filler",
    "I fainted in the dentist chair today and I really don't want that to happen again",
    "After my filler I fainted. I don't want that to happen again.",
    "Just fainted after my lip filler, scared it will happen again",
    "I remember the day after botox I couldn't breathe",
])
def test_emergencies_told_now_stay_emergencies(text):
    result = assess_text(text)
    assert result.urgent and result.emergency, result


def test_over_quickly_is_a_resolution_but_not_hives_all_over():
    assert is_resolved("but it was all over pretty quickly.")
    assert not is_resolved("and they were all over my chest by the morning")
