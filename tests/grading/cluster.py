"""A grading cluster on this machine: Debian's redis-server and Celery workers, all on 127.0.0.1.

Used by tests/grading/test_distributed.py and bench/grading_throughput.py. redis-server is installed with
apt-get when it is missing (the tests run as root), never skipped.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
STARTUP_SECONDS = 60


def ensure_redis() -> str:
    """The path of redis-server, installing Debian's package if needed."""
    if shutil.which("redis-server") is None:
        if os.geteuid() != 0:
            raise RuntimeError("redis-server is missing and only root can install it: apt-get install redis-server")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update"], ["apt-get", "install", "-y", "redis-server"]):
            done = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env)
            if done.returncode:
                raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr}")
    return shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _wait_for(ready, what: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not ready():
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {STARTUP_SECONDS} s")
        time.sleep(0.1)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(port: int, folder: Path) -> subprocess.Popen:
    """A throw-away Redis on 127.0.0.1:port that keeps nothing on disk."""
    process = subprocess.Popen([ensure_redis(), "--port", str(port), "--bind", HOST, "--save", "", "--appendonly",
                                "no", "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    _wait_for(lambda: _answers(port), "redis-server", process)
    return process


def start_worker(broker: str, name: str, log: Path, *extra: str) -> subprocess.Popen:
    """One grading worker (the documented command), in its own process group; returns once it is ready."""
    handle = open(log, "w")
    process = subprocess.Popen([sys.executable, "-m", "grading.distributed", "--broker", broker, "--name", name,
                                *extra], cwd=REPO, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    _wait_for(lambda: "ready." in log.read_text(), f"worker {name}", process)
    return process


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """End a process started here and everything in its group (a worker's threads and sandboxes)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            process.send_signal(sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def kill_worker(worker: subprocess.Popen) -> None:
    """SIGKILL the worker process alone (as the kernel's OOM killer would), mid-notebook. Its sandboxes die
    with it (tests/grading/test_hostile.py shows that a killed grader takes its sandbox along); the folders
    that the dead worker could not remove (``/tmp/grade-<its pid>-*``) are removed here, as a reboot would.
    """
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    for folder in Path("/tmp").glob(f"grade-{worker.pid}-*"):
        shutil.rmtree(folder, ignore_errors=True)
