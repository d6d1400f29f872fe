import pytest
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.fallback import ClinicFallbackClassifier


def classified(*ranking):
    message = Message({TEXT: "a question"})
    name, confidence = ranking[0]
    message.set(INTENT, {"name": name, "confidence": confidence}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking], add_to_output=True)
    return message


def intent(component, message):
    [out] = component.process([message])
    return out.get(INTENT)["name"]


RANKINGS = [
    [("faq", 0.9), ("greet", 0.05), ("out_of_scope", 0.05)],
    [("faq", 0.7), ("out_of_scope", 0.25), ("greet", 0.05)],
    [("faq", 0.4), ("greet", 0.35), ("out_of_scope", 0.25)],
    [("faq", 0.5), ("out_of_scope", 0.48)],
    [("out_of_scope", 0.9), ("faq", 0.1)],
    [("greet", 0.97)],
]


@pytest.mark.parametrize("ranking", RANKINGS)
def test_without_an_out_of_scope_threshold_it_declines_what_fallbackclassifier_declines(ranking):
    config = {"threshold": 0.6, "ambiguity_threshold": 0.05}
    ours = intent(ClinicFallbackClassifier(config), classified(*ranking))
    rasas = intent(FallbackClassifier({**FallbackClassifier.get_default_config(), **config}), classified(*ranking))
    assert ours == rasas


def test_an_out_of_scope_share_declines_above_the_threshold():
    component = ClinicFallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.05,
                                          "out_of_scope_threshold": 0.2})
    message = classified(("faq", 0.7), ("out_of_scope", 0.25), ("greet", 0.05))
    assert intent(component, message) == "nlu_fallback"
    # as FallbackClassifier does, the classifier's ranking stays below the fallback
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)][:2] == ["nlu_fallback", "faq"]
    assert intent(component, classified(("faq", 0.85), ("out_of_scope", 0.1), ("greet", 0.05))) == "faq"
    assert intent(component, classified(("out_of_scope", 0.9), ("faq", 0.1))) == "out_of_scope"
