"""Benchmark 6: autograding throughput, stock `nbgrader autograde` (serial) against `python -m grading`.

A simulated class (by default 10 students × the 6 assignments = 60 submissions: a third correct, a third with
one part left undone, a third blank) is graded twice from the same submissions, in two copies of the course:
stock nbgrader runs `autograde` then `generate_feedback` per assignment; the project's command runs the
sandboxed notebooks in parallel (`--jobs`), then has nbgrader record the verdicts, write feedback and export.
Reports submissions per minute for each, their ratio, the serial share of the project's time (what bounds it
on more cores), and checks that every score is identical. Run: python bench/grading_throughput.py
"""

from __future__ import annotations

import argparse
import copy
import csv
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _common import markdown_table, save, spread

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "grading"))  # the simulated class the tests use
from classroom import BIN, make_course, nbgrader, release, solved, submit  # noqa: E402

from grading import gradebook, sandbox  # noqa: E402
from grading.grade import grade_assignment  # noqa: E402


def grade_id(cell: dict):
    return cell["metadata"].get("nbgrader", {}).get("grade_id")


def simulate_class(root: Path, assignments: list[str], students: int) -> None:
    """A third of the class right, a third with its first answer left undone, a third blank."""
    for assignment in assignments:
        right, blank = solved(root, assignment), release(root, assignment)
        first = next(c for c in blank["cells"] if c["cell_type"] == "code" and
                     c["metadata"].get("nbgrader", {}).get("solution"))
        partial = copy.deepcopy(right)
        for cell in partial["cells"]:
            if grade_id(cell) == grade_id(first):
                cell["source"] = first["source"]
        for i in range(students):
            submit(root, f"s{i:03d}", (right, partial, blank)[i % 3], assignment)


def scores(root: Path) -> dict[tuple[str, str], float]:
    path = root / "grades.csv"
    nbgrader(root, "export", f"--to={path}")
    return {(r["assignment"], r["student_id"]): float(r["score"]) for r in csv.DictReader(open(path))}


def run_once(assignments: list[str], students: int, jobs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        stock, ours = Path(tmp) / "stock", Path(tmp) / "ours"
        stock.mkdir()
        make_course(stock, REPO / "solutions", *assignments)
        simulate_class(stock, assignments, students)
        shutil.copytree(stock, ours)
        count = students * len(assignments)

        start = time.perf_counter()
        for assignment in assignments:
            nbgrader(stock, "autograde", assignment, "--force")
            nbgrader(stock, "generate_feedback", assignment, "--force")
        stock_s = time.perf_counter() - start

        start = time.perf_counter()
        parallel_s = 0.0
        for assignment in assignments:
            begin = time.perf_counter()
            grade_assignment(ours, assignment, jobs=jobs, limits=sandbox.Limits(), progress=False)
            parallel_s += time.perf_counter() - begin
            gradebook.record(ours, assignment, ours / ".nbgrader" / "graded" / assignment)
            gradebook.feedback(ours, assignment)
        ours_s = time.perf_counter() - start

        stock_scores, our_scores = scores(stock), scores(ours)
        differ = sorted(k for k in stock_scores if stock_scores[k] != our_scores.get(k))
        return {"submissions": count, "stock_per_min": 60 * count / stock_s, "ours_per_min": 60 * count / ours_s,
                "speedup": stock_s / ours_s, "serial_share": 1 - parallel_s / ours_s, "jobs": jobs,
                "identical": not differ and len(stock_scores) == count, "differ": differ[:10]}


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assignments", nargs="*", default=sorted(p.name for p in (REPO / "solutions").iterdir()))
    parser.add_argument("--students", type=int, default=10, help="students per assignment")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if sandbox.available():
        raise SystemExit(f"cannot benchmark the secure grader here: {sandbox.available()}")
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ['PATH']}"
    runs = [run_once(args.assignments, args.students, args.jobs) for _ in range(args.runs)]
    speedup = spread([r["speedup"] for r in runs])
    serial = max(r["serial_share"] for r in runs)
    row = {"submissions": runs[0]["submissions"], "stock_per_min": min(r["stock_per_min"] for r in runs),
           "ours_per_min": min(r["ours_per_min"] for r in runs), "speedup_min": speedup["min"],
           "speedup": speedup["median"], "speedup_max": speedup["max"], "serial_share": serial,
           "speedup_16_cores_est": 1 / (serial + (1 - serial) * args.jobs / 16) * speedup["median"],
           "identical": all(r["identical"] for r in runs)}
    save("grading_throughput", [row], per_run=runs, settings=vars(args))
    print(markdown_table([row], list(row), {k: ".2f" for k in row if k not in ("submissions", "identical")}))
    if not row["identical"]:
        raise SystemExit(f"scores differ: {[r['differ'] for r in runs]}")
    return [row]


if __name__ == "__main__":
    main()
