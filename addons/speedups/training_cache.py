"""Train without Rasa's fine-grained training cache, which nothing here reads.

Rasa 3.6 stores every trained component's output in ``.rasa/cache``, so that a later
``rasa train`` without ``--force`` can skip the components whose inputs did not change.
To key that cache it fingerprints the inputs and the output of every node of the training
graph: the whole training data, with every feature matrix written out as text, once per
featurizer. On our data that is about a third of a training's CPU time (py-spy), and the
cache grows by about 200 MB a training.

Our trainings never read it: ``scripts/ensure_model.py`` decides from its own fingerprint
whether a model is current and then always trains from scratch (``--force``), as do the
held-out check and the bench. So a training run through ``python -m addons.rasa_cli``
trains every component, as ``--force`` does, and keeps no cache: no fingerprints, nothing
stored. The components, their inputs and their order are Rasa's own.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext, GraphModelConfiguration, GraphNodeHook
from rasa.engine.storage.storage import ModelMetadata
from rasa.engine.training import graph_trainer
from rasa.shared.importers.importer import TrainingDataImporter


class NoTrainingCache(GraphNodeHook):
    """Takes the place of Rasa's ``TrainingHook``: nothing fingerprinted, nothing stored."""

    def __init__(self, **_: Any) -> None:
        pass

    def on_before_node(self, node_name: Text, execution_context: ExecutionContext,
                       config: Dict[Text, Any], received_inputs: Dict[Text, Any]) -> Dict:
        return {}

    def on_after_node(self, node_name: Text, execution_context: ExecutionContext,
                      config: Dict[Text, Any], output: Any, input_hook_data: Dict) -> None:
        return None


# Rasa's own, handed over again by :func:`addons.compat.install` (``keep_original``)
_rasa_hook = graph_trainer.TrainingHook
_rasa_train = graph_trainer.GraphTrainer.train


def train_from_scratch(self: graph_trainer.GraphTrainer, model_configuration: GraphModelConfiguration,
                       importer: TrainingDataImporter, output_filename: Path,
                       force_retraining: bool = False, is_finetuning: bool = False) -> ModelMetadata:
    """``GraphTrainer.train`` with every component trained (no cache to prune the graph by)."""
    return _rasa_train(self, model_configuration, importer, output_filename,
                       force_retraining=True, is_finetuning=is_finetuning)


def install() -> None:
    """Replace ``TrainingHook`` and ``GraphTrainer.train`` (registered in :mod:`addons.compat`)."""
    from addons import compat

    compat.install("training_cache")


def uninstall() -> None:
    """Rasa's own training again."""
    from addons import compat

    compat.uninstall("training_cache")
