"""Grades where the school keeps them: a class roster in, Canvas's gradebook format out.

``python -m grading.roster ROSTER.csv`` imports a roster: a CSV file with a header and the columns ``id`` (the
student's id in nbgrader: their submission folder's name), ``first_name``, ``last_name``, ``email``, and,
if known, Canvas's ``canvas_id``, ``sis_user_id``, ``sis_login_id`` and ``section``. The students are added to
nbgrader's gradebook (names, emails, the SIS id as ``lms_user_id``) and the roster is kept as
``.nbgrader/roster.csv``.

Every grading run then writes ``.nbgrader/reports/canvas.csv`` beside nbgrader's ``grades.csv``: the columns
of Canvas's gradebook export (Student, ID, SIS User ID, SIS Login ID, Section), one column per assignment,
a "Points Possible" row, one row per student. A student with no submission has an empty cell, which Canvas
reads as "not graded"; nbgrader's own ``grades.csv`` counts it as 0.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from . import gradebook

COLUMNS = ["id", "first_name", "last_name", "email", "canvas_id", "sis_user_id", "sis_login_id", "section"]
CANVAS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def _db(root: Path) -> str:
    return gradebook.course_config(root).CourseDirectory.db_url


def read(path: Path) -> list[dict[str, str]]:
    """The roster's rows, every column of COLUMNS present (empty when the file lacks it)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:  # -sig: spreadsheets often write a BOM
        rows = list(csv.DictReader(handle))
    if rows and "id" not in rows[0]:
        raise SystemExit(f"{path} has no 'id' column: its columns are {', '.join(rows[0])}")
    return [{column: (row.get(column) or "").strip() for column in COLUMNS} for row in rows if row.get("id")]


def load(root: Path, path: Path) -> int:
    """Add or update the roster's students in the gradebook and keep the roster; returns how many."""
    rows = read(path)
    with Gradebook(_db(root)) as book:
        for row in rows:
            book.update_or_create_student(row["id"], first_name=row["first_name"] or None,
                                          last_name=row["last_name"] or None, email=row["email"] or None,
                                          lms_user_id=row["sis_user_id"] or None)
    shutil.copy(path, root / ".nbgrader" / "roster.csv")
    return len(rows)


def export_canvas(root: Path, path: Path) -> Path:
    """Every student's score in every assignment, in Canvas's gradebook import format."""
    kept = root / ".nbgrader" / "roster.csv"
    roster = {row["id"]: row for row in read(kept)} if kept.is_file() else {}
    with Gradebook(_db(root)) as book:
        assignments = sorted(book.assignments, key=lambda a: (a.duedate is None, a.duedate, a.name))
        students = {s.id: s for s in book.students}
        header = CANVAS + [a.name for a in assignments]
        rows = [["Points Possible", "", "", "", "", *(f"{a.max_score:g}" for a in assignments)]]
        for student in sorted(set(students) | set(roster)):
            row, record = roster.get(student, {}), students.get(student)
            last = row.get("last_name") or (record.last_name if record else "") or ""
            first = row.get("first_name") or (record.first_name if record else "") or ""
            scores = []
            for assignment in assignments:
                try:
                    scores.append(f"{book.find_submission(assignment.name, student).score:g}")
                except MissingEntry:
                    scores.append("")
            rows.append([", ".join(n for n in (last, first) if n) or student, row.get("canvas_id", ""),
                         row.get("sis_user_id") or (record.lms_user_id if record else "") or "",
                         row.get("sis_login_id", ""), row.get("section", ""), *scores])
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading.roster", description="Import a class roster.")
    parser.add_argument("roster", type=Path, help=f"a CSV file with the columns {', '.join(COLUMNS)}")
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="the course root (holds nbgrader_config.py)")
    options = parser.parse_args(argv)
    root = options.course.resolve()
    print(f"{load(root, options.roster)} student(s) imported into {root / '.nbgrader' / 'gradebook.db'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
