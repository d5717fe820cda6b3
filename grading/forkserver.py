"""A prepared process that starts each sandbox by forking itself, so that Python, NumPy, IPython and course_lib
are imported once per grader instead of once per notebook (about 0.4 s of every sandbox's start).

``sandbox.py`` starts it as root, with the sandbox's environment, and talks to it over a socket, one JSON line
per message:

- ``{"job": n, "uid": ..., "work": ..., "log": ..., "hide": [...], "keep": [...], "limits": {...}, "env": {...}}``
  starts job ``n``; ``{"job": n, "returncode": rc}`` comes back when its sandbox has ended (negative: killed
  by that signal), or ``{"job": n, "error": why}`` if no sandbox could be started;
- ``{"kill": n}`` kills job ``n``'s sandbox (its wall-clock limit).

For each job it forks a process that enters new mount, network and PID namespaces and forks the first process
of the new PID namespace, which hides the course (``jail.enter``), becomes the job's user and runs
``runner.main``. When that first process ends, the kernel kills every process left in its namespace. Each
process dies with its parent (``PR_SET_PDEATHSIG``), and this server kills its sandboxes and exits when the
socket closes, which happens when the grader ends, however it ends. This process never runs student code and
never reads the course: it only forks.
Run by sandbox.py: python -I forkserver.py SOCKET_FD GRADER_PID
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import jail  # noqa: E402
import runner  # noqa: E402 (imports NumPy and payload)

sys.path[:] = [path for path in sys.path if path != HERE]  # student code must not import the grader's modules
import IPython.core.interactiveshell  # noqa: E402, F401 (the shell the runner makes)
import traitlets.config  # noqa: E402, F401

import course_lib  # noqa: E402, F401 (what every assignment's setup cell imports)


def sandbox(job: dict) -> None:
    """In the forked child: the sandbox's outer process, which waits for the namespace's first process."""
    try:
        jail.die_with_parent()
        if os.getppid() == 1:  # the server died before the line above
            os._exit(1)
        os.closerange(3, 1 << 16)  # nothing of the server's (its socket above all) reaches the notebook
        os.setsid()
        jail.leave_namespaces()
        first = os.fork()
        if first == 0:
            notebook(job)
        _, status = os.waitpid(first, 0)
        code = os.waitstatus_to_exitcode(status)
        if code < 0:  # killed by a signal: end the same way, as the grader expects of a killed process
            os.kill(os.getpid(), -code)
        os._exit(code)
    except BaseException:
        traceback.print_exc()
        os._exit(70)


def notebook(job: dict) -> None:
    """The first process of the new PID namespace: jail, then the student's notebook; never returns."""
    code = 1
    try:
        jail.die_with_parent()
        log = os.open(job["log"], os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        os.close(null)
        jail.enter(job["uid"], job["work"], job["hide"], job["keep"], job["limits"])
        os.environ.clear()
        os.environ.update(job["env"])
        runner.main()
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(channel: socket.socket) -> None:
    running: dict[int, int] = {}  # job -> pid of its sandbox's outer process
    jobs: dict[int, int] = {}  # the reverse
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector = selectors.DefaultSelector()
    selector.register(channel, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    pending = b""
    while True:
        for key, _ in selector.select():
            if key.fileobj is channel:
                data = channel.recv(1 << 16)
                if not data:  # the grader has ended
                    for pid in running.values():
                        os.kill(pid, signal.SIGKILL)
                    return
                pending += data
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    message = json.loads(line)
                    if "kill" in message:
                        if message["kill"] in running:
                            os.kill(running[message["kill"]], signal.SIGKILL)
                        continue
                    sys.stdout.flush()
                    sys.stderr.flush()
                    try:
                        pid = os.fork()
                    except OSError as error:  # the machine's limits, not the student's doing
                        reply(channel, {"job": message["job"], "error": f"no sandbox could start: {error}"})
                        continue
                    if pid == 0:
                        signal.set_wakeup_fd(-1)
                        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                        sandbox(message)
                    running[message["job"]], jobs[pid] = pid, message["job"]
            else:
                os.read(wake_read, 4096)
        while jobs:  # report every sandbox that has ended
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            job = jobs.pop(pid)
            del running[job]
            reply(channel, {"job": job, "returncode": os.waitstatus_to_exitcode(status)})


def reply(channel: socket.socket, message: dict) -> None:
    channel.sendall(json.dumps(message).encode() + b"\n")


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))
