"""noxfile.py's sessions, run beside the rest of the suite: Python 3.12 and 3.13, the lowest NumPy, Matplotlib and
tqdm that pyproject.toml allows, and three OpenBLAS kernels that compute otherwise than this machine's own.

nox starts with this module, which is handed out first (conftest.py), and runs its sessions one after another,
each in a fresh virtual environment, while the other test processes go on: its installs and tests fill the time
they spend waiting on browsers, Celery and time limits. Each test waits for nox's JSON report; a failed session
shows its part of nox's log, which is also kept in test-artifacts/nox.log.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = ["versions-3.12", "versions-3.13", "lowest"]
# Two test processes in each session, beside the suite's own: the sessions' tests compute, while a third of the
# suite's time is spent waiting.
PYTEST_ARGS = ["-n", "2"]
HOURS = 1  # a nox that hangs fails here, with its log, before CI's limit (90 minutes) stops everything

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nox_run(tmp_path_factory):
    """Starts nox; returns a function that waits for it and gives (return code, report, log)."""
    folder = tmp_path_factory.mktemp("nox")
    log_path, report_path = folder / "nox.log", folder / "report.json"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "OPENBLAS_CORETYPE"))}
    with log_path.open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "nox", "--no-color", "--report", str(report_path), "--",
                                    *PYTEST_ARGS, f"--basetemp={folder / 'tmp'}"],
                                   cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)

    def finished() -> tuple[int, dict, str]:
        try:
            returncode = process.wait(timeout=HOURS * 3600)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            returncode = process.wait()
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        shutil.copy(log_path, ROOT / "test-artifacts" / "nox.log")
        report = json.loads(report_path.read_text()) if report_path.exists() else {"sessions": []}
        return returncode, report, log_path.read_text(errors="replace")

    yield finished
    if process.poll() is None:  # this module was interrupted: nox and its sessions go with it
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def results(report: dict) -> dict[str, dict]:
    """nox's result for each session, by the name it runs under (``versions-3.12``: its first signature)."""
    return {result["signatures"][0]: result for result in report["sessions"]}


def session_log(log: str, session: str) -> str:
    """The part of nox's log from the start of ``session`` to the start of the next, or to the end."""
    start = log.find(f"nox > Running session {session}\n")
    end = min((i for i in (log.find("nox > Running session", start + 1), log.find("nox > Ran ", start + 1))
               if i > start), default=len(log))
    return log[start:end] if start >= 0 else log


@pytest.mark.parametrize("session", SESSIONS)
def test_session_passes(nox_run, session):
    returncode, report, log = nox_run()
    result = results(report).get(session)
    assert result, f"nox (exit {returncode}) did not report {session}:\n{log[-6000:]}"
    assert result["result"] == "success", f"{session}: {result['reason']}\n{session_log(log, session)[-6000:]}"


def test_nox_runs_these_sessions_each_under_a_kernel_of_its_own(nox_run):
    returncode, report, log = nox_run()
    assert sorted(results(report)) == sorted(SESSIONS), log[-3000:]
    assert returncode == 0, log[-3000:]
    kernels = {name: re.findall(r"OPENBLAS_CORETYPE=(\w+) \(kernel", session_log(log, name)) for name in SESSIONS}
    assert all(len(forced) == 1 for forced in kernels.values()), kernels
    assert len({forced[0] for forced in kernels.values()}) == len(SESSIONS), kernels
