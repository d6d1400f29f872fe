"""Triage families added after the fourth unseen batch (issue 15, helper "triage4").

Each family is a way patients write a warning sign that the lexicon lacked: breathing told by
how it feels or by a worry about it, chest pressure, a blocked throat, a hoarse voice with a
swelling, a swollen neck, an EpiPen or adrenaline already given, being found on the floor, a
rash "all over" the body, a mouth hard to open, hard balls under the skin, and a few
scope fixes ("what are these white heads...?", "what do i do if i cant breathe? its happening
now"). Every family has cases that must flag and cases that must not (the narrow excuses:
dry peeling skin, numbing-cream blanching that goes back to normal, a hoarse voice from a cold).
The messages are written by the team in their own words; no evaluation row is copied here.
"""
import pytest

from clinic.triage import assess_text
from clinic.triage.nlp import DEFAULT_MODEL

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed")


@pytest.mark.parametrize("text", [
    # breathing told by how it feels
    "my breathing is very fast and shallow after the treatment",
    "breathing feels laboured and noisy since the session",
    # a worry about it is a report
    "im worried about my breathing, its not normal",
    "the nurse was worried about my breathing after the filler",
    # air, chest pressure
    "i feel like im not getting enough air",
    "tightness in my chest after meso",
    "feels like someone is sitting on my chest",
    "there is pressure on my chest and i feel weak",
    # throat blocked, food not going down, closing told after another clause
    "there is a lump in my throat feeling since the injection",
    "food wont go down, my throat feels blocked",
    "my throat is paining and i feel it is closing",
    # tongue or voice
    "my tongue feels huge and i can barely talk",
    "my lips are massively swollen and my voice sounds muffled and hoarse",
    # the neck
    "my neck is swelling and they are worried about my breathing",
    # an emergency treatment already given
    "i had to use my epipen",
    "they gave me adrenaline in the ambulance",
    "i needed a shot of epinephrine after the filler",
    # found on the floor, legs up
    "i went down on the floor after the session, my husband found me",
    "the next thing i knew the nurse was putting my legs up",
    # seeing only shadows, a question told as happening now
    "i can only see shadows from my left eye",
    "what do i do if i cant breathe? its happening now",
    "uneble to breathe",
])
def test_new_emergency_families(text):
    result = assess_text(text)
    assert result.urgent and result.emergency, result


@pytest.mark.parametrize("text", [
    "my whole body is itching badly since the treatment",
    "my face is itching like anything and swollen",
    "by the morning they were all over my chest, shoulders and neck",
    "i struggled to open my mouth this morning and my cheek is swollen",
    "my cheek is noticeably swollen today",
    "there is swelling and hardness in my cheek",
    "six weeks later i can feel two hard little balls under the skin on my chin",
    "the swelling extends from under my eye down to my jaw",
    "what are these white heads on every injection point?",
    "my ears were ringing and i felt really hot while she injected",
])
def test_new_urgent_families(text):
    assert assess_text(text).urgent


@pytest.mark.parametrize("text", [
    # dry peeling skin makes the mouth hard to open: the peel's course
    "day 3 after the peel, my skin is so dry that it is hard to open my mouth all the way",
    # numbing cream blanching that went back to normal
    "the numbing cream made my face tingle and go a bit pale, but it went back to normal once it was wiped off",
    # a hoarse voice from a cold, a general worry, a fear of the future
    "my voice is hoarse from a cold, should i still come tomorrow?",
    "i am worried about getting an infection after the session",
    "can you tell me the side effects? im scared of swelling",
    # EpiPen as a plan, adrenaline in the dental anaesthetic
    "i always carry an epipen because of my nut allergy, is that ok to bring?",
    "the dentist used a numbing injection with adrenaline in it and everything went fine",
    # the usual course
    "i felt a bit warm and pink for an hour after the session",
    "small bumps at the injection points went away after half an hour",
    "what are the signs of an infection?",
    "what if i get a fever after the session?",
])
def test_expected_course_and_questions_stay_calm(text):
    assert not assess_text(text).urgent, assess_text(text)


@pytest.mark.parametrize("text", [
    # the narrow excuses do not reach real signs
    "the numbing cream made my skin go white and now it hurts a lot",
    "after the numbing cream my lip went white and is still white 2 hours later",
    "my skin is dry but my jaw is locked and i cannot open my mouth",
    "hoarse voice and my throat is swelling",
    "i had to use my epipen, my face is still swelling",
])
def test_excuses_stay_narrow(text):
    assert assess_text(text).urgent, assess_text(text)


@pytest.mark.parametrize("text", [
    "i went into anaphylactic shock after the injection",
    "i think im having anaphylaxis",
    "my airway feels tight",
    "the room went dark and i fell",
    "my skin is turning blue around my mouth",
    "my face dropped on one side and my arm feels weak",
    "swallowing hurts and feels blocked",
])
def test_more_emergency_families(text):
    result = assess_text(text)
    assert result.urgent and result.emergency, result


@pytest.mark.parametrize("text", [
    "i have a history of anaphylaxis to nuts, can i have meso?",
    "what are the signs of anaphylaxis?",
    "the room went dark for the LED part of the facial",
])
def test_anaphylaxis_as_history_or_question_and_a_dark_room_are_calm(text):
    assert not assess_text(text).urgent, assess_text(text)


def test_an_epipen_carried_for_anaphylaxis_is_no_emergency():
    # (the older allergic.reaction rule still asks a nurse; the 998 tier is for a reaction happening)
    assert not assess_text("i carry an epipen for anaphylaxis, should i bring it?").emergency


@pytest.mark.parametrize("text", [
    # the new families' words in ordinary messages
    "do you use adrenaline in the numbing?",
    "it was hard to open my eyes in the bright light after the facial, fine now",
    "i have freckles all over my arms, can you treat those?",
    "i have acne all over my back, do you treat that?",
    "the mask felt heavy on my chest while lying down, no problem though",
    "the swelling extends slightly to my chin but much less than yesterday",
    "i had little bumps all over my face after microneedling for an hour",
    "i struggle to find parking near the clinic",
    "i dropped my phone on the floor during the session lol",
])
def test_new_family_words_in_calm_messages(text):
    assert not assess_text(text).urgent, assess_text(text)


def test_adrenaline_given_to_the_patient_is_an_emergency():
    for text in ("they gave me adrenaline at the hospital", "I used the EpiPen"):
        result = assess_text(text)
        assert result.urgent and result.emergency, (text, result)


@pytest.mark.parametrize("text", [
    # a Covid booster is a vaccine ("skin booster" is not); a warm red mark on the vaccinated arm is its course
    "chills all night after my covid booster shot",
    "hot red spot on my arm after my pfizer shot",
    "fever and body aches, and a hot red patch on my arm after the covid booster",
])
def test_vaccine_arm_course_is_calm(text):
    assert not assess_text(text).urgent, assess_text(text)


@pytest.mark.parametrize("text", [
    "hot red spot on my cheek after my pfizer shot",
    "after my covid booster my arm is red and hot and the redness is spreading to my chest",
    "hives on my arm after the covid jab",
    "profhilo booster shot yesterday, now fever and chills",
    "had my booster shot yesterday and now i have a fever of 38.7",
    "after my skin booster session my arm is hot and red",
    "red itchy bumps on my arm and chest after the moderna shot",
    "fever 38.5 after my meso and covid booster",
])
def test_vaccine_excuse_stays_narrow(text):
    assert assess_text(text).urgent, assess_text(text)
