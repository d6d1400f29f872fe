"""NLU component: Rasa's FallbackClassifier with one more reason to decline.

Besides a top intent below ``threshold`` or two intents within ``ambiguity_threshold``,
a message is declined (``nlu_fallback``) when the classifier gives ``out_of_scope`` a
share of ``out_of_scope_threshold`` or more while another intent is on top: the rule is
:class:`clinic.nlu.decline.DeclineRule`, its settings chosen on the dev split
(``python scripts/eval_nlu.py --split dev --tune``). Without ``out_of_scope_threshold``
it declines exactly what FallbackClassifier declines.
"""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import (
    AMBIGUITY_THRESHOLD_KEY, THRESHOLD_KEY, FallbackClassifier,
)
from rasa.shared.nlu.constants import (
    INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message

from clinic.nlu.decline import OUT_OF_SCOPE, DeclineRule

OUT_OF_SCOPE_THRESHOLD_KEY = "out_of_scope_threshold"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class ClinicFallbackClassifier(FallbackClassifier):
    """FallbackClassifier that also declines on ``out_of_scope``'s share."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**FallbackClassifier.get_default_config(), OUT_OF_SCOPE_THRESHOLD_KEY: None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        config = {**self.get_default_config(), **config}
        super().__init__(config)
        share = config[OUT_OF_SCOPE_THRESHOLD_KEY]
        self.rule = DeclineRule(threshold=float(config[THRESHOLD_KEY]),
                                ambiguity=float(config[AMBIGUITY_THRESHOLD_KEY]),
                                out_of_scope=None if share is None else float(share))

    def _should_fallback(self, message: Message) -> bool:
        intent = message.data.get(INTENT) or {}
        ranking = message.data.get(INTENT_RANKING_KEY) or []
        # the classifier ranks its top intent first, so the ranking's top two are what
        # FallbackClassifier compares; with one intent there is nothing to be ambiguous with
        runner_up = (float(ranking[1].get(PREDICTED_CONFIDENCE_KEY) or 0.0) if len(ranking) >= 2
                     else float("-inf"))
        share = sum(float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0) for r in ranking
                    if r.get(INTENT_NAME_KEY) == OUT_OF_SCOPE)
        return self.rule.declines(intent.get(INTENT_NAME_KEY) or "",
                                  float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0), runner_up, share)
