"""The intent and FAQ-key classifier: sentence embeddings + TF-IDF, logistic regression.

One model over flat labels (``greet``, ``faq/aftercare_makeup``, ``out_of_scope/other``).
Its features are the concatenation of
- word 1-2-gram and character 2-5-gram TF-IDF of the normalised text (what a
  bag-of-words baseline sees: spelling variants, clinic vocabulary), and
- the message's sentence embedding (:mod:`clinic.nlu.encoder`), which carries meaning
  across wordings the training data never used.
A side experiment and ``make eval-nlu`` measured this mix against TF-IDF alone and
against Rasa's DIET/ResponseSelector on real questions written outside the team
(docs/performance.md, "Understanding on real text"). Its probabilities are mixed with
a nearest-neighbour reading of the same embedding (``knn_weight``): for each label, the
cosine similarity of the message to that label's closest training example, through a
softmax (``knn_temperature``). Real off-topic questions that share words with our FAQ
lean towards ``out_of_scope`` that way, so the fallback can decline them at a lower
threshold and answer more in-scope questions (chosen on the dev split; docs/performance.md).
:func:`rank_intents` turns label
probabilities into what Rasa needs: intent confidences (a retrieval intent's keys summed) and each
retrieval intent's key ranking (conditional on the intent).

:class:`EmbeddingClassifier` is the second model, for Arabic (and Arabizi): logistic
regression over multilingual sentence embeddings (:mod:`clinic.nlu.multilingual`),
trained on every example, English, Arabic and Arabizi. No TF-IDF block of the raw text:
n-grams of English training text pull Arabic messages towards whatever label shares
their characters, and with them the multilingual encoder's transfer from English
examples to Arabic questions was lost (``/work/shared/DESIGN.md``; docs/performance.md,
"Understanding on real text"). Optionally (``tfidf_weight``) word and character TF-IDF of
the Arabic letters alone (:func:`arabic_letters`: English text gives an empty row), which
reads Arabic morphology and clinic words the 4-bit encoder blurs, and a bias against
``out_of_scope`` (``out_of_scope_bias``), both chosen on the Arabic dev split
(docs/performance.md, "Arabic route: Arabic-letter TF-IDF"). Which model reads which
message is the NLU component's choice, by language.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from clinic.booking import references
from clinic.nlu.chatspeak import spell_out
from clinic.nlu.spelling import one_spelling
from clinic.nlu.typos import TypoCorrector
from clinic.nlu import logistic
from clinic.nlu.labels import contract_faq_key, split_label

Embed = Callable[[Sequence[str]], np.ndarray]

# Longer messages are cut for the features: the first part says what the message is
# about, and the cost of the features stays bounded (the encoder stops at 256 pieces).
MAX_CHARS = 1000
_URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
_REPEAT = re.compile(r"(.)\1{2,}")
# the words a question typed in English opens with; not a request to the assistant ("can you book
# this": the training requests mostly have no question mark, and one read it as a question)
_QUESTION_START = re.compile(
    r"\W*(?!(?:can|could|would|will)\s+(?:you|u)\b)"
    r"(what|whats|how|when|where|why|which|who|whom|can|could|is|are|am|do|does|did|will|would|"
    r"should|shall|may|might|have|has|any|anyone|anybody)\b", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


# a booking reference ("NS-7K3W", "ns 7k3w": clinic.booking.references.TYPED) is random:
# the classifier sees the same words for every one, so "cancel NS-7K3W" reads like
# "cancel NS-4HXR"
REFERENCE_WORDS = "booking reference"


def mask_references(text: str) -> str:
    """``text`` with every booking reference replaced by the same words."""
    return references.mask_references(text, REFERENCE_WORDS)


def english_input(text: str) -> str:
    """What the English classifier reads of ``text``: booking references masked, chat
    shorthand spelt out (:func:`clinic.nlu.chatspeak.spell_out`), treatment names spelt
    one way (:func:`clinic.nlu.spelling.one_spelling`)."""
    return one_spelling(spell_out(mask_references(text)))


def with_question_mark(text: str) -> str:
    """``text`` ending in a question mark when it opens with a question word and has none.

    For messages only (``TextClassifier.predict``). Most training questions were written with
    one, and patients in a chat mostly leave it out: the classifier answered 0.820 of the real
    dev questions as written and 0.763 of the same questions without it; with the mark put
    back 0.799 (docs/performance.md, "as patients type"). Giving the training examples one too
    cost the questions as written 0.021 and ``dev_questions.tsv`` a question; taking every mark
    away on both sides cost them 0.018."""
    if "?" in text or "？" in text or not _QUESTION_START.match(text):
        return text
    return text.rstrip(" .!") + "?"


def normalise(text: str) -> str:
    """The text the n-gram features see: NFKC, lower case, URLs as one token,
    letters repeated 3+ times cut to two ("pleeease" -> "pleease"), one space."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower()
    text = _URL.sub(" urltoken ", text)
    text = _REPEAT.sub(r"\1\1", text)
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class ClassifierConfig:
    """Hyper-parameters (chosen on the dev split: docs/performance.md, "Understanding on real text")."""

    word_ngrams: Tuple[int, int] = (1, 2)
    char_ngrams: Tuple[int, int] = (2, 5)
    # scale of the embedding block against the TF-IDF blocks (each row of each is unit length)
    embedding_weight: float = 2.0
    C: float = 10.0
    max_iter: int = 2000
    # share of the nearest-neighbour probabilities in the mix (0: the regression alone), and
    # their softmax temperature over the per-label best cosine similarities
    knn_weight: float = 0.3
    knn_temperature: float = 0.015

    @classmethod
    def from_dict(cls, values: Dict) -> "ClassifierConfig":
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        for key in ("word_ngrams", "char_ngrams"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)


@dataclass
class TextClassifier:
    """Logistic regression over TF-IDF and (optionally) sentence-embedding features.

    ``embed`` is None for the bag-of-words baseline (no embedding block, no nearest
    neighbours). It is not part of the pickled state: :meth:`state` / :meth:`from_state`
    persist everything else, the training examples' embeddings included (grouped by
    label, for the nearest-neighbour mix).
    """

    config: ClassifierConfig = field(default_factory=ClassifierConfig)
    embed: Optional[Embed] = None
    labels: List[str] = field(default_factory=list)
    _word: Optional[TfidfVectorizer] = None
    _char: Optional[TfidfVectorizer] = None
    _model: Optional[LogisticRegression] = None
    _weights: Optional[np.ndarray] = field(default=None, repr=False)
    # the training embeddings sorted by label (float32), and where each label's rows start
    # (in the order of :attr:`labels`): the nearest-neighbour mix; None without it
    _vectors: Optional[np.ndarray] = field(default=None, repr=False)
    _starts: Optional[np.ndarray] = field(default=None, repr=False)
    _typos: Optional[TypoCorrector] = field(default=None, repr=False)

    def _uses_embedding(self) -> bool:
        return self.embed is not None and self.config.embedding_weight > 0

    def _uses_neighbours(self) -> bool:
        return self.embed is not None and self.config.knn_weight > 0

    @staticmethod
    def encoder_inputs(texts: Sequence[str]) -> List[str]:
        """What :meth:`fit` and :meth:`predict_proba` give the encoder for ``texts``:
        :func:`english_input`, cut at :data:`MAX_CHARS` (the training cache is filled
        with these: ``ClinicIntentClassifier.embed_examples``)."""
        return [english_input(t)[:MAX_CHARS] for t in texts]

    def _dense(self, texts: Sequence[str], embed: Optional[Embed] = None) -> Optional[np.ndarray]:
        """The sentence embeddings of ``texts``, when a block or the mix needs them;
        ``embed`` (training only: the cache) in place of :attr:`embed`."""
        if not (self._uses_embedding() or self._uses_neighbours()):
            return None
        embed = embed if embed is not None else self.embed
        assert embed is not None
        return np.asarray(embed([t[:MAX_CHARS] for t in texts]), dtype=np.float64)

    def fit(self, texts: Sequence[str], labels: Sequence[str],
            embed: Optional[Embed] = None) -> "TextClassifier":
        """Train on ``texts``; ``embed``, when given, embeds them instead of :attr:`embed`
        (the same vectors, read from the training cache: :mod:`clinic.nlu.embedding_cache`)."""
        if len(texts) != len(labels) or not texts:
            raise ValueError("fit needs as many labels as texts, and at least one")
        texts = [english_input(t) for t in texts]
        clean = [normalise(t) for t in texts]
        self._word = TfidfVectorizer(analyzer="word", ngram_range=self.config.word_ngrams,
                                     sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")
        self._char = TfidfVectorizer(analyzer="char_wb", ngram_range=self.config.char_ngrams,
                                     sublinear_tf=True, min_df=2)
        self._word.fit(clean)
        self._char.fit(clean)
        # the training cache stands in for the encoder, never for no encoder (the baseline)
        dense = self._dense(texts, embed if self.embed is not None else None)
        # LogisticRegression(C, max_iter, solver="lbfgs").fit(hstack(blocks), labels), faster
        self._model = logistic.fit(self._blocks(clean, dense), labels, C=self.config.C,
                                   max_iter=self.config.max_iter)
        self._weights, self._typos = None, None
        self.labels = [str(label) for label in self._model.classes_]
        self._vectors, self._starts = None, None
        if dense is not None and self._uses_neighbours():
            index = {label: i for i, label in enumerate(self.labels)}
            rows = np.array([index[str(label)] for label in labels])
            order = np.argsort(rows, kind="stable")
            self._vectors = np.ascontiguousarray(dense[order], dtype=np.float32)
            self._starts = np.searchsorted(rows[order], np.arange(len(self.labels)))
        return self

    def _blocks(self, clean: Sequence[str],
                dense: Optional[np.ndarray]) -> List[Union[sparse.csr_matrix, np.ndarray]]:
        """The feature blocks: word and character TF-IDF of the normalised texts (sparse),
        the weighted sentence embeddings ``dense`` (when the model uses them)."""
        assert self._word is not None and self._char is not None, "fit or load first"
        blocks: List[Union[sparse.csr_matrix, np.ndarray]] = [
            self._word.transform(clean), self._char.transform(clean)]
        if dense is not None and self._uses_embedding():
            blocks.append(dense * self.config.embedding_weight)
        return blocks

    def _features(self, clean: Sequence[str], dense: Optional[np.ndarray]) -> sparse.csr_matrix:
        """The feature rows, one matrix."""
        return sparse.hstack([sparse.csr_matrix(b) for b in self._blocks(clean, dense)], format="csr")

    def neighbour_proba(self, dense: np.ndarray) -> np.ndarray:
        """The nearest-neighbour probabilities: for each label the best cosine similarity
        of each embedding to the label's training examples, softmax over labels at
        ``knn_temperature`` (embeddings and training vectors are unit length)."""
        assert self._vectors is not None and self._starts is not None
        similarity = np.asarray(dense, dtype=np.float32) @ self._vectors.T
        scores = np.maximum.reduceat(similarity, self._starts, axis=1).astype(np.float64)
        scores /= max(self.config.knn_temperature, 1e-6)
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        return scores / scores.sum(axis=1, keepdims=True)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, one row per text, columns in the order of :attr:`labels` (:meth:`predict`)."""
        return self.predict(texts)[0]

    def predict(self, texts: Sequence[str]) -> Tuple[np.ndarray, Optional[np.ndarray]]:
        """Probabilities, one row per text, columns in the order of :attr:`labels`; and the
        sentence embeddings the model read (of each text with references masked, cut at
        :data:`MAX_CHARS`; None when it reads none), which the triage may reuse.

        The same numbers as the model's own ``predict_proba`` (multinomial: the softmax
        of the decision function), with the weights kept as one contiguous array:
        scikit-learn multiplies by ``coef_.T``, which scipy copies on every call
        (5 ms a message with our 40,000 features, a third of a turn's parse); then mixed
        with :meth:`neighbour_proba` by ``knn_weight`` when the model has training
        vectors (a model saved before the mix has none and is the regression alone).
        """
        if self._model is None:
            raise RuntimeError("the classifier is not trained")
        if not texts:
            return np.zeros((0, len(self.labels))), None
        if self._weights is None:
            self._weights = np.ascontiguousarray(self._model.coef_.T)
        texts = [self.typos().correct(with_question_mark(english_input(t))[:MAX_CHARS]) for t in texts]
        dense = self._dense(texts)
        scores = self._features([normalise(t) for t in texts], dense) @ self._weights
        scores = np.asarray(scores) + self._model.intercept_
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        probabilities = scores / scores.sum(axis=1, keepdims=True)
        if dense is None or self._vectors is None or not self._uses_neighbours():
            return probabilities, dense
        weight = self.config.knn_weight
        return (1.0 - weight) * probabilities + weight * self.neighbour_proba(dense), dense

    def typos(self) -> TypoCorrector:
        """The slip corrector for messages, towards the words of the training examples (the
        word TF-IDF's one-word terms, the more examples use one the lower its IDF); made once."""
        if self._typos is None:
            assert self._word is not None, "fit or load first"
            idf = self._word.idf_
            self._typos = TypoCorrector({term: -float(idf[column]) for term, column
                                         in self._word.vocabulary_.items() if " " not in term})
        return self._typos

    def state(self) -> Dict:
        return {"config": asdict(self.config), "labels": self.labels, "word": self._word,
                "char": self._char, "model": self._model, "vectors": self._vectors,
                "starts": self._starts}

    @classmethod
    def from_state(cls, state: Dict, embed: Optional[Embed]) -> "TextClassifier":
        config = state["config"]
        if state.get("vectors") is None:
            # saved before the nearest-neighbour mix (or without it): the regression alone
            config = {**config, "knn_weight": 0.0}
        return cls(config=ClassifierConfig.from_dict(config), embed=embed,
                   labels=list(state["labels"]), _word=state["word"], _char=state["char"],
                   _model=state["model"], _vectors=state.get("vectors"),
                   _starts=state.get("starts"))


@dataclass(frozen=True)
class EmbeddingConfig:
    """Hyper-parameters of :class:`EmbeddingClassifier` (chosen on the Arabic dev split).

    ``temperature`` divides the model's logits before the softmax: it calibrates the
    model's confidence to the one FallbackClassifier threshold the pipeline has, which
    was chosen for the English model (a temperature above 1 flattens the probabilities)."""

    C: float = 10.0
    temperature: float = 1.0
    max_iter: int = 3000
    # scale of the Arabic-letter TF-IDF blocks (word 1-2-grams, character 2-5-grams of
    # :func:`arabic_letters`) beside the embedding; 0: the embedding alone
    tfidf_weight: float = 0.0
    # subtracted from every ``out_of_scope`` logit before the temperature: the Arabic
    # route's prior against declining (the training data's off-topic rows are mostly English)
    out_of_scope_bias: float = 0.0

    @classmethod
    def from_dict(cls, values: Dict) -> "EmbeddingConfig":
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


_NOT_ARABIC_LETTER = re.compile(r"[^\u0621-\u064a\s]+")


def arabic_letters(text: str) -> str:
    """What the Arabic TF-IDF blocks see: the text in one spelling
    (:func:`clinic.language.normalise_arabic`: no diacritics or tatweel, one alef, ى -> ي,
    ة -> ه) with everything but Arabic letters dropped, so English training text gives
    an empty row and cannot pull an Arabic message by shared characters.

    >>> arabic_letters("هل الفراكشنال Laser مؤلمٌ؟")
    'هل الفراكشنال مولم'
    """
    from clinic.language import normalise_arabic

    return _SPACE.sub(" ", _NOT_ARABIC_LETTER.sub(" ", normalise_arabic(text[:MAX_CHARS]))).strip()


@dataclass
class EmbeddingClassifier:
    """Logistic regression over sentence embeddings (and, with ``tfidf_weight``, word and
    character TF-IDF of the Arabic letters); ``embed`` is not pickled."""

    config: EmbeddingConfig = field(default_factory=EmbeddingConfig)
    embed: Optional[Embed] = None
    labels: List[str] = field(default_factory=list)
    _model: Optional[LogisticRegression] = None
    _weights: Optional[np.ndarray] = field(default=None, repr=False)
    _word: Optional[TfidfVectorizer] = None
    _char: Optional[TfidfVectorizer] = None

    def fit(self, texts: Sequence[str], labels: Sequence[str],
            vectors: Optional[np.ndarray] = None,
            embed: Optional[Embed] = None) -> "EmbeddingClassifier":
        """Train on ``texts`` (or on their ready-made embeddings ``vectors``); ``embed``,
        when given, embeds them instead of :attr:`embed` (the training cache)."""
        if len(texts) != len(labels) or not texts:
            raise ValueError("fit needs as many labels as texts, and at least one")
        if vectors is None:
            vectors = self._embed(texts, embed or self.embed)
        dense = np.asarray(vectors, dtype=np.float64)
        self._word, self._char = None, None
        if self.config.tfidf_weight > 0:
            letters = [arabic_letters(t) for t in texts]
            seen = [t for t in letters if t] or ["ا"]  # the vocabulary: Arabic text only
            self._word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                         token_pattern=r"(?u)\b\w+\b").fit(seen)
            self._char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                         min_df=min(2, len(seen))).fit(seen)
            # LogisticRegression(C, max_iter, solver="lbfgs").fit(hstack(blocks), labels), faster
            self._model = logistic.fit(self._blocks(texts, dense, letters), list(labels), C=self.config.C,
                                       max_iter=self.config.max_iter)
        else:
            self._model = LogisticRegression(C=self.config.C, max_iter=self.config.max_iter,
                                             solver="lbfgs")
            self._model.fit(dense, list(labels))
        self._weights = None
        self.labels = [str(label) for label in self._model.classes_]
        return self

    def _blocks(self, texts: Sequence[str], dense: np.ndarray,
                letters: Optional[List[str]] = None) -> List[Union[sparse.csr_matrix, np.ndarray]]:
        """The feature blocks: the embeddings, then (with ``tfidf_weight``) the weighted word
        and character TF-IDF of the texts' Arabic letters (``letters``: already read by the caller)."""
        blocks: List[Union[sparse.csr_matrix, np.ndarray]] = [dense]
        if self._word is not None and self._char is not None:
            if letters is None:
                letters = [arabic_letters(t) for t in texts]
            weight = self.config.tfidf_weight
            blocks += [self._word.transform(letters) * weight, self._char.transform(letters) * weight]
        return blocks

    @staticmethod
    def encoder_inputs(texts: Sequence[str]) -> List[str]:
        """What the encoder is given for ``texts``: each cut at :data:`MAX_CHARS`."""
        return [t[:MAX_CHARS] for t in texts]

    def _embed(self, texts: Sequence[str], embed: Optional[Embed]) -> np.ndarray:
        if embed is None:
            raise RuntimeError("EmbeddingClassifier needs an encoder")
        return np.asarray(embed(self.encoder_inputs(texts)), dtype=np.float64)

    def predict_proba(self, texts: Sequence[str], vectors: Optional[np.ndarray] = None) -> np.ndarray:
        """Probabilities, one row per text, columns in the order of :attr:`labels`."""
        if self._model is None:
            raise RuntimeError("the classifier is not trained")
        if not len(texts):
            return np.zeros((0, len(self.labels)))
        if self._weights is None:
            self._weights = np.ascontiguousarray(self._model.coef_.T)
        x = self._embed(texts, self.embed) if vectors is None else np.asarray(vectors, dtype=np.float64)
        blocks = self._blocks(texts, x)
        features = blocks[0] if len(blocks) == 1 else sparse.hstack(
            [sparse.csr_matrix(b) for b in blocks], format="csr")
        scores = np.asarray(features @ self._weights) + self._model.intercept_
        if self.config.out_of_scope_bias:
            scores[:, self._out_of_scope_columns()] -= self.config.out_of_scope_bias
        scores /= max(self.config.temperature, 1e-6)
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        return scores / scores.sum(axis=1, keepdims=True)

    def _out_of_scope_columns(self) -> List[int]:
        """The columns of the ``out_of_scope`` labels (the intent or its keys)."""
        return [i for i, label in enumerate(self.labels) if split_label(label)[0] == "out_of_scope"]

    def state(self) -> Dict:
        return {"config": asdict(self.config), "labels": self.labels, "model": self._model,
                "word": self._word, "char": self._char}

    @classmethod
    def from_state(cls, state: Dict, embed: Optional[Embed]) -> "EmbeddingClassifier":
        # a model saved before the TF-IDF blocks has none: the embedding alone
        return cls(config=EmbeddingConfig.from_dict(state["config"]), embed=embed,
                   labels=list(state["labels"]), _model=state["model"],
                   _word=state.get("word"), _char=state.get("char"))


def align(probabilities: np.ndarray, labels: Sequence[str], to: Sequence[str]) -> np.ndarray:
    """The columns of ``probabilities`` (ordered as ``labels``) in the order of ``to``;
    a label the model does not know gets 0."""
    index = {label: i for i, label in enumerate(labels)}
    out = np.zeros((probabilities.shape[0], len(to)))
    for j, label in enumerate(to):
        if label in index:
            out[:, j] = probabilities[:, index[label]]
    return out


@dataclass(frozen=True)
class Ranking:
    """What one message's label probabilities mean to Rasa."""

    intents: List[Tuple[str, float]]               # likeliest first, retrieval keys summed
    keys: Dict[str, List[Tuple[str, float]]]       # retrieval intent -> its keys, P(key | intent)

    @property
    def top(self) -> Tuple[str, float]:
        return self.intents[0]


def _topic(key: str) -> str:
    """The contract key a refined FAQ key answers (``faq/aftercare_makeup`` -> ``faq/aftercare``)."""
    intent, _, name = key.partition("/")
    base = contract_faq_key(name) if intent == "faq" else None
    return f"{intent}/{base}" if base else key


def rank_intents(labels: Sequence[str], probabilities: Sequence[float]) -> Ranking:
    """Sum each retrieval intent's keys into the intent's confidence, and rank its keys.

    Keys are ranked topic first: the contract topic whose keys together are likeliest
    comes first, its own keys likeliest first, then the other keys. So a question
    spread over several aftercare keys is still answered about aftercare, not by a
    single other key that beats each of them alone.
    """
    intents: Dict[str, float] = {}
    keys: Dict[str, List[Tuple[str, float]]] = {}
    for label, p in zip(labels, probabilities, strict=True):
        intent, full = split_label(label)
        intents[intent] = intents.get(intent, 0.0) + float(p)
        if full is not None:
            keys.setdefault(intent, []).append((full, float(p)))
    for intent, ranked in keys.items():
        total = intents[intent] or 1.0
        topics: Dict[str, float] = {}
        for key, p in ranked:
            topics[_topic(key)] = topics.get(_topic(key), 0.0) + p
        best = max(topics, key=lambda t: topics[t])
        keys[intent] = sorted(((k, p / total) for k, p in ranked),
                              key=lambda kp: (_topic(kp[0]) != best, -kp[1]))
    return Ranking(intents=sorted(intents.items(), key=lambda ip: -ip[1]), keys=keys)
