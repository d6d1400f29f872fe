"""clinic.nlu.complaint: complaints and strong feeling said in earnest, not questions about them."""
import pytest

from clinic.nlu.complaint import is_complaint, shouting


@pytest.mark.parametrize("text", [
    "I AM VERY DISAPPOINTED NO RESULTS AFTER 3 SESSIONS", "i am very disappointed, no results after 3 sessions",
    "im so upset with the results honestly", "not happy at all with my treatment", "i feel cheated",
    "total rip off", "this is a waste of money", "worst clinic ever", "never coming back to this clinic",
    "i want to complain about the doctor", "your bot is useless", "I PAID 3400 AND NOTHING CHANGED",
    "WHY IS NOBODY ANSWERING ME", "my scars look worse than before, very upset", "scam",
    "خدمة سيئة جدا", "نصابين", "ما استفدت شي من الجلسات ابي فلوسي", "wallah ma 3ajabni, wala nateeja",
    "mo radi 3la el natija",
])
def test_complaints(text):
    assert is_complaint(text)


@pytest.mark.parametrize("text", [
    "what if im not happy with the results", "is it normal to feel disappointed after first session",
    "is mesotherapy legit or a scam", "is it a scam", "HOW MUCH IS IT", "DOES IT HURT A LOT???",
    "IS IT SAFE OR NOT", "THANK YOU SO MUCH!!", "I WANT TO BOOK TOMORROW", "tell me a joke",
    "how do i avoid getting scammed by cheap clinics", "i wasn't disappointed at all, thank you",
    "I paid good money for laser and was really disappointed. What do you recommend?",
    "", "/frustrated", "ok", "كم سعر الجلسة", "shukran",
])
def test_not_complaints(text):
    assert not is_complaint(text)


def test_shouting_needs_most_letters_in_capitals_and_three_words():
    assert shouting("WHY IS NOBODY ANSWERING")
    assert not shouting("Why is nobody answering")
    assert not shouting("HELLO THERE")  # two words
    assert not shouting("OK OK OK")  # too few letters
