"""Inside a sandbox's fresh namespaces, as root: hide what students must not reach, then drop to an unprivileged
user with resource limits. Called by ``forkserver.py`` in the first process of each sandbox; standard library
only, because it runs before anything is trusted to import.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x20000000, 0x40000000
PR_SET_PDEATHSIG = 1
LIMITS = {"memory": resource.RLIMIT_AS, "cpu": resource.RLIMIT_CPU, "fsize": resource.RLIMIT_FSIZE,
          "nproc": resource.RLIMIT_NPROC, "nofile": resource.RLIMIT_NOFILE}
libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def mount(source: str | None, target: str, kind: str | None = None, flags: int = 0, data: str | None = None) -> None:
    """mount(2) itself: a bind from /proc/self/fd/N then reaches what the descriptor holds, not its old path."""
    def raw(text: str | None) -> bytes | None:
        return None if text is None else text.encode()

    _check(libc.mount(raw(source), raw(target), raw(kind), flags, raw(data)), f"mount {source} on {target}")


def leave_namespaces() -> None:
    """New mount and network namespaces for this process, and a new PID namespace for its next child."""
    _check(libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID), "unshare")


def die_with_parent() -> None:
    """SIGKILL this process when its parent ends (cleared by a change of user: set it again after one)."""
    _check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")


def own_proc() -> None:
    """Mounts made from here on stay in this mount namespace; /proc shows this PID namespace's processes."""
    mount(None, "/", flags=MS_REC | MS_PRIVATE)
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)


def enter(uid: int, work: str, hide: list[str], keep: list[str], limits: dict[str, int]) -> None:
    """Called as root by the first process of a PID namespace: mount its own /proc, cover every ``hide`` folder
    with an empty file system, bind back ``keep`` (read-only) and ``work`` (read-write), set ``limits``
    (names of :data:`LIMITS`), become ``uid``, and go to ``work``."""
    own_proc()
    # What must stay reachable under a hidden folder is held open, then bound back over the empty file system.
    binds = [(path, True) for path in keep] + [(work, False)]
    held = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path, _ in binds}
    for hidden in hide:
        mount("tmpfs", hidden, "tmpfs", 0, "mode=755,size=1m")
    for path, read_only in binds:
        os.makedirs(path, exist_ok=True)
        mount(f"/proc/self/fd/{held[path]}", path, flags=MS_BIND)
        if read_only:
            mount(None, path, flags=MS_REMOUNT | MS_BIND | MS_RDONLY)
        os.close(held[path])

    for name, value in limits.items():
        resource.setrlimit(LIMITS[name], (value, value))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    die_with_parent()  # changing user cleared it
    os.chdir(work)


if __name__ == "__main__":  # sandbox.available() asks: can this machine make the namespaces? (exit 0 if it can)
    leave_namespaces()
    child = os.fork()
    if child == 0:
        own_proc()
        os._exit(0)
    raise SystemExit(os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]))
