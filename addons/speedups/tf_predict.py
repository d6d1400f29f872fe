"""Call DIET's and the ResponseSelector's prediction graph directly, as one concrete function.

Rasa wraps a model's ``predict_step`` in ``tf.function`` with a fully dynamic input
signature, so it is traced once and every message runs the same graph. Each call still
goes through TensorFlow 2.12's dispatch for polymorphic functions: it canonicalises the
inputs against the signature, computes their trace type, looks the graph up again and
binds the arguments, about 2 ms of CPU per call, twice per message (DIET, then the
ResponseSelector). Here the one concrete function is fetched once and called with the
batch's arrays as tensors (``ConcreteFunction._call_flat``: TensorFlow is pinned at 2.12
by Rasa 3.6; ``tests/addons/speedups/test_on_the_model.py`` would catch a change). A
batch whose arrays do not have the signature's dtypes takes TensorFlow's own path. The
graph, its inputs and its outputs are the same.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text, Tuple, Union

import numpy as np
import tensorflow as tf
from keras.utils import tf_utils
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.utils.tensorflow.models import RasaModel

_original_rasa_predict = RasaModel._rasa_predict


class ConcretePredict:
    """The traced prediction graph of one ``tf.function``, called with flat tensors."""

    def __init__(self, function: Any) -> None:
        self.function = function
        self.concrete = function.get_concrete_function()
        specs = tf.nest.flatten(self.concrete.structured_input_signature, expand_composites=True)
        self.dtypes: List[np.dtype] = [spec.dtype.as_numpy_dtype for spec in specs]

    def accepts(self, arrays: List[Any]) -> bool:
        """True when the flat arrays have the signature's number and dtypes."""
        return len(arrays) == len(self.dtypes) and all(
            getattr(array, "dtype", None) == dtype for array, dtype in zip(arrays, self.dtypes))

    def __call__(self, batch_in: Tuple[np.ndarray, ...]) -> Any:
        arrays = tf.nest.flatten(batch_in, expand_composites=True)
        if not self.accepts(arrays):
            return self.concrete(batch_in)
        tensors = [tf.convert_to_tensor(array) for array in arrays]
        return self.concrete._call_flat(tensors, self.concrete.captured_inputs)


def rasa_predict(
    self: RasaModel, batch_in: Tuple[np.ndarray, ...]
) -> Dict[Text, Union[np.ndarray, Dict[Text, Any]]]:
    """Drop-in for ``RasaModel._rasa_predict`` (eager mode: Rasa's own)."""
    if self._run_eagerly:
        return _original_rasa_predict(self, batch_in)
    predict = getattr(self, "_clinic_predict", None)
    if self._tf_predict_step is None or predict is None or predict.function is not self._tf_predict_step:
        # first call (Rasa traces the function), or Rasa replaced it: take its graph
        outputs = _original_rasa_predict(self, batch_in)
        self._clinic_predict = ConcretePredict(self._tf_predict_step)
        return outputs
    self._training = False
    outputs = tf_utils.sync_to_numpy_or_python_type(predict(batch_in))
    if DIAGNOSTIC_DATA in outputs:
        outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
    return outputs


def install() -> None:
    RasaModel._rasa_predict = rasa_predict  # type: ignore[assignment]
