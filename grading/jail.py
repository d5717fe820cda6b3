"""The sandbox's first process: as root inside fresh namespaces, hide what students must not reach, then drop to
an unprivileged user with resource limits and run the given command. Called by ``sandbox.py`` through ``unshare``;
standard library only, because it runs before anything is trusted to import.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess


def mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uid", type=int, required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--stash", required=True)
    parser.add_argument("--hide", action="append", default=[])
    parser.add_argument("--keep", action="append", default=[])
    for limit in ("memory", "cpu", "fsize", "nproc", "nofile"):
        parser.add_argument(f"--{limit}", type=int, required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    command = options.command[1:] if options.command[:1] == ["--"] else options.command

    mount("--make-rprivate", "/")
    # Keep what lies under a hidden folder by binding it aside first, then back over the empty file system.
    stashed = []
    for index, path in enumerate(options.keep):
        if any(path == hidden or path.startswith(hidden.rstrip("/") + "/") for hidden in options.hide):
            aside = os.path.join(options.stash, str(index))
            os.makedirs(aside)
            mount("--bind", path, aside)
            stashed.append((aside, path))
    for hidden in options.hide:
        mount("-t", "tmpfs", "-o", "mode=755,size=1m", "tmpfs", hidden)
    for aside, path in stashed:
        os.makedirs(path, exist_ok=True)
        mount("--bind", aside, path)
    for path in options.keep:
        if not any(path == kept for _, kept in stashed):
            mount("--bind", path, path)  # a mount point of its own, so it can be made read-only
        mount("-o", "remount,bind,ro", path)

    limits = {resource.RLIMIT_AS: options.memory, resource.RLIMIT_CPU: options.cpu,
              resource.RLIMIT_FSIZE: options.fsize, resource.RLIMIT_NPROC: options.nproc,
              resource.RLIMIT_NOFILE: options.nofile, resource.RLIMIT_CORE: 0}
    for which, value in limits.items():
        resource.setrlimit(which, (value, value))
    os.setgroups([])
    os.setgid(options.uid)
    os.setuid(options.uid)
    os.chdir(options.work)
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
