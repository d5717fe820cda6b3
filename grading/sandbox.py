"""Run the student's code where it can reach nothing that matters, and stop it whatever it does.

Each run gets (Linux, as root):
- its own user id, never used by anything else at the same time, so students cannot see each other's files;
- new mount, network and PID namespaces (``unshare``): no network; the course folder (solutions, hidden tests,
  the gradebook, other submissions, git history), root's home and the temporary folders are covered by empty
  file systems, with only the Python installation, the virtual environment and ``course_lib`` mounted back
  read-only, and the run's own working directory read-write; when a cell ends, every process it started
  ends with it (``runner.stop_strays``), and if the grader itself dies, the whole sandbox dies with it;
- limits on memory, CPU time, file size, processes and open files, and a wall-clock limit for the whole run;
- a fresh working directory holding only the job, run with ``python -I`` (nothing there can shadow an import).

Without root (or without ``unshare``) none of that is possible: :func:`available` says why, and the grader
refuses to run student code unless the instructor passes ``--insecure``.
"""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
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
    missing = [name for name in ("unshare", "setpriv") if shutil.which(name) is None]
    if missing:
        return f"the sandbox needs the {' and '.join(missing)} command (util-linux)"
    return _namespaces_work()


@functools.cache
def _namespaces_work() -> str | None:
    """Containers may forbid new namespaces even to root: try once."""
    tried = subprocess.run(["unshare", "--mount", "--net", "--pid", "--fork", "--mount-proc", "true"],
                           capture_output=True, text=True)
    return None if tried.returncode == 0 else f"this machine refuses new namespaces ({tried.stderr.strip()[:200]})"


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
    """What student code needs: Python itself, the environment's packages, course_lib, and the runner."""
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), Path(course_lib.__file__).resolve().parent}
    return sorted(paths)


def run(job_json: str, *, course_root: Path, limits: Limits, insecure: bool = False) -> Outcome:
    """Run ``grading/runner.py`` on ``job_json`` in a fresh sandbox; never raises for anything the student did."""
    base = Path(tempfile.mkdtemp(prefix=f"grade-{os.getpid()}-"))  # the grader's pid: whose folder it is
    uid = None if insecure else _take_uid()
    try:
        work, runtime = base / "work", base / "runtime"
        work.mkdir()
        runtime.mkdir()
        for name in ("runner.py", "payload.py"):
            shutil.copy(HERE / name, runtime / name)
        (work / "job.json").write_text(job_json)
        if uid is not None:
            os.chmod(base, 0o711)
            os.chown(work, uid, uid)
            os.chmod(work, 0o700)
        command = _command(base, work, runtime, course_root, uid, limits)
        log_path = base / "log.txt"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                       env=_environment(work), cwd=work, start_new_session=True)
            try:
                process.wait(timeout=limits.wall_seconds)
                timed_out = False
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)  # unshare dies; --kill-child takes the namespace's processes with it
                process.wait()
                timed_out = True
        return Outcome(_read(work / "results.jsonl", 8 * 2**20), process.returncode, timed_out, _read(log_path, 20_000))
    finally:
        shutil.rmtree(base, ignore_errors=True)
        if uid is not None:
            _release_uid(uid)


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


def _command(base: Path, work: Path, runtime: Path, course_root: Path, uid: int | None, limits: Limits) -> list[str]:
    python = [sys.executable, "-I", str(runtime / "runner.py")]
    if uid is None:
        return python
    jail = [sys.executable, "-I", "-S", str(HERE / "jail.py"), "--uid", str(uid), "--work", str(work),
            "--memory", str(limits.memory_bytes), "--cpu", str(limits.cpu_seconds),
            "--fsize", str(limits.file_bytes), "--nproc", str(limits.processes), "--nofile", str(limits.open_files)]
    for path in _hidden_paths(course_root):
        jail += ["--hide", str(path)]
    for path in _kept_paths() + [runtime]:
        jail += ["--keep", str(path)]
    # If the grader (or a worker) dies, the kernel kills unshare (parent-death signal), and unshare's
    # --kill-child takes the whole namespace with it: no sandbox outlives the process that started it.
    return ["setpriv", "--pdeathsig", "KILL", "unshare", "--mount", "--net", "--pid", "--fork", "--kill-child",
            "--mount-proc", *jail, "--", *python]

