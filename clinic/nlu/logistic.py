"""Multinomial logistic regression over side-by-side feature blocks, fitted as scikit-learn fits it.

:func:`fit` returns the same model as
``LogisticRegression(C=C, max_iter=max_iter, solver="lbfgs").fit(hstack(blocks), labels)``
(scikit-learn 1.1, pinned in requirements.txt): the same loss (scikit-learn's own
``LinearModelLoss`` with ``HalfMultinomialLoss``: the intercept unpenalised), the same
start (zeros), the same optimiser and settings (scipy's L-BFGS-B, ``gtol=tol``,
``maxiter=max_iter``), and a fitted ``LogisticRegression`` at the end, so what is
pickled, loaded and predicted is unchanged.

What differs is how the two products of each step are computed. scikit-learn stacks the
blocks into one sparse matrix, so the dense sentence-embedding block (384 values in every
row, most of the matrix's entries) goes through scipy's sparse products, one thread,
one entry at a time. Here each block keeps its own form: the sparse TF-IDF blocks through
scipy, the dense one through BLAS. On the clinic's ~9,000 English examples (48,000
features, 58 labels) one loss-and-gradient step went from 400 to 230 ms of CPU and the
whole fit from 133 to 114 s (146 L-BFGS-B iterations, against 145: most of what remains is
L-BFGS-B's own work on 2.8 million coefficients, 2026-12-05, busy machine). The sums run in
another order, so the coefficients agree with scikit-learn's to rounding, not bit for bit
(``tests/clinic/nlu/test_logistic.py`` holds them to it).
"""
from __future__ import annotations

from typing import List, Sequence, Tuple, Union

import numpy as np
from scipy import optimize, sparse
from sklearn._loss.loss import HalfMultinomialLoss
from sklearn.linear_model import LogisticRegression
from sklearn.linear_model._linear_loss import LinearModelLoss
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.optimize import _check_optimize_result

Block = Union[np.ndarray, sparse.spmatrix]


class Blocks:
    """Feature blocks side by side, as ``hstack(blocks)`` would be, for the two products
    an L-BFGS step takes: ``X @ W`` and ``G @ X``."""

    __array_ufunc__ = None  # ``ndarray @ Blocks`` is Blocks.__rmatmul__, not numpy's matmul

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks: List[Block] = [
            sparse.csr_matrix(b, dtype=np.float64) if sparse.issparse(b)
            else np.ascontiguousarray(b, dtype=np.float64) for b in blocks]
        rows = {b.shape[0] for b in self.blocks}
        if len(rows) != 1:
            raise ValueError(f"blocks of different row counts: {sorted(rows)}")
        widths = [b.shape[1] for b in self.blocks]
        self._bounds = np.cumsum([0, *widths])
        self.shape: Tuple[int, int] = (rows.pop(), int(self._bounds[-1]))

    def __matmul__(self, weights: np.ndarray) -> np.ndarray:
        out = np.zeros((self.shape[0], weights.shape[1]))
        for block, start, stop in zip(self.blocks, self._bounds[:-1], self._bounds[1:], strict=True):
            out += block @ weights[start:stop]
        return out

    def __rmatmul__(self, left: np.ndarray) -> np.ndarray:
        return np.hstack([np.asarray(left @ block) for block in self.blocks])

    def toarray(self) -> np.ndarray:
        """The whole matrix, dense (for tests)."""
        return np.hstack([b.toarray() if isinstance(b, sparse.spmatrix) else b for b in self.blocks])


def fit(blocks: Sequence[Block], labels: Sequence[str], C: float, max_iter: int,
        tol: float = 1e-4) -> LogisticRegression:
    """``LogisticRegression(C=C, max_iter=max_iter, tol=tol, solver="lbfgs")`` fitted on
    ``hstack(blocks)`` and ``labels`` (two labels, or no dense block: scikit-learn's own fit)."""
    X = Blocks(blocks)
    encoder = LabelEncoder()
    target = encoder.fit_transform(list(labels)).astype(np.float64)
    classes = encoder.classes_
    if len(target) != X.shape[0]:
        raise ValueError(f"{len(target)} labels for {X.shape[0]} rows")
    if len(classes) < 3 or all(sparse.issparse(b) for b in X.blocks):
        # two labels (binomial), or nothing dense to gain on (the TF-IDF baseline: its fit
        # took 168 s of CPU by blocks against 160 s whole): scikit-learn's own fit
        return LogisticRegression(C=C, max_iter=max_iter, tol=tol, solver="lbfgs").fit(
            sparse.hstack(X.blocks, format="csr"), list(labels))
    n_features = X.shape[1]
    loss = LinearModelLoss(base_loss=HalfMultinomialLoss(n_classes=len(classes)), fit_intercept=True)
    w0 = np.zeros((len(classes), n_features + 1), order="F").ravel(order="F")
    result = optimize.minimize(
        loss.loss_gradient, w0, method="L-BFGS-B", jac=True,
        args=(X, target, np.ones(len(target)), 1.0 / C, 1),
        options={"iprint": -1, "gtol": tol, "maxiter": max_iter})
    iterations = _check_optimize_result("lbfgs", result, max_iter)
    coef = np.reshape(result.x, (len(classes), -1), order="F")
    model = LogisticRegression(C=C, max_iter=max_iter, tol=tol, solver="lbfgs")
    model.classes_ = classes
    model.coef_ = coef[:, :-1].copy()
    model.intercept_ = coef[:, -1].copy()
    model.n_iter_ = np.asarray([iterations], dtype=np.int32)
    model.n_features_in_ = n_features
    return model
