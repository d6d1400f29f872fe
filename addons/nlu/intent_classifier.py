"""NLU component: intents and FAQ keys from sentence embeddings + TF-IDF.

Replaces DIET and the ResponseSelector in ``config.yml``: on real questions written
outside the team it is more accurate, and the whole model trains in under four minutes on
two cores (docs/performance.md, "Understanding on real text" and "Measured performance").
The model is :class:`clinic.nlu.classifier.TextClassifier`; this component only feeds it
Rasa's training data and writes its predictions the way Rasa's own components do:
``intent`` and ``intent_ranking`` as DIET would, and for every retrieval intent
(``faq``, ``out_of_scope``) the ``response_selector`` entry the ResponseSelector would
write, so ``utter_faq`` and ``utter_out_of_scope`` pick the key's response.

Arabic: a second model, :class:`clinic.nlu.classifier.EmbeddingClassifier` over
multilingual-e5-small embeddings (:mod:`clinic.nlu.multilingual`), trained on every
example (English, Arabic, Arabizi), reads the messages :func:`clinic.language.detect`
calls Arabic (``ar``) and English messages with Arabic words in them. Arabizi messages
go where ``arabizi`` says (``multilingual``, spelt in Arabic letters first when
``transliterate_arabizi`` is set: :mod:`clinic.nlu.arabizi`; ``english``: the English
model, which is trained on the Arabizi examples too; ``both``: the mean of the two
models' probabilities); everything else goes to the English model, so the multilingual
encoder runs only for Arabic and Arabizi. ``normalise_arabic``
(:func:`clinic.language.normalise_arabic` before the encoder) is off: it lost accuracy
on the Arabic dev split, the encoder having learnt Arabic as people spell it (re-tested
2026-12-05: Arabic 0.828 -> 0.690, off-topic 0.932 -> 0.886). The settings
were chosen on the dev splits (docs/performance.md, "Understanding on real text").

The sentence encoders are loaded once per process and shared by every graph node and
model that uses them (``SentenceEncoder.load``, ``MultilingualEncoder.load``). Training
reads the vectors of examples an earlier training embedded from the training cache
(:mod:`clinic.nlu.embedding_cache`); the messages it reads when serving never go there.
"""
from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    ENTITIES,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic.booking import references
from clinic.language import AR, ARABIZI, EN, detect, normalise_arabic
from clinic.nlu.arabizi import to_arabic_script
from clinic.nlu.classifier import (
    ClassifierConfig, EmbeddingClassifier, EmbeddingConfig, Ranking, TextClassifier, align, rank_intents,
)
from clinic.nlu.embedding_cache import cached
from clinic.nlu.greeting import more_confident, without_greeting
from clinic.nlu import parts as message_parts

logger = logging.getLogger(__name__)

STATE_FILE = "classifier.joblib"
# the English model's MiniLM embedding of the message's text, kept on the message (not in the
# parse output) for WarningSignTriage's learned signal: one encoder pass fewer per message
SENTENCE_VECTOR = "clinic_sentence_vector"
RANKING_LENGTH = 10
ENGLISH, MULTILINGUAL, BOTH = "english", "multilingual", "both"
# an Arabic word of two letters or more (Arabic letters U+0621-U+064A, Gulf and Persian-range letters too)
_ARABIC_WORD = re.compile(r"[\u0621-\u064A\u0671-\u06D3]{2,}")


def _reading(ranking: Ranking) -> "message_parts.Reading":
    """(intent, confidence, its likeliest FAQ key or None) of one classifier ranking."""
    name, confidence = ranking.top
    keys = ranking.keys.get(name) or []
    return name, confidence, keys[0][0] if name == message_parts.FAQ_INTENT and keys else None


def _embed(texts: Sequence[str]) -> np.ndarray:
    """Sentence embeddings (the encoder is loaded on first use, once per process)."""
    from clinic.nlu.encoder import SentenceEncoder

    return SentenceEncoder.load().encode(texts)


def _embed_multilingual(texts: Sequence[str]) -> np.ndarray:
    """multilingual-e5-small embeddings (loaded on first use, once per process)."""
    from clinic.nlu.multilingual import MultilingualEncoder

    return MultilingualEncoder.load().encode(texts)


def _encoder_fingerprint() -> str:
    from clinic.nlu.encoder import SentenceEncoder

    return SentenceEncoder.load().fingerprint()


def _multilingual_fingerprint() -> str:
    from clinic.nlu.multilingual import MultilingualEncoder

    return MultilingualEncoder.load().fingerprint()


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class ClinicIntentClassifier(GraphComponent, IntentClassifier):
    """Trains and runs :class:`TextClassifier` inside Rasa's NLU pipeline."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        defaults = ClassifierConfig()
        multilingual = EmbeddingConfig()
        return {"embedding_weight": defaults.embedding_weight, "C": defaults.C,
                "word_ngrams": list(defaults.word_ngrams), "char_ngrams": list(defaults.char_ngrams),
                # the nearest-neighbour mix of the English model (clinic/nlu/classifier.py)
                "knn_weight": defaults.knn_weight, "knn_temperature": defaults.knn_temperature,
                # the Arabic model (multilingual-e5-small embeddings, logistic regression)
                "multilingual": True, "multilingual_C": multilingual.C,
                "multilingual_temperature": multilingual.temperature,
                "multilingual_tfidf_weight": multilingual.tfidf_weight,
                "multilingual_out_of_scope_bias": multilingual.out_of_scope_bias,
                "normalise_arabic": False,
                # OpenMP threads of the multilingual encoder in a process that trains
                # (it embeds every example); a serving process loads it with one
                "training_threads": 2,
                # which model reads Arabizi: english, multilingual or both; and whether the
                # multilingual model reads it spelt in Arabic letters (clinic/nlu/arabizi.py)
                "arabizi": MULTILINGUAL, "transliterate_arabizi": True,
                # a message of several parts (clinic/nlu/parts.py): each other part counts as a
                # question when read as one at this confidence (the fallback threshold of config.yml)
                "parts_threshold": 0.85}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 classifier: Optional[TextClassifier] = None,
                 responses: Optional[Dict[Text, List[Dict[Text, Any]]]] = None) -> None:
        self._config = ClassifierConfig.from_dict(config)
        settings = {**self.get_default_config(), **config}
        self._use_multilingual = bool(settings["multilingual"])
        self._multilingual_config = EmbeddingConfig(
            C=float(settings["multilingual_C"]),
            temperature=float(settings["multilingual_temperature"]),
            tfidf_weight=float(settings["multilingual_tfidf_weight"]),
            out_of_scope_bias=float(settings["multilingual_out_of_scope_bias"]))
        self._normalise_arabic = bool(settings["normalise_arabic"])
        self._arabizi = str(settings["arabizi"])
        self._training_threads = int(settings["training_threads"])
        self._transliterate = bool(settings["transliterate_arabizi"])
        self._parts_threshold = float(settings["parts_threshold"])
        if self._arabizi not in (ENGLISH, MULTILINGUAL, BOTH):
            raise ValueError(f"arabizi must be {ENGLISH}, {MULTILINGUAL} or {BOTH}, not {self._arabizi!r}")
        self._storage = model_storage
        self._resource = resource
        self._classifier = classifier
        self._multilingual: Optional[EmbeddingClassifier] = None
        self._responses = responses or {}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ClinicIntentClassifier":
        return cls(config, model_storage, resource)

    def _embedder(self):
        uses = self._config.embedding_weight > 0 or self._config.knn_weight > 0
        return _embed if uses else None

    @staticmethod
    def _examples(training_data: TrainingData) -> Tuple[List[str], List[str]]:
        """The texts and labels (intent, or retrieval key) of the examples trained on."""
        texts: List[str] = []
        labels: List[str] = []
        for example in training_data.intent_examples:
            text = example.get(TEXT)
            label = example.get(INTENT_RESPONSE_KEY) or example.get(INTENT)
            if text and label:
                texts.append(text)
                labels.append(label)
        return texts, labels

    def _english_examples(self, texts: List[str]) -> List[int]:
        """The examples the English model learns: those it will read (route)."""
        return [i for i, text in enumerate(texts)
                if self._route(text, self._use_multilingual) in (ENGLISH, BOTH)]

    def embed_examples(self, training_data: TrainingData) -> int:
        """Put the sentence embeddings :meth:`train` would compute into the training cache
        (:mod:`clinic.nlu.embedding_cache`), training nothing, so that a training after it
        runs no encoder: ``make test`` runs it (``scripts/embed_examples.py``) beside the
        static checks and the fast tier, on the core they leave idle. The texts are given
        to each encoder as :meth:`train` gives them, in the same order, so the vectors are
        the ones it would compute. Returns how many texts were embedded or found."""
        texts, _ = self._examples(training_data)
        english = TextClassifier.encoder_inputs([texts[i] for i in self._english_examples(texts)])
        if self._embedder() is not None:
            cached(_embed, _encoder_fingerprint)(english)
        if self._use_multilingual:
            from clinic.nlu.multilingual import MultilingualEncoder

            MultilingualEncoder.load(threads=self._training_threads)
            cached(_embed_multilingual, _multilingual_fingerprint)(
                EmbeddingClassifier.encoder_inputs([self._multilingual_text(t) for t in texts]))
        return len(english) + (len(texts) if self._use_multilingual else 0)

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = self._examples(training_data)
        if len(set(labels)) < 2:
            logger.warning("ClinicIntentClassifier: fewer than two intents, nothing trained")
            return self._resource
        # the English model learns the examples it will read (route); the multilingual
        # one learns them all: English examples carry over to Arabic. The two models are
        # independent, so the multilingual one trains in a second thread: its encoder (a C
        # library through ctypes) and numpy's products release the GIL, as do scipy's
        # sparse products that dominate the English fit, so on two cores the training
        # takes about as long as the longer of the two (docs/performance.md, "Measured performance").
        english = self._english_examples(texts)
        self._multilingual = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="multilingual-fit") as pool:
            multilingual = (pool.submit(self.fit_multilingual, texts, labels)
                            if self._use_multilingual else None)
            self._classifier = TextClassifier(config=self._config, embed=self._embedder()).fit(
                [texts[i] for i in english], [labels[i] for i in english],
                embed=cached(_embed, _encoder_fingerprint))
            if multilingual is not None:
                self._multilingual = multilingual.result()
        # the responses of retrieval keys, reported in response_selector as the ResponseSelector does
        self._responses = {name: list(values) for name, values in (training_data.responses or {}).items()
                           if "/" in name}
        self.persist()
        return self._resource

    def fit_multilingual(self, texts: List[str], labels: List[str],
                         config: Optional[EmbeddingConfig] = None) -> EmbeddingClassifier:
        """The Arabic and Arabizi model, trained on every example; ``config`` in place of
        the component's (scripts/tune_arabic_temperature.py refits it so)."""
        from clinic.nlu.multilingual import MultilingualEncoder

        MultilingualEncoder.load(threads=self._training_threads)  # first load sets the threads
        return EmbeddingClassifier(config=config or self._multilingual_config, embed=_embed_multilingual).fit(
            [self._multilingual_text(t) for t in texts], labels,
            embed=cached(_embed_multilingual, _multilingual_fingerprint))

    def persist(self) -> None:
        if self._classifier is None:
            return
        with self._storage.write_to(self._resource) as directory:
            joblib.dump({"classifier": self._classifier.state(),
                         "multilingual": self._multilingual.state() if self._multilingual else None,
                         "responses": self._responses},
                        Path(directory) / STATE_FILE)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "ClinicIntentClassifier":
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                saved = joblib.load(Path(directory) / STATE_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("ClinicIntentClassifier: no trained model found; it will predict nothing")
            return component
        component._classifier = TextClassifier.from_state(saved["classifier"], component._embedder())
        if saved.get("multilingual") and component._use_multilingual:
            component._multilingual = EmbeddingClassifier.from_state(
                saved["multilingual"], _embed_multilingual)
        component._responses = saved["responses"]
        return component

    def _multilingual_text(self, text: str) -> str:
        """What the multilingual encoder is given: Arabic script as written (or normalised,
        ``normalise_arabic``), Arabizi spelt in Arabic letters (``transliterate_arabizi``)."""
        language = detect(text)
        if language == AR and self._normalise_arabic:
            return normalise_arabic(text)
        if language == ARABIZI and self._transliterate:
            return to_arabic_script(text)
        return text

    def route(self, text: str) -> str:
        """Which model reads ``text``: ``english``, ``multilingual`` or ``both``."""
        return self._route(text, self._multilingual is not None)

    def _route(self, text: str, multilingual: bool) -> str:
        if not multilingual:
            return ENGLISH
        # a booking reference ("NS-7K3W") mixes letters and digits like Arabizi, and is
        # not: the rest of the message decides
        language = detect(references.mask_references(text, " "))
        if language == AR or (language == EN and _ARABIC_WORD.search(text)):
            # Arabic, or English mixed with Arabic words ("ما هو PRP - Mesotherapy؟"):
            # the multilingual model reads both, the English one only half of it
            return MULTILINGUAL
        if language == ARABIZI:
            return self._arabizi
        return ENGLISH

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's label probabilities (columns: the English model's labels), from the
        model its language is routed to; a message that opens with a greeting is also read
        without it, and the surer reading kept (:mod:`clinic.nlu.greeting`)."""
        return self._read(texts)[0]

    def _read(self, texts: Sequence[str]) -> Tuple[np.ndarray, List[Optional[np.ndarray]]]:
        """:meth:`predict_proba`, and the sentence embedding of each whole text (:meth:`_predict`).
        The texts and their readings without a greeting are read together: one encoder call."""
        rests = [(i, rest) for i, rest in enumerate(without_greeting(t) for t in texts) if rest]
        out, vectors = self._predict([*texts, *(rest for _, rest in rests)])
        n = len(texts)
        for row, (i, _) in enumerate(rests, start=n):
            out[i] = more_confident(out[i], out[row])
        return out[:n], vectors[:n]

    def _predict(self, texts: Sequence[str]) -> Tuple[np.ndarray, List[Optional[np.ndarray]]]:
        """Each text's label probabilities from the model its language is routed to, and the
        English model's sentence embedding of each text it read (None for the others, and when
        the model reads no embeddings)."""
        assert self._classifier is not None
        labels = self._classifier.labels
        routes = [self.route(t) for t in texts]
        out = np.zeros((len(texts), len(labels)))
        vectors: List[Optional[np.ndarray]] = [None] * len(texts)
        english = [i for i, r in enumerate(routes) if r in (ENGLISH, BOTH)]
        multilingual = [i for i, r in enumerate(routes) if r in (MULTILINGUAL, BOTH)]
        if english:
            probabilities, dense = self._classifier.predict([texts[i] for i in english])
            out[english] += probabilities
            if dense is not None:
                for row, i in enumerate(english):
                    vectors[i] = dense[row]
        if multilingual:
            out[multilingual] += self._aligned_multilingual([texts[i] for i in multilingual])
        both = [i for i, r in enumerate(routes) if r == BOTH]
        out[both] /= 2.0
        return out, vectors

    def _aligned_multilingual(self, texts: Sequence[str]) -> np.ndarray:
        """The multilingual model's probabilities in the English model's label order."""
        assert self._multilingual is not None and self._classifier is not None
        probabilities = self._multilingual.predict_proba([self._multilingual_text(t) for t in texts])
        return align(probabilities, self._multilingual.labels, self._classifier.labels)

    def process(self, messages: List[Message]) -> List[Message]:
        if self._classifier is None:
            return messages
        from clinic.settings import now as clinic_now  # the clock the booking actions read too

        texts = [m.get(TEXT) or "" for m in messages]
        now = clinic_now()
        cuts = [message_parts.cut(text, now) for text in texts]
        # the other parts of a message of several (clinic/nlu/parts.py), read in the same
        # batch as the messages themselves
        asked = [(i, part) for i, cut in enumerate(cuts) if cut.worth_reading for part in cut.others]
        probabilities, vectors = self._read([*texts, *(part for _, part in asked)])
        rankings = [rank_intents(self._classifier.labels, row) for row in probabilities[:len(texts)]]
        for message, text, ranking, vector in zip(messages, texts, rankings, vectors[:len(texts)], strict=True):
            self._annotate(message, ranking)
            if vector is not None and TextClassifier.encoder_inputs([text]) == [text]:
                # the embedding of exactly this text: the triage's learned signal reads it too
                message.set(SENTENCE_VECTOR, vector)
        self._read_parts(messages, cuts, asked, probabilities[len(texts):], rankings)
        return messages

    def _read_parts(self, messages: Sequence[Message], cuts: Sequence[message_parts.Parts],
                    asked: Sequence[Tuple[int, str]], probabilities: np.ndarray,
                    rankings: Sequence[Ranking]) -> None:
        """A message that carries a question and a booking request, or several questions
        (:mod:`clinic.nlu.parts`): from the readings of its other parts (``asked``: message index
        and part; ``probabilities``: their rows), the plan (``parts``: the FAQ keys to answer,
        whether to book) is added to the parse with the entity ``parts``, which the rules of
        data/rules/faq.yml see."""
        assert self._classifier is not None
        readings: Dict[int, List[message_parts.Reading]] = {}
        for (i, _), row in zip(asked, probabilities, strict=True):
            readings.setdefault(i, []).append(_reading(rank_intents(self._classifier.labels, row)))
        for i, part_readings in readings.items():
            plan = message_parts.read(cuts[i], part_readings, _reading(rankings[i]), self._parts_threshold)
            if not plan.several:
                continue
            message = messages[i]
            text = message.get(TEXT) or ""
            message.set(message_parts.PARSE_KEY, plan.as_dict(), add_to_output=True)
            entities = list(message.get(ENTITIES) or [])
            entities.append({"entity": message_parts.PARSE_KEY, "value": "several", "start": 0,
                             "end": len(text), "extractor": type(self).__name__})
            message.set(ENTITIES, entities, add_to_output=True)

    def _annotate(self, message: Message, ranking: Ranking) -> None:
        name, confidence = ranking.top
        message.set(INTENT, {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence},
                    add_to_output=True)
        message.set(INTENT_RANKING_KEY,
                    [{INTENT_NAME_KEY: n, PREDICTED_CONFIDENCE_KEY: c}
                     for n, c in ranking.intents[:RANKING_LENGTH]],
                    add_to_output=True)
        selectors: Dict[Text, Any] = {RESPONSE_SELECTOR_RETRIEVAL_INTENTS: sorted(ranking.keys)}
        for intent, keys in ranking.keys.items():
            key, key_confidence = keys[0]
            template = f"utter_{key}"
            selectors[intent] = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    RESPONSE_SELECTOR_RESPONSES_KEY: self._responses.get(template, [{TEXT: key}]),
                    PREDICTED_CONFIDENCE_KEY: key_confidence,
                    INTENT_RESPONSE_KEY: key,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: template,
                },
                RESPONSE_SELECTOR_RANKING_KEY: [
                    {PREDICTED_CONFIDENCE_KEY: c, INTENT_RESPONSE_KEY: k}
                    for k, c in keys[:RANKING_LENGTH]],
            }
        message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selectors, add_to_output=True)
