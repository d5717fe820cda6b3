"""Fixtures shared by the test suite."""

from __future__ import annotations

import pytest

from course_lib import load_digits


@pytest.fixture(scope="session")
def digits():
    """The 8×8 digits split of the book (seed 0): loaded once, read by many tests; never modify it."""
    return load_digits(seed=0)
