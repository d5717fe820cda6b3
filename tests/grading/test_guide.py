"""The grading guide states the grader's default limits; they are the ones the code uses."""

from __future__ import annotations

import re

from classroom import REPO

from grading.sandbox import Limits


def test_the_guide_states_the_real_defaults():
    guide = (REPO / "book" / "grading_guide.md").read_text()
    stated = dict(re.findall(r"`--(cell-seconds|wall-seconds|memory-mb)` limits [^.]*\. The default is (\d+)", guide))
    assert stated == {"cell-seconds": f"{Limits.cell_seconds:g}", "wall-seconds": f"{Limits.wall_seconds:g}",
                      "memory-mb": f"{Limits.memory_bytes >> 20}"}
