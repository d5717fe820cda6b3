"""From a student's file to the notebook that is run, and from the verdicts to the notebook nbgrader records.

The instructor's release notebook is the skeleton: its setup and test cells, in its order, whatever the
student did to theirs. From the submission we take only the source of each answer cell (found by its
``grade_id``, or, if the student changed the metadata, by the functions it defines) and the student's own
extra code cells. Every departure from the release (a test cell edited, deleted, moved or duplicated, metadata
changed, an unreadable file) is noted for the instructor; none of it can change what the tests are.
"""

from __future__ import annotations

import ast
import copy
import errno
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .payload import encode
from .plan import Plan, TestCell, is_test, nbgrader_meta, parse, source_of

MAX_NOTEBOOK_BYTES = 16 * 2**20
MAX_SHOWN_OUTPUT = 4000
FLAGS = ("grade", "solution", "locked", "points")  # nbgrader metadata a student must not change
# nbgrader's region markers: in a student's text they would make its preprocessors raise (or cut the text)
MARKER_WORDS = re.compile(r"(BEGIN|END)(\s+)(SOLUTION|HIDDEN TESTS|MARK SCHEME)", re.IGNORECASE)


@dataclass
class Assembled:
    cells: list[dict]  # the skeleton with the student's answers and extra cells, no outputs
    notes: list[str] = field(default_factory=list)  # what the instructor should know about this submission


def read_submission(path: Path) -> tuple[list[dict] | None, str | None]:
    """The submission's cells, or None and why they could not be read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)  # a link could point at the solutions
        with os.fdopen(descriptor, "rb") as handle:
            raw = handle.read(MAX_NOTEBOOK_BYTES + 1)
        if len(raw) > MAX_NOTEBOOK_BYTES:
            return None, f"the notebook is larger than {MAX_NOTEBOOK_BYTES >> 20} MB"
        data = json.loads(raw.decode("utf-8", errors="replace"))
    except FileNotFoundError:
        return None, "the notebook is missing from the submission"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None, "the notebook is a symbolic link, which is refused"
        return None, f"the notebook could not be read ({error.strerror})"
    except (ValueError, RecursionError) as error:
        return None, f"the notebook is not valid JSON ({str(error)[:120]})"
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        return None, "the file is not a notebook (no list of cells)"
    return [c for c in cells if isinstance(c, dict) and c.get("cell_type") in ("code", "markdown", "raw")], None


def submitted_file(folder: Path, notebook: str, notebooks: list[str]) -> tuple[Path, str | None]:
    """The file to grade as ``notebook`` in a submission folder, and a note if it is not that file.

    Students rename notebooks (a browser's ``a2_jacobians (1).ipynb``): the one notebook that is not the
    assignment's is graded in place of a missing one, preferring a name that contains the notebook's own;
    if that is ambiguous the files are named for the instructor and the notebook counts as missing."""
    expected = folder / notebook
    if expected.exists() or expected.is_symlink():
        return expected, None
    others = sorted(p for p in folder.glob("*.ipynb") if p.name not in notebooks)
    missing = [name for name in notebooks if not (folder / name).exists() and not (folder / name).is_symlink()]
    named = [p for p in others if Path(notebook).stem in p.name]
    if len(named) == 1 or (len(others) == 1 and missing == [notebook]):
        chosen = named[0] if len(named) == 1 else others[0]
        return chosen, f"graded {chosen.name!r}, submitted in place of {notebook}"
    if others:
        return expected, f"{notebook} is missing; the submission holds {', '.join(repr(p.name) for p in others)}"
    return expected, None


def _defined_functions(source: str) -> set[str]:
    tree = parse(source)
    body = tree.body if tree else []
    return {node.name for node in body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _strip(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def assemble(release: dict, student: list[dict] | None, problem: str | None) -> Assembled:
    """The notebook to grade: the release's cells with the student's answers put in."""
    skeleton = [copy.deepcopy(c) for c in release["cells"]]
    for cell in skeleton:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    result = Assembled(skeleton)
    if student is None:
        result.notes.append(problem or "no notebook")
        return result
    release_ids = [nbgrader_meta(c).get("grade_id") for c in skeleton]
    known = {gid for gid in release_ids if gid}
    answers = {i: c for i, c in enumerate(skeleton) if nbgrader_meta(c).get("solution")}
    student_ids = [_grade_id(c) for c in student]
    placed: dict[int, int] = {}  # student cell index -> skeleton index of the answer it filled
    for index, cell in answers.items():
        gid = cell["metadata"]["nbgrader"]["grade_id"]
        found = next((j for j, s in enumerate(student) if student_ids[j] == gid and s.get("cell_type") ==
                      cell["cell_type"] and j not in placed), None)
        if found is None and cell["cell_type"] == "code":
            wanted = _defined_functions(source_of(cell))
            found = next((j for j, s in enumerate(student) if j not in placed and s.get("cell_type") == "code" and
                          wanted and wanted <= _defined_functions(source_of(s))), None)
            if found is not None:
                result.notes.append(f"answer cell {gid} was found by the functions it defines (its metadata changed)")
        if found is None:
            result.notes.append(f"answer cell {gid} is missing: graded as unanswered")
            continue
        placed[found] = index
        cell["source"] = source_of(student[found])
        if cell["cell_type"] == "markdown":  # a written answer is shown to graders as HTML: no raw tags
            cell["source"] = cell["source"].replace("<", "&lt;")
    _note_tampering(skeleton, student, release_ids, student_ids, result.notes)
    # The student's own code cells (helpers, experiments) run after the answer cell they followed.
    extras: dict[int, list[dict]] = {}  # skeleton index -> the student's cells to run after it
    anchor = next((i for i, c in enumerate(skeleton) if c["cell_type"] == "code"), -1)
    for j, cell in enumerate(student):
        if j in placed:
            anchor = placed[j]
        elif cell.get("cell_type") == "code" and student_ids[j] not in known:
            extras.setdefault(anchor, []).append({"cell_type": "code", "metadata": {}, "source": source_of(cell),
                                                  "outputs": [], "execution_count": None})
    result.cells = [c for i, cell in enumerate(skeleton) for c in [cell, *extras.get(i, [])]]
    if -1 in extras:
        result.cells = extras[-1] + result.cells
    return result


def _grade_id(cell: dict) -> str | None:
    gid = nbgrader_meta(cell).get("grade_id")
    return gid if isinstance(gid, str) and gid else None


def _note_tampering(skeleton, student, release_ids, student_ids, notes) -> None:
    locked = {nbgrader_meta(c)["grade_id"]: c for c in skeleton if nbgrader_meta(c).get("locked")}
    for gid, cell in locked.items():
        copies = [s for s, sid in zip(student, student_ids, strict=True) if sid == gid]
        if not copies:
            notes.append(f"cell {gid} was deleted or its metadata changed: the instructor's version was used")
        elif len(copies) > 1:
            notes.append(f"cell {gid} appears {len(copies)} times: the instructor's version was used once")
        elif _strip(source_of(copies[0])) != _strip(source_of(cell)):
            notes.append(f"cell {gid} was edited: the instructor's version was used")
        elif any(nbgrader_meta(copies[0]).get(k) != nbgrader_meta(cell).get(k) for k in FLAGS):
            notes.append(f"the metadata (points or flags) of {gid} were changed: the instructor's were used")
    order = [sid for sid in student_ids if sid in locked]
    if order != [rid for rid in release_ids if rid in order] and len(order) == len(set(order)):
        notes.append("locked cells were moved: the instructor's order was used")


def job(assembled: Assembled, plan: Plan, cell_seconds: float) -> tuple[str, list[int]]:
    """The sandbox's job as JSON, and for each step the index of the cell it came from."""
    steps, origin = [], []
    for index, cell in enumerate(assembled.cells):
        if cell["cell_type"] != "code":
            continue
        if is_test(cell):
            test = plan.tests[nbgrader_meta(cell)["grade_id"]]
            steps.append({"calls": [{"name": c.name, "function": c.function, "args": encode(c.args, functions=True)}
                                    for c in test.checks]})
        else:
            steps.append({"cell": source_of(cell)})
        origin.append(index)
    return json.dumps({"cell_seconds": cell_seconds, "steps": steps}), origin


def stream(text: str, name: str = "stdout") -> dict:
    return {"output_type": "stream", "name": name, "text": text}


def error(message: str) -> dict:
    return {"output_type": "error", "ename": "AssertionError", "evalue": message,
            "traceback": [f"AssertionError: {message}"]}


def graded_notebook(release: dict, assembled: Assembled) -> dict:
    """The notebook handed to nbgrader: the assembled cells with their (already filled in) outputs."""
    notebook = {key: copy.deepcopy(value) for key, value in release.items() if key != "cells"}
    notebook["cells"] = assembled.cells
    count = 0
    for cell in assembled.cells:
        if not nbgrader_meta(cell).get("locked"):  # the student's text: shown as written, never read as markers
            cell["source"] = defused(source_of(cell))
        if cell["cell_type"] == "code":
            count += 1
            cell["execution_count"] = count
    return notebook


def defused(text: str) -> str:
    """``text`` with nbgrader's markers broken by an invisible word joiner (U+2060): inert to nbgrader."""
    return MARKER_WORDS.sub("\\1\\2\u2060\\3", text)


def test_outputs(test: TestCell, outcomes: list[tuple[bool, str]]) -> tuple[bool, list[dict]]:
    """A test cell's outputs from its checks' verdicts: a line per pass, an error for the first failure."""
    passes = "".join(f"✓ {message}\n" for ok, message in outcomes if ok)
    failures = [message for ok, message in outcomes if not ok]
    outputs = [stream(passes)] if passes else []
    if failures:
        outputs.append(error(failures[0]))
    return not failures, outputs


def shown(text: str) -> str:
    return text if len(text) <= MAX_SHOWN_OUTPUT else text[:MAX_SHOWN_OUTPUT] + "\n… (output cut)"
