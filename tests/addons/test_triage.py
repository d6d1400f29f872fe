"""The triage NLU component on messages processed by Rasa's own SpacyNLP."""
import numpy as np
import pytest
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.triage import WarningSignTriage
from clinic.triage.nlp import DEFAULT_MODEL, load_nlp
from clinic.triage.signal import views

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="spaCy en_core_web_md not installed")


@pytest.fixture(scope="module")
def spacy_nlp():
    model = SpacyModel(model=load_nlp(), model_name=str(DEFAULT_MODEL))
    component = SpacyNLP(model, {**SpacyNLP.get_default_config(), "case_sensitive": False})
    return lambda messages: component.process(messages, model)


def classified(text, intent="faq", confidence=0.8):
    message = Message({TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence},
                                     {"name": "greet", "confidence": 0.1}], add_to_output=True)
    return message


def run(spacy_nlp, message):
    [result] = WarningSignTriage().process(spacy_nlp([message]))
    return result


@pytest.mark.parametrize("intent", ["faq", "nlu_fallback", "greet", "book_appointment"])
def test_warning_sign_overrides_any_intent_and_keeps_the_ranking(spacy_nlp, intent):
    message = run(spacy_nlp, classified("No pain but there's PUS coming out", intent=intent))
    assert message.get(INTENT) == {"name": "urgent_symptom", "confidence": 1.0}
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0] == {"name": "urgent_symptom", "confidence": 1.0}
    assert ranking[1]["name"] == intent
    assert message.get("triage") == {"urgent": True, "categories": ["infection"], "emergency": False}
    assert "triage" in message.as_dict(only_output_properties=True)


def test_emergency_is_flagged(spacy_nlp):
    message = run(spacy_nlp, classified("my throat is swelling and i cant breath"))
    assert message.get("triage")["emergency"] is True
    assert "allergic" in message.get("triage")["categories"]


@pytest.mark.parametrize("text", ["no fever, not hot, just a bit red", "/human_handoff", "", "🙏"])
def test_other_messages_keep_the_classifier_result(spacy_nlp, text):
    message = run(spacy_nlp, classified(text, intent="faq"))
    assert message.get(INTENT)["name"] == "faq"
    assert message.get("triage") == {"urgent": False, "categories": [], "emergency": False}


def test_without_spacy_doc_the_lexicon_still_catches_signs():
    [message] = WarningSignTriage().process([classified("Puss and feaver")])
    assert message.get(INTENT)["name"] == "urgent_symptom"


def test_urgent_classifier_intent_without_a_sign_is_left_alone(spacy_nlp):
    message = run(spacy_nlp, classified("help me please", intent="urgent_symptom"))
    assert message.get(INTENT)["name"] == "urgent_symptom"
    assert message.get("triage")["urgent"] is False


def test_arabic_question_is_not_urgent_but_is_marked_arabic(spacy_nlp):
    message = run(spacy_nlp, classified("كم سعر الجلسة", intent="faq"))
    assert message.get(INTENT)["name"] == "faq"
    assert message.get("triage") == {"urgent": False, "categories": [], "emergency": False, "language": "ar"}


def test_arabic_warning_sign_is_urgent_in_arabic(spacy_nlp):
    message = run(spacy_nlp, classified("في صديد بعد الجلسة بيومين وعندي حرارة", intent="nlu_fallback"))
    assert message.get(INTENT)["name"] == "urgent_symptom"
    assert message.get("triage") == {"urgent": True, "categories": ["infection"], "emergency": False,
                                     "language": "ar"}


class StubSignal:
    """Stands in for a fitted WarningSignModel (learned.judge is replaced in these tests)."""


def _judged(monkeypatch, judgement=("warning_sign", True, 0.9)):
    from clinic.triage import learned

    calls = []

    def judge(model, texts, whole=None):
        calls.append(list(texts) if whole is None else (list(texts), [list(v) for v in whole]))
        return [judgement] * len(texts)

    monkeypatch.setattr(learned, "judge", judge)
    return calls


@pytest.mark.parametrize("intent", ["faq", "nlu_fallback", "urgent_symptom"])
def test_learned_signal_flags_what_the_rules_missed_whatever_the_classifier_said(spacy_nlp, monkeypatch, intent):
    calls = _judged(monkeypatch)
    text = "air won't go into my lungs properly"  # none of the rules' words
    component = WarningSignTriage({"learned": True}, model=StubSignal())
    [message] = component.process(spacy_nlp([classified(text, intent=intent, confidence=0.7)]))
    assert message.get("triage") == {"urgent": True, "categories": ["warning_sign"], "emergency": True}
    assert message.get(INTENT) == {"name": "urgent_symptom", "confidence": 1.0}
    assert calls == [[text]]


def test_learned_signal_reuses_the_classifiers_sentence_vector(spacy_nlp, monkeypatch):
    from addons.nlu.intent_classifier import SENTENCE_VECTOR

    calls = _judged(monkeypatch)
    message = classified("air won't go into my lungs properly")
    message.set(SENTENCE_VECTOR, np.array([0.6, 0.8]))
    WarningSignTriage({"learned": True}, model=StubSignal()).process(spacy_nlp([message]))
    assert calls == [(["air won't go into my lungs properly"], [[0.6, 0.8]])]


def test_learned_signal_is_not_asked_about_questions_rule_flags_or_when_off(spacy_nlp, monkeypatch):
    calls = _judged(monkeypatch)
    on = WarningSignTriage({"learned": True}, model=StubSignal())
    on.process(spacy_nlp([classified("what are the signs of an infection?"),
                          classified("no pain but there's pus")]))
    assert calls == []
    text = "air won't go into my lungs properly"
    [off] = WarningSignTriage({"learned": False}, model=StubSignal()).process(spacy_nlp([classified(text)]))
    [unfitted] = WarningSignTriage({"learned": True}).process(spacy_nlp([classified(text)]))
    assert off.get("triage")["urgent"] is False and unfitted.get("triage")["urgent"] is False and calls == []


def test_broken_encoder_leaves_the_rules_verdict(spacy_nlp, monkeypatch):
    from clinic.triage import learned

    def broken(model, texts, whole=None):
        raise RuntimeError("no model")

    monkeypatch.setattr(learned, "judge", broken)
    report = classified("air won't go into my lungs properly", "urgent_symptom", 0.9)
    [message] = WarningSignTriage(model=StubSignal()).process(spacy_nlp([report]))
    assert message.get("triage")["urgent"] is False


def _storage(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    return LocalModelStorage(tmp_path), Resource("triage"), ExecutionContext(GraphSchema({}), "test")


def test_training_fits_persists_and_loads_the_signal(tmp_path, monkeypatch):
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from clinic.triage import learned
    from tests.clinic.triage.test_signal import CALM, URGENT, fake_embed

    given = []

    def rows(examples):
        given.extend(examples)
        return ([{"id": "", "text": t, "label": "warning"} for t in URGENT]
                + [{"id": "", "text": t, "label": "expected"} for t in CALM])

    monkeypatch.setattr(learned, "training_rows", rows)
    monkeypatch.setattr(learned, "training_embed", lambda: fake_embed)
    storage, resource, context = _storage(tmp_path)
    data = TrainingData([Message({TEXT: "pus from the spots", INTENT: "urgent_symptom"}),
                         Message({TEXT: "how much is it", INTENT: "faq"})])
    component = WarningSignTriage.create({"learned": True}, storage, resource, context)
    assert component.train(data) == resource
    assert ("urgent_symptom", "pus from the spots") in given
    loaded = WarningSignTriage.load({"learned": True}, storage, resource, context)
    probe = ["pus and fever since yesterday", "can i book a session"]
    assert loaded._model is not None
    assert np.allclose(loaded._model.predict(views(probe, fake_embed), probe),
                       component._model.predict(views(probe, fake_embed), probe))


def test_learned_off_fits_nothing_and_a_model_without_weights_loads(tmp_path, monkeypatch):
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from clinic.triage import learned

    monkeypatch.setattr(learned, "fit", lambda *a, **k: pytest.fail("fitted with learned: false"))
    storage, resource, context = _storage(tmp_path)
    WarningSignTriage.create({"learned": False}, storage, resource, context).train(TrainingData([]))
    assert WarningSignTriage.load({"learned": True}, storage, resource, context)._model is None


def _with_faq_answer(message, key="faq/side_effects"):
    message.set("response_selector", {"faq": {"response": {"intent_response_key": key}}}, add_to_output=True)
    return message


def test_a_calm_report_overrules_the_classifiers_urgent_symptom(spacy_nlp):
    text = "the little bumps from the session went down by the evening"
    message = run(spacy_nlp, _with_faq_answer(classified(text, intent="urgent_symptom", confidence=0.9)))
    assert message.get(INTENT)["name"] == "faq"
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "faq"
    assert message.get("triage")["urgent"] is False


@pytest.mark.parametrize("text,key", [
    ("my face feels weird and heavy since the session", "faq/side_effects"),  # no calm evidence
    ("the little bumps from the session went down by the evening", "faq/prices"),  # not the side-effects answer
])
def test_the_classifiers_urgent_symptom_stands_without_calm_evidence(spacy_nlp, text, key):
    message = run(spacy_nlp, _with_faq_answer(classified(text, intent="urgent_symptom", confidence=0.9), key))
    assert message.get(INTENT)["name"] == "urgent_symptom"
