"""The instructor's path on a fresh checkout, owned by an ordinary user, with students who do what students do.

The course folder belongs to an ordinary user (uid OWNER), as an instructor's checkout does; the grading command
runs as root (the sandbox needs it), every later step as that user. The class: ann (right, on time), ben (right,
with nbgrader's marker comments in every cell he wrote), cat (a renamed notebook), dan (late). Covers: grading an
assignment the gradebook does not know (blocker 2), students' marker text and a stale bad notebook stopping
nobody (blocker 3), feedback regenerated after manual grading without the hidden tests, by our command and by
nbgrader's (blocker 1), files left to the owner, renamed notebooks, late and manual work in the reports, and
``--students`` merging into the class's reports.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from classroom import BIN, LIN, REPO, SIG, answered, as_user, fresh_clone, grade, results, submit
from nbgrader.api import Gradebook

from grading.notebooks import submitted_file

OWNER = 61990  # the instructor's own user: no account needed
MARKERS = "### BEGIN HIDDEN TESTS\n### END SOLUTION\n### BEGIN MARK SCHEME\n"
WRITTEN = "The bias is shared by every example. ### BEGIN SOLUTION"
DUE = "2026-01-10 12:00:00 UTC"
ON_TIME, LATE = "2026-01-10 11:00:00.000000 UTC", "2026-01-10 15:00:00.000000 UTC"  # dan: 3 hours late
COMMENT = "Right: one bias for every example, so its gradient sums their contributions."


def run(root: Path, *command: str, user: bool = True) -> subprocess.CompletedProcess:
    prefix = as_user(OWNER, root.parent / "home", root) if user else []
    return subprocess.run([*prefix, *command], cwd=root, capture_output=True, text=True, timeout=1800)


def page(root: Path, student: str, name: str = "toy.html") -> str:
    return (root / ".nbgrader" / "feedback" / student / "toy" / name).read_text()


def grades_csv(root: Path) -> dict[str, dict]:
    return {row["student_id"]: row for row in csv.DictReader(open(root / ".nbgrader" / "reports" / "grades.csv"))}


@pytest.fixture(scope="module")
def course():
    folder = Path(tempfile.mkdtemp(prefix="course-"))  # not under pytest's folder, which only root may enter
    folder.chmod(0o755)
    try:
        root = fresh_clone(folder, REPO / "tests" / "grading" / "course" / "solutions", "toy")
        (folder / "home").mkdir()
        shutil.chown(folder / "home", OWNER, OWNER)
        done = run(root, str(BIN / "nbgrader"), "db", "assignment", "add", "toy", f"--duedate={DUE}", user=False)
        assert done.returncode == 0, done.stderr
        marked = answered(root, {"sig_prime": SIG + MARKERS, "linear_grads": LIN, "why_sum": WRITTEN})
        marked["cells"].append({"cell_type": "code", "metadata": {}, "source": "# ### BEGIN HIDDEN TESTS\n",
                                "outputs": [], "execution_count": None})
        for student, notebook, name in [("ann", answered(root, {"sig_prime": SIG, "linear_grads": LIN}), None),
                                        ("ben", marked, None),
                                        ("cat", answered(root, {"linear_grads": LIN}), "toy (1).ipynb"),
                                        ("dan", answered(root, {"sig_prime": SIG}), None)]:
            folder_ = submit(root, student, notebook)
            (folder_ / "timestamp.txt").write_text(LATE if student == "dan" else ON_TIME)
            if name:
                (folder_ / "toy.ipynb").rename(folder_ / name)
        for path in [root, *root.rglob("*")]:
            os.lchown(path, OWNER, OWNER)
        graded = grade(root, "toy")
        yield root, graded
    finally:
        shutil.rmtree(folder)


def test_a_fresh_checkout_grades_an_assignment_the_gradebook_does_not_know(course):
    root, graded = course
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert "registered it from solutions/toy" in graded.stderr
    assert {s: float(row["score"]) for s, row in grades_csv(root).items()} == {"ann": 5, "ben": 5, "cat": 3, "dan": 2}
    assert not list((root / "exercises").rglob("*.ipynb.*")) and len(list((root / "exercises").rglob("*"))) == 2


def test_marker_comments_in_a_students_cells_stop_nobody(course):
    root, graded = course
    assert "could not" not in graded.stderr, graded.stderr
    ben = page(root, "ben")
    assert "BEGIN \u2060HIDDEN TESTS" in ben and "BEGIN HIDDEN TESTS" not in ben  # shown, inert
    assert re.search(r"sig_prime\(.*?\): correct", ben) and re.search(r"linear_grads\(.*?\): correct", ben)
    for student in ("ann", "cat", "dan"):
        assert "sig_prime" in page(root, student)


def test_a_renamed_notebook_is_graded_flagged_and_its_feedback_fetchable(course):
    root, graded = course
    assert "cat/toy.ipynb: graded 'toy (1).ipynb', submitted in place of toy.ipynb" in graded.stdout
    assert results(root)["cat"]["parts"]["test_linear_grads"]["score"] == 3
    assert page(root, "cat", "toy (1).html") == page(root, "cat")  # release_feedback hashes the submitted name


def test_late_and_manual_work_show_in_the_summary_csv_and_plot(course):
    root, graded = course
    assert "out of 6 (5 automatic, 1 by hand)" in graded.stdout
    assert "why_sum (graded by hand): 3/4 graded, 1 pending" in graded.stdout  # ben wrote one; blanks score 0
    assert "1 late submission(s): dan (3.0 h)" in graded.stdout
    rows = {r["student"]: r for r in csv.DictReader(open(root / ".nbgrader" / "reports" / "toy_parts.csv"))}
    assert rows["ben"]["why_sum (manual)"] == "pending" and rows["ben"]["max_score"] == "6.0"
    assert rows["dan"]["hours_late"] == "3.00" and rows["ann"]["hours_late"] == ""
    assert (root / ".nbgrader" / "reports" / "toy_scores.png").stat().st_size > 10_000


def test_every_file_the_grader_wrote_belongs_to_the_courses_owner(course):
    root, _ = course
    strangers = [p for p in (root / ".nbgrader").rglob("*") if p.lstat().st_uid != OWNER]
    assert not strangers, strangers[:5]


@pytest.fixture(scope="module")
def regraded(course):
    """ben's autograded notebook left broken (as an older grader could); then only ann and an unknown id graded."""
    root, _ = course
    path = root / ".nbgrader" / "autograded" / "ben" / "toy" / "toy.ipynb"
    notebook = json.loads(path.read_text())
    answer = next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "sig_prime")
    answer["source"] = "### BEGIN HIDDEN TESTS\n" + SIG
    path.write_text(json.dumps(notebook))
    return root, grade(root, "toy", "--students", "ann", "zed")


def test_a_bad_notebook_costs_only_its_own_feedback_and_students_merge_into_the_class(regraded):
    root, done = regraded
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no submission of toy from: zed" in done.stderr
    assert "nbgrader could not write the feedback of ben: RuntimeError: No end hidden tests" in done.stderr
    assert sorted(results(root)) == ["ann", "ben", "cat", "dan"]  # the class, not the subset
    assert "4 notebook(s) graded" in done.stdout
    assert sorted(grades_csv(root)) == ["ann", "ben", "cat", "dan"]


def test_feedback_after_manual_grading_has_the_grade_and_never_the_hidden_tests(regraded):
    root, _ = regraded
    path = root / ".nbgrader" / "autograded" / "ben" / "toy" / "toy.ipynb"  # repaired by grading ben again
    assert grade(root, "toy", "--students", "ben").returncode == 0
    assert "BEGIN HIDDEN TESTS" in path.read_text()  # nbgrader restores the locked cells, hidden tests included
    with Gradebook(f"sqlite:///{root}/.nbgrader/gradebook.db") as book:  # what the formgrader does
        manual = book.find_grade("why_sum", "toy", "toy", "ben")
        manual.manual_score, manual.needs_manual_grade = 1, False
        book.find_comment("why_sum", "toy", "toy", "ben").manual_comment = COMMENT
        book.db.commit()
    done = run(root, str(BIN / "python"), "-m", "grading", "toy", "--feedback")  # as the instructor, not root
    assert done.returncode == 0, done.stdout + done.stderr
    assert "why_sum (graded by hand): 4/4 graded, 0 pending" in done.stdout
    assert float(grades_csv(root)["ben"]["score"]) == 6
    ben = page(root, "ben")
    assert COMMENT in ben and "6.0 / 6.0" in ben
    assert "-1000.0" not in ben and "rng.standard_normal((2, 1))" not in ben  # the hidden tests' code
    nbgrader_own = run(root, str(BIN / "nbgrader"), "generate_feedback", "toy", "--force")
    assert nbgrader_own.returncode == 0, nbgrader_own.stderr
    for student in ("ann", "ben", "cat", "dan"):
        text = page(root, student)
        assert "-1000.0" not in text and "rng.standard_normal((2, 1))" not in text, student
    assert COMMENT in page(root, "ben")


def test_zip_collect_files_canvas_downloads_where_the_grader_finds_them(tmp_path):
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    archive = tmp_path / ".nbgrader" / "downloaded" / "toy" / "archive"
    archive.mkdir(parents=True)
    notebook = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    (archive / "doejane_LATE_12345_678_toy.ipynb").write_text(notebook)  # Canvas's names: late, and a resubmission
    (archive / "smithann_222_679_toy-1.ipynb").write_text(notebook)
    done = subprocess.run([str(BIN / "nbgrader"), "zip_collect", "toy"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    submitted = tmp_path / ".nbgrader" / "submitted"
    assert (submitted / "12345" / "toy" / "toy.ipynb").is_file()
    path, note = submitted_file(submitted / "222" / "toy", "toy.ipynb", ["toy.ipynb"])
    assert path.name == "toy-1.ipynb" and "toy-1.ipynb" in note
