"""How pytest runs this repository.

nbval for the book's text chapters: each MyST Markdown notebook (``book/*.md`` with a jupytext header) is read
with jupytext and run cell by cell exactly as nbval runs an ``.ipynb``, so the chapters are stored as text and
no second copy is committed. Below, how the test processes share the work."""

from __future__ import annotations

import os
import types
from pathlib import Path

import jupytext
import nbval.plugin


def is_text_notebook(path: Path) -> bool:
    """A ``.md`` file that jupytext wrote (it starts with a ``jupytext:`` header), such as a book chapter."""
    if path.suffix != ".md":
        return False
    with path.open(encoding="utf-8") as file:
        head = file.read(200)
    return head.startswith("---") and "jupytext:" in head


class TextNotebook(nbval.plugin.IPyNbFile):
    """nbval's notebook collector, reading the notebook with jupytext instead of nbformat."""

    def collect(self):
        reader = types.SimpleNamespace(read=lambda path, as_version: jupytext.read(path, as_version=as_version),
                                       from_dict=nbval.plugin.nbformat.from_dict)
        original, nbval.plugin.nbformat = nbval.plugin.nbformat, reader
        try:
            yield from super().collect()
        finally:
            nbval.plugin.nbformat = original


def pytest_collect_file(file_path: Path, parent):
    opt = parent.config.option
    if (opt.nbval or opt.nbval_lax) and is_text_notebook(file_path):
        return TextNotebook.from_parent(parent, path=file_path)
    return None


# Test processes: one per core and two more (pytest-xdist, ``-n auto`` in pyproject.toml, at most four). One of
# them starts nox's sessions (tests/portability/test_nox_sessions.py) and waits for them while they run beside the
# rest; and a third of the rest's time is spent waiting on browsers, Celery and the sandboxes' time limits, which
# the other extra process fills. The processes share the work by *scope*: a scope's tests run in one process, in
# order. A notebook is one scope (its cells share a kernel), a test module another; the book's tests share the
# steps that write into its checkout (session fixtures), so they are one scope, except the accessibility tests,
# which only read the built book (built once for all processes, tests/book/conftest.py): each is a scope of its
# own, so that they fill whichever process is free. The assignment tests, whose module fixture grades one
# assignment per parameter, are one scope per assignment. Scopes are handed out in collection order, so the
# longest, and those that mostly wait (nox's, Celery's), are collected first: a long scope started last would
# leave one process working alone at the end.
ONE_SCOPE = ("tests/book/",)
SCOPE_PER_TEST = ("tests/book/test_accessibility.py",)
SCOPE_PER_PARAMETER = ("tests/grading/test_assignments.py",)
LONGEST_FIRST = ("tests/portability/test_nox_sessions.py", "tests/grading/test_guide_path.py",
                 "tests/grading/test_distributed.py", "tests/book/", "tests/grading/test_exchange.py",
                 "tests/grading/test_assignments.py", "tests/grading/test_hostile.py", "tests/grading/",
                 "tests/book/test_accessibility.py", "tests/jupyterlab/", "solutions/", "book/")


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:  # the place of the longest prefix of LONGEST_FIRST the test's id starts with
        prefixes = [prefix for prefix in LONGEST_FIRST if item.nodeid.startswith(prefix)]
        return LONGEST_FIRST.index(max(prefixes, key=len)) if prefixes else len(LONGEST_FIRST)
    items.sort(key=rank)  # stable: a module's tests stay together and in their order


def pytest_xdist_auto_num_workers(config) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 2


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(SCOPE_PER_TEST):
                return nodeid
            if nodeid.startswith(ONE_SCOPE):
                return next(prefix for prefix in ONE_SCOPE if nodeid.startswith(prefix))
            if nodeid.startswith(SCOPE_PER_PARAMETER) and nodeid.endswith("]"):
                return nodeid.split("::")[0] + "[" + nodeid.rsplit("[", 1)[1]
            return super()._split_scope(nodeid)

        def _reschedule(self, node) -> None:
            # The next scope goes to a process once it runs the last test it has (it must know the test after
            # it, or the end, to tear fixtures down). xdist's own rule sends it when two are left, which can
            # leave a scope queued behind a long test while another process has nothing to do.
            if self.workqueue and not node.shutting_down and self._pending_of(self.assigned_work[node]) > 1:
                return
            super()._reschedule(node)

    return SharedFixtureScheduling(config, log)
