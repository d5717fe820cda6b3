"""Runs inside the sandbox, as an unprivileged user: the student's cells, then the recorded calls.

It reads ``job.json`` from the working directory: a list of steps, each either ``{"cell": source}`` (a code
cell: the instructor's setup or the student's answer) or ``{"calls": [...]}`` (where a test cell stood: the
student's functions to call on recorded arguments). It appends one JSON line per step to
``results.jsonl``, so whatever finished before a crash or a kill is kept. Nothing here decides a grade:
the answers are data, judged by the grader in a process that never ran student code.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # payload.py lies beside this file

import numpy as np  # noqa: E402
import payload  # noqa: E402

MAX_OUTPUT = 4000  # characters of a cell's output kept for the feedback
RETRY_SECONDS = 0.25  # how often the alarm repeats once a cell's time is up


class Timeout(BaseException):
    """Raised by the alarm when a cell or call runs too long (a BaseException: `except Exception` won't eat it)."""


class Capture:
    """A stand-in for sys.stdout/stderr that keeps the first MAX_OUTPUT characters and counts the rest."""

    def __init__(self):
        self.parts, self.kept, self.dropped = [], 0, 0

    def write(self, text) -> int:
        text = str(text)
        room = MAX_OUTPUT - self.kept
        self.parts.append(text[:room])
        self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - room)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        more = f"\n… {self.dropped} more characters of output not kept" if self.dropped else ""
        return "".join(self.parts) + more


def _on_alarm(signum, frame):
    """A cell's or call's time is up: stop the processes it started, forbid new ones, raise Timeout in its code.

    The alarm repeats every RETRY_SECONDS until ``_run`` disarms it, because one Timeout is not always enough:
    raised inside an at-fork hook (IPython registers one), it is swallowed by Python and the loop goes on.
    A repeat is not raised while a Timeout is already being handled, nor in ``_run`` itself.
    """
    stop_strays()  # first: a fork bomb's processes would leave the runner no CPU to report the time-out
    if os.getpid() == 1:
        resource.setrlimit(resource.RLIMIT_NPROC, (0, resource.getrlimit(resource.RLIMIT_NPROC)[1]))
    if isinstance(sys.exc_info()[1], Timeout) or (frame is not None and frame.f_code is _run.__code__):
        return
    raise Timeout()


def _unraisable(unraisable) -> None:
    """A Timeout swallowed in an at-fork hook is the alarm's business, not the student's output."""
    if not isinstance(unraisable.exc_value, Timeout):
        sys.__unraisablehook__(unraisable)


def _run(fn, seconds: float):
    """Call ``fn`` with stdout/stderr captured and warnings silenced; returns (result, output, error)."""
    capture, saved = Capture(), (sys.stdout, sys.stderr)
    sys.stdout = sys.stderr = capture
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, RETRY_SECONDS)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return fn(), capture.text(), None
    except Timeout:
        return None, capture.text(), f"stopped after {seconds:g} s (the time limit): look for an endless loop"
    except NotImplementedError:
        return None, capture.text(), "not implemented yet (the function still raises NotImplementedError)"
    except BaseException as error:  # the student's bug, reported as feedback
        return None, capture.text(), _describe(error)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        sys.stdout, sys.stderr = saved
        hard = resource.getrlimit(resource.RLIMIT_NPROC)[1]
        resource.setrlimit(resource.RLIMIT_NPROC, (hard, hard))  # new processes allowed again


def _describe(error: BaseException) -> str:
    try:
        return f"your code raised {type(error).__name__}: {str(error)[:1000]}"
    except BaseException:
        return f"your code raised {type(error).__name__}"


def _shell():
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "NoColor"
    return InteractiveShell.instance(config=config)


def run_cell(shell, source: str, seconds: float) -> dict:
    def execute():
        result = shell.run_cell(source, store_history=False)
        if result.error_before_exec is not None or result.error_in_exec is not None:
            raise result.error_before_exec or result.error_in_exec
    _, output, error = _run(execute, seconds)
    return {"output": output, "error": error}


def run_call(shell, call: dict, seconds: float) -> dict:
    fn = shell.user_ns.get(call["function"])
    if not callable(fn):
        return {"error": f"{call['function']} is not defined: keep the answer cell that defines it, and run it"}
    args = payload.decode(call["args"], functions=True)
    answer, _, error = _run(lambda: fn(*args), seconds)
    if error:
        return {"error": f"{call['name']}: {error}"}
    try:
        return {"answer": payload.encode(answer)}
    except payload.PayloadError as problem:
        return {"error": f"{call['name']}: your function returned {problem}"}


_stopped = [0]  # processes stop_strays ended since the step began


def stop_strays() -> None:
    """End every process the student's code started and left running, and count them in ``_stopped``.

    In the sandbox the runner is the first process of its PID namespace, so kill(-1) reaches exactly the
    processes the student's code started there (a fork bomb, a forgotten pool), never anything outside, and
    their orphans are reparented to the runner, which reaps them. Called when a step ends and when it runs
    out of time, so every step starts from the same machine, whatever the last one left. Outside a sandbox
    (``--insecure``) nothing is done.
    """
    if os.getpid() != 1:
        return
    while True:
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:  # none left to signal
            return
        try:
            while True:
                os.waitpid(-1, 0)
                _stopped[0] += 1
        except ChildProcessError:
            pass


def main() -> None:
    with open("job.json") as handle:
        job = json.load(handle)
    shell = _shell()
    sys.unraisablehook = _unraisable
    with open("results.jsonl", "a") as out:
        for index, step in enumerate(job["steps"]):
            seconds = job["cell_seconds"]
            if "cell" in step:
                record = {"step": index, **run_cell(shell, step["cell"], seconds)}
            else:
                record = {"step": index, "calls": [run_call(shell, call, seconds) for call in step["calls"]]}
            stop_strays()
            if _stopped[0]:
                record["strays"], _stopped[0] = _stopped[0], 0
            out.write(json.dumps(record) + "\n")
            out.flush()


if __name__ == "__main__":
    main()
