"""The sandbox's first process: as root inside fresh namespaces, hide what students must not reach, then drop to
an unprivileged user with resource limits and run the given command. Called by ``sandbox.py`` through ``unshare``
with ``python -I -S``: standard library only, because it runs before anything is trusted to import.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import resource
import signal

MS_RDONLY, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG = 1
libc = ctypes.CDLL(None, use_errno=True)


def mount(source: str | None, target: str, kind: str | None = None, flags: int = 0, data: str | None = None) -> None:
    """mount(2) itself: a bind from /proc/self/fd/N then reaches what the descriptor holds, not its old path."""
    def raw(text: str | None) -> bytes | None:
        return None if text is None else text.encode()

    if libc.mount(raw(source), raw(target), raw(kind), flags, raw(data)) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"mount {source} on {target}: {os.strerror(error)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uid", type=int, required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--hide", action="append", default=[])
    parser.add_argument("--keep", action="append", default=[])
    for limit in ("memory", "cpu", "fsize", "nproc", "nofile"):
        parser.add_argument(f"--{limit}", type=int, required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    command = options.command[1:] if options.command[:1] == ["--"] else options.command

    mount(None, "/", flags=MS_REC | MS_PRIVATE)
    # What must stay reachable under a hidden folder is held open, then bound back over the empty file system.
    binds = [(path, True) for path in options.keep] + [(options.work, False)]
    held = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path, _ in binds}
    for hidden in options.hide:
        mount("tmpfs", hidden, "tmpfs", 0, "mode=755,size=1m")
    for path, read_only in binds:
        os.makedirs(path, exist_ok=True)
        mount(f"/proc/self/fd/{held[path]}", path, flags=MS_BIND)
        if read_only:
            mount(None, path, flags=MS_REMOUNT | MS_BIND | MS_RDONLY)
        os.close(held[path])

    limits = {resource.RLIMIT_AS: options.memory, resource.RLIMIT_CPU: options.cpu,
              resource.RLIMIT_FSIZE: options.fsize, resource.RLIMIT_NPROC: options.nproc,
              resource.RLIMIT_NOFILE: options.nofile, resource.RLIMIT_CORE: 0}
    for which, value in limits.items():
        resource.setrlimit(which, (value, value))
    os.setgroups([])
    os.setgid(options.uid)
    os.setuid(options.uid)
    # Changing user clears the parent-death signal that unshare's --kill-child set: set it again, so that
    # this process (and with it the whole namespace) dies when unshare does.
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
    os.chdir(options.work)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
