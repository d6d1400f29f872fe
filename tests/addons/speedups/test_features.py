"""Features combined in one step are Rasa's combined features; a message remembers them."""
import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from addons.speedups import features as module

RNG = np.random.default_rng(7)


def sparse(rows, cols, dtype=np.float64):
    return scipy.sparse.random(rows, cols, density=0.3, format="coo", random_state=RNG, dtype=dtype)


def rasa_combine(features, featurizers):
    return module._originals["_combine_features"].__func__(features, featurizers)


def assert_same(ours, theirs):
    assert (ours is None) == (theirs is None)
    if ours is None:
        return
    assert (ours.type, ours.attribute, ours.origin) == (theirs.type, theirs.attribute, theirs.origin)
    assert type(ours.features) is type(theirs.features)
    assert ours.features.shape == theirs.features.shape and ours.features.dtype == theirs.features.dtype
    if scipy.sparse.issparse(ours.features):
        for part in ("row", "col", "data"):
            np.testing.assert_array_equal(getattr(ours.features, part), getattr(theirs.features, part))
    else:
        np.testing.assert_array_equal(ours.features, theirs.features)


@pytest.mark.parametrize("build", [
    lambda: [],
    lambda: [Features(sparse(5, 7), "sequence", TEXT, "a")],
    lambda: [Features(sparse(5, 7), "sequence", TEXT, "a"), Features(sparse(5, 3), "sequence", TEXT, "b"),
             Features(sparse(5, 11, np.float32), "sequence", TEXT, "c")],
    lambda: [Features(sparse(1, 40), "sentence", TEXT, "a"), Features(sparse(1, 9), "sentence", TEXT, "b")],
    lambda: [Features(RNG.random((5, 4)), "sequence", TEXT, "a"), Features(RNG.random((5, 6)), "sequence", TEXT, "b")],
    lambda: [Features(RNG.random((1, 300)), "sentence", TEXT, "spacy")],
])
def test_combined_like_rasa(build):
    originals = build()
    theirs = rasa_combine(originals, ["x", "y"])
    ours = module.combine_features(originals, ["x", "y"])
    assert_same(ours, theirs)
    if originals:
        assert ours.features is not originals[0].features  # never the featurizer's own matrix


@pytest.mark.parametrize("build", [
    lambda: [Features(sparse(5, 7), "sequence", TEXT, "a"), Features(sparse(4, 3), "sequence", TEXT, "b")],
    lambda: [Features(RNG.random((5, 4)), "sequence", TEXT, "a"), Features(RNG.random((4,)), "sequence", TEXT, "b")],
])
def test_mismatched_features_are_refused_like_rasa_does(build):
    originals = build()
    with pytest.raises(ValueError) as theirs:
        rasa_combine(originals, [])
    with pytest.raises(ValueError) as ours:
        module.combine_features(originals, [])
    assert str(ours.value) == str(theirs.value)


def test_a_message_remembers_its_combined_features_until_they_change():
    module.install()
    try:
        message = Message(data={TEXT: "hello there"})
        message.add_features(Features(sparse(2, 7), "sequence", TEXT, "a"))
        message.add_features(Features(sparse(2, 5), "sequence", TEXT, "b"))
        first = message.get_sparse_features(TEXT, [])
        assert message.get_sparse_features(TEXT, []) is first
        assert message.get_sparse_features(TEXT, ["a"]) is not first
        message.add_features(Features(sparse(2, 3), "sequence", TEXT, "c"))
        third = message.get_sparse_features(TEXT, [])
        assert third[0].features.shape == (2, 15)
        module.uninstall()
        assert_same(third[0], message.get_sparse_features(TEXT, [])[0])
    finally:
        module.uninstall()
