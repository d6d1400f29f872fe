"""The course of a symptom in a story (clinic.triage.course): still there days later, back weeks later.

Reports written by the team in their own words (no evaluation row is copied here).
"""
import pytest

from clinic.triage import assess_text
from clinic.triage.course import course_signs
from clinic.triage.nlp import DEFAULT_MODEL

needs_spacy = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed")


# --- the families on their own (no spaCy) ----------------------------------------------

@pytest.mark.parametrize("text,label", [
    ("I'm not sure if this is normal but it's been four days and the swelling on my jaw hasn't gone down at all",
     "swelling.persistent"),
    ("3 days later still swollen and sore", "swelling.persistent"),
    ("day 5 and my chin is still puffy, if anything it's bigger than yesterday", "swelling.persistent"),
    ("a week on and the injection points still hurt when i touch them", "pain.persistent"),
    ("had the meso 6 days ago. the cheek is not getting any better, still tender", "pain.persistent"),
    ("got filler 2 months ago and suddenly both cheeks swollen, red and tender again", "swelling.late"),
    ("Three weeks after my skin booster, I woke up with my jaw swollen on one side", "swelling.late"),
    ("the bump under my eye from the filler has been there 3 weeks and this week it got red and started to hurt",
     "lump.late"),
    ("that little knot from the meso a month ago is now sore and warm", "lump.late"),
])
def test_a_course_that_is_not_the_usual_one_is_found(text, label):
    assert label in [found for found, _ in course_signs(text)], text


@pytest.mark.parametrize("text", [
    # too early: swelling on day 1-2 is the usual course
    "the swelling hasn't gone down yet, had it done this morning",
    "still a bit swollen today, day 2",
    # lips after filler: two weeks is the usual course
    "3 days after lip filler my lips are still swollen",
    # getting better
    "4 days later still a little swollen but it's going down every day",
    # mild: the tail of the usual course
    "it's been 5 days and my cheeks are still slightly puffy in the morning",
    # general questions about the course
    "how long until the swelling goes down if it's still there after 3 days?",
    # a lump that has been there for weeks with nothing new
    "a painless lump under my eye from the filler, it has not changed in weeks",
    # long ago, nothing back
    "I had fillers 2 months ago, can I do mesotherapy now?",
    "months later the swelling went down completely",
])
def test_the_usual_course_is_not_a_course_sign(text):
    assert course_signs(text) == [], text


# --- through the whole triage (scope filters apply) ------------------------------------

@needs_spacy
@pytest.mark.parametrize("text", [
    "Long story short, my friend's lips swelled up again two months after her filler. Could that happen with meso?",
    "what if it's still swollen 5 days later?",
])
def test_someone_elses_course_or_a_general_question_is_not_urgent(text):
    assert assess_text(text).urgent is False, assess_text(text)


@needs_spacy
@pytest.mark.parametrize("text", [
    "I went for my 3rd meso session ten days ago. Everything looked fine at first and I was really pleased with my "
    "skin. But honestly it's been over a week now and the left side of my jaw hasn't gone down, it's still hard.",
    "Not to be dramatic, but I had the skin booster in March and last night out of nowhere my cheek flared up again, "
    "it's hot and tender.",
])
def test_a_long_story_with_a_course_sign_is_urgent(text):
    assert assess_text(text).urgent is True, text
