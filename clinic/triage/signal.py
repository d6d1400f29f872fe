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

With ``tfidf`` the row also holds word (1-2) and character (2-5) TF-IDF of the whole
text (lower case), the embedding block scaled by ``embedding_weight`` as in the intent
classifier (:mod:`clinic.nlu.classifier`); not with ``max``.

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
    """The model's settings. The defaults are the served ones, chosen out of fold on dev
    (``scripts/cv_triage.py``, the decision rule of :mod:`clinic.triage.crossval`): of
    {whole, meanmax} x {TF-IDF or not} x C {1, 3, 10}, each at the rule's threshold, the
    highest out-of-fold urgent recall alone (0.649, added false alarms on expected 0.043,
    on questions 0; meanmax+TF-IDF at C 10 read 0.640 / 0.037, ``max`` pooling 0.22-0.33)."""

    pooling: str = "meanmax"
    C: float = 3.0
    balanced: bool = True
    tfidf: bool = True
    embedding_weight: float = 1.0
    threshold: float = 0.80
    emergency_threshold: float = 0.75

    def __post_init__(self) -> None:
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {POOLINGS}, not {self.pooling!r}")
        if self.tfidf and self.pooling == "max":
            raise ValueError("TF-IDF features read the whole text: not with pooling 'max'")

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


def views(texts: Sequence[str], embed: Embed, whole: Optional[Sequence[np.ndarray]] = None) -> List[np.ndarray]:
    """For each text, its embeddings: row 0 the whole text, then one row per sentence
    (:func:`sentences`). One ``embed`` call for every piece of every text; with ``whole``
    (each text's embedding, already computed: the intent classifier's) only the sentences
    are embedded, and a text of one sentence needs no call."""
    texts = [str(t or "") for t in texts]
    split = [sentences(t) for t in texts]
    if whole is not None and len(whole) != len(texts):
        raise ValueError("one whole-text vector per text")
    pieces = [p for t, s in zip(texts, split, strict=True) for p in ([] if whole is not None else [t]) + s]
    vectors = np.asarray(embed(pieces), dtype=np.float64) if pieces else np.zeros((0, 0))
    out, start = [], 0
    for i, s in enumerate(split):
        if whole is None:
            out.append(vectors[start: start + 1 + len(s)])
            start += 1 + len(s)
        else:
            head = np.asarray(whole[i], dtype=np.float64)[None, :]
            out.append(np.concatenate([head, vectors[start: start + len(s)]]) if s else head)
            start += len(s)
    return out


def _pooled(view: np.ndarray, pooling: str) -> np.ndarray:
    """The embedding rows of one text: (1, d) for ``whole``/``meanmax``, one row per view for ``max``."""
    if pooling == "whole":
        return view[:1]
    if pooling == "max":
        return view
    return np.concatenate([view[0], view.mean(axis=0), view.max(axis=0)])[None, :]


def _fit_logistic(x, y: np.ndarray, C: float, balanced: bool, weight: Optional[np.ndarray] = None):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, class_weight="balanced" if balanced else None, max_iter=5000)
    model.fit(x, y, sample_weight=weight)
    return np.asarray(model.coef_[0], dtype=np.float64), float(model.intercept_[0])


def _vectorizers():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return (TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=2,
                            token_pattern=r"(?u)\b\w+\b"),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


class WarningSignModel:
    """Two logistic regressions (urgent, emergency) over a message's sentence embeddings."""

    def __init__(self, config: Optional[SignalConfig] = None) -> None:
        self.config = config or SignalConfig()
        self._urgent: Optional[tuple] = None      # (coef, intercept)
        self._emergency: Optional[tuple] = None
        self._tfidf: Optional[tuple] = None       # (word, character) vectorizers

    def _rows(self, text_views: Sequence[np.ndarray], texts: Optional[Sequence[str]], fitting: bool = False):
        """The feature matrix of texts (``max`` fitting: whole texts only) and each row's text."""
        pooling = self.config.pooling
        blocks = [v[:1] if pooling == "max" and fitting else _pooled(v, pooling) for v in text_views]
        owner = np.repeat(np.arange(len(blocks)), [len(b) for b in blocks])
        dense = np.concatenate(blocks) * self.config.embedding_weight
        if not self.config.tfidf:
            return dense, owner
        if texts is None or len(texts) != len(text_views):
            raise ValueError("a TF-IDF model needs the texts beside their views")
        from scipy import sparse

        low = [str(t or "").lower() for t in texts]
        if fitting:
            self._tfidf = _vectorizers()
            for vectorizer in self._tfidf:
                vectorizer.fit(low)
        assert self._tfidf is not None
        return sparse.hstack([sparse.csr_matrix(dense)] + [v.transform(low) for v in self._tfidf],
                             format="csr"), owner

    @property
    def fitted(self) -> bool:
        return self._urgent is not None

    def fit(self, text_views: Sequence[np.ndarray], urgent: Sequence[bool],
            emergency: Sequence[Optional[bool]], weights: Optional[Sequence[float]] = None,
            texts: Optional[Sequence[str]] = None) -> "WarningSignModel":
        """Fit on texts' :func:`views` (and the texts themselves, for TF-IDF); ``emergency``
        may be None for a row whose urgent report does not say (it is then left out of the
        emergency head); ``weights``: each text's sample weight (default 1). ``max`` learns
        from whole texts and scores each view."""
        if not (len(text_views) == len(urgent) == len(emergency)) or not text_views:
            raise ValueError("fit needs one urgent and one emergency label per text, and texts")
        x, _ = self._rows(text_views, texts, fitting=True)
        y = np.asarray([bool(u) for u in urgent])
        if y.all() or not y.any():
            raise ValueError("fit needs urgent and non-urgent texts")
        w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
        self._urgent = _fit_logistic(x, y, self.config.C, self.config.balanced, w)
        known = [i for i, e in enumerate(emergency) if e is not None]
        y_e = np.asarray([bool(emergency[i]) for i in known])
        self._emergency = (_fit_logistic(x[known], y_e, self.config.C, self.config.balanced, w[known])
                           if y_e.any() and not y_e.all() else None)
        return self

    def predict(self, text_views: Sequence[np.ndarray], texts: Optional[Sequence[str]] = None) -> np.ndarray:
        """(n, 2): each text's probability of a warning sign and of an emergency (``max``:
        the highest over the text's views)."""
        if not self.fitted:
            raise RuntimeError("the warning-sign model is not fitted")
        if not len(text_views):
            return np.zeros((0, 2))
        x, owner = self._rows(text_views, texts)
        out = np.zeros((len(text_views), 2))
        for column, head in enumerate((self._urgent, self._emergency)):
            if head is None:
                continue
            coef, intercept = head
            scores = _sigmoid(np.asarray(x @ coef).ravel() + intercept)
            np.maximum.at(out[:, column], owner, scores)
        return out

    def judge(self, text_views: Sequence[np.ndarray], texts: Optional[Sequence[str]] = None
              ) -> List[Optional[tuple]]:
        """For each text ``(category, emergency, probability)`` when the signal fires, else None
        (the form :func:`clinic.triage.with_learned` takes)."""
        out: List[Optional[tuple]] = []
        for p_urgent, p_emergency in self.predict(text_views, texts):
            if p_urgent >= self.config.threshold:
                out.append((CATEGORY, bool(p_emergency >= self.config.emergency_threshold), float(p_urgent)))
            else:
                out.append(None)
        return out

    def state(self) -> Dict[str, object]:
        """Everything needed to predict: the config and the two heads' weights."""
        def head(h):
            return None if h is None else {"coef": h[0].astype(np.float32), "intercept": h[1]}
        return {"config": asdict(self.config), "urgent": head(self._urgent), "emergency": head(self._emergency),
                "tfidf": self._tfidf}

    @classmethod
    def from_state(cls, state: Dict) -> "WarningSignModel":
        model = cls(SignalConfig.from_dict(state["config"]))

        def head(h):
            return None if h is None else (np.asarray(h["coef"], dtype=np.float64), float(h["intercept"]))
        model._urgent, model._emergency = head(state["urgent"]), head(state.get("emergency"))
        model._tfidf = state.get("tfidf")
        return model


# what the handoff shows staff for a flag of this signal (the rules name the sign instead)
CATEGORY = "warning_sign"
