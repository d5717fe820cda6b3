"""What assignment a6 tells students about time limits is what the grader enforces (grading/sandbox.py)."""

from __future__ import annotations

import json

from classroom import REPO

from grading.sandbox import Limits


def test_a6_states_the_graders_time_limits():
    notebook = json.loads((REPO / "exercises" / "a6_training" / "a6_training.ipynb").read_text())
    intro = "".join(notebook["cells"][0]["source"])
    limits = Limits()
    assert f"after {limits.cell_seconds:g} seconds" in intro, intro
    assert f"({limits.wall_seconds:g} seconds)" in intro, intro
