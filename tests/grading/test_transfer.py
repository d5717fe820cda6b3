"""Every task is a transfer: no answer cell of solutions/ repeats six lines of the book's or course_lib's code.

Lines are compared as `duplicates` compares them: blank lines, comments, imports and lone brackets left out,
white space folded, and by *shape* (names, numbers and strings replaced by placeholders), so that renaming the
variables of a chapter's function does not make it a new answer. Six lines in a row shared with any code cell of a
chapter (MyST `{code-cell}` blocks or notebook cells) or any module of course_lib fail the test.
"""

from __future__ import annotations

import json
import keyword
import re
from pathlib import Path

import pytest
from classroom import REPO

RUN = 6  #: shared consecutive lines that make an answer a copy (the issue's measure)
TOKEN = re.compile(r"""(?P<string>[rbufRBUF]{0,2}("([^"\\]|\\.)*"|'([^'\\]|\\.)*'))"""
                   r"""|(?P<number>\b\d+(\.\d*)?([eE][-+]?\d+)?\b)|(?P<name>[A-Za-z_]\w*)""")
SKIPPED = re.compile(r"^(import |from \S+ import |#|### (BEGIN|END) SOLUTION)|^[\[\](){},:]+$")
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)


def _shape(match: re.Match) -> str:
    if match.group("string"):
        return "S"
    if match.group("number"):
        return "0"
    return match.group("name") if keyword.iskeyword(match.group("name")) else "N"


def runs(code: str) -> set[tuple[str, ...]]:
    """Every run of RUN consecutive lines of ``code``, by shape."""
    lines = [TOKEN.sub(_shape, " ".join(line.split())) for line in code.splitlines()]
    lines = [line for line in lines if line and not SKIPPED.match(line)]
    return {tuple(lines[i:i + RUN]) for i in range(len(lines) - RUN + 1)}


def cells(notebook: Path) -> list[dict]:
    return [c for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def corpus() -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for module in (REPO / "course_lib").rglob("*.py"):
        found |= runs(module.read_text())
    for page in (REPO / "book").glob("*.md"):
        for block in CODE_CELL.findall(page.read_text()):
            found |= runs(block)
    for notebook in (REPO / "book").glob("*.ipynb"):
        for cell in cells(notebook):
            found |= runs(source(cell))
    return found


ANSWERS = [(notebook.parent.name, cell["metadata"]["nbgrader"]["grade_id"], source(cell))
           for notebook in sorted((REPO / "solutions").glob("*/*.ipynb")) for cell in cells(notebook)
           if cell["metadata"].get("nbgrader", {}).get("solution")]


@pytest.fixture(scope="module")
def chapters_and_library() -> set[tuple[str, ...]]:
    return corpus()


def test_the_measure_finds_a_renamed_copy(chapters_and_library):
    module = (REPO / "course_lib" / "training.py").read_text()
    copied = module[module.index("def delta_rule_epoch"):].replace("W1", "V").replace("alpha", "rate")
    assert runs(copied) & chapters_and_library


@pytest.mark.parametrize("assignment, answer, code", ANSWERS, ids=[f"{a}:{g}" for a, g, _ in ANSWERS])
def test_no_answer_repeats_the_book_or_the_library(chapters_and_library, assignment, answer, code):
    shared = runs(code) & chapters_and_library
    assert not shared, f"{assignment}/{answer} repeats {RUN} lines of book/ or course_lib/: {sorted(shared)[0]}"
