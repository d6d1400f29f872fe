"""clinic.nlu.spelling: treatment names spelt one way for the English classifier."""
import pytest

from clinic.nlu.classifier import TextClassifier, english_input
from clinic.nlu.spelling import one_spelling


@pytest.mark.parametrize("typed,read", [
    ("What is Micro-needling?", "What is microneedling?"),
    ("how long does micro needling take", "how long does microneedling take"),
    ("microneedeling vs laser", "microneedling vs laser"),
    ("can i do micro-needle at home", "can i do microneedle at home"),
    ("is meso therapy safe", "is mesotherapy safe"),
    ("Meso-therapy for scars", "mesotherapy for scars"),
    ("mezotherapy price", "mesotherapy price"),
    ("mesotharapy sessions", "mesotherapy sessions"),
    ("derma pen or derma-roller", "dermapen or dermaroller"),
    ("Hydra facial in pregnancy", "hydrafacial in pregnancy"),
    ("What Are Platelet-Rich Plasma Injections?", "What Are platelet rich plasma Injections?"),
    ("skin-needling aftercare", "skin needling aftercare"),
])
def test_treatment_names_are_spelt_one_way(typed, read):
    assert one_spelling(typed) == read


@pytest.mark.parametrize("text", [
    "Mesotherapy", "MICRONEEDLING", "microneedling", "micro", "needling", "meso", "therapy session",
    "micronutrients", "dermatologist", "a micro-scar", "", "😀", "ما هي الأسعار",
    "prp", "hydrafacial", "dermapen",
])
def test_other_words_and_the_usual_spelling_are_left_alone(text):
    assert one_spelling(text) == text


def test_the_classifier_and_its_training_cache_read_the_same_words():
    assert english_input("wat is micro-needling") == "what is microneedling"
    assert TextClassifier.encoder_inputs(["hw long is micro needling"]) == ["how long is microneedling"]
