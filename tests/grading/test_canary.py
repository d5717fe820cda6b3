"""The instructor's faults are not charged to the students: the solutions run first, through the same sandbox.

Two faults a course really meets: a setup cell that works in the instructor's process but not in the sandbox
(here it imports a module lying in the course folder, which the sandbox hides, as it hides a `course_lib`
installed in editable mode from another checkout), and a hidden test that rejects the right answer (an edit of
solutions/ gone wrong). Either way the command stops before grading anyone, says why, and records nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from classroom import LIN, REPO, SIG, answered, grade, make_course, submit
from nbgrader.api import Gradebook

TOY = REPO / "tests" / "grading" / "course" / "solutions" / "toy" / "toy.ipynb"
SETUP_IMPORT = "from course_lib import sigmoid, sigmoid_prime"


def course_with(tmp: Path, old: str, new: str) -> Path:
    """The toy course with one edit of its source notebook."""
    text = TOY.read_text()
    assert json.dumps(old)[1:-1] in text
    (tmp / "source" / "toy").mkdir(parents=True)
    (tmp / "source" / "toy" / "toy.ipynb").write_text(text.replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1]))
    (tmp / "course").mkdir()
    root = make_course(tmp / "course", tmp / "source", "toy")
    submit(root, "ann", answered(root, {"sig_prime": SIG, "linear_grads": LIN}))
    return root


def assert_nothing_recorded(root: Path) -> None:
    runtime = root / ".nbgrader"
    assert not any((runtime / name).exists() for name in ("autograded", "feedback", "reports", "graded"))
    with Gradebook(f"sqlite:///{runtime}/gradebook.db") as book:
        assert book.assignment_submissions("toy") == []


@pytest.mark.parametrize("fault, old, new, says", [
    ("setup cell the sandbox cannot run", SETUP_IMPORT, "from toy_helpers import sigmoid, sigmoid_prime",
     "No module named 'toy_helpers'"),
    ("hidden test rejecting the right answer", "np.array([-1000.0, 0.0, 1000.0]), expected=sigmoid_prime",
     "np.array([-1000.0, 0.0, 1000.0]), expected=lambda z: 2 * sigmoid_prime(z)", "test_sig_prime: 0/2"),
])
def test_solutions_short_of_full_marks_stop_the_grading(tmp_path, fault, old, new, says):
    root = course_with(tmp_path, old, new)
    (root / "toy_helpers.py").write_text(SETUP_IMPORT + "  # importable by the grader, hidden from the sandbox\n")
    done = grade(root, "toy")
    assert done.returncode != 0, fault
    assert "Not grading toy: its solutions (toy.ipynb) score" in done.stderr and says in done.stderr, done.stderr
    assert "Nothing was graded or recorded" in done.stderr
    assert_nothing_recorded(root)


def test_a_source_notebook_that_fails_to_run_stops_at_once(tmp_path):
    root = course_with(tmp_path, SETUP_IMPORT, "from course_lib import sigmoid, sigmoid_prime, no_such_function")
    done = grade(root, "toy")
    assert done.returncode != 0
    assert "fails when the grader runs it" in done.stderr and "no_such_function" in done.stderr, done.stderr
    assert_nothing_recorded(root)

