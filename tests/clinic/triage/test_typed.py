"""Warning signs typed as patients type in a chat: shorthand and a slip of the finger.

clinic.triage.lexicon spells out chat shorthand ("cud", "r", "n") and corrects an unknown word
(no spaCy vector) that is one typing slip away from a sign word, unless an everyday word is as
near. Measured on the dev corpus retyped (scripts/eval_triage.py --as-typed).
"""
from __future__ import annotations

import pytest

from clinic.triage import assess_texts
from clinic.triage.lexicon import correct_unknown, read_word, sign_vocabulary
from clinic.words import common_words
from clinic.triage.nlp import DEFAULT_MODEL

needs_spacy = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed")


@pytest.mark.parametrize("typed, meant", [
    ("ithcing", "itching"), ("ambulnce", "ambulance"), ("viison", "vision"), ("swoleln", "swollen"),
    ("pasisng", "passing"), ("weesk", "weeks"),
])
def test_an_unknown_word_one_slip_from_a_sign_word_is_read_as_it(typed, meant):
    assert correct_unknown(typed) == meant
    assert read_word(typed, typed, unknown=True) == (sign_vocabulary()[meant], meant)


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
    assert read_word("trust", "trust", unknown=False) == ("trust", "trust")
    assert "results" in common_words()


def test_chat_shorthand_is_spelt_out():
    assert read_word("cud", "cud") == read_word("could", "could") == ("could", "could")
    assert read_word("r", "r") == read_word("are", "be") == ("be", "are")
    assert read_word("n", "n")[1] == "and"


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


# Stories typed with no full stop or comma (the team's words). The context checks read the words near the sign:
# a time phrase, an off-topic word or another person far from it in one long run-on sentence is not its context.
@needs_spacy
@pytest.mark.parametrize("text, emergency", [
    # an off-topic word ("nail", "tooth", "roof") counts next to the sign only
    ("went for a manicure right after my botox session at the clinic this afternoon while the nail polish was "
     "drying on my hands i noticed in the mirror my left eyelid starting to droop", False),
    ("the roof of my mouth started itching after the injections then my tongue began to swell and i feel confused",
     True),
    # "people like me" opens the sentence, the throat closes twenty words later
    ("people like me who have allergies are asked to wait for half an hour after the meso injections at the clinic "
     "at ten minutes it felt like my throat started closing up", True),
    # a thought's negation does not reach past "so now"
    ("the nurse said a little swelling is normal and i did not think much of it so now my eyes are swollen shut",
     False),
])
def test_run_on_warning_signs_are_flagged(text, emergency):
    result = assess_texts([text])[0]
    assert result.urgent, text
    assert result.emergency == emergency, text


@needs_spacy
@pytest.mark.parametrize("text", [
    # the question typed straight after the history is not "still" a sign
    "two years ago i had a bad infection after a piercing can i still do meso",
    # the "again" of the fear is not a fresh faint
    "ive fainted at the dentist in the past and im really scared it will happen again at my meso appointment next "
    "week",
    # the same history written with stops, which the rules already read as history
    "I've fainted at the dentist in the past. I'm really scared it will happen again at my meso appointment.",
    # "ive" typed without its apostrophe is the same experience
    "ive fainted at the dentist before n im scared it will happen again",
])
def test_run_on_history_stays_history(text):
    assert not assess_texts([text])[0].urgent, text


@needs_spacy
@pytest.mark.parametrize("text", [
    "i fainted after my meso yesterday and im scared it will happen again",
    "ive fainted at the dentist before and it happened again today after my meso, i dont want that to happen again",
    "last year i had an infection after a tattoo and now my meso spots are oozing pus can i still do the next session",
    # a faint just now or at a treatment, with the fear of another: still a faint
    "I've just fainted after my meso and I'm scared it will happen again",
    "ive just fainted after my meso and im scared it will happen again",
    "I fainted during my session and I really dont want that to happen again",
])
def test_a_fresh_sign_beside_the_history_still_counts(text):
    assert assess_texts([text])[0].urgent, text


def test_a_long_run_on_sentence_is_read_near_the_sign():
    from clinic.triage.engine import RUN_ON, SENTENCE_REACH, _scope

    words = ["w"] * 60
    sentences = [0] * 60
    assert _scope(sentences, words, 30, 31) == (30 - SENTENCE_REACH, 31 + SENTENCE_REACH)
    assert _scope(sentences, words, 2, 3) == (0, 3 + SENTENCE_REACH)
    # a written sentence (a comma inside) or a short one is read whole
    assert _scope(sentences, words[:29] + [","] + words[30:], 30, 31) == (0, 60)
    assert _scope([0] * RUN_ON, ["w"] * RUN_ON, 10, 11) == (0, RUN_ON)


def test_a_slip_as_near_a_protected_word_is_not_corrected_to_a_sign():
    from clinic.triage.lexicon import correct

    assert correct("inection") is None  # "injection" as much as "infection"
    assert correct("infecton") == "infection"
    assert correct("bleding") == "bleeding"


@pytest.mark.parametrize("typed, key, written", [
    ("sooo", "so", "so"),                        # stretched letters collapsed for both
    ("\u200bpus", "pus", "pus"),                 # a hidden character removed for both
    ("itttching", "itch", "itching"),            # stretched, then one slip from a sign word
    ("ith\u200bcing", "itch", "itching"),        # hidden, then one slip from a sign word
    ("swolen", "swell", "swolen"),               # a listed typo: the key of the word meant, written as typed
])
def test_the_key_and_the_written_word_agree(typed, key, written):
    # one reading of the word gives both: the patterns' key and the context checks' word
    assert read_word(typed, typed, unknown=True) == (key, written)


@needs_spacy
def test_the_course_families_read_chat_shorthand_spelt_out():
    # "wks" and "r": the course families read the whole message, so they read it spelt out too
    result = assess_texts(["had meso 2 wks ago n my cheeks r still swollen n sore"])[0]
    assert result.urgent and "swelling.persistent" in result.signs
