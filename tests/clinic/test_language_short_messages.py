"""Short messages the language rules used to misread (issue 17): "من هو…" questions,
Arabizi without digits, and 8 as an Arabizi digit; English stays English."""
import pytest

from clinic.language import conversation_language, detect


@pytest.mark.parametrize("text", [
    "من هو الطبيب؟", "من هو الدكتور", "من هو الدكتور اللي يسوي الجلسة؟", "من هي الدكتورة؟", "من هو",
    "مين الدكتور", "من هو افضل دكتور عندكم", "من هو المسؤول", "منو الدكتور", "من هم الأطباء",
])
def test_who_questions_are_arabic_not_persian(text):
    assert detect(text) == "ar"


@pytest.mark.parametrize("text", [
    "abi mawed bukra", "abi ahjiz", "abgha ahjez mawed", "kifak", "mumkin ahjiz bukra", "ana abi ahjiz",
    "abi maw3ad bukra", "ana abi a7jiz", "abi mawad", "shlonik", "afwan", "abghi mawid",
    "shu byseer bel jalsa?", "kam jalsa ahtaj",
])
def test_arabizi_without_digits(text):
    assert detect(text) == "arabizi"


@pytest.mark.parametrize("text", ["8ali", "el se3r 8ali", "a8rab maw3ed", "w8t el maw3ed", "abi a8rab wa8t"])
def test_8_is_an_arabizi_digit(text):
    assert detect(text) == "arabizi"


@pytest.mark.parametrize("text", [
    "8am tomorrow", "gr8 thanks", "see you l8r", "w8 a sec", "I ate 8 apples", "at 8", "8th of december",
    "Dawn", "moved to friday", "mowed", "Abi Smith", "Masa Ali", "Sabah", "bidi", "hi", "ok",
])
def test_english_stays_english(text):
    assert detect(text) in ("en", "unknown")


def test_a_conversation_in_arabizi_without_digits_is_answered_in_arabic():
    assert conversation_language(["abi ahjiz mawed bukra", "ok"]) == "ar"
