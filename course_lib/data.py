"""Data sets: small seeded toy problems and the real 8×8 handwritten digits, columns as examples."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

# The test set of the UCI "Optical Recognition of Handwritten Digits" data (E. Alpaydin and C. Kaynak, 1998,
# CC BY 4.0, https://doi.org/10.24432/C50P49), byte for byte the copy scikit-learn ships: 1,797 rows of 64 pixel
# counts 0…16 and the label, comma-separated.
DIGITS_FILE = Path(__file__).with_name("digits.csv.gz")


class Split(NamedTuple):
    """A train/test split: inputs ``(n_features, n)`` and integer labels ``(n,)``."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def xor() -> tuple[np.ndarray, np.ndarray]:
    """The four XOR points as columns ``(2, 4)`` and their labels ``(4,)``: not linearly separable."""
    X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    return X, np.array([0, 1, 1, 0])


def two_moons(n: int = 200, *, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles, ``n`` points in all: ``X`` ``(2, n)``, labels ``(n,)``."""
    if n < 2:
        raise ValueError(f"n must be at least 2; got {n}")
    rng = np.random.default_rng(seed)
    n0 = n // 2
    t0, t1 = np.pi * rng.random(n0), np.pi * rng.random(n - n0)
    upper = np.stack([np.cos(t0), np.sin(t0)])
    lower = np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.concatenate([upper, lower], axis=1) + noise * rng.standard_normal((2, n))
    return X, np.concatenate([np.zeros(n0, dtype=int), np.ones(n - n0, dtype=int)])


def spirals(n_per_class: int = 100, *, classes: int = 3, noise: float = 0.2,
            seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms in the plane: ``X`` ``(2, n)``, labels ``(n,)``."""
    rng = np.random.default_rng(seed)
    r = np.tile(np.linspace(0.05, 1.0, n_per_class), classes)
    labels = np.repeat(np.arange(classes), n_per_class)
    angle = labels * 2 * np.pi / classes + 4 * r + noise * rng.standard_normal(r.size)
    return np.stack([r * np.sin(angle), r * np.cos(angle)]), labels


def load_digits(*, test_fraction: float = 0.25, seed: int = 0) -> Split:
    """The 1,797 8×8 handwritten digits shipped with course_lib (``DIGITS_FILE``, no download), split per class.

    Pixels are scaled from 0…16 to 0…1; each image is a column of 64. The split is stratified and
    fixed by ``seed``: the same call returns the same arrays on every machine.
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1; got {test_fraction}")
    table = np.loadtxt(DIGITS_FILE, delimiter=",", dtype=np.int64)
    X, y = table[:, :-1].T / 16.0, table[:, -1]
    rng = np.random.default_rng(seed)
    test = np.zeros(y.size, dtype=bool)
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        test[members[: round(test_fraction * members.size)]] = True
    return Split(X[:, ~test], y[~test], X[:, test], y[test])
