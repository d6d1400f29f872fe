"""The numpy sentence encoder gives all-MiniLM-L6-v2's sentence-transformers embeddings.

tests/fixtures/minilm_reference.json was made by sentence-transformers (PyTorch) from
the same package files, in a separate venv (scripts/reference_embeddings.py).
"""
import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from clinic.nlu.encoder import _CHUNK, MAX_PADDING, SentenceEncoder, _double_gelu_, package_model_dir

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = ROOT / "tests" / "fixtures" / "minilm_reference.json"
# SHA-256 of model.safetensors in sentence-transformers/all-MiniLM-L6-v2 (its Git LFS oid
# upstream, as pinned by other public projects; THIRD_PARTY_NOTICES.md)
UPSTREAM_WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder.load()


@pytest.fixture(scope="module")
def reference() -> dict:
    with open(REFERENCE, encoding="utf-8") as f:
        return json.load(f)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def test_the_weights_are_the_upstream_checkpoint(encoder, reference):
    assert encoder.weights_file.parent == package_model_dir()
    digest = _sha256(encoder.weights_file)
    assert digest == UPSTREAM_WEIGHTS_SHA256
    assert digest == reference["model_safetensors_sha256"]  # what the fixture was made from


def test_shape_of_the_model(encoder, reference):
    assert encoder.dim == 384
    assert encoder.max_seq_length == reference["max_seq_length"] == 256
    assert SentenceEncoder.load() is encoder  # loaded once, shared


def test_word_pieces_match_the_reference_tokenizer(encoder, reference):
    texts = [item["text"] for item in reference["items"]]
    assert encoder.tokenize(texts) == [item["input_ids"] for item in reference["items"]]


def test_embeddings_match_sentence_transformers(encoder, reference):
    texts = [item["text"] for item in reference["items"]]
    expected = np.array([item["embedding"] for item in reference["items"]], dtype=np.float64)
    for got in (encoder.encode(texts), np.stack([encoder.encode([t])[0] for t in texts])):
        got = got.astype(np.float64)
        cosine = (got * expected).sum(axis=1) / (
            np.linalg.norm(got, axis=1) * np.linalg.norm(expected, axis=1))
        worst = np.abs(got - expected).max(axis=1)
        for text, c, diff in zip(texts, cosine, worst, strict=True):
            assert c >= 0.9999, (text[:40], c)
            assert diff < 1e-5, (text[:40], diff)  # measured: 3e-7


def test_output_is_float32_unit_length(encoder, reference):
    texts = [item["text"] for item in reference["items"]]
    vectors = encoder.encode(texts)
    assert vectors.dtype == np.float32 and vectors.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert encoder.encode([]).shape == (0, 384)


def test_batch_and_single_encoding_agree(encoder, reference):
    texts = [item["text"] for item in reference["items"]]
    texts += ["ok", "ok", "how much is it", "  how much is it  ", "x " * 40, "🙏", ""]
    texts = texts * 5  # more than one batch, lengths interleaved
    batch = encoder.encode(texts)
    single = {text: encoder.encode([text])[0] for text in dict.fromkeys(texts)}  # each text once
    for text, vector in zip(texts, batch, strict=True):
        assert np.abs(single[text] - vector).max() < 1e-6, text[:40]


def test_deterministic(encoder, reference):
    texts = [item["text"] for item in reference["items"]]
    assert np.array_equal(encoder.encode(texts), encoder.encode(texts))
    assert np.array_equal(encoder.encode(texts[:1]), encoder.encode(texts[:1]))


def test_empty_text_is_cls_sep(encoder, reference):
    assert encoder.tokenize(["", "  \n\t "]) == [[101, 102], [101, 102]]
    empty = next(item for item in reference["items"] if item["text"] == "")
    vectors = encoder.encode(["", "  \n\t "])
    assert np.array_equal(vectors[0], vectors[1])
    assert np.abs(vectors[0] - np.array(empty["embedding"])).max() < 1e-5


def test_long_texts_are_cut_at_256_word_pieces(encoder, reference):
    long = max((item["text"] for item in reference["items"]), key=len)
    assert len(encoder.tokenize([long])[0]) == 256
    # what comes after the cut changes nothing
    longer = long + " and then a whole different story about cats" * 20
    assert np.abs(encoder.encode([long]) - encoder.encode([longer])).max() < 1e-6


def test_odd_input_gives_finite_unit_vectors(encoder):
    texts = ["\x00", "$" * 20000, "x\ud800y", "🙏" * 300, "a\u200bb", "\ufeff", "日本語のテキスト"]
    vectors = encoder.encode(texts)
    assert np.isfinite(vectors).all()
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    with pytest.raises(TypeError):
        encoder.encode("one string, not a list")


def test_gelu_is_the_erf_gelu():
    x = np.linspace(-12, 12, 2 * _CHUNK + 1001).astype(np.float32)  # several chunks
    h = x.reshape(-1, 1).copy()
    _double_gelu_(h, np.empty((3, _CHUNK), dtype=np.float32))
    exact = np.array([v * (1 + math.erf(v / math.sqrt(2))) for v in x.astype(np.float64)])
    # float32 resolution: a few units in the last place of max(|x|, 1)
    assert (np.abs(h[:, 0] - exact) <= 4 * 2.0 ** -23 * np.maximum(np.abs(x), 1)).all()


def test_weights_stay_float32(encoder):
    arrays = [encoder._word, encoder._position] + [w for layer in encoder._layers
                                                   for w in (layer.qkv, layer.up, layer.down)]
    assert all(a.dtype == np.float32 for a in arrays)


def test_no_framework_and_no_network_code_is_loaded():
    code = (
        "import sys\n"
        "from clinic.nlu.encoder import SentenceEncoder\n"
        "SentenceEncoder.load().encode(['hello there'])\n"
        "banned = {'torch', 'transformers', 'sentence_transformers', 'rasa', 'tensorflow',\n"
        "          'huggingface_hub', 'requests', 'httpx', 'urllib3'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in banned))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_a_long_text_is_not_padded_into_a_batch_of_short_ones(encoder, monkeypatch):
    # a message and its short parts (addons/nlu/intent_classifier.py reads them in one call):
    # padding the parts to the message's length cost more than a second batch
    batches = []
    embed = encoder._embed
    monkeypatch.setattr(encoder, "_embed", lambda batch: batches.append([len(b) for b in batch]) or embed(batch))
    long = "I have a lot of scars. It is embarrassing when people ask about them. Is there anything I can do?"
    vectors = encoder.encode([long, "does it hurt", "how much is it", "can i come saturday"])
    assert len(batches) == 2 and max(batches[0]) < min(batches[1])
    assert all(len(lens) * max(lens) <= MAX_PADDING * sum(lens) for lens in batches)
    assert np.allclose(vectors[0], encoder.encode([long])[0], atol=1e-5)
