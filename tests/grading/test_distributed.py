"""Grading across machines: a real Redis and two Celery workers on 127.0.0.1, against a local run.

Shows that the scores and messages are those of a local run, that a worker killed in the middle of a notebook
loses nothing and doubles nothing (the task runs again on the other worker), and that a broker that
disappears stops the command loudly with nothing recorded, after which a rerun completes.
"""

from __future__ import annotations

import csv
import json
import re
import signal
import subprocess
import sys
import time

import pytest
from classroom import FULL, LIN, REPO, SIG, answered, grade, make_course, results, submit
from cluster import free_port, kill_worker, start_redis, start_worker, stop
from nbgrader.api import Gradebook

SLOW = "import time\ntime.sleep(4)\n"  # an answer cell that keeps its worker busy long enough to be killed
CLASS = {  # student: answers
    "ann": {"sig_prime": SIG, "linear_grads": LIN},
    "ben": {"sig_prime": SIG},
    "cat": {},
    "dan": {"sig_prime": "def sig_prime(z):\n    return sigmoid(z)\n", "linear_grads": LIN},
    "eve": {"sig_prime": SLOW + SIG, "linear_grads": LIN},
    "fay": {"sig_prime": SLOW + SIG},
}
VISIBILITY = 45  # seconds before a dead worker's task is run again (above the notebooks' 30 s limit)
LIMITS = ["--wall-seconds", "30", "--cell-seconds", "15"]  # room for a loaded machine: no run may hit them


def new_course(tmp_path_factory, name: str):
    root = make_course(tmp_path_factory.mktemp(name), REPO / "tests" / "grading" / "course" / "solutions", "toy")
    for student, answers in CLASS.items():
        submit(root, student, answered(root, answers))
    return root


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Redis and two workers (one notebook at a time each); the tests may kill and restart them."""
    folder = tmp_path_factory.mktemp("cluster")
    port = free_port()
    state = {"port": port, "broker": f"redis://127.0.0.1:{port}/0", "folder": folder,
             "redis": start_redis(port, folder)}
    for name in ("w1", "w2"):
        state[name] = worker(state, name)
    yield state
    for name in ("w1", "w2", "redis"):
        stop(state[name])


def worker(state: dict, name: str, attempt: int = 0) -> subprocess.Popen:
    log = state["folder"] / f"{name}-{attempt}.log"
    return start_worker(state["broker"], f"{name}@test", log, "--concurrency", "1",
                        "--visibility-seconds", str(VISIBILITY))


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    root = new_course(tmp_path_factory, "local")
    done = grade(root, "toy", *LIMITS)
    assert done.returncode == 0, done.stderr
    return results(root)


def graded_on(cluster, root, *extra) -> subprocess.CompletedProcess:
    return grade(root, "toy", *LIMITS, "--broker", cluster["broker"], *extra)


def grades_csv(root) -> dict[str, float]:
    return {row["student_id"]: float(row["score"])
            for row in csv.DictReader(open(root / ".nbgrader" / "reports" / "grades.csv"))}


def test_workers_give_the_scores_and_messages_of_a_local_run(cluster, local, tmp_path_factory):
    root = new_course(tmp_path_factory, "remote")
    done = graded_on(cluster, root)
    assert done.returncode == 0, done.stderr
    assert results(root) == local
    recorded_once(root)
    assert local["ann"]["score"] == sum(FULL.values()) and local["dan"]["parts"]["test_sig_prime"]["score"] == 0
    assert grades_csv(root)["ann"] == 5.0 and grades_csv(root)["cat"] == 0.0
    for name in ("w1", "w2"):  # the two workers shared the class
        assert _task_ids((cluster["folder"] / f"{name}-0.log").read_text(), "succeeded"), name


def _task_ids(text: str, state: str) -> set[str]:
    return set(re.findall(r"Task grading\.sandboxed_run\[([0-9a-f-]+)\] " + state, text))


def grading_until_received(cluster, root, log) -> subprocess.Popen:
    """The grading command started in the background; returns once the worker with this log took a notebook."""
    before = _task_ids(log.read_text(), "received")
    command = subprocess.Popen([sys.executable, "-m", "grading", "toy", "--course", str(root), "--no-progress",
                                *LIMITS, "--broker", cluster["broker"]], cwd=root, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    while not (_task_ids(log.read_text(), "received") - before):
        assert command.poll() is None, command.communicate()
        time.sleep(0.05)
    return command


def recorded_once(root) -> None:
    """Each student once in the grader's results and in nbgrader's gradebook."""
    graded = json.loads((root / ".nbgrader" / "reports" / "toy_results.json").read_text())
    assert sorted(r["student"] for r in graded) == sorted(CLASS)
    with Gradebook(f"sqlite:///{root / '.nbgrader' / 'gradebook.db'}") as gradebook:
        assert sorted(s.student_id for s in gradebook.assignment_submissions("toy")) == sorted(CLASS)


def test_a_worker_killed_mid_notebook_loses_nothing_and_doubles_nothing(cluster, local, tmp_path_factory):
    root = new_course(tmp_path_factory, "killed")
    log = cluster["folder"] / "w1-0.log"
    before = _task_ids(log.read_text(), "received")
    command = grading_until_received(cluster, root, log)
    kill_worker(cluster["w1"])  # while its notebook runs: every run takes over a second
    text = log.read_text()
    interrupted = (_task_ids(text, "received") - before) - _task_ids(text, "succeeded")
    assert interrupted, "the worker finished its notebook before it was killed"
    out, err = command.communicate(timeout=600)
    assert command.returncode == 0, err
    rerun = _task_ids((cluster["folder"] / "w2-0.log").read_text(), "succeeded")
    assert interrupted <= rerun  # the other worker ran it again
    assert results(root) == local
    recorded_once(root)
    assert grades_csv(root) == {s: local[s]["score"] for s in CLASS}
    cluster["w1"] = worker(cluster, "w1", attempt=1)


def test_a_lost_broker_stops_grading_with_nothing_recorded_and_a_rerun_completes(cluster, local, tmp_path_factory):
    root = new_course(tmp_path_factory, "lost")
    command = grading_until_received(cluster, root, cluster["folder"] / "w2-0.log")
    stop(cluster["redis"], signal.SIGKILL)
    out, err = command.communicate(timeout=300)
    assert command.returncode == 3, err
    assert "Grading stopped, nothing recorded" in err and cluster["broker"] in err
    reports = root / ".nbgrader" / "reports"
    assert not (reports / "toy_results.json").exists() and not (root / ".nbgrader" / "autograded").exists()
    with Gradebook(f"sqlite:///{root / '.nbgrader' / 'gradebook.db'}") as gradebook:
        assert gradebook.assignment_submissions("toy") == []

    cluster["redis"] = start_redis(cluster["port"], cluster["folder"])
    done = graded_on(cluster, root)
    assert done.returncode == 0, done.stderr
    assert results(root) == local
    recorded_once(root)
