"""clinic.nlu.chatspeak: chat shorthand spelt out for the English classifier."""
import pytest

from clinic.nlu.chatspeak import SHORTHAND, spell_out
from clinic.nlu.classifier import TextClassifier, english_input


@pytest.mark.parametrize("typed,read", [
    ("wat r ur timings", "what are your timings"),
    ("pls book me tmrw 5pm", "please book me tomorrow 5pm"),
    ("Hw many sesh do i need?", "how many session do i need?"),
    ("can u fit me in 2day", "can you fit me in today"),
    ("cancel my appt, thx", "cancel my appointment, thanks"),
])
def test_shorthand_is_spelt_out(typed, read):
    assert spell_out(typed).lower() == read


@pytest.mark.parametrize("text", [
    "Your timings please", "vitamin C serum", "I'm fine", "don't", "n95 mask", "u-shaped scar",
    "", "😀", "ما هي الأسعار", "URL https://example.org/u/r",
])
def test_other_words_are_left_alone(text):
    # whole words only: a word inside another (n95, u-shaped, a path) or with an apostrophe stays
    assert spell_out(text) == text


def test_ambiguous_shorthand_is_not_in_the_table():
    assert not {"y", "k", "bc", "tom", "wer", "fr", "min"} & set(SHORTHAND)


def test_the_classifier_and_its_training_cache_read_the_same_words():
    assert english_input("cancel NS-7K3W pls") == "cancel booking reference please"
    assert TextClassifier.encoder_inputs(["wat r ur timings"]) == ["what are your timings"]
