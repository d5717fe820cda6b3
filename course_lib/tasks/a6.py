r"""Data of assignment a6: the training digits (never the test digits), sorted samples for a validation split,
and arrays for a momentum step.

The visible checks of the classifier train on :func:`fit_part`, the training digits of split 0 without a
validation part; the grader scores the network on that validation part and, in the hidden checks, on the
held-out test digits, both in :mod:`course_lib.marking.a6`.
"""

from __future__ import annotations

import numpy as np

from ..data import load_digits

#: The fraction of the training digits the visible checks keep apart for validation, and the seed of that draw.
VALIDATION_FRACTION, VALIDATION_SEED = 0.2, 0
#: The digits split of the visible checks (the hidden ones use splits 1 to 3).
VISIBLE_SPLIT = 0


def validation_mask(y: np.ndarray, fraction: float, seed: int) -> np.ndarray:
    """Which examples form a stratified validation part: round(fraction × count) of every class, drawn at random."""
    rng = np.random.default_rng(seed)
    mask = np.zeros(y.size, dtype=bool)
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        mask[rng.choice(members, size=round(fraction * members.size), replace=False)] = True
    return mask


def training_digits(split: int) -> tuple[np.ndarray, np.ndarray]:
    """The training part of the digits' split ``split``: pixels ``(64, n)`` and labels ``(n,)``; no test digits."""
    digits = load_digits(seed=split)
    return digits.X_train, digits.y_train


def fit_part(split: int) -> tuple[np.ndarray, np.ndarray]:
    """The training digits of ``split`` without their validation part (what the visible checks train on)."""
    X, y = training_digits(split)
    keep = ~validation_mask(y, VALIDATION_FRACTION, VALIDATION_SEED)
    return X[:, keep], y[keep]


def sorted_sample(seed: int, per_class: list[int], d: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Random columns ``X (d, n)`` and labels ``y (n,)`` sorted by class, ``per_class[c]`` of class ``c``.

    Sorted labels make a split that takes the first or last columns visibly unstratified; every column is
    distinct, so the judge can tell where each returned column came from.
    """
    y = np.repeat(np.arange(len(per_class)), per_class)
    return np.random.default_rng(seed).normal(size=(d, y.size)), y


def momentum_example(seed: int, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A parameter, its gradient and a velocity, all of ``shape``."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape), rng.normal(size=shape), rng.normal(size=shape)
