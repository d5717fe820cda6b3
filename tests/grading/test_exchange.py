"""The whole instructor's path through nbgrader's exchange, with simulated students, in a temporary directory:
release, fetch, submit, collect, grade (the one command), release and fetch feedback, export."""

from __future__ import annotations

import csv
import json

from classroom import LIN, SIG, grade, nbgrader

EXCHANGE = ["--CourseDirectory.course_id=backprop"]
STUDENTS = {  # student: (answers, expected autograded score out of 5)
    "ann": ({"sig_prime": SIG, "linear_grads": LIN}, 5.0),
    "ben": ({"sig_prime": SIG}, 2.0),
    "cat": ({}, 0.0),
    "dan": ({"linear_grads": LIN}, 3.0),
}


def test_release_fetch_submit_collect_grade_feedback_export(toy_course, tmp_path):
    root = toy_course
    exchange = tmp_path / "exchange"
    exchange.mkdir(mode=0o777)
    exchange.chmod(0o777)
    where = [f"--Exchange.root={exchange}"]
    nbgrader(root, "release_assignment", "toy", *where, *EXCHANGE)
    for student, (answers, _) in STUDENTS.items():
        home = tmp_path / "home" / student
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
    assert "dan/toy.ipynb: cell test_linear_grads was edited" in done.stdout

    nbgrader(root, "release_feedback", "toy", *where, *EXCHANGE)
    for student in STUDENTS:
        home = tmp_path / "home" / student
        nbgrader(home, "fetch_feedback", "toy", *where, "--course=backprop", f"--student={student}")
        # Here every simulated student is the same OS user, so the exchange hands each all the feedback; the
        # student's own is the one filed under their submission's timestamp.
        stamp = (root / ".nbgrader" / "submitted" / student / "toy" / "timestamp.txt").read_text().strip()
        page = (home / "toy" / "feedback" / stamp / "toy.html").read_text()
        assert ("not implemented" in page) == (student in ("cat", "ben", "dan")), student

    rows = {row["student_id"]: row for row in csv.DictReader(open(root / ".nbgrader" / "reports" / "grades.csv"))}
    assert {s: float(rows[s]["score"]) for s in STUDENTS} == {s: score for s, (_, score) in STUDENTS.items()}
    assert (root / ".nbgrader" / "reports" / "toy_scores.png").stat().st_size > 10_000
