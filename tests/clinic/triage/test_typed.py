"""Warning signs typed as patients type in a chat: shorthand and a slip of the finger.

clinic.triage.lexicon spells out chat shorthand ("cud", "r", "n") and corrects an unknown word
(no spaCy vector) that is one typing slip away from a sign word, unless an everyday word is as
near. Measured on the dev corpus retyped (scripts/eval_triage.py --as-typed).
"""
from __future__ import annotations

import pytest

from clinic.triage import assess_texts
from clinic.triage.lexicon import correct_unknown, key_of, sign_vocabulary, written_as
from clinic.words import common_words
from clinic.triage.nlp import DEFAULT_MODEL

needs_spacy = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed")


@pytest.mark.parametrize("typed, meant", [
    ("ithcing", "itching"), ("ambulnce", "ambulance"), ("viison", "vision"), ("swoleln", "swollen"),
    ("pasisng", "passing"), ("weesk", "weeks"),
])
def test_an_unknown_word_one_slip_from_a_sign_word_is_read_as_it(typed, meant):
    assert correct_unknown(typed) == meant
    assert key_of(typed, typed, unknown=True) == sign_vocabulary()[meant]
    assert written_as(typed, unknown=True) == meant


@pytest.mark.parametrize("typed", [
    "resuls",    # "results" is as near as "resus"
    "balcked",   # "blacked" or "backed": two signs' words, a coin toss
    "qwertyu",   # near nothing
    "itch",      # too short to guess at
])
def test_no_guess_when_an_everyday_word_or_two_signs_are_as_near(typed):
    assert correct_unknown(typed) is None


def test_a_known_word_is_never_corrected():
    # "trust" is one letter from "crust": a word spaCy knows is taken as written
    assert key_of("trust", "trust", unknown=False) == "trust"
    assert written_as("trust", unknown=False) == "trust"
    assert "results" in common_words()


def test_chat_shorthand_is_spelt_out():
    assert key_of("cud", "cud") == key_of("could", "could")
    assert key_of("r", "r") == key_of("are", "be") == "be"
    assert written_as("n") == "and"


@needs_spacy
@pytest.mark.parametrize("text", [
    "i cud not breathe properly after the meso",
    "cant stop ithcing all over my body after the meso",
    "double viison since the injections this morning",
    "my cheek is so swoleln and hot, its been 3 days",
    "i have been pasisng out since the treatment",
    "they called an ambulnce after my session",
])
def test_typed_warning_signs_are_flagged(text):
    assert assess_texts([text])[0].urgent, text


@needs_spacy
@pytest.mark.parametrize("text", [
    "how long will my resuls last?",
    "wat acne scarrs r hardest to treat?",
    "is d session pianless?",
    "can u send me d pricess",
])
def test_typed_questions_stay_questions(text):
    assert not assess_texts([text])[0].urgent, text


@needs_spacy
@pytest.mark.parametrize("text", [
    "abi a7jiz maw3ed bukra", "3ndkom maw3ed bukra?", "mumkin maw3ed esteshara bukra sa3a 5?",
    "ma a8dar bukra, momken yom thani?",
])
def test_arabizi_is_not_corrected_towards_a_hindi_sign_word(text):
    # "bukra" (tomorrow) is one swap from "bukar" (fever in Hindi): every Arabizi booking for
    # tomorrow had been an urgent alert
    assert correct_unknown("bukra") is None
    assert not assess_texts([text])[0].urgent


@needs_spacy
def test_the_hindi_sign_words_themselves_are_still_read():
    assert assess_texts(["mujhe 2 din se bukhar hai aur chehra pe sujan after the session"])[0].urgent
