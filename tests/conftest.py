"""Fixtures shared by the test suite."""

from __future__ import annotations

import pytest

from course_lib import load_digits


@pytest.fixture(scope="session")
def digits():
    """The 8×8 digits split of the book (seed 0): loaded once, read by many tests; never modify it."""
    return load_digits(seed=0)


def pytest_terminal_summary(terminalreporter):
    """axe-core's violations per page, colour mode and width, as tests/book/test_accessibility.py recorded them
    (from the tests' reports, so that the count is printed whichever test process ran them)."""
    counts = sorted(value for reports in terminalreporter.stats.values() for report in reports
                    if getattr(report, "when", None) == "call"
                    for key, value in getattr(report, "user_properties", ()) if key == "axe")
    if counts:
        terminalreporter.section("axe-core: WCAG 2.0/2.1 A and AA violations per page")
        for page, mode, width, count in counts:
            terminalreporter.write_line(f"{count:4d}  {page}  ({mode}, {width} px)")
