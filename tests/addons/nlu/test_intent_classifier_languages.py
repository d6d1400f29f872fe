"""ClinicIntentClassifier with its multilingual model: Arabic script and Arabizi are read by
multilingual-e5-small + logistic regression, English by the English model; the output is
the same Rasa parse either way."""
import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.intent_classifier import BOTH, ENGLISH, MULTILINGUAL, ClinicIntentClassifier

NLU = """
version: "3.1"
nlu:
  - intent: faq/price
    examples: |
      - how much does it cost
      - what is the price
      - price of one session
      - كم السعر؟
      - بكم الجلسة؟
      - kam el si3r?
  - intent: faq/pain
    examples: |
      - does it hurt
      - is it painful
      - will the needles hurt
      - هل هو مؤلم؟
      - يعور؟
      - y3awer?
  - intent: greet
    examples: |
      - hello
      - hi there
      - مرحبا
      - السلام عليكم
      - mar7aba
  - intent: out_of_scope/other
    examples: |
      - what is the capital of peru
      - book a flight to paris
      - كيف الطقس اليوم؟
      - أبي أطلب بيتزا
"""
RESPONSES = {"utter_faq/price": [{"text": "price"}], "utter_faq/pain": [{"text": "pain"}],
             "utter_out_of_scope/other": [{"text": "other"}]}


def make(tmp_path, **config):
    tmp_path.mkdir(parents=True, exist_ok=True)
    storage = LocalModelStorage(tmp_path)
    resource = Resource("classifier")
    context = ExecutionContext(GraphSchema({}), "test")
    settings = {**ClinicIntentClassifier.get_default_config(), "embedding_weight": 0, "knn_weight": 0, **config}
    data = RasaYAMLReader().reads(NLU)
    data.responses = dict(RESPONSES)
    ClinicIntentClassifier.create(settings, storage, resource, context).train(data)
    return ClinicIntentClassifier.load(settings, storage, resource, context)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    return make(tmp_path_factory.mktemp("model"))


def parse(classifier, text):
    [message] = classifier.process([Message({TEXT: text})])
    return message


def test_routes_by_language(trained):
    assert trained.route("كم سعر الجلسة الوحدة؟") == MULTILINGUAL
    assert trained.route("kam el se3r 3ndkom?") == MULTILINGUAL   # the default for Arabizi
    assert trained.route("how much is it") == ENGLISH
    assert trained.route("") == ENGLISH


@pytest.mark.parametrize("text, key", [
    ("كم تكلفة الجلسة؟", "faq/price"),
    ("هل الإبر مؤلمة؟", "faq/pain"),
])
def test_arabic_questions_get_the_contract_key(trained, text, key):
    message = parse(trained, text)
    assert message.get(INTENT)["name"] == "faq"
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == key


def test_arabic_greeting_and_off_topic(trained):
    assert parse(trained, "مرحبا، السلام عليكم").get(INTENT)["name"] == "greet"
    assert parse(trained, "وين أقدر أطلب بيتزا؟").get(INTENT)["name"] == "out_of_scope"


def test_english_is_still_read_by_the_english_model(trained):
    message = parse(trained, "what is the price")
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/price"
    # the multilingual model never ran for it: the same probabilities as the English model's
    english = trained._classifier.predict_proba(["what is the price"])
    assert np.allclose(trained.predict_proba(["what is the price"]), english)


def test_a_batch_mixing_languages_keeps_its_order(trained):
    texts = ["كم السعر؟", "does it hurt", "y3awer?", "hello"]
    together = trained.predict_proba(texts)
    apart = np.vstack([trained.predict_proba([t]) for t in texts])
    assert np.allclose(together, apart)
    assert np.allclose(together.sum(axis=1), 1.0)


def test_arabizi_routes_can_be_chosen(tmp_path):
    english = make(tmp_path / "en", arabizi=ENGLISH)
    both = make(tmp_path / "both", arabizi=BOTH)
    assert english.route("kam el se3r?") == ENGLISH and both.route("kam el se3r?") == BOTH
    p_en = english._classifier.predict_proba(["kam el se3r?"])
    p_ml = both.predict_proba(["كم السعر"])  # a valid distribution either way
    assert np.allclose(p_ml.sum(), 1.0)
    expected = (both._classifier.predict_proba(["kam el se3r?"]) + both._aligned_multilingual(["kam el se3r?"])) / 2
    assert np.allclose(both.predict_proba(["kam el se3r?"]), expected)
    assert np.allclose(english.predict_proba(["kam el se3r?"]), p_en)


def test_without_the_multilingual_model_everything_is_english(tmp_path):
    classifier = make(tmp_path, multilingual=False)
    assert classifier.route("كم السعر") == ENGLISH
    assert classifier._multilingual is None


def test_the_arabic_tfidf_and_bias_settings_reach_the_multilingual_model(tmp_path):
    plain = make(tmp_path / "plain")
    tuned = make(tmp_path / "tuned", multilingual_tfidf_weight=1.5, multilingual_out_of_scope_bias=1.0)
    assert plain._multilingual._word is None                   # the defaults: embedding alone
    assert tuned._multilingual._word is not None               # saved and loaded with the model
    assert tuned._multilingual.config.tfidf_weight == 1.5
    assert tuned._multilingual.config.out_of_scope_bias == 1.0
    assert np.allclose(tuned.predict_proba(["كم السعر؟"]).sum(), 1.0)


def test_a_bad_arabizi_setting_is_refused(tmp_path):
    with pytest.raises(ValueError):
        make(tmp_path, arabizi="french")


@pytest.mark.parametrize("text", ["NS-7K3W", "cancel NS-7K3W please", "booking ref ns 7k3w", "#NS-9CMT"])
def test_a_booking_reference_is_not_arabizi(trained, text):
    assert trained.route(text) == ENGLISH


def test_english_mixed_with_arabic_words_goes_to_the_multilingual_model(trained):
    assert trained.route("ما هو PRP - Mesotherapy؟") == MULTILINGUAL
