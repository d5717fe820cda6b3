"""After grading: the class report (opened in Chromium), copies flagged without touching a score, a regrade that
keeps manual grades, and a roster in, Canvas's gradebook out."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys

import pytest
from browser_support import screenshot_path, serve
from classroom import LIN, REPO, SIG, answered, grade, make_course, nbgrader, results, submit
from nbgrader.api import Gradebook

from course_lib.gradcheck import WRONG_SIGN
from grading import similarity

LOOP = """def linear_grads(delta, a):
    # the weights' gradient one entry at a time
    grad_w = np.zeros((delta.shape[0], a.shape[0]))
    for i in range(delta.shape[0]):
        for j in range(a.shape[0]):
            grad_w[i, j] = (delta[i] * a[j]).sum()
    grad_b = delta.sum(axis=1, keepdims=True)
    return grad_w, grad_b
"""
COPY = """def linear_grads(delta, a):
    gw = np.zeros((delta.shape[0], a.shape[0]))   # my own version!
    for row in range(delta.shape[0]):
        for col in range(a.shape[0]):
            gw[row, col] = (delta[row] * a[col]).sum()

    gb = delta.sum(axis=1, keepdims=True)
    return gw, gb
"""
CLASS = {
    "ann": {"sig_prime": SIG, "linear_grads": LIN, "why_sum": "The bias is added to every example's z."},
    "ben": {"sig_prime": SIG},
    "cat": {},
    "dan": {"sig_prime": "def sig_prime(z):\n    s = sigmoid(z)\n    return -s * (1 - s)\n", "linear_grads": LIN},
    "eli": {"sig_prime": "def sig_prime(z):\n    return sigmoid(z) * (sigmoid(z) - 1)\n"},
    "fay": {"sig_prime": SIG, "linear_grads": LOOP, "why_sum": "Each column is an example and b is shared."},
    "gus": {"sig_prime": SIG, "linear_grads": COPY},
    "hal": {"sig_prime": SIG, "linear_grads": LIN},
}
ROSTER = """id,first_name,last_name,email,canvas_id,sis_user_id,sis_login_id,section
ann,Ann,Lovelace,ann@example.edu,101,S001,alovelace,Lab A
ben,Ben,Babbage,ben@example.edu,102,S002,bbabbage,Lab B
zoe,Zoe,Noether,zoe@example.edu,109,S009,znoether,Lab A
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The class above graded once, with a roster imported and a due date that hal missed by a day."""
    root = make_course(tmp_path_factory.mktemp("class"), REPO / "tests" / "grading" / "course" / "solutions", "toy")
    nbgrader(root, "db", "assignment", "add", "toy", "--duedate=2030-01-01 12:00:00 UTC")
    for student, answers in CLASS.items():
        folder = submit(root, student, answered(root, answers))
        (folder / "timestamp.txt").write_text(f"2030-01-0{2 if student == 'hal' else 1} 12:00:00 UTC")
    (root / "roster.csv").write_text(ROSTER)
    done = subprocess.run([sys.executable, "-m", "grading.roster", "roster.csv", "--course", str(root)], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0 and "3 student(s) imported" in done.stdout, done.stderr
    done = grade(root, "toy")
    assert done.returncode == 0, done.stderr
    return root, done.stdout


def test_the_class_report_opens_in_chromium_and_answers_what_went_wrong(course, watched_page):
    root, stdout = course
    page_path = root / ".nbgrader" / "reports" / "toy_class.html"
    assert str(page_path) in stdout
    base, server = serve(page_path.parent)
    try:
        watched_page.goto(base + page_path.name)
        watched_page.screenshot(path=str(screenshot_path("class_report")), full_page=True)
        text = watched_page.inner_text("main")
    finally:
        server.shutdown()
    assert watched_page.watch.problems() == []
    assert "test_sig_prime: 5 of 8 right (62%)" in text and "test_linear_grads: 5 of 8 right (62%)" in text
    assert f"sig_prime: {WRONG_SIGN}\t2" in text  # dan and eli, one recognised mistake
    assert "not implemented yet" in text  # cat's and ben's unanswered cells, grouped by message
    late = text.split("Late submissions")[1].split("Waiting for manual grading")[0]
    assert "hal\t24.0" in late and "ann" not in late
    manual = text.split("Waiting for manual grading")[1].split("Flagged submissions")[0]
    assert manual.split() == ["student", "ann", "fay"]  # the two who wrote the written answer
    assert "fay and gus, toy.ipynb" in text and "my own version!" in text
    assert watched_page.locator("svg[role=img] rect").count() == 7  # scores 0 to 6
    assert watched_page.locator("script, link[href^=http], img[src^=http]").count() == 0


def test_copies_are_flagged_and_only_those(course):
    root, _ = course
    pairs = similarity.find(root, "toy")
    assert [pair.students for pair in pairs] == [("fay", "gus")]
    assert [gid for gid, _, _ in pairs[0].cells] == ["linear_grads"]


def test_a_flagged_copy_keeps_its_score(course):
    root, _ = course
    together = results(root)
    assert together["fay"]["score"] == together["gus"]["score"] == 5.0
    shutil.rmtree(root / ".nbgrader" / "submitted" / "gus")  # fay graded without the other half of the pair
    done = grade(root, "toy", "--students", "fay")
    assert done.returncode == 0, done.stderr
    assert results(root)["fay"] == together["fay"]


def test_canvas_export_beside_nbgrader_csv(course):
    root, _ = course
    reports = root / ".nbgrader" / "reports"
    assert (reports / "grades.csv").is_file()
    rows = list(csv.reader(open(reports / "canvas.csv")))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "toy"]
    assert rows[1] == ["Points Possible", "", "", "", "", "6"]
    found = {row[0]: row[1:] for row in rows[2:]}
    assert found["Lovelace, Ann"] == ["101", "S001", "alovelace", "Lab A", "5"]
    assert found["Babbage, Ben"] == ["102", "S002", "bbabbage", "Lab B", "2"]
    assert found["Noether, Zoe"] == ["109", "S009", "znoether", "Lab A", ""]  # on the roster, nothing submitted
    assert found["dan"][-1] == "3" and len(found) == len(CLASS) + 1
    with Gradebook(f"sqlite:///{root / '.nbgrader' / 'gradebook.db'}") as book:
        assert book.find_student("ann").email == "ann@example.edu"


def _test_of_sig_prime(root, source: str) -> str:
    """Give the instructor's test cell of sig_prime this source; returns the source it had."""
    path = root / "solutions" / "toy" / "toy.ipynb"
    notebook = json.loads(path.read_text())
    cell = next(c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "test_sig_prime")
    right = "".join(cell["source"])
    cell["source"] = source
    path.write_text(json.dumps(notebook))
    return right


def test_a_regrade_changes_the_automatic_scores_and_keeps_the_manual_ones(course, tmp_path):
    """A test passed anything (the solutions too, so the canary let it through); the class was graded with it,
    then by hand; the test is fixed and rerun."""
    root = shutil.copytree(course[0], tmp_path / "course")
    lenient = 'check("sig_prime", sig_prime, np.linspace(-3, 3, 7), judge=lambda answer, z: (True, "correct"))\n'
    right = _test_of_sig_prime(root, lenient)
    done = grade(root, "toy")
    assert done.returncode == 0, done.stderr
    assert results(root)["dan"]["parts"]["test_sig_prime"]["score"] == 2.0  # the sign error went through
    database = f"sqlite:///{root / '.nbgrader' / 'gradebook.db'}"
    with Gradebook(database) as book:
        book.find_grade("why_sum", "toy", "toy", "ann").manual_score = 1.0
        book.find_grade("test_linear_grads", "toy", "toy", "ben").manual_score = 1.5  # an override of 0
        book.find_comment("sig_prime", "toy", "toy", "dan").manual_comment = "see me about the sign"
        book.db.commit()

    _test_of_sig_prime(root, right)
    done = grade(root, "toy")  # the regrade: the same command
    assert done.returncode == 0, done.stderr
    regraded = results(root)
    assert [regraded[s]["parts"]["test_sig_prime"]["score"] for s in ("ann", "ben", "dan", "eli")] == [2, 2, 0, 0]
    changes = list(csv.DictReader(open(root / ".nbgrader" / "reports" / "toy_regrade.csv")))
    assert {(c["student"], c["grade_id"], c["old_auto_score"], c["new_auto_score"]) for c in changes} >= {
        ("dan", "test_sig_prime", "2.0", "0.0"), ("eli", "test_sig_prime", "2.0", "0.0")}
    assert all(c["grade_id"] == "test_sig_prime" for c in changes)
    assert f"regrade: {len(changes)} automatic score(s)" in done.stdout
    assert "2 manual grade(s) and 1 comment(s) kept" in done.stdout
    with Gradebook(database) as book:
        assert book.find_grade("why_sum", "toy", "toy", "ann").manual_score == 1.0
        assert book.find_grade("test_linear_grads", "toy", "toy", "ben").manual_score == 1.5
        assert book.find_comment("sig_prime", "toy", "toy", "dan").manual_comment == "see me about the sign"
        assert book.find_submission("toy", "ann").score == 6.0
        assert book.find_submission("toy", "ben").score == 3.5
