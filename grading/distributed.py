"""Grading across machines: each notebook's sandboxed run is a Celery task, carried by a Redis broker.

The instructor's machine assembles every job and decides every verdict, as in a local run; only the run of
student code travels. A worker (one per grading machine, started as root so that it can build the sandbox)::

    python -m grading.distributed --broker redis://HOST:6379/0

takes jobs from the broker, runs each in a fresh sandbox (:func:`grading.sandbox.run`) and sends back the
runner's output as data. Tasks are acknowledged only once they have run (``acks_late``): a worker that dies
in the middle of one leaves it in Redis, and after ``--visibility-seconds`` another worker runs it again from
the start. A sandboxed run changes nothing outside its sandbox, so running it twice is harmless, and the
instructor's machine keeps one result per notebook. The grading command fails (:class:`BrokerLost`) before
anything is recorded if the broker cannot be reached.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import socket
import sys
import time
from pathlib import Path

from celery import Celery
from kombu.exceptions import OperationalError
from kombu.utils.url import maybe_sanitize_url
from redis.exceptions import RedisError

from . import sandbox

TASK = "grading.sandboxed_run"
POLL_SECONDS = 0.25  # how often the instructor's machine asks whether a task is done
BROKER_SECONDS = 10  # how long an unanswered broker is waited for before grading stops
VISIBILITY_SECONDS = 900  # a task whose worker vanished is run again after this long


class BrokerLost(BaseException):  # noqa: N818 (not an Exception: the grader's per-notebook `except Exception` must not eat it)
    """The broker stopped answering: the grade of the batch cannot be completed, so nothing is recorded."""


def make_app(broker: str, visibility_seconds: float = VISIBILITY_SECONDS) -> Celery:
    """The Celery application of workers and instructor alike; Redis carries the tasks and their results."""
    app = Celery("grading", broker=broker, backend=broker, set_as_current=False)
    timeouts = {"socket_timeout": BROKER_SECONDS, "socket_connect_timeout": BROKER_SECONDS}
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"],  # data only, never pickles
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        broker_transport_options={"visibility_timeout": visibility_seconds, **timeouts},
        result_backend_transport_options={"retry_policy": {"timeout": BROKER_SECONDS}},
        redis_socket_timeout=BROKER_SECONDS, redis_socket_connect_timeout=BROKER_SECONDS,
        broker_connection_timeout=BROKER_SECONDS, broker_connection_retry_on_startup=True,
        result_expires=7 * 24 * 3600, worker_hijack_root_logger=False, worker_send_task_events=False,
    )
    app.task(name=TASK)(_sandboxed_run)
    return app


_worker = {"insecure": False}  # set once by the worker command, read by its threads


def _sandboxed_run(job: str, limits: dict) -> dict:
    """On a worker: one notebook's run in a sandbox; the runner's output goes back as data, undecided."""
    outcome = sandbox.run(job, course_root=Path.cwd(), limits=sandbox.Limits(**limits), insecure=_worker["insecure"])
    return dataclasses.asdict(outcome)


class Remote:
    """Runs sandboxed jobs on the workers of a broker: a drop-in for :func:`grading.sandbox.run`."""

    def __init__(self, broker: str):
        self.broker = maybe_sanitize_url(broker)  # as shown in messages: no password
        self.app = make_app(broker)
        try:
            with self.app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=BROKER_SECONDS)
        except (OperationalError, RedisError, OSError) as error:
            raise BrokerLost(f"cannot reach the broker {self.broker}: {error}") from error
        if not self.workers():
            print(f"No grading worker answers on {self.broker} yet: the notebooks wait in Redis until one starts "
                  f"(python -m grading.distributed --broker {self.broker}, as root).", file=sys.stderr)

    def workers(self) -> list[str]:
        """The names of the workers that answer a ping within a second (an empty list: start some)."""
        try:
            return sorted(name for reply in self.app.control.ping(timeout=1.0) for name in reply)
        except (OperationalError, RedisError, OSError) as error:
            raise BrokerLost(f"lost the broker {self.broker}: {error}") from error

    def run(self, job_json: str, *, course_root: Path, limits: sandbox.Limits,
            insecure: bool = False) -> sandbox.Outcome:
        """Send one job, wait for its result; raises :class:`BrokerLost` if the broker stops answering."""
        try:
            result = self.app.send_task(TASK, args=[job_json, dataclasses.asdict(limits)], retry=False)
            while not result.ready():
                time.sleep(POLL_SECONDS)
            try:
                return sandbox.Outcome(**result.get(propagate=True, disable_sync_subtasks=False))
            finally:
                result.forget()
        except (OperationalError, RedisError, OSError) as error:
            raise BrokerLost(f"lost the broker {self.broker} while grading: {error}") from error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading.distributed",
                                     description="A grading worker: runs submitted notebooks in sandboxes.")
    parser.add_argument("--broker", required=True, help="the Redis broker, e.g. redis://HOST:6379/0")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 1, help="notebooks run at once")
    parser.add_argument("--name", default=f"grading-{os.getpid()}@{socket.gethostname()}", help="worker name")
    parser.add_argument("--visibility-seconds", type=float, default=VISIBILITY_SECONDS,
                        help="after this long, a task whose worker vanished is run again: keep it above the "
                             "notebooks' --wall-seconds (default: %(default)s)")
    parser.add_argument("--insecure", action="store_true", help="run student code without the sandbox")
    options = parser.parse_args(argv)
    reason = sandbox.available()
    if reason and not options.insecure:
        print(f"Refusing to start a grading worker: {reason}. Run it as root on Linux.", file=sys.stderr)
        return 2
    _worker["insecure"] = options.insecure
    app = make_app(options.broker, options.visibility_seconds)
    app.worker_main(["worker", "--pool=threads", f"--concurrency={options.concurrency}", f"--hostname={options.name}",
                     "--loglevel=INFO", "--without-gossip", "--without-mingle"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
