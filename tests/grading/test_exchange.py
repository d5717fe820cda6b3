"""The whole instructor's path through nbgrader's exchange, with simulated students, in a temporary directory:
release, fetch, submit, collect, grade (the one command), release and fetch feedback, export; then the
feedback and the score plot opened in Chromium, as the instructor and the students will see them (offline: the
feedback's mathematics is typeset by the MathJax inside the page)."""

from __future__ import annotations

import csv
import json
import re

import pytest
from browser_support import screenshot_path, serve
from classroom import LIN, SIG, grade, nbgrader

EXCHANGE = ["--CourseDirectory.course_id=backprop"]
STUDENTS = {  # student: (answers, expected autograded score out of 5)
    "ann": ({"sig_prime": SIG, "linear_grads": LIN}, 5.0),
    "ben": ({"sig_prime": SIG}, 2.0),
    "cat": ({}, 0.0),
    "dan": ({"linear_grads": LIN}, 3.0),
}


@pytest.fixture(scope="module")
def course(toy_course, tmp_path_factory):
    """The toy assignment released, fetched, answered and submitted by four students, collected and graded."""
    root, tmp = toy_course, tmp_path_factory.mktemp("exchange")
    exchange = tmp / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    where = [f"--Exchange.root={exchange}"]
    nbgrader(root, "release_assignment", "toy", *where, *EXCHANGE)
    for student, (answers, _) in STUDENTS.items():
        home = tmp / "home" / student
        home.mkdir(parents=True)
        as_student = [*where, "--course=backprop", f"--student={student}"]
        nbgrader(home, "fetch_assignment", "toy", *as_student)
        path = home / "toy" / "toy.ipynb"
        notebook = json.loads(path.read_text())
        for cell in notebook["cells"]:
            gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
            if gid in answers:
                cell["source"] = answers[gid]
            if student == "dan" and gid == "test_linear_grads":
                cell["source"] = "pass"  # dan also tries to switch off a test: it is restored
        path.write_text(json.dumps(notebook))
        nbgrader(home, "submit", "toy", *as_student)

    nbgrader(root, "collect", "toy", *where, *EXCHANGE)
    done = grade(root, "toy")
    assert done.returncode == 0, done.stdout + done.stderr
    nbgrader(root, "release_feedback", "toy", *where, *EXCHANGE)
    for student in STUDENTS:
        nbgrader(tmp / "home" / student, "fetch_feedback", "toy", *where, "--course=backprop", f"--student={student}")
    return root, tmp, done.stdout


def test_every_student_gets_their_score_and_their_feedback(course):
    root, tmp, summary = course
    assert "dan/toy.ipynb: cell test_linear_grads was edited" in summary
    rows = {row["student_id"]: row for row in csv.DictReader(open(root / ".nbgrader" / "reports" / "grades.csv"))}
    assert {s: float(rows[s]["score"]) for s in STUDENTS} == {s: score for s, (_, score) in STUDENTS.items()}
    for student in STUDENTS:
        # Every simulated student is the same OS user here, so the exchange hands each all the feedback; the
        # student's own is the one filed under their submission's timestamp.
        stamp = (root / ".nbgrader" / "submitted" / student / "toy" / "timestamp.txt").read_text().strip()
        page = (tmp / "home" / student / "toy" / "feedback" / stamp / "toy.html").read_text()
        assert ("not implemented" in page) == (student in ("cat", "ben", "dan")), student


def test_feedback_and_score_plot_open_in_chromium(course, watched_page):
    root, _, _ = course
    base, server = serve(root / ".nbgrader")
    try:
        watched_page.goto(base + "feedback/ben/toy/toy.html")
        watched_page.wait_for_selector("mjx-container svg")  # the mathematics, typeset with no network
        assert not watched_page.watch.problems(), watched_page.watch.problems()
        text = watched_page.inner_text("body")
        assert "linear_grads: not implemented yet" in text  # the failed part's message
        assert re.search(r"✓ sig_prime\(.*?\): correct", text)  # a pass names its call
        assert "2.0 / 2.0" in text.replace("2 / 2", "2.0 / 2.0")
        watched_page.screenshot(path=screenshot_path("feedback_ben"), full_page=True)
        watched_page.goto(base + "reports/toy_scores.png")
        size = watched_page.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]")
        assert size[0] > 500 and size[1] > 200
    finally:
        server.shutdown()
