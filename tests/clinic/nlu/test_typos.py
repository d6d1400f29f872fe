"""clinic.nlu.typos: slips of the finger read as the training word they are one slip from."""
from __future__ import annotations

import pytest

from clinic.nlu.typos import TypoCorrector
from clinic.words import common_words, one_slip_from

# how much the training examples use each word (any score that grows with use)
USE = {"painful": -2.0, "results": -1.5, "result": -2.2, "session": -1.0, "sessions": -1.2,
       "mesotherapy": -0.5, "microneedling": -3.0, "bruise": -2.5, "brush": -4.0, "saved": -3.0}


@pytest.fixture(scope="module")
def corrector() -> TypoCorrector:
    if not common_words():
        pytest.fail("the sentence encoder's files are not installed: run scripts/bootstrap.sh")
    return TypoCorrector(USE)


@pytest.mark.parametrize("typed, meant", [
    ("is it pianful", "is it painful"),                       # two letters swapped
    ("how long will my resuls last", "how long will my results last"),  # one dropped
    ("how many sesssions", "how many sessions"),              # one doubled
    ("Mesotherrapy price", "mesotherapy price"),              # case does not matter
])
def test_a_slip_is_read_as_the_training_word(corrector, typed, meant):
    assert corrector.correct(typed) == meant


@pytest.mark.parametrize("text", [
    "is it painful",            # known words stay
    "teh price",                # too short to guess at
    "zxqwv for me",             # near nothing
    "ما هو السعر",              # not Latin letters
    "session 3 at 10am",
])
def test_other_words_stay_as_typed(corrector, text):
    assert corrector.correct(text) == text


def test_a_slip_near_an_everyday_word_the_training_never_uses_stays_as_typed(corrector):
    # "bruse" is one slip from "bruise" and "brush", but also from "bruce" and "brute"; "saeed" (a
    # name) from the training word "saved" and from "speed" and "seed"
    assert corrector.correct("how about the bruse") == "how about the bruse"
    assert corrector.correct("my name is saeed") == "my name is saeed"


def test_between_training_words_the_one_used_most_and_none_when_equally_used(corrector):
    # "resuls" is one slip from "results" and "result", both training words
    assert corrector.correct("resuls") == "results"
    tied = TypoCorrector({**USE, "result": USE["results"]})
    assert tied.correct("resuls") == "resuls"


def test_one_slip_from_finds_each_kind_of_slip_nearest_first():
    choices = ["itching", "itch", "stitching", "witching"]
    assert one_slip_from("ithcing", choices) == ["itching"]
    assert one_slip_from("itchng", choices) == ["itching"]
    assert one_slip_from("itching", choices) == ["itching", "witching"]
    assert "results" in common_words() and "resuls" not in common_words()
