"""Call DIET's and the ResponseSelector's prediction graph directly, as one concrete function.

Rasa wraps a model's ``predict_step`` in ``tf.function`` with a fully dynamic input
signature, so it is traced once and every message runs the same graph. Each call still
goes through TensorFlow 2.12's dispatch for polymorphic functions: it canonicalises the
inputs against the signature, computes their trace type and looks the graph up again,
about 1 ms of CPU per call, twice per message (DIET, then the ResponseSelector). Here
the one concrete function is fetched once and called with the batch directly; the graph,
its inputs and its outputs are the same.
"""
from __future__ import annotations

from typing import Any, Dict, Text, Tuple, Union

import numpy as np
from keras.utils import tf_utils
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.utils.tensorflow.models import RasaModel

_original_rasa_predict = RasaModel._rasa_predict


def rasa_predict(
    self: RasaModel, batch_in: Tuple[np.ndarray, ...]
) -> Dict[Text, Union[np.ndarray, Dict[Text, Any]]]:
    """Drop-in for ``RasaModel._rasa_predict`` (eager mode: Rasa's own)."""
    if self._run_eagerly:
        return _original_rasa_predict(self, batch_in)
    if self._tf_predict_step is None or getattr(self, "_clinic_predict_for", None) is not self._tf_predict_step:
        # first call (Rasa traces the function), or Rasa replaced it: take its graph
        outputs = _original_rasa_predict(self, batch_in)
        self._clinic_predict = self._tf_predict_step.get_concrete_function()
        self._clinic_predict_for = self._tf_predict_step
        return outputs
    self._training = False
    outputs = tf_utils.sync_to_numpy_or_python_type(self._clinic_predict(batch_in))
    if DIAGNOSTIC_DATA in outputs:
        outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
    return outputs


def install() -> None:
    RasaModel._rasa_predict = rasa_predict  # type: ignore[assignment]


