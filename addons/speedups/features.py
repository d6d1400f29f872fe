"""Combine a message's features once, not once per classifier and featurizer.

DIET and the ResponseSelector each ask the message for its combined features
(``Message.get_sparse_features`` / ``get_dense_features``). Rasa 3.6 answers each
call by deep-copying the first featurizer's matrix and stacking the others onto it one
at a time (a new sparse matrix per featurizer, each built and checked by scipy), and
then does all of it again for the second classifier. Here the features of all
featurizers are stacked in one step, and a message keeps the result for as long as its
features do not change: the second classifier gets the same (read-only) features.
The combined features are equal to Rasa's: same matrices, entries, shapes and dtypes.
"""
from __future__ import annotations

import copy
from typing import Any, Callable, Dict, List, Optional, Text, Tuple

import numpy as np
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

Combined = Tuple[Optional[Features], Optional[Features]]
_MEMO = "_clinic_combined_features"


def combine_features(features: List[Features], featurizers: List[Text]) -> Optional[Features]:
    """What ``Message._combine_features`` returns, stacking all matrices in one step."""
    if not features:
        return None
    first = features[0]
    if len(features) == 1:
        combined = copy.deepcopy(first)
        combined.origin = featurizers
        return combined
    matrices = [f.features for f in features]
    if all(f.is_sparse() for f in features):
        for other in matrices[1:]:
            if matrices[0].shape[0] != other.shape[0]:
                raise ValueError(
                    f"Cannot combine sparse features as sequence dimensions do not "
                    f"match: {matrices[0].shape[0]} != {other.shape[0]}.")
        matrix = scipy.sparse.hstack(matrices)
    elif all(f.is_dense() for f in features):
        for other in matrices[1:]:
            if matrices[0].ndim != other.ndim:
                raise ValueError(
                    f"Cannot combine dense features as sequence dimensions do not "
                    f"match: {matrices[0].ndim} != {other.ndim}.")
        matrix = np.concatenate(matrices, axis=-1)
    else:
        raise ValueError("Cannot combine sparse and dense features.")
    return Features(matrix, first.type, first.attribute, featurizers)


def _remembered(kind: Text, original: Callable[..., Combined]) -> Callable[..., Combined]:
    def features_of(self: Message, attribute: Text, featurizers: Optional[List[Text]] = None) -> Combined:
        memo: Dict[Any, Any] = self.__dict__.setdefault(_MEMO, {})
        key = (kind, attribute, tuple(featurizers or ()))
        state = (id(self.features), len(self.features))
        known = memo.get(key)
        if known is not None and known[0] == state:
            return known[1]
        result = original(self, attribute, featurizers)
        memo[key] = (state, result)
        return result

    features_of.__doc__ = original.__doc__
    return features_of


_originals = {
    "_combine_features": Message.__dict__["_combine_features"],
    "get_sparse_features": Message.get_sparse_features,
    "get_dense_features": Message.get_dense_features,
}


def install() -> None:
    Message._combine_features = staticmethod(combine_features)  # type: ignore[assignment]
    Message.get_sparse_features = _remembered("sparse", _originals["get_sparse_features"])  # type: ignore
    Message.get_dense_features = _remembered("dense", _originals["get_dense_features"])  # type: ignore


def uninstall() -> None:
    """Rasa's own methods again (tests)."""
    for name, method in _originals.items():
        setattr(Message, name, method)
