"""The logistic regression over feature blocks is scikit-learn's, to rounding."""
import numpy as np
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from clinic.nlu import logistic


def problem(n=160, classes=6, seed=0):
    """Two sparse blocks (as the word and character TF-IDF) and a dense one (as the embedding)."""
    rng = np.random.default_rng(seed)
    words = sparse.random(n, 120, density=0.04, random_state=seed, format="csr")
    chars = sparse.random(n, 300, density=0.05, random_state=seed + 1, format="csr")
    dense = rng.normal(size=(n, 16))
    labels = [f"label_{int(k)}" for k in rng.integers(0, classes, size=n)]
    return [words, chars, dense], labels


def stacked(blocks):
    return sparse.hstack([sparse.csr_matrix(b) for b in blocks], format="csr")


@pytest.mark.parametrize("classes", [2, 3, 7])
def test_the_same_model_as_scikit_learn(classes):
    blocks, labels = problem(classes=classes)
    expected = LogisticRegression(C=10.0, max_iter=2000, solver="lbfgs").fit(stacked(blocks), labels)
    fitted = logistic.fit(blocks, labels, C=10.0, max_iter=2000)
    assert list(fitted.classes_) == list(expected.classes_)
    assert fitted.n_iter_.tolist() == expected.n_iter_.tolist()
    assert fitted.coef_.shape == expected.coef_.shape
    assert np.allclose(fitted.coef_, expected.coef_, rtol=0, atol=1e-8)
    assert np.allclose(fitted.intercept_, expected.intercept_, rtol=0, atol=1e-8)
    X = stacked(blocks)
    assert np.allclose(fitted.predict_proba(X), expected.predict_proba(X), rtol=0, atol=1e-10)
    assert (fitted.predict(X) == expected.predict(X)).all()


def test_without_a_dense_block_it_is_scikit_learns_own_fit():
    blocks, labels = problem()
    expected = LogisticRegression(C=10.0, max_iter=2000, solver="lbfgs").fit(stacked(blocks[:2]), labels)
    fitted = logistic.fit(blocks[:2], labels, C=10.0, max_iter=2000)
    assert np.array_equal(fitted.coef_, expected.coef_) and np.array_equal(fitted.intercept_, expected.intercept_)


def test_an_iteration_cap_is_scikit_learns_too():
    blocks, labels = problem()
    with pytest.warns(Warning):
        expected = LogisticRegression(C=10.0, max_iter=5, solver="lbfgs").fit(stacked(blocks), labels)
    with pytest.warns(Warning):
        fitted = logistic.fit(blocks, labels, C=10.0, max_iter=5)
    assert fitted.n_iter_.tolist() == expected.n_iter_.tolist() == [5]
    assert np.allclose(fitted.coef_, expected.coef_, rtol=0, atol=1e-10)


def test_the_blocks_multiply_as_the_stacked_matrix():
    blocks, _ = problem(n=50)
    X = logistic.Blocks(blocks)
    whole = stacked(blocks)
    assert X.shape == whole.shape
    assert np.allclose(X.toarray(), whole.toarray())
    right = np.random.default_rng(1).normal(size=(X.shape[1], 4))
    left = np.random.default_rng(2).normal(size=(3, X.shape[0]))
    assert np.allclose(X @ right, whole @ right)
    assert np.allclose(left @ X, left @ whole)


def test_blocks_must_have_the_same_rows_and_labels_one_per_row():
    blocks, labels = problem(n=20)
    with pytest.raises(ValueError):
        logistic.Blocks([blocks[0], blocks[2][:10]])
    with pytest.raises(ValueError):
        logistic.fit(blocks, labels[:-1], C=1.0, max_iter=10)
