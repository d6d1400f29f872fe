"""An on-disk cache of the sentence embeddings of training examples.

A training embeds every example with both encoders (all-MiniLM-L6-v2 for the English
model, multilingual-e5-small for the Arabic one), and that is most of its time. The
held-out check (``scripts/nlu_holdout.py``) trains again on 80 % of the same examples, and
a retraining after a data edit on nearly all of them: with this cache they run the
encoders only on the texts no earlier training embedded.

An entry is keyed by the encoder (:func:`fingerprint` of everything that decides its
vectors: weights, tokenizer, engine and our code that runs them) and by the exact text
the encoder was given (its SHA-256), so a changed text, changed weights or changed code
misses. Only training reads and writes it (``ClinicIntentClassifier.train``): messages
the assistant serves never reach it, so it holds the examples in ``data/`` and nothing
a patient wrote.

Where: ``$CLINIC_EMBEDDING_CACHE`` if set (``off`` turns the cache off), else
``.cache/embeddings`` in the project (git-ignored). One directory per encoder
fingerprint, holding shards ``<name>.npz`` (``keys``: one SHA-256 digest per row,
``vectors``: float32). A training that embedded new texts adds one shard with only
those, written under a temporary name and renamed, so two trainings at once never read
half a file; past :data:`MAX_SHARDS` they are merged into one. ``make clean`` removes it.
"""
from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Union

import numpy as np

logger = logging.getLogger(__name__)

Embed = Callable[[Sequence[str]], np.ndarray]

ENV = "CLINIC_EMBEDDING_CACHE"
OFF = "off"
DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / ".cache" / "embeddings"  # the project's
MAX_SHARDS = 16
_DIGEST = 32  # bytes of a SHA-256 digest


def fingerprint(files: Iterable[Union[str, Path]]) -> str:
    """A hash of the names and contents of ``files`` (directories: every file under them
    but ``__pycache__``), in a fixed order: the identity of an encoder."""
    digest = hashlib.sha256()
    paths: List[Path] = []
    for entry in map(Path, files):
        if entry.is_dir():
            paths.extend(sorted(p for p in entry.rglob("*") if p.is_file() and "__pycache__" not in p.parts))
        else:
            paths.append(entry)
    for path in paths:
        digest.update(path.name.encode("utf-8") + b"\0")
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def text_key(text: str) -> bytes:
    """The key of one text: its SHA-256 (``surrogatepass``: every ``str`` has one)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def directory_from_env(env: Optional[Dict[str, str]] = None) -> Optional[Path]:
    """The cache directory :data:`ENV` names (None: the cache is off)."""
    value = (os.environ if env is None else env).get(ENV, "").strip()
    if value.lower() == OFF:
        return None
    return Path(value) if value else DEFAULT_DIRECTORY


class EmbeddingCache:
    """The stored vectors of one encoder (``encoder``: its :func:`fingerprint`)."""

    def __init__(self, directory: Union[str, Path], encoder: str) -> None:
        self.directory = Path(directory) / encoder

    @classmethod
    def for_training(cls, encoder: str) -> Optional["EmbeddingCache"]:
        """The cache in :func:`directory_from_env` (None when it is off)."""
        directory = directory_from_env()
        return cls(directory, encoder) if directory is not None else None

    def _shards(self) -> List[Path]:
        return sorted(self.directory.glob("*.npz")) if self.directory.is_dir() else []

    def load(self) -> Dict[bytes, np.ndarray]:
        """Every stored vector by text key (an unreadable shard is skipped: it only misses)."""
        stored: Dict[bytes, np.ndarray] = {}
        for shard in self._shards():
            try:
                with np.load(shard) as data:
                    keys, vectors = data["keys"], data["vectors"]
            except (OSError, ValueError, KeyError) as error:
                logger.warning("embedding cache: skipping %s (%s)", shard.name, error)
                continue
            if keys.ndim != 2 or keys.shape[1] != _DIGEST or len(keys) != len(vectors):
                logger.warning("embedding cache: skipping %s (malformed)", shard.name)
                continue
            for key, vector in zip(keys, vectors, strict=True):
                stored[key.tobytes()] = vector
        return stored

    def _write(self, keys: Sequence[bytes], vectors: np.ndarray) -> Path:
        """One new shard, written whole under a temporary name then renamed."""
        self.directory.mkdir(parents=True, exist_ok=True)
        array = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), _DIGEST)
        name = hashlib.sha256(array.tobytes()).hexdigest()[:16]
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as f:
                np.savez(f, keys=array, vectors=np.asarray(vectors, dtype=np.float32))
            target = self.directory / f"{name}.npz"
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return target

    def _compact(self, stored: Dict[bytes, np.ndarray]) -> None:
        """Merge every shard into one (what ``stored`` holds: the shards read, plus the new)."""
        shards = self._shards()
        merged = self._write(list(stored), np.stack(list(stored.values())))
        for shard in shards:
            if shard != merged:
                shard.unlink(missing_ok=True)

    def encode(self, texts: Sequence[str], embed: Embed) -> np.ndarray:
        """``embed(texts)``, with the vectors of texts embedded before read from the cache:
        ``embed`` runs once, on the texts it holds no vector for, and those are stored."""
        texts = list(texts)
        if not texts:
            return np.asarray(embed([]), dtype=np.float32)
        stored = self.load()
        keys = [text_key(t) for t in texts]
        missing: Dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in stored:
                missing.setdefault(key, text)
        if missing:
            fresh = np.asarray(embed(list(missing.values())), dtype=np.float32)
            stored.update(zip(missing, fresh, strict=True))
            try:
                if len(self._shards()) >= MAX_SHARDS:
                    self._compact(stored)
                else:
                    self._write(list(missing), fresh)
            except OSError as error:  # a cache that cannot be written only costs time
                logger.warning("embedding cache: not stored (%s)", error)
        logger.info("embedding cache %s: %d of %d texts embedded, the rest read",
                    self.directory.name, len(missing), len(texts))
        return np.stack([stored[key] for key in keys])

    def wrap(self, embed: Embed) -> Embed:
        """``embed`` through this cache (for training texts only)."""
        return lambda texts: self.encode(texts, embed)


def cached(embed: Embed, encoder: Callable[[], str]) -> Embed:
    """``embed`` through the training cache of the encoder ``encoder()`` names (computed on
    first use), or ``embed`` itself when the cache is off."""
    directory = directory_from_env()
    if directory is None:
        return embed

    def through_cache(texts: Sequence[str]) -> np.ndarray:
        return EmbeddingCache(directory, encoder()).encode(texts, embed)

    return through_cache
