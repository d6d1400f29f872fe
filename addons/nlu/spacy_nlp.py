"""Rasa's ``SpacyNLP`` with the spaCy pipeline loaded once per process.

Rasa 3.6 builds two graph nodes from the one ``SpacyNLP`` entry in config.yml (one
provides the model to the tokenizer and featurizer, one processes messages) and each
calls ``spacy.load``: en_core_web_md then sits in memory twice (about 255 MB of the
server's RSS, measured). This subclass shares one loaded pipeline between the nodes.
It also excludes the components nothing in our pipeline reads (the dependency parser,
which Rasa disables anyway, and the entity recogniser: DIET extracts no entities and
dates are resolved in the action server); lemmas, tags and vectors stay.

The class keeps the name ``SpacyNLP``: Rasa finds the provider of ``model_from="SpacyNLP"``
components (SpacyTokenizer, SpacyFeaturizer) by class name.
"""
from __future__ import annotations

import threading
from typing import Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.nlu.utils.spacy_utils import SpacyNLP as RasaSpacyNLP

EXCLUDED = ("parser", "ner")

_loaded: Dict[Text, SpacyModel] = {}
_lock = threading.Lock()


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(RasaSpacyNLP):
    """``SpacyNLP`` that loads each spaCy model at most once per process."""

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
                _loaded[spacy_model_name] = SpacyModel(model=language, model_name=spacy_model_name)
            return _loaded[spacy_model_name]
