"""The grader parses submissions in threads; CPython's AST constructor is not safe for that on its own."""

from __future__ import annotations

import gc
import json
import sys
import threading

from classroom import REPO

from grading.plan import parse


class Garbage:
    """A cycle with a finalizer: collecting it runs Python code, where the interpreter may switch threads."""

    def __init__(self):
        self.me = self

    def __del__(self):
        sum(range(50))


def test_parsing_in_many_threads_never_fails():
    """Without the lock in ``plan.parse``, 16 threads parsing a notebook's code while collecting garbage hit
    "SystemError: AST constructor recursion depth mismatch" once or twice a run on CPython 3.11.7 (three runs
    of three): the error that stopped a 64-thread Celery grading in bench/grading_throughput.py."""
    path = REPO / "solutions" / "a5_deep_delta_recursion" / "a5_deep_delta_recursion.ipynb"
    notebook = json.loads(path.read_text())
    source = "\n".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code")
    errors: list[BaseException] = []

    def work():
        for _ in range(200):
            junk = [Garbage() for _ in range(50)]
            del junk
            try:
                assert parse(source.replace("%", "#")) is not None
            except BaseException as error:
                errors.append(error)

    interval, thresholds = sys.getswitchinterval(), gc.get_threshold()
    sys.setswitchinterval(1e-6)
    gc.set_threshold(50, 5, 5)
    try:
        threads = [threading.Thread(target=work) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
        gc.set_threshold(*thresholds)
    assert not errors, errors[:3]
