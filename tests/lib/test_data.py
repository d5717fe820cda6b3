"""Data sets: shapes, labels, seeds, and the digits' deterministic stratified split."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import load_digits, spirals, two_moons, xor


def test_xor():
    X, labels = xor()
    assert X.shape == (2, 4)
    np.testing.assert_array_equal(labels, np.logical_xor(X[0], X[1]).astype(int))


@pytest.mark.parametrize("make", [lambda seed: two_moons(101, seed=seed), lambda seed: spirals(40, seed=seed)])
def test_toy_sets_are_columns_with_integer_labels_and_seeded(make):
    X, labels = make(0)
    assert X.ndim == 2 and X.shape[0] == 2 and X.dtype == np.float64 and np.all(np.isfinite(X))
    assert labels.shape == (X.shape[1],) and labels.dtype.kind == "i"
    assert np.all(np.bincount(labels) >= X.shape[1] // 3)  # every class present, none dwarfed
    np.testing.assert_array_equal(make(0)[0], X)
    assert not np.array_equal(make(1)[0], X)


def test_spirals_has_the_requested_classes():
    X, labels = spirals(25, classes=4, seed=3)
    assert X.shape == (2, 100) and sorted(set(labels)) == [0, 1, 2, 3]


def test_digits_split(digits):
    assert digits.X_train.shape[0] == digits.X_test.shape[0] == 64  # one 8×8 image per column
    assert digits.X_train.shape[1] + digits.X_test.shape[1] == 1797
    assert digits.X_train.shape[1] == digits.y_train.size and digits.X_test.shape[1] == digits.y_test.size
    assert 0.0 <= digits.X_train.min() and digits.X_train.max() <= 1.0
    for labels in (digits.y_train, digits.y_test):
        assert sorted(set(labels)) == list(range(10))
    # stratified: each class is about a quarter test
    fraction = np.bincount(digits.y_test, minlength=10) / (np.bincount(digits.y_train) + np.bincount(digits.y_test))
    np.testing.assert_allclose(fraction, 0.25, atol=0.01)


def test_digits_split_is_deterministic(digits):
    again = load_digits(seed=0)
    for a, b in zip(digits, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(load_digits(seed=1).y_test, digits.y_test)


def test_digits_split_is_a_partition_of_the_scaled_originals(digits):
    from sklearn.datasets import load_digits as sklearn_digits

    original = sklearn_digits().data / 16.0
    split = np.concatenate([digits.X_train, digits.X_test], axis=1).T
    assert sorted(map(tuple, split)) == sorted(map(tuple, original))  # every image once, in train or in test
