"""The page 'Grading at scale' states the defaults the code uses."""

from __future__ import annotations

import re

from classroom import REPO

from grading import __main__ as command
from grading import distributed, similarity


def test_the_page_states_the_real_defaults():
    page = (REPO / "book" / "grading_at_scale.md").read_text()
    assert re.search(r"`--visibility-seconds`\s+\(default (\d+)\)", page)[1] == f"{distributed.VISIBILITY_SECONDS}"
    assert f"(default {command.IN_FLIGHT})" in page
    assert f"{100 * similarity.THRESHOLD:.0f}% or more of the runs of five tokens" in page and similarity.SHINGLE == 5
    assert f"at least {similarity.MIN_SHINGLES} such runs" in page
