r"""Data of assignment a6: the training digits (never the test digits), sorted samples for a validation split,
and arrays for a momentum step.

The visible checks of the classifier train on :func:`fit_part`, the training digits of split 0 without a
validation part; the grader scores the network on that validation part and, in the hidden checks, on the
held-out test digits, both in :mod:`course_lib.marking.a6`.
"""

from __future__ import annotations

import numpy as np

from ..data import load_digits

#: The visible checks hold out every ``HOLD_OUT_EVERY``-th training digit (the digits come in no order of class,
#: so every class is held out in part); a student's own split is stratified and drawn at random instead.
HOLD_OUT_EVERY = 5
#: The digits split of the visible checks (the hidden ones use splits 1 to 3).
VISIBLE_SPLIT = 0


def held_out(n: int) -> np.ndarray:
    """Which of ``n`` training digits the visible checks keep apart for validation: every fifth."""
    return np.arange(n) % HOLD_OUT_EVERY == 0


def training_digits(split: int) -> tuple[np.ndarray, np.ndarray]:
    """The training part of the digits' split ``split``: pixels ``(64, n)`` and labels ``(n,)``; no test digits."""
    digits = load_digits(seed=split)
    return digits.X_train, digits.y_train


def fit_part(split: int) -> tuple[np.ndarray, np.ndarray]:
    """The training digits of ``split`` without their validation part (what the visible checks train on)."""
    X, y = training_digits(split)
    keep = ~held_out(y.size)
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
