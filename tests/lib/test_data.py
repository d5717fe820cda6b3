"""Data sets: shapes, labels, seeds, and the digits' deterministic stratified split."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from course_lib import load_digits, spirals, two_moons, xor
from course_lib.data import DIGITS_FILE


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


# sha256 of course_lib/digits.csv.gz, the copy of the UCI test set that scikit-learn ships (same bytes)
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"


def test_the_shipped_digits_are_the_uci_test_set():
    assert hashlib.sha256(DIGITS_FILE.read_bytes()).hexdigest() == DIGITS_SHA256
    table = np.loadtxt(DIGITS_FILE, delimiter=",", dtype=np.int64)
    assert table.shape == (1797, 65) and table[:, :-1].min() == 0 and table[:, :-1].max() == 16
    # the class sizes of the UCI test set (optdigits.tes)
    assert np.bincount(table[:, -1]).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_digits_split_is_a_partition_of_the_scaled_originals(digits):
    original = np.loadtxt(DIGITS_FILE, delimiter=",")[:, :-1] / 16.0
    split = np.concatenate([digits.X_train, digits.X_test], axis=1).T
    assert sorted(map(tuple, split)) == sorted(map(tuple, original))  # every image once, in train or in test
