"""The grading guide, followed literally on a fresh clone, by an instructor and four students who are OS users.

Every command is taken from the guide's ``bash`` blocks and run as written, with only these substitutions: the
toy assignment for the guide's example assignments, this environment's ``bin/`` for ``.venv/bin/`` (and for the
students' ``nbgrader``), temporary folders for ``/srv/nbgrader/exchange`` and ``/etc/jupyter`` (which
``JUPYTER_CONFIG_PATH`` points nbgrader to), and for the guide's example date, a date a day ahead; once the
on-time students have submitted, the deadline is moved to the present with the same command.
``sudo`` commands run as root, every other instructor command as the course folder's owner, an ordinary user;
each student is a user of their own. The path: exchange set up, due date and class list, release, fetch,
validate, submit (cat renamed her notebook; dan submits after the deadline), collect, grade, the written answers
graded through the formgrader's API, feedback written again, released and fetched, grades exported.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import free_port
from classroom import BIN, LIN, REPO, SIG, as_user, fresh_clone

OWNER = 61980
STUDENTS = {"ann": 61981, "ben": 61982, "cat": 61983, "dan": 61984}  # name: uid; nbgrader's id is u<uid>
ANSWERS = {"ann": {"sig_prime": SIG, "linear_grads": LIN, "why_sum": "Every column shares the one bias."},
           "ben": {"sig_prime": SIG}, "cat": {"linear_grads": LIN}, "dan": {"sig_prime": SIG, "linear_grads": LIN}}
MANUAL = {"ann": (1, "Right: one bias, shared by every example.")}  # the written answer, graded by hand
SCORES = {"ann": 6.0, "ben": 2.0, "cat": 3.0, "dan": 5.0}
GUIDE_DATE = '"2026-12-04 17:00:00 Europe/Paris"'


def guide_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", (REPO / "book" / "grading_guide.md").read_text(), re.DOTALL)


def block_with(text: str) -> str:
    found = [block for block in guide_blocks() if text in block]
    assert len(found) == 1, f"the guide has {len(found)} bash blocks with {text!r}"
    return found[0]


class Class:
    """The temporary machine: folders, users, and the guide's commands run as the right user."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.root = fresh_clone(folder, REPO / "tests" / "grading" / "course" / "solutions", "toy")
        self.exchange, self.etc = folder / "srv" / "exchange", folder / "etc" / "jupyter"
        self.due = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
        for path in [self.root, *self.root.rglob("*")]:
            os.lchown(path, OWNER, OWNER)
        for name, uid in {"instructor": OWNER, **STUDENTS}.items():
            (folder / "home" / name).mkdir(parents=True)
            shutil.chown(folder / "home" / name, uid, uid)

    def translate(self, command: str) -> str:
        command = re.sub(r"\b(a4_two_layer_network|a5_deep_delta_recursion)\b", "toy", command)
        command = command.replace(".venv/bin/", f"{BIN}/").replace("/srv/nbgrader/exchange", str(self.exchange))
        command = command.replace("/etc/jupyter", str(self.etc)).replace("sudo ", "")
        command = command.replace(GUIDE_DATE, f'"{self.due:%Y-%m-%d %H:%M:%S} UTC"')
        return re.sub(r"^nbgrader ", f"{BIN}/nbgrader ", command, flags=re.MULTILINE)

    def run(self, command: str, who: str = "instructor", check: bool = True) -> subprocess.CompletedProcess:
        """A command of the guide: as root if it says sudo, else as the instructor or the student ``who``."""
        uid = STUDENTS.get(who, OWNER)
        cwd = self.folder / "home" / who if who in STUDENTS else self.root
        prefix = [] if command.lstrip().startswith("sudo ") else as_user(uid, self.folder / "home" / who, cwd)
        done = subprocess.run([*prefix, "bash", "-e", "-c", self.translate(command)], cwd=cwd, capture_output=True,
                              text=True, timeout=1800)
        assert not check or done.returncode == 0, f"{who}: {command}\n{done.stdout}\n{done.stderr}"
        return done

    def student_steps(self) -> dict[str, str]:
        lines = [line.split("  #")[0].strip() for line in block_with("fetch_assignment").strip().splitlines()]
        return {line.split()[1]: line for line in lines}  # fetch_assignment, validate, submit, fetch_feedback

    def answer(self, student: str) -> None:
        """The student's work in the fetched notebook (written as that student would, then theirs)."""
        path = self.folder / "home" / student / "toy" / "toy.ipynb"
        notebook = json.loads(path.read_text())
        for cell in notebook["cells"]:
            gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
            if gid in ANSWERS[student]:
                cell["source"] = ANSWERS[student][gid]
        path.write_text(json.dumps(notebook))
        if student == "cat":  # downloaded and uploaded again by the browser
            path = path.rename(path.with_name("toy (1).ipynb"))
        shutil.chown(path, STUDENTS[student], STUDENTS[student])


def formgrade(root: Path, home: Path) -> None:
    """Grade the written answers through the formgrader's API, in JupyterLab started as the guide says."""
    port, token = free_port(), "formgrader-test-token"
    server = subprocess.Popen([*as_user(OWNER, home, root), f"{BIN}/jupyter", "lab", "--no-browser", f"--port={port}",
                               f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1"],
                              cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def api(path: str, data: dict | None = None):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/formgrader/api/{path}",
                                         data=None if data is None else json.dumps(data).encode(),
                                         method="GET" if data is None else "PUT",
                                         headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    try:
        for _ in range(300):
            try:
                api("status")
                break
            except OSError:
                time.sleep(1)
        for submission in api("submitted_notebooks/toy/toy"):
            student = submission["student"]
            name = next((n for n, uid in STUDENTS.items() if f"u{uid}" == student), None)
            if name not in MANUAL:
                continue
            score, comment = MANUAL[name]
            grade = next(g for g in api(f"grades?submission_id={submission['id']}") if g["name"] == "why_sum")
            api(f"grade/{grade['id']}", {"manual_score": score})
            note = next(c for c in api(f"comments?submission_id={submission['id']}") if c["name"] == "why_sum")
            api(f"comment/{note['id']}", {"manual_comment": comment})
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


@pytest.fixture(scope="module")
def taught():
    folder = Path(tempfile.mkdtemp(prefix="guide-"))
    folder.chmod(0o755)
    saved = os.environ.get("JUPYTER_CONFIG_PATH")
    os.environ["JUPYTER_CONFIG_PATH"] = str(folder / "etc" / "jupyter")
    try:
        course = Class(folder)
        course.etc.mkdir(parents=True)
        course.run(block_with("Exchange.root"))
        (course.root / "students.csv").write_text("id,first_name,last_name,email\n" + "".join(
            f"u{uid},{name.title()},Doe,{name}@example.org\n" for name, uid in STUDENTS.items()))
        shutil.chown(course.root / "students.csv", OWNER, OWNER)
        course.run(block_with("--duedate"))
        course.run(block_with("release_assignment").splitlines()[0])
        steps = course.student_steps()
        for student in STUDENTS:
            if student == "dan":  # the deadline passes (moved to now, by the guide's command)
                course.due = datetime.datetime.now(datetime.UTC)
                course.run(block_with("--duedate").splitlines()[0])
                time.sleep(2)
            course.run(steps["fetch_assignment"], student)
            course.answer(student)
            if student == "ann":
                course.validates = course.run(steps["validate"], student).stdout
            course.run(steps["submit"], student)
        course.run(block_with("release_assignment").splitlines()[1])  # collect
        course.graded = course.run(block_with("-m grading a4_two_layer_network"))
        formgrade(course.root, folder / "home" / "instructor")
        course.regraded = course.run(block_with("--feedback"))
        course.run(block_with("release_feedback"))
        for student in STUDENTS:
            course.run(steps["fetch_feedback"], student)
        yield course
    finally:
        if saved is None:
            os.environ.pop("JUPYTER_CONFIG_PATH", None)
        else:
            os.environ["JUPYTER_CONFIG_PATH"] = saved
        shutil.rmtree(folder)


def test_every_score_and_name_is_right(taught):
    rows = {row["student_id"]: row for row in csv.DictReader(open(taught.root / ".nbgrader" / "reports" /
                                                                   "grades.csv"))}
    assert {name: float(rows[f"u{uid}"]["score"]) for name, uid in STUDENTS.items()} == SCORES
    assert {rows[f"u{uid}"]["first_name"] for name, uid in STUDENTS.items()} == {n.title() for n in STUDENTS}
    assert "Success" in taught.validates or "passes" in taught.validates, taught.validates


def test_the_summary_names_the_late_the_renamed_and_the_pending(taught):
    graded = taught.graded.stdout
    assert f"1 late submission(s): u{STUDENTS['dan']}" in graded
    assert f"u{STUDENTS['cat']}/toy.ipynb: graded 'toy (1).ipynb'" in graded
    assert "why_sum (graded by hand): 3/4 graded, 1 pending" in graded  # ann's; blank answers score 0 at once
    assert "why_sum (graded by hand): 4/4 graded, 0 pending" in taught.regraded.stdout


def test_every_student_fetches_their_own_feedback_with_no_hidden_test(taught):
    for student in STUDENTS:
        pages = list((taught.folder / "home" / student / "toy" / "feedback").rglob("*.html"))
        assert [p.name for p in pages] == ["toy (1).html" if student == "cat" else "toy.html"], (student, pages)
        page = pages[0].read_text()
        assert f"Score: {SCORES[student]} / 6.0" in page, student
        assert "BEGIN HIDDEN TESTS" not in page and "-1000.0" not in page and "standard_normal((2, 1))" not in page
        assert "cdnjs" not in page  # MathJax inside the page: the mathematics shows offline
    assert MANUAL["ann"][1] in next((taught.folder / "home" / "ann" / "toy" / "feedback").rglob("*.html")).read_text()


def test_nothing_in_the_course_folder_is_left_to_root(taught):
    strangers = [p for p in taught.root.rglob("*") if p.lstat().st_uid != OWNER]
    assert not strangers, strangers[:5]
