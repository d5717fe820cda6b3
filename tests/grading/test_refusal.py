"""Without the privileges the sandbox needs, the grading command says so and refuses, unless told otherwise."""

from __future__ import annotations

from classroom import LIN, REPO, SIG, answered, grade, results, submit

from grading import __main__ as command
from grading import sandbox


def test_the_sandbox_needs_root(monkeypatch):
    monkeypatch.setattr(sandbox.os, "geteuid", lambda: 1000)
    assert "root" in sandbox.available()


def test_grading_refuses_to_run_student_code_unsandboxed(monkeypatch, capsys):
    monkeypatch.setattr(sandbox.os, "geteuid", lambda: 1000)
    assert command.main(["toy", "--course", str(REPO)]) == 2
    message = capsys.readouterr().err
    assert "Refusing to grade" in message and "needs root" in message and "--insecure" in message


def test_insecure_grading_still_grades(toy_course):
    submit(toy_course, "trusted", answered(toy_course, {"sig_prime": SIG, "linear_grads": LIN}))
    done = grade(toy_course, "toy", "--insecure", "--students", "trusted")
    assert done.returncode == 0 and "WARNING: --insecure" in done.stderr, done.stderr
    assert results(toy_course)["trusted"]["score"] == 5.0
