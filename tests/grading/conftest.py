"""Fixtures of the grading tests: a temporary course holding the toy assignment."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import chromium, watched_page  # noqa: F401 (fixtures for test_exchange)
from classroom import REPO, make_course


@pytest.fixture(scope="module")
def toy_course(tmp_path_factory) -> Path:
    return make_course(tmp_path_factory.mktemp("course"), REPO / "tests" / "grading" / "course" / "solutions", "toy")
