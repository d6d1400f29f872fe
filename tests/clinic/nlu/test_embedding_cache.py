"""The training cache of sentence embeddings: a hit gives the stored vector, and a changed
text, changed weights or changed code miss."""
import numpy as np
import pytest

from clinic.nlu import embedding_cache
from clinic.nlu.embedding_cache import EmbeddingCache, cached, fingerprint


class CountingEncoder:
    """A stand-in encoder that records what it was asked to embed."""

    def __init__(self, offset=0.0):
        self.calls = []
        self.offset = offset

    def __call__(self, texts):
        self.calls.append(list(texts))
        rows = [[len(t), sum(map(ord, t)) % 97, self.offset] for t in texts]
        return np.array(rows, dtype=np.float32).reshape(len(rows), 3)


def test_a_second_training_reads_what_the_first_embedded(tmp_path):
    encoder = CountingEncoder()
    first = EmbeddingCache(tmp_path, "enc").encode(["hello", "how much", "hello"], encoder)
    second = EmbeddingCache(tmp_path, "enc").encode(["how much", "hello"], encoder)
    assert encoder.calls == [["hello", "how much"]]  # once, each text once
    assert np.array_equal(second, first[[1, 0]])
    assert second.dtype == np.float32


def test_a_changed_text_misses(tmp_path):
    encoder = CountingEncoder()
    EmbeddingCache(tmp_path, "enc").encode(["how much is it"], encoder)
    vectors = EmbeddingCache(tmp_path, "enc").encode(["how much is it", "how much is it?", "How much is it"],
                                                     encoder)
    assert encoder.calls[1] == ["how much is it?", "How much is it"]
    assert np.array_equal(vectors, encoder(["how much is it", "how much is it?", "How much is it"]))


def test_another_encoder_misses(tmp_path):
    old, new = CountingEncoder(0.0), CountingEncoder(1.0)
    EmbeddingCache(tmp_path, "weights-a").encode(["hello"], old)
    vectors = EmbeddingCache(tmp_path, "weights-b").encode(["hello"], new)
    assert new.calls == [["hello"]]
    assert vectors[0, 2] == 1.0


def test_the_fingerprint_changes_with_any_byte_or_file_name(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "weights.bin").write_bytes(b"\x00\x01\x02")
    (model / "tokenizer.json").write_text("{}")
    code = tmp_path / "encoder.py"
    code.write_text("x = 1\n")
    before = fingerprint([model, code])
    assert fingerprint([model, code]) == before
    (model / "weights.bin").write_bytes(b"\x00\x01\x03")
    changed_weights = fingerprint([model, code])
    code.write_text("x = 2\n")
    changed_code = fingerprint([model, code])
    (model / "tokenizer.json").rename(model / "tokenizer2.json")
    renamed = fingerprint([model, code])
    assert len({before, changed_weights, changed_code, renamed}) == 4


def test_the_real_encoders_fingerprints_cover_their_weights_and_code(monkeypatch):
    from clinic.nlu import encoder, multilingual

    seen = {}
    monkeypatch.setattr(embedding_cache, "fingerprint", lambda files: seen.setdefault("files", list(files)) and "x")
    minilm = encoder.SentenceEncoder.__new__(encoder.SentenceEncoder)
    minilm.model_dir, minilm._fingerprint = encoder.package_model_dir(), None
    assert minilm.fingerprint() == "minilm-x"
    assert seen.pop("files") == [encoder.package_model_dir(), encoder.Path(encoder.__file__)]
    e5 = multilingual.MultilingualEncoder.__new__(multilingual.MultilingualEncoder)
    e5._fingerprint = None
    assert e5.fingerprint() == "e5-x"
    assert seen.pop("files") == [multilingual.package_dir(), multilingual.Path(multilingual.__file__)]


def test_a_broken_shard_is_skipped_and_new_shards_are_merged(tmp_path, monkeypatch):
    encoder = CountingEncoder()
    cache = EmbeddingCache(tmp_path, "enc")
    cache.encode(["a"], encoder)
    (cache.directory / "broken.npz").write_bytes(b"not a zip file")
    assert np.array_equal(cache.encode(["a"], encoder), encoder(["a"]))
    assert len(encoder.calls) == 2  # "a" was read, not embedded again
    monkeypatch.setattr(embedding_cache, "MAX_SHARDS", 3)
    for text in ["b", "c", "d", "e"]:
        cache.encode([text], encoder)
    assert len(list(cache.directory.glob("*.npz"))) <= 3
    assert not list(cache.directory.glob(".*.tmp"))
    calls = len(encoder.calls)
    assert np.array_equal(cache.encode(list("abcde"), encoder), encoder(list("abcde")))
    assert len(encoder.calls) == calls + 1  # all five read from the merged shard


def test_the_environment_chooses_the_directory_or_turns_it_off(tmp_path, monkeypatch):
    encoder = CountingEncoder()
    monkeypatch.setenv(embedding_cache.ENV, "off")
    assert cached(encoder, lambda: pytest.fail("no fingerprint needed when off")) is encoder
    monkeypatch.setenv(embedding_cache.ENV, str(tmp_path / "here"))
    through_cache = cached(encoder, lambda: "enc")
    through_cache(["hello"])
    through_cache(["hello"])
    assert encoder.calls == [["hello"]]
    assert list((tmp_path / "here" / "enc").glob("*.npz"))
    monkeypatch.delenv(embedding_cache.ENV)
    assert embedding_cache.directory_from_env() == embedding_cache.DEFAULT_DIRECTORY


def test_nothing_to_embed(tmp_path):
    encoder = CountingEncoder()
    assert EmbeddingCache(tmp_path, "enc").encode([], encoder).shape == (0, 3)
    assert not (tmp_path / "enc").exists()
