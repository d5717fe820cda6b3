"""What each test cell of an assignment asks, recorded once from the instructor's source notebook.

The source notebook (solutions and hidden tests) runs here, in the grader's own process, with
``course_lib.checks.PLAN`` set: every ``check(...)`` in a test cell is recorded (the student's function by
name, the arguments, the right answer and the known wrong ones) instead of being run. Student code never
runs in this process; the answers come back from the sandbox as data and are decided here.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import re
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from course_lib import checks

MARKERS = re.compile(r"^\s*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$", re.MULTILINE)


_PARSING = threading.Lock()


def parse(source: str) -> ast.Module | None:
    """The syntax tree of a cell's source, or None if it does not parse (or is too deep to).

    One thread at a time: the grader reads submissions in threads, and CPython's AST constructor keeps its
    recursion depth per interpreter, so two parses at once can fail with "SystemError: AST constructor
    recursion depth mismatch" (seen here on 3.11.7 with 64 threads; CPython issue 106905 is of that family)."""
    with _PARSING:
        try:
            return ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None


def source_of(cell: dict) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(part for part in source if isinstance(part, str))
    return source if isinstance(source, str) else ""


def nbgrader_meta(cell: dict) -> dict:
    metadata = cell.get("metadata")
    meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return meta if isinstance(meta, dict) else {}


def is_test(cell: dict) -> bool:
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


@dataclass
class TestCell:
    grade_id: str
    points: float
    checks: list[checks.PlannedCheck] = field(default_factory=list)


@dataclass
class Plan:
    notebook: str  # file name, e.g. a4_two_layer_network.ipynb
    release: dict  # the release notebook (what students got): the skeleton of every graded notebook
    tests: dict[str, TestCell]

    @property
    def max_score(self) -> float:
        return sum(test.points for test in self.tests.values())


def make_plan(source_path: Path, release_path: Path) -> Plan:
    """Run the source notebook with checks recorded, one list per test cell."""
    source = json.loads(Path(source_path).read_text())
    namespace: dict = {"__name__": "__grading__"}
    tests: dict[str, TestCell] = {}
    try:
        for cell in source["cells"]:
            if cell.get("cell_type") != "code":
                continue
            meta = nbgrader_meta(cell)
            test = TestCell(meta.get("grade_id", "?"), float(meta.get("points", 0))) if is_test(cell) else None
            checks.PLAN = test.checks if test else None
            code = MARKERS.sub("", source_of(cell))
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                exec(compile(code, f"<{source_path.name}:{meta.get('grade_id', 'cell')}>", "exec"), namespace)
            if test:
                if not test.checks:
                    raise ValueError(f"test cell {test.grade_id} of {source_path} calls no check(...)")
                tests[test.grade_id] = test
    finally:
        checks.PLAN = None
    return Plan(Path(release_path).name, json.loads(Path(release_path).read_text()), tests)
