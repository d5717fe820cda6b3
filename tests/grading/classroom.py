"""A simulated class: temporary nbgrader courses, submissions as students make them, and the grading command."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# The toy assignment's right answers, as a student would type them.
SIG = "def sig_prime(z):\n    s = sigmoid(z)\n    return s * (1 - s)\n"
LIN = "def linear_grads(delta, a):\n    return delta @ a.T, delta.sum(axis=1, keepdims=True)\n"
FULL = {"test_sig_prime": 2.0, "test_linear_grads": 3.0}


def nbgrader(root: Path, *args: str) -> str:
    done = subprocess.run([str(BIN / "nbgrader"), *args], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def grade(root: Path, assignment: str, *extra: str) -> subprocess.CompletedProcess:
    """The instructor's one grading command, exactly as the grading guide gives it."""
    return subprocess.run([sys.executable, "-m", "grading", assignment, "--course", str(root), "--no-progress",
                           *extra], cwd=root, capture_output=True, text=True, timeout=1800)


def make_course(root: Path, solutions: Path, *assignments: str) -> Path:
    """A course folder like this repository's: nbgrader_config.py, solutions/, and the generated exercises/."""
    shutil.copy(REPO / "nbgrader_config.py", root)
    for assignment in assignments:
        shutil.copytree(solutions / assignment, root / "solutions" / assignment)
        nbgrader(root, "generate_assignment", assignment, "--force")
    return root


def fresh_clone(folder: Path, solutions: Path, *assignments: str) -> Path:
    """``folder/course``: a course as a fresh checkout has it (solutions/ and exercises/, no gradebook yet)."""
    (folder / "made").mkdir()
    made = make_course(folder / "made", solutions, *assignments)
    root = folder / "course"
    root.mkdir()
    shutil.copy(made / "nbgrader_config.py", root)
    for name in ("solutions", "exercises"):
        shutil.copytree(made / name, root / name)
    shutil.rmtree(made)
    return root


def as_user(uid: int, home: Path, cwd: Path) -> list[str]:
    """A command prefix that runs in ``cwd`` as the ordinary user ``u<uid>``, home ``home``, with no real account.

    In a private mount namespace, as the sandbox does it: /etc/passwd gets a line for the user (nbgrader names
    students after their account), and /root, where this Python may live, shows only the Python installation."""
    passwd = home.parent / f"passwd-u{uid}"
    passwd.write_text(Path("/etc/passwd").read_text() + f"u{uid}:x:{uid}:{uid}::{home}:/bin/sh\n")
    passwd.chmod(0o644)
    become = ("import os, sys; sys.path.insert(0, sys.argv[1]); import jail; "
              "jail.enter(int(sys.argv[2]), sys.argv[3], ['/root'], [sys.argv[4]], {}); "
              "os.execv(sys.argv[5], sys.argv[5:])")
    return ["unshare", "--mount", "--fork", "sh", "-c", 'mount --bind "$0" /etc/passwd && exec "$@"', str(passwd),
            sys.executable, "-I", "-S", "-c", become, str(REPO / "grading"), str(uid), str(cwd),
            str(Path(sys.base_prefix).resolve()), "/usr/bin/env", f"HOME={home}", f"USER=u{uid}", f"LOGNAME=u{uid}"]


def release(root: Path, assignment: str = "toy") -> dict:
    return json.loads((root / "exercises" / assignment / f"{assignment}.ipynb").read_text())


def answered(root: Path, answers: dict[str, str], assignment: str = "toy") -> dict:
    """The release notebook with the given answer cells (by grade_id) filled in."""
    notebook = copy.deepcopy(release(root, assignment))
    for cell in notebook["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    return notebook


def solved(root: Path, assignment: str) -> dict:
    """The release notebook with every answer cell taken from the solutions (markers removed)."""
    source = json.loads((root / "solutions" / assignment / f"{assignment}.ipynb").read_text())
    answers = {}
    for cell in source["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            text = "".join(cell["source"])
            answers[meta["grade_id"]] = re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", "", text, flags=re.M)
    return answered(root, answers, assignment)


def submit(root: Path, student: str, notebook: dict | str | bytes | None, assignment: str = "toy") -> Path:
    """Put a submission where `nbgrader collect` would: .nbgrader/submitted/<student>/<assignment>/."""
    folder = root / ".nbgrader" / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.ipynb"
    if isinstance(notebook, dict):
        path.write_text(json.dumps(notebook))
    elif isinstance(notebook, str):
        path.write_text(notebook)
    elif isinstance(notebook, bytes):
        path.write_bytes(notebook)
    return folder


def results(root: Path, assignment: str = "toy") -> dict[str, dict]:
    """The grader's per-student results (scores and messages per part, notes), by student."""
    path = root / ".nbgrader" / "reports" / f"{assignment}_results.json"
    return {r["student"]: r for r in json.loads(path.read_text())}
