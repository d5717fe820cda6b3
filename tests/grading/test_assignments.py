"""The seven assignments tested like software, through the real grading command.

For each assignment: the solutions score full marks, the untouched release scores zero, and every common
mistake in tests/mutants/<assignment>.py loses exactly the points of the parts it breaks, with feedback that
names what to look at. Also: exercises/ is exactly what `nbgrader generate_assignment` makes of solutions/.
"""

from __future__ import annotations

import importlib
import json
import re

import pytest
from classroom import REPO, grade, make_course, release, results, solved, submit

ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())


def mutants_of(assignment: str) -> list:
    return importlib.import_module(f"mutants.{assignment}").MUTANTS


def mutated(root, assignment: str, mutant) -> dict:
    """The solved notebook with one answer cell edited as the mutant says."""
    notebook = solved(root, assignment)
    cells = [c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == mutant.cell]
    assert len(cells) == 1, f"{mutant.name}: no answer cell {mutant.cell!r}"
    for old, new in mutant.replace:
        assert old in cells[0]["source"], f"{mutant.name}: {old!r} is not in the solution of {mutant.cell}"
        cells[0]["source"] = cells[0]["source"].replace(old, new)
    return notebook


def student_id(name: str) -> str:
    return "m_" + re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")[:60]


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    assignment = request.param
    root = make_course(tmp_path_factory.mktemp(assignment), REPO / "solutions", assignment)
    submit(root, "solution", solved(root, assignment), assignment)
    submit(root, "untouched", release(root, assignment), assignment)
    for mutant in mutants_of(assignment):
        submit(root, student_id(mutant.name), mutated(root, assignment, mutant), assignment)
    done = grade(root, assignment)
    assert done.returncode == 0, done.stdout + done.stderr
    return assignment, root, results(root, assignment)


def test_solutions_score_full_marks_and_the_release_zero(graded):
    assignment, _, found = graded
    parts = found["solution"]["parts"]
    assert parts and all(p["score"] == p["max"] for p in parts.values()), parts
    assert all(p["score"] == 0 for p in found["untouched"]["parts"].values()), found["untouched"]
    assert all("not implemented" in p["message"] for p in found["untouched"]["parts"].values())


def test_every_part_has_at_least_three_mutants(graded):
    assignment, _, found = graded
    counts = {part: 0 for part in found["solution"]["parts"]}
    for mutant in mutants_of(assignment):
        for part in mutant.fails:
            counts[part] = counts.get(part, 0) + 1
    assert all(n >= 3 for n in counts.values()), counts


def test_each_mutant_loses_exactly_its_parts_with_a_helpful_message(graded):
    assignment, _, found = graded
    wrong = []
    for mutant in mutants_of(assignment):
        parts = found[student_id(mutant.name)]["parts"]
        lost = {part for part, p in parts.items() if p["score"] < p["max"]}
        messages = " ".join(parts[part]["message"] for part in lost)
        if lost != set(mutant.fails) or mutant.says.lower() not in messages.lower():
            wrong.append(f"{mutant.name}: lost {sorted(lost)}, expected {sorted(mutant.fails)}; said: {messages}")
    assert not wrong, "\n".join(wrong)


def test_exercises_are_what_nbgrader_generates(tmp_path):
    root = make_course(tmp_path, REPO / "solutions", *ASSIGNMENTS)
    for assignment in ASSIGNMENTS:
        generated = json.loads((root / "exercises" / assignment / f"{assignment}.ipynb").read_text())
        committed = json.loads((REPO / "exercises" / assignment / f"{assignment}.ipynb").read_text())
        assert committed == generated, f"exercises/{assignment} is stale: run nbgrader generate_assignment {assignment}"
