"""Run the student's code where it can reach nothing that matters, and stop it whatever it does.

Each run gets (Linux, as root):
- its own user id, never used by anything else at the same time, so students cannot see each other's files;
- new mount, network and PID namespaces: no network; the course folder (solutions, hidden tests,
  the gradebook, other submissions, git history), root's home and the temporary folders are covered by empty
  file systems, with only the Python installation, the virtual environment and ``course_lib`` mounted back
  read-only, and the run's own working directory read-write; when a cell ends, every process it started
  ends with it (``runner.stop_strays``), and if the grader itself dies, the whole sandbox dies with it;
- limits on memory, CPU time, file size, processes and open files, and a wall-clock limit for the whole run;
- a fresh working directory holding only the job; the runner, forked from a prepared process that imported
  Python's libraries once for the whole class (``forkserver.py``, started with ``python -I``: nothing in the
  working directory can shadow an import).

Without root (or where a container forbids namespaces) none of that is possible: :func:`available` says why,
and the grader refuses to run student code unless the instructor passes ``--insecure``.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import course_lib

HERE = Path(__file__).resolve().parent


@dataclass
class Limits:
    memory_bytes: int = 3 * 2**30
    cpu_seconds: int = 600
    wall_seconds: float = 300.0
    cell_seconds: float = 60.0
    file_bytes: int = 64 * 2**20
    processes: int = 64
    open_files: int = 256


@dataclass
class Outcome:
    results: str  # the runner's results.jsonl (untrusted text, at most a few MB)
    returncode: int | None
    timed_out: bool
    log: str  # the runner's own stdout and stderr, truncated


def available() -> str | None:
    """None if secure sandboxing works here, otherwise the reason it does not."""
    if not sys.platform.startswith("linux"):
        return "the sandbox needs Linux namespaces"
    if os.geteuid() != 0:
        return "the sandbox needs root (to switch to an unprivileged user and build namespaces)"
    return _namespaces_work()


@functools.cache
def _namespaces_work() -> str | None:
    """Containers may forbid new namespaces even to root: try once."""
    tried = subprocess.run([sys.executable, "-I", "-S", str(HERE / "jail.py")], capture_output=True, text=True)
    reason = (tried.stderr.strip().splitlines() or ["?"])[-1][:200]
    return None if tried.returncode == 0 else f"this machine refuses new namespaces ({reason})"


FIRST_UID = 61000  # sandbox users: 61000 + 1000·block + k (no account needed)
UID_BLOCK = 1000  # user ids per grading process: as many sandboxes as it may run at once
LOCKS = Path("/run/lock/grading-uids")  # block k is held by whichever process holds an flock on k.lock

_uid_lock = threading.Lock()
_uids_in_use: set[int] = set()
_block: dict = {}  # this process's block: {"first": uid, "handle": the locked file}


def _first_uid() -> int:
    """The first user id of a block that no other grading process on this machine holds while this one lives.

    Two graders at once (two instructors, a grader beside a worker, parallel tests) never share a sandbox user,
    so one student's processes can never signal, or count against the process limit of, another's.
    """
    if not _block:
        LOCKS.mkdir(parents=True, exist_ok=True)
        for block in range(1000):
            handle = open(LOCKS / f"{block}.lock", "w")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            _block.update(first=FIRST_UID + block * UID_BLOCK, handle=handle)
            break
        else:
            raise RuntimeError("no free block of sandbox user ids: too many graders on this machine")
    return _block["first"]


def _take_uid() -> int:
    with _uid_lock:
        uid = _first_uid()
        while uid in _uids_in_use:
            uid += 1
        _uids_in_use.add(uid)
        return uid


def _release_uid(uid: int) -> None:
    with _uid_lock:
        _uids_in_use.discard(uid)


def _hidden_paths(course_root: Path) -> list[Path]:
    paths = [course_root.resolve(), Path("/root"), Path.home().resolve(), Path(tempfile.gettempdir()).resolve(),
             Path("/var/tmp"), Path("/dev/shm")]
    return [p for p in dict.fromkeys(paths) if p.exists() and p != Path("/")]


def _kept_paths() -> list[Path]:
    """What student code needs: Python itself, the environment's packages and course_lib (the runner is in memory)."""
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), Path(course_lib.__file__).resolve().parent}
    return sorted(paths)


def run(job_json: str, *, course_root: Path, limits: Limits, insecure: bool = False) -> Outcome:
    """Run ``grading/runner.py`` on ``job_json`` in a fresh sandbox; never raises for anything the student did."""
    base = Path(tempfile.mkdtemp(prefix=f"grade-{os.getpid()}-"))  # the grader's pid: whose folder it is
    uid = None if insecure else _take_uid()
    try:
        work, log_path = base / "work", base / "log.txt"
        work.mkdir()
        (work / "job.json").write_text(job_json)
        log_path.touch()
        if uid is None:
            returncode, timed_out = _unsandboxed(base, work, log_path, limits)
        else:
            os.chmod(base, 0o711)
            os.chown(work, uid, uid)
            os.chmod(work, 0o700)
            job = {"uid": uid, "work": str(work), "log": str(log_path), "env": _environment(work),
                   "hide": [str(p) for p in _hidden_paths(course_root)], "keep": [str(p) for p in _kept_paths()],
                   "limits": {"memory": limits.memory_bytes, "cpu": limits.cpu_seconds, "fsize": limits.file_bytes,
                              "nproc": limits.processes, "nofile": limits.open_files}}
            returncode, timed_out = _server().run(job, limits.wall_seconds)
        return Outcome(_read(work / "results.jsonl", 8 * 2**20), returncode, timed_out, _read(log_path, 20_000))
    finally:
        shutil.rmtree(base, ignore_errors=True)
        if uid is not None:
            _release_uid(uid)


def _unsandboxed(base: Path, work: Path, log_path: Path, limits: Limits) -> tuple[int | None, bool]:
    """``--insecure``: the runner as a plain process of this user, with only the wall-clock limit."""
    runtime = base / "runtime"
    runtime.mkdir()
    for name in ("runner.py", "payload.py"):
        shutil.copy(HERE / name, runtime / name)
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-I", str(runtime / "runner.py")], stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, env=_environment(work), cwd=work,
                                   start_new_session=True)
        try:
            return process.wait(timeout=limits.wall_seconds), False
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            return process.wait(), True


class _ForkServer:
    """This grading process's ``forkserver.py``: one job at a time per calling thread, any number of threads."""

    def __init__(self):
        mine, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(HERE / "forkserver.py"), str(theirs.fileno()), str(os.getpid())],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            env=_environment(Path("/nonexistent")), cwd="/", start_new_session=True)
        theirs.close()
        self.channel, self.lock, self.sending, self.next_job = mine, threading.Lock(), threading.Lock(), 0
        self.waiting: dict[int, tuple[threading.Event, dict]] = {}  # job -> (its end, the server's message)
        self.alive = True
        threading.Thread(target=self._listen, daemon=True).start()

    def run(self, job: dict, seconds: float) -> tuple[int | None, bool]:
        """Start ``job``, wait for its end at most ``seconds``, then kill it; returns (returncode, timed out).

        Raises RuntimeError if no sandbox could start or the server died: the machine's fault, never the
        student's (``grade`` then flags the notebook to be graded by hand)."""
        with self.lock:
            if not self.alive:  # it died since _server() handed it out
                raise RuntimeError("the grader's fork server ended before the notebook could start")
            number, self.next_job = self.next_job, self.next_job + 1
            ended, message = self.waiting[number] = (threading.Event(), {})
        self._send({"job": number, **job})
        timed_out = not ended.wait(seconds)
        if timed_out:
            self._send({"kill": number})
            ended.wait()
        if "returncode" not in message:
            raise RuntimeError(message.get("error", "the grader's fork server ended while the notebook ran"))
        return message["returncode"], timed_out

    def _send(self, message: dict) -> None:
        try:
            with self.sending:
                self.channel.sendall(json.dumps(message).encode() + b"\n")
        except OSError:  # the server is gone: _listen ends every job
            pass

    def _listen(self) -> None:
        with self.channel.makefile("rb") as lines:
            for line in lines:
                message = json.loads(line)
                with self.lock:
                    ended, found = self.waiting.pop(message["job"])
                found.update(message)
                ended.set()
        with self.lock:  # the server died (killed from outside): every job still waiting has ended with it
            self.alive = False
            for ended, _ in self.waiting.values():
                ended.set()
            self.waiting.clear()


_servers: dict[int, _ForkServer] = {}  # by process: a forked grader (a Celery worker's child) starts its own
_servers_lock = threading.Lock()


def _server() -> _ForkServer:
    with _servers_lock:
        server = _servers.get(os.getpid())
        if server is None or not server.alive:
            server = _servers[os.getpid()] = _ForkServer()
        return server


def _read(path: Path, limit: int) -> str:
    """At most ``limit`` bytes of a regular file; a link, a pipe or a device (the student's doing) reads as empty."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return ""
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return ""
        return handle.read(limit).decode("utf-8", errors="replace")


def _environment(work: Path) -> dict:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
           "MPLCONFIGDIR": str(work / ".matplotlib"), "PYTHONDONTWRITEBYTECODE": "1", "TQDM_DISABLE": "1",
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # some CPUs need these for correct results
        if name in os.environ:
            env[name] = os.environ[name]
    return env
