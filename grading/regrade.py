"""Regrades: the grading command run again, after a hidden test or a reference changed.

``python -m grading A`` regrades every submission of A from scratch: the plan is read again from
``solutions/``, and nbgrader replaces the automatic scores while it keeps every manual grade, manual
override and comment. This module says what the regrade changed: the gradebook is read before and after
recording, and every automatic score that moved is listed in ``<A>_regrade.csv``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook

from . import gradebook

Key = tuple[str, str, str]  # student, notebook, grade_id


def snapshot(root: Path, assignment: str) -> tuple[dict[Key, float | None], dict[Key, float | None], dict[Key, str]]:
    """Automatic scores, manual scores and manual comments of ``assignment`` now in the gradebook."""
    auto, manual, comments = {}, {}, {}
    with Gradebook(gradebook.course_config(root).CourseDirectory.db_url) as book:
        for submission in book.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    key = (submission.student_id, notebook.name, grade.name)
                    auto[key], manual[key] = grade.auto_score, grade.manual_score
                for comment in notebook.comments:
                    if comment.manual_comment:
                        comments[(submission.student_id, notebook.name, comment.name)] = comment.manual_comment
    return auto, manual, comments


def compare(before, after, path: Path) -> str | None:
    """Write the automatic scores that changed to ``path``; a one-line summary, or None for a first grading."""
    (old, old_manual, old_comments), (new, new_manual, new_comments) = before, after
    if not old:
        return None
    changed = sorted(key for key in new if key in old and old[key] != new[key])
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "notebook", "grade_id", "old_auto_score", "new_auto_score"])
        writer.writerows([*key, old[key], new[key]] for key in changed)
    kept = sum(v is not None and new_manual.get(k) == v for k, v in old_manual.items())
    kept_comments = sum(new_comments.get(k) == v for k, v in old_comments.items())
    students = len({student for student, _, _ in changed})
    return (f"regrade: {len(changed)} automatic score(s) of {students} student(s) changed ({path}); "
            f"{kept} manual grade(s) and {kept_comments} comment(s) kept")
