"""nbgrader's recording and feedback split by students over processes: no serial tail after the grading.

nbgrader records one student after another (``gradebook.record``, ``gradebook.feedback``). Here the students
are dealt into groups, each group gets a folder of links to its students' notebooks, and each folder is
handed to nbgrader in a process of its own. The gradebook is SQLite: the processes take turns on its lock,
each for a few milliseconds (SQLite waits up to 5 s for it).
"""

from __future__ import annotations

import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import gradebook


def _groups(students: list[str], jobs: int) -> list[list[str]]:
    count = max(1, min(jobs, len(students)))
    return [students[i::count] for i in range(count)]


def _linked(folder: Path, source: Path, students: list[str]) -> Path:
    folder.mkdir()
    for student in students:
        (folder / student).symlink_to(source / student, target_is_directory=True)
    return folder


def _in_processes(step, root: Path, assignment: str, source: Path, jobs: int) -> dict[str, str]:
    """Run ``step(root, assignment, folder)`` on every group of the students found in ``source``, in parallel.

    Returns the students nbgrader failed on, with why (``step``'s own return, merged over the groups)."""
    students = sorted(p.name for p in source.iterdir() if (p / assignment).is_dir()) if source.is_dir() else []
    groups = _groups(students, jobs)
    if len(groups) <= 1:
        return step(root, assignment, source)
    with tempfile.TemporaryDirectory(prefix="groups-", dir=root / ".nbgrader") as tmp:
        folders = [_linked(Path(tmp) / str(i), source, group) for i, group in enumerate(groups)]
        context = multiprocessing.get_context("fork")  # the parent's imports, ready: nbgrader loads slowly
        with ProcessPoolExecutor(max_workers=len(folders), mp_context=context) as pool:
            failed = {}
            for done in [pool.submit(step, root, assignment, folder) for folder in folders]:
                failed.update(done.result())
            return failed


def record(root: Path, assignment: str, staged: Path, jobs: int) -> dict[str, str]:
    """:func:`gradebook.record` of the graded notebooks in ``staged``, in ``jobs`` processes."""
    return _in_processes(gradebook.record, root, assignment, staged, jobs)


def feedback(root: Path, assignment: str, jobs: int) -> dict[str, str]:
    """:func:`gradebook.feedback` for every autograded student, in ``jobs`` processes."""
    autograded = Path(gradebook.course_config(root).CourseDirectory.autograded_directory)
    return _in_processes(gradebook.feedback, root, assignment, root / autograded, jobs)
