"""ClinicIntentClassifier inside Rasa: trained, persisted, loaded, and read by Rasa's own
retrieval action exactly as a ResponseSelector's output would be."""
import asyncio

import pytest
from rasa.core.actions.action import ActionRetrieveResponse
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from addons.nlu.intent_classifier import ClinicIntentClassifier

NLU = """
version: "3.1"
nlu:
  - intent: faq/price
    examples: |
      - how much does it cost
      - what is the price
      - price of one session
      - how much is mesotherapy
  - intent: faq/aftercare_makeup
    examples: |
      - can i wear makeup after
      - makeup the next day?
      - when can i put foundation on
  - intent: greet
    examples: |
      - hello
      - hi there
      - good morning
  - intent: out_of_scope/smalltalk
    examples: |
      - haha
      - ok cool
      - lol nice
  - intent: out_of_scope/other
    examples: |
      - what is the capital of peru
      - book a flight to paris
      - play some music
"""
RESPONSES = {
    "utter_faq/price": [{"text": "It costs {price}."}],
    "utter_faq/aftercare_makeup": [{"text": "Wait a day before makeup."}],
    "utter_out_of_scope/smalltalk": [{"text": "😊"}],
    "utter_out_of_scope/other": [{"text": "I can only help with the clinic."}],
}


def training_data():
    data = RasaYAMLReader().reads(NLU)
    data.responses = dict(RESPONSES)
    return data


def component(tmp_path, **config):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("classifier")
    context = ExecutionContext(GraphSchema({}), "test")
    settings = {**ClinicIntentClassifier.get_default_config(), "embedding_weight": 0, "knn_weight": 0, **config}
    return storage, resource, context, settings


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage, resource, context, config = component(tmp_path_factory.mktemp("model"))
    ClinicIntentClassifier.create(config, storage, resource, context).train(training_data())
    return ClinicIntentClassifier.load(config, storage, resource, context)


def parse(classifier, text):
    [message] = classifier.process([Message({TEXT: text})])
    return message


def test_intent_and_ranking(trained):
    message = parse(trained, "hi there")
    assert message.get(INTENT)["name"] == "greet"
    ranking = message.get(INTENT_RANKING_KEY)
    assert ranking[0]["name"] == "greet"
    assert {r["name"] for r in ranking} == {"faq", "greet", "out_of_scope"}
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


def test_faq_key_in_the_response_selector_output(trained):
    message = parse(trained, "how much is it")
    assert message.get(INTENT)["name"] == "faq"
    selector = message.get("response_selector")
    assert selector["all_retrieval_intents"] == ["faq", "out_of_scope"]
    response = selector["faq"]["response"]
    assert response["intent_response_key"] == "faq/price"
    assert response["utter_action"] == "utter_faq/price"
    assert response["responses"] == RESPONSES["utter_faq/price"]
    ranking = selector["faq"]["ranking"]
    assert ranking[0]["intent_response_key"] == "faq/price"
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)  # P(key | faq)


@pytest.mark.parametrize("text, intent, action, expected", [
    ("how much does mesotherapy cost", "faq", "utter_faq", "utter_faq/price"),
    ("makeup tomorrow?", "faq", "utter_faq", "utter_faq/aftercare_makeup"),
    ("haha ok cool", "out_of_scope", "utter_out_of_scope", "utter_out_of_scope/smalltalk"),
    ("play music on spotify", "out_of_scope", "utter_out_of_scope", "utter_out_of_scope/other"),
])
def test_rasas_retrieval_action_utters_the_predicted_key(trained, text, intent, action, expected):
    message = parse(trained, text)
    assert message.get(INTENT)["name"] == intent
    domain = Domain.from_dict({"intents": ["faq", "greet", "out_of_scope"], "responses": RESPONSES})
    tracker = DialogueStateTracker.from_events("s", [UserUttered(text, parse_data=message.as_dict_nlu())])
    retrieval = ActionRetrieveResponse(action)
    assert retrieval.get_full_retrieval_name(tracker) == expected
    events = asyncio.new_event_loop().run_until_complete(retrieval.run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), tracker, domain))
    assert events and events[0].metadata["utter_action"] == expected


def test_rasas_fallback_classifier_reads_its_confidence(trained):
    message = parse(trained, "xq zv")
    FallbackClassifier({**FallbackClassifier.get_default_config(), "threshold": 0.99}).process([message])
    assert message.get(INTENT)["name"] == "nlu_fallback"


def test_an_untrained_component_leaves_messages_alone(tmp_path):
    storage, resource, context, config = component(tmp_path)
    loaded = ClinicIntentClassifier.load(config, storage, resource, context)
    message = parse(loaded, "hello")
    assert message.get(INTENT) is None


def test_training_reads_the_embedding_cache_and_serving_never_writes_to_it(tmp_path, monkeypatch):
    """The cache holds the training examples' vectors only, and a model trained from it is
    the model trained without it (clinic/nlu/embedding_cache.py)."""
    import numpy as np

    from addons.nlu import intent_classifier as module
    from clinic.nlu import embedding_cache
    from clinic.nlu.classifier import MAX_CHARS, mask_references, with_question_mark

    embedded = []

    def encoder(texts):
        embedded.extend(texts)
        return np.array([[1.0, len(t) % 7, t.count("e")] for t in texts]).reshape(len(texts), 3)

    monkeypatch.setattr(module, "_embed", encoder)
    monkeypatch.setattr(module, "_encoder_fingerprint", lambda: "test-encoder")
    messages = ["how much for one session?", "hi!", "can i put makeup on tonight"]

    def train_and_parse(name):
        (tmp_path / name).mkdir()
        storage, resource, context, config = component(tmp_path / name, embedding_weight=2.0, multilingual=False)
        ClinicIntentClassifier.create(config, storage, resource, context).train(training_data())
        loaded = ClinicIntentClassifier.load(config, storage, resource, context)
        return loaded.predict_proba(messages)

    monkeypatch.setenv(embedding_cache.ENV, "off")
    without = train_and_parse("without")
    monkeypatch.setenv(embedding_cache.ENV, str(tmp_path / "cache"))
    cold = train_and_parse("cold")
    embedded.clear()
    warm = train_and_parse("warm")
    # the training read every example's vector from the cache; serving embedded the messages as
    # the classifier reads them (a question typed without its mark gets one)
    assert embedded == [with_question_mark(m) for m in messages]
    assert np.array_equal(cold, without) and np.array_equal(warm, without)

    stored = embedding_cache.EmbeddingCache(tmp_path / "cache", "test-encoder").load()
    examples = [mask_references(m.get(TEXT))[:MAX_CHARS] for m in training_data().intent_examples]
    assert set(stored) == {embedding_cache.text_key(t) for t in examples}


def test_the_english_models_sentence_vector_is_kept_for_the_triage(tmp_path, monkeypatch):
    """The English model's embedding of a message's exact text stays on the message (not in the
    output) for WarningSignTriage's learned signal; none for a text it read masked or without embeddings."""
    import numpy as np

    from addons.nlu import intent_classifier as module

    def encoder(texts):
        return np.array([[1.0, len(t) % 7, t.count("e")] for t in texts]).reshape(len(texts), 3)

    monkeypatch.setattr(module, "_embed", encoder)
    monkeypatch.setenv("CLINIC_EMBEDDING_CACHE", "off")
    storage, resource, context, config = component(tmp_path, embedding_weight=2.0, multilingual=False)
    ClinicIntentClassifier.create(config, storage, resource, context).train(training_data())
    loaded = ClinicIntentClassifier.load(config, storage, resource, context)
    plain, masked = loaded.process([Message({TEXT: "my lips look blue"}), Message({TEXT: "cancel NS-7K3W please"})])
    assert np.allclose(plain.get(module.SENTENCE_VECTOR), encoder(["my lips look blue"])[0])
    assert masked.get(module.SENTENCE_VECTOR) is None
    assert module.SENTENCE_VECTOR not in plain.as_dict(only_output_properties=True)
    without = parse(trained_without_embeddings(tmp_path / "plain"), "my lips look blue")
    assert without.get(module.SENTENCE_VECTOR) is None


def trained_without_embeddings(path):
    path.mkdir()
    storage, resource, context, config = component(path, multilingual=False)
    ClinicIntentClassifier.create(config, storage, resource, context).train(training_data())
    return ClinicIntentClassifier.load(config, storage, resource, context)


def test_embedding_the_examples_first_leaves_the_training_no_text_to_embed(tmp_path, monkeypatch):
    """scripts/embed_examples.py (make test, beside the fast tier): the training after it
    reads every vector, English and multilingual, from the cache."""
    import numpy as np

    from addons.nlu import intent_classifier as module
    from clinic.nlu import embedding_cache
    from clinic.nlu.multilingual import MultilingualEncoder

    embedded = {"english": [], "multilingual": []}

    def encoder(kind):
        def embed(texts):
            embedded[kind].extend(texts)
            return np.array([[1.0, len(t) % 7, t.count("e")] for t in texts]).reshape(len(texts), 3)
        return embed

    monkeypatch.setattr(module, "_embed", encoder("english"))
    monkeypatch.setattr(module, "_embed_multilingual", encoder("multilingual"))
    monkeypatch.setattr(module, "_encoder_fingerprint", lambda: "english-encoder")
    monkeypatch.setattr(module, "_multilingual_fingerprint", lambda: "multilingual-encoder")
    monkeypatch.setattr(MultilingualEncoder, "load", classmethod(lambda cls, threads=1: None))
    monkeypatch.setenv(embedding_cache.ENV, str(tmp_path / "cache"))
    data = training_data()
    data.training_examples.append(Message({TEXT: "كم السعر؟", INTENT: "faq", "intent_response_key": "faq/price"}))
    data.training_examples.append(Message({TEXT: "cancel NS-7K3W please", INTENT: "greet"}))
    (tmp_path / "model").mkdir()
    storage, resource, context, config = component(tmp_path / "model", embedding_weight=2.0, multilingual=True)
    warm = ClinicIntentClassifier.create(config, storage, resource, context)
    assert warm.embed_examples(data) > 0
    assert embedded["english"] and embedded["multilingual"]
    embedded["english"].clear()
    embedded["multilingual"].clear()
    ClinicIntentClassifier.create(config, storage, resource, context).train(data)
    assert embedded == {"english": [], "multilingual": []}


def test_a_message_of_two_questions_carries_both_answers_and_the_parts_entity(tmp_path_factory):
    storage, resource, context, config = component(tmp_path_factory.mktemp("parts"), parts_threshold=0.3)
    ClinicIntentClassifier.create(config, storage, resource, context).train(training_data())
    classifier = ClinicIntentClassifier.load(config, storage, resource, context)
    message = parse(classifier, "how much does it cost? can i wear makeup after")
    assert message.get("parts") == {"answers": ["faq/price", "faq/aftercare_makeup"], "book": False}
    assert [e["entity"] for e in message.get("entities")] == ["parts"]
    assert "parts" in message.as_dict_nlu()  # reaches the tracker's latest message
    one = parse(classifier, "how much does it cost")
    assert one.get("parts") is None and not one.get("entities")  # one thing: the usual answer


def test_a_message_its_reading_without_the_greeting_and_its_parts_take_one_encoder_call(tmp_path, monkeypatch):
    import numpy as np

    from addons.nlu import intent_classifier as module

    calls = []

    def encoder(texts):
        calls.append(list(texts))
        return np.array([[1.0, len(t) % 7, t.count("e")] for t in texts]).reshape(len(texts), 3)

    monkeypatch.setattr(module, "_embed", encoder)
    monkeypatch.setenv("CLINIC_EMBEDDING_CACHE", "off")
    storage, resource, context, config = component(tmp_path, embedding_weight=2.0, multilingual=False,
                                                   parts_threshold=0.3)
    ClinicIntentClassifier.create(config, storage, resource, context).train(training_data())
    classifier = ClinicIntentClassifier.load(config, storage, resource, context)
    calls.clear()
    message = parse(classifier, "hi, how much does it cost? can i wear makeup after")
    assert len(calls) == 1 and len(calls[0]) == 4  # the message, without "hi", its two parts
    assert message.get("parts") == {"answers": ["faq/price", "faq/aftercare_makeup"], "book": False}
