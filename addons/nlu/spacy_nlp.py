"""Rasa's ``SpacyNLP`` with the spaCy pipeline loaded once per process.

Rasa 3.6 builds two graph nodes from the one ``SpacyNLP`` entry in config.yml (one
provides the model to the tokenizer and featurizer, one processes messages) and each
calls ``spacy.load``: en_core_web_md then sits in memory twice (about 255 MB of the
server's RSS, measured). This subclass shares one loaded pipeline between the nodes.
It also excludes the components nothing in our pipeline reads (the dependency parser,
which Rasa disables anyway, and the entity recogniser: DIET extracts no entities and
dates are resolved in the action server); lemmas, tags and vectors stay. Its tokenizer's
suffix search looks at the end of a chunk only (:func:`clinic.chat_input.bound_suffix_search`:
its cost grew with the square of a run of punctuation).

Training reads the examples through spaCy's tokenizer only (``tokens_only_in_training``,
on in config.yml): Rasa runs the whole spaCy pipeline over every training example and
response text for the tokenizer, and no component we train reads lemmas, tags or vectors
(the classifier has its own features; the triage reads spaCy at inference only), so
tagging ~10,000 texts cost 35-40 s of a 5-minute training for nothing. Messages are
always processed by the whole pipeline.

The class keeps the name ``SpacyNLP``: Rasa finds the provider of ``model_from="SpacyNLP"``
components (SpacyTokenizer, SpacyFeaturizer) by class name.

``ReleaseSpacyDocs``, last in the pipeline, takes the spaCy ``Doc`` off each message once
every component has read it. Nothing after the pipeline reads it (the server's parse
result keeps only output properties), but ``rasa test nlu`` deep-copies every parsed
message (``FallbackClassifier.undo_fallback_prediction``), and deep-copying a ``Doc``
copies its vocabulary, vectors included, a vocabulary that grows with every message
tested: the held-out check slowed from 11 to 1 message a second, 7 minutes of CI.
"""
from __future__ import annotations

import threading
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.nlu.utils.spacy_utils import SpacyNLP as RasaSpacyNLP
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinic.chat_input import bound_suffix_search

EXCLUDED = ("parser", "ner")

_loaded: Dict[Text, SpacyModel] = {}
_lock = threading.Lock()


def loaded_pipeline() -> Any:
    """The spaCy pipeline a loaded model already holds (the first one), or None."""
    return next((model.model for model in list(_loaded.values())), None)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(RasaSpacyNLP):
    """``SpacyNLP`` that loads each spaCy model at most once per process."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**RasaSpacyNLP.get_default_config(), "tokens_only_in_training": False}

    def process_training_data(self, training_data: TrainingData, model: SpacyModel) -> TrainingData:
        """Rasa's training-data processing, with every spaCy component switched off for it
        when ``tokens_only_in_training`` is set (the docs then hold tokens only)."""
        if not self._config.get("tokens_only_in_training"):
            return super().process_training_data(training_data, model)
        with model.model.select_pipes(disable=model.model.pipe_names):
            return super().process_training_data(training_data, model)

    @staticmethod
    def load_model(spacy_model_name: Text) -> SpacyModel:
        with _lock:
            if spacy_model_name not in _loaded:
                import spacy

                try:
                    language = spacy.load(spacy_model_name, exclude=list(EXCLUDED))
                except (OSError, TypeError, ValueError):
                    # Rasa's loader raises InvalidModelError with set-up instructions
                    return RasaSpacyNLP.load_model(spacy_model_name)
                bound_suffix_search(language.tokenizer)  # linear in a run of punctuation
                _loaded[spacy_model_name] = SpacyModel(model=language, model_name=spacy_model_name)
            return _loaded[spacy_model_name]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class ReleaseSpacyDocs(GraphComponent):
    """Takes the spaCy docs off each message; list it after every component that reads them."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ReleaseSpacyDocs":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            for key in SPACY_DOCS.values():
                message.data.pop(key, None)
        return messages
