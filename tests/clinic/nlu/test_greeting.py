"""A greeting in front of a message: what is read without it, and which reading is kept."""
import numpy as np
import pytest

from clinic.nlu.greeting import more_confident, without_greeting


@pytest.mark.parametrize("text, rest", [
    ("hi i had my meso session today morning", "i had my meso session today morning"),
    ("Hi, I had mesotherapy 2 days ago", "I had mesotherapy 2 days ago"),
    ("salam doctor, kam el se3r", "kam el se3r"),
    ("Assalamu alaikum, is it painful?", "is it painful?"),
    ("Good morning mam, how many sessions i need", "how many sessions i need"),
    ("hey!! can i book for sat", "can i book for sat"),
    ("hiii dear sir i want refund", "i want refund"),
    # Arabic script
    ("السلام عليكم ابغى موعد", "ابغى موعد"),
    ("السلام عليكم ورحمة الله وبركاته، كم سعر الجلسة؟", "كم سعر الجلسة؟"),
    ("مرحبًا دكتور عندي سؤال عن الجلسة", "عندي سؤال عن الجلسة"),
    ("صباح الخير ابي احجز موعد", "ابي احجز موعد"),
])
def test_the_rest_of_a_message_that_opens_with_a_greeting(text, rest):
    assert without_greeting(text) == rest


@pytest.mark.parametrize("text", [
    "hi", "hello there", "good evening doctor", "hi price?",  # a greeting alone, or one word after it
    "history of acne scars", "high fever after session", "hiking after meso ok?", "hey",  # no greeting leads
    "", "my face is red, hi",
    "السلام عليكم", "هلا والله", "السلامة مهمة في العلاج", "سلامات",  # a greeting alone, or none
])
def test_no_rest_without_a_leading_greeting_and_two_words(text):
    assert without_greeting(text) is None


@pytest.mark.parametrize("text, rest", [
    ("ok book me then", "book me then"),
    ("and sunscreen?", "sunscreen?"),  # one word is enough after a connector: it is the topic
    ("so, how much is it", "how much is it"),
    ("btw do you work on weekends", "do you work on weekends"),
    ("okay so what about makeup then", "makeup then"),
    ("hi ok so how much", "how much"),  # a greeting, then connectors
    ("alright when are you open", "when are you open"),
    ("طيب كم السعر", "كم السعر"),
])
def test_the_rest_after_connecting_words(text, rest):
    assert without_greeting(text) == rest


@pytest.mark.parametrize("text", ["ok", "and?", "ok ??", "so", "well done", "sofa", "android", "okra", "thenks",
                                  "also"])
def test_connecting_words_alone_or_inside_a_word_leave_nothing_to_read(text):
    assert without_greeting(text) is None


def test_the_surer_reading_is_kept():
    whole, rest = np.array([0.5, 0.4, 0.1]), np.array([0.05, 0.9, 0.05])
    assert more_confident(whole, rest) is rest
    assert more_confident(rest, whole) is rest
