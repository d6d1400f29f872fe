"""A learned warning-sign signal: logistic regression on sentence embeddings.

:class:`WarningSignModel` reads a message as its all-MiniLM-L6-v2 sentence embedding
(:class:`clinic.nlu.encoder.SentenceEncoder`) and, for a message of several sentences,
the embedding of each sentence too (:func:`views`: one batched encoder call for all of
them). Two logistic regressions are fitted on those vectors: ``urgent`` (a warning sign:
urgent or emergency) and ``emergency``. How a message's views are combined is the
config's ``pooling``:

- ``whole``: the whole text's embedding only;
- ``max``: each view is scored and the highest probability counts (a sign told in one
  sentence of a long story is not diluted by the rest of it); fitted on whole texts;
- ``meanmax``: one feature row, the whole text's embedding beside the mean and the
  element-wise maximum of its views' embeddings.

It never decides alone: :mod:`clinic.triage` only lets it add a flag to an English
message the rules did not flag (``needs_learned``). The weights are small (a few
thousand floats): :meth:`WarningSignModel.state` is a dict of numpy arrays and plain
values, persisted with the trained Rasa model (``addons/nlu/triage.py``).
Which pooling, ``C`` and thresholds: chosen by grouped cross-validation on the triage
dev corpus (:mod:`clinic.triage.crossval`, ``scripts/cv_triage.py``).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np

Embed = Callable[[Sequence[str]], np.ndarray]

POOLINGS = ("whole", "max", "meanmax")
# a long story is cut into sentences at . ! ? and line breaks; pieces of fewer words are
# joined to the next one, and at most this many sentences are read (then the whole text)
MIN_WORDS = 3
MAX_SENTENCES = 12
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\s*\n+\s*")


@dataclass(frozen=True)
class SignalConfig:
    """The model's settings (chosen out of fold: :mod:`clinic.triage.crossval`)."""

    pooling: str = "max"
    C: float = 1.0
    balanced: bool = True
    threshold: float = 0.5
    emergency_threshold: float = 0.5

    def __post_init__(self) -> None:
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {POOLINGS}, not {self.pooling!r}")

    @classmethod
    def from_dict(cls, values: Dict) -> "SignalConfig":
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


def sentences(text: str) -> List[str]:
    """The sentences of ``text`` (empty for a text of one sentence: the whole text is it)."""
    pieces: List[str] = []
    carry = ""
    for piece in _SENTENCE_END.split((text or "").strip()):
        piece = f"{carry} {piece}".strip() if carry else piece.strip()
        if len(piece.split()) < MIN_WORDS:
            carry = piece
            continue
        pieces.append(piece)
        carry = ""
    if carry and pieces:
        pieces[-1] = f"{pieces[-1]} {carry}"
    return pieces[:MAX_SENTENCES] if len(pieces) > 1 else []


def views(texts: Sequence[str], embed: Embed) -> List[np.ndarray]:
    """For each text, its embeddings: row 0 the whole text, then one row per sentence
    (:func:`sentences`). One ``embed`` call for every piece of every text."""
    texts = [str(t or "") for t in texts]
    split = [sentences(t) for t in texts]
    pieces = [p for t, s in zip(texts, split, strict=True) for p in [t, *s]]
    vectors = np.asarray(embed(pieces), dtype=np.float64) if pieces else np.zeros((0, 0))
    out, start = [], 0
    for s in split:
        out.append(vectors[start: start + 1 + len(s)])
        start += 1 + len(s)
    return out


def _features(view: np.ndarray, pooling: str) -> np.ndarray:
    """The feature rows of one text: (1, d) for ``whole``/``meanmax``, one row per view for ``max``."""
    if pooling == "whole":
        return view[:1]
    if pooling == "max":
        return view
    return np.concatenate([view[0], view.mean(axis=0), view.max(axis=0)])[None, :]


def _fit_logistic(x: np.ndarray, y: np.ndarray, C: float, balanced: bool):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, class_weight="balanced" if balanced else None, max_iter=5000)
    model.fit(x, y)
    return np.asarray(model.coef_[0], dtype=np.float64), float(model.intercept_[0])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


class WarningSignModel:
    """Two logistic regressions (urgent, emergency) over a message's sentence embeddings."""

    def __init__(self, config: Optional[SignalConfig] = None) -> None:
        self.config = config or SignalConfig()
        self._urgent: Optional[tuple] = None      # (coef, intercept)
        self._emergency: Optional[tuple] = None

    @property
    def fitted(self) -> bool:
        return self._urgent is not None

    def fit(self, text_views: Sequence[np.ndarray], urgent: Sequence[bool],
            emergency: Sequence[Optional[bool]]) -> "WarningSignModel":
        """Fit on texts' :func:`views`; ``emergency`` may be None for a row whose urgent
        report does not say (it is then left out of the emergency head)."""
        if not (len(text_views) == len(urgent) == len(emergency)) or not text_views:
            raise ValueError("fit needs one urgent and one emergency label per text, and texts")
        fit_on = [v[:1] if self.config.pooling == "max" else _features(v, self.config.pooling)
                  for v in text_views]  # ``max`` learns from whole texts and scores each view
        x = np.concatenate(fit_on)
        y = np.asarray([bool(u) for u in urgent])
        if y.all() or not y.any():
            raise ValueError("fit needs urgent and non-urgent texts")
        self._urgent = _fit_logistic(x, y, self.config.C, self.config.balanced)
        known = [i for i, e in enumerate(emergency) if e is not None]
        y_e = np.asarray([bool(emergency[i]) for i in known])
        self._emergency = (_fit_logistic(x[known], y_e, self.config.C, self.config.balanced)
                           if y_e.any() and not y_e.all() else None)
        return self

    def _score(self, text_views: Sequence[np.ndarray], head: Optional[tuple]) -> np.ndarray:
        if head is None:
            return np.zeros(len(text_views))
        coef, intercept = head
        return np.asarray([float(_sigmoid(_features(v, self.config.pooling) @ coef + intercept).max())
                           for v in text_views])

    def predict(self, text_views: Sequence[np.ndarray]) -> np.ndarray:
        """(n, 2): each text's probability of a warning sign and of an emergency."""
        if not self.fitted:
            raise RuntimeError("the warning-sign model is not fitted")
        return np.stack([self._score(text_views, self._urgent), self._score(text_views, self._emergency)],
                        axis=1) if text_views else np.zeros((0, 2))

    def judge(self, text_views: Sequence[np.ndarray]) -> List[Optional[tuple]]:
        """For each text ``(category, emergency, probability)`` when the signal fires, else None
        (the form :func:`clinic.triage.with_learned` takes)."""
        out: List[Optional[tuple]] = []
        for p_urgent, p_emergency in self.predict(text_views):
            if p_urgent >= self.config.threshold:
                out.append((CATEGORY, bool(p_emergency >= self.config.emergency_threshold), float(p_urgent)))
            else:
                out.append(None)
        return out

    def state(self) -> Dict[str, object]:
        """Everything needed to predict: the config and the two heads' weights."""
        def head(h):
            return None if h is None else {"coef": h[0].astype(np.float32), "intercept": h[1]}
        return {"config": asdict(self.config), "urgent": head(self._urgent), "emergency": head(self._emergency)}

    @classmethod
    def from_state(cls, state: Dict) -> "WarningSignModel":
        model = cls(SignalConfig.from_dict(state["config"]))

        def head(h):
            return None if h is None else (np.asarray(h["coef"], dtype=np.float64), float(h["intercept"]))
        model._urgent, model._emergency = head(state["urgent"]), head(state.get("emergency"))
        return model


# what the handoff shows staff for a flag of this signal (the rules name the sign instead)
CATEGORY = "warning_sign"
