"""Benchmark 6: autograding throughput, stock `nbgrader autograde` (serial) against `python -m grading`.

A simulated class (by default 10 students × the 6 assignments = 60 submissions: a third correct, a third with
one part left undone, a third blank) is graded twice from the same submissions, in two copies of the course:
stock nbgrader runs `autograde` then `generate_feedback` per assignment; the project's command runs the
sandboxed notebooks in parallel (`--jobs`), then has nbgrader record the verdicts and write feedback, a group
of students per process (a third copy does the same in one process, for the serial share).
Reports submissions per minute for each, their ratio, the serial share of the project's time (what bounds it
on more cores: measured from the speed-up between 1 and --jobs processes, by Karp and Flatt's formula) with
Amdahl's bound for 16 cores, and checks that every score is identical. With --celery, also the notebooks per
minute run by one and by two Celery workers (a Redis on 127.0.0.1) beside the local --jobs run.
Run: python bench/grading_throughput.py
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
from cluster import free_port, start_redis, start_worker, stop  # noqa: E402

from grading import recording, sandbox  # noqa: E402
from grading.distributed import Remote  # noqa: E402
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


def ours(root: Path, assignments: list[str], jobs: int, run=sandbox.run) -> tuple[float, float]:
    """What `python -m grading` does for each assignment; returns (seconds in all, seconds running notebooks)."""
    start, running = time.perf_counter(), 0.0
    for assignment in assignments:
        begin = time.perf_counter()
        grade_assignment(root, assignment, jobs=jobs, limits=sandbox.Limits(), progress=False, run=run)
        running += time.perf_counter() - begin
        recording.record(root, assignment, root / ".nbgrader" / "graded" / assignment, jobs)
        recording.feedback(root, assignment, jobs)
    return time.perf_counter() - start, running


def on_workers(root: Path, assignments: list[str], workers: int) -> float:
    """Seconds to run every notebook on ``workers`` Celery workers (one notebook at a time each), Redis here."""
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        broker = f"redis://127.0.0.1:{port}/0"
        started = [start_redis(port, Path(tmp))]
        try:
            started += [start_worker(broker, f"w{i}@bench", Path(tmp) / f"w{i}.log", "--concurrency", "1")
                        for i in range(workers)]
            remote = Remote(broker)
            begin = time.perf_counter()
            for assignment in assignments:
                grade_assignment(root, assignment, jobs=64, limits=sandbox.Limits(), progress=False, run=remote.run)
            return time.perf_counter() - begin
        finally:
            for process in reversed(started):
                stop(process)


def run_once(assignments: list[str], students: int, jobs: int, celery: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        stock, mine, serial = Path(tmp) / "stock", Path(tmp) / "ours", Path(tmp) / "one"
        stock.mkdir()
        make_course(stock, REPO / "solutions", *assignments)
        simulate_class(stock, assignments, students)
        shutil.copytree(stock, mine)
        shutil.copytree(stock, serial)
        count = students * len(assignments)

        start = time.perf_counter()
        for assignment in assignments:
            nbgrader(stock, "autograde", assignment, "--force")
            nbgrader(stock, "generate_feedback", assignment, "--force")
        stock_s = time.perf_counter() - start
        ours_s, running_s = ours(mine, assignments, jobs)
        one_s, _ = ours(serial, assignments, 1)

        stock_scores, our_scores, one_scores = scores(stock), scores(mine), scores(serial)
        differ = sorted(k for k in stock_scores if not stock_scores[k] == our_scores.get(k) == one_scores.get(k))
        # Karp-Flatt: the serial share that explains the speed-up measured from 1 to `jobs` processes
        speedup_jobs = one_s / ours_s
        serial_share = (1 / speedup_jobs - 1 / jobs) / (1 - 1 / jobs) if jobs > 1 else float("nan")
        row = {"submissions": count, "stock_per_min": 60 * count / stock_s, "ours_per_min": 60 * count / ours_s,
               "speedup": stock_s / ours_s, "speedup_1_to_jobs": speedup_jobs, "serial_share": serial_share,
               "amdahl_16_cores": stock_s / one_s / (serial_share + (1 - serial_share) / 16),
               "notebooks_per_min_local": 60 * count / running_s, "jobs": jobs,
               "identical": not differ and len(stock_scores) == count, "differ": differ[:10]}
        if celery:
            for workers in (1, 2):
                shutil.rmtree(mine / ".nbgrader" / "graded")
                row[f"notebooks_per_min_{workers}_workers"] = 60 * count / on_workers(mine, assignments, workers)
        return row


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assignments", nargs="*", default=sorted(p.name for p in (REPO / "solutions").iterdir()))
    parser.add_argument("--students", type=int, default=10, help="students per assignment")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--celery", action="store_true",
                        help="also run the notebooks on one, then two Celery workers (a local Redis)")
    args = parser.parse_args(argv)
    if sandbox.available():
        raise SystemExit(f"cannot benchmark the secure grader here: {sandbox.available()}")
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ['PATH']}"
    runs = [run_once(args.assignments, args.students, args.jobs, args.celery) for _ in range(args.runs)]
    speedup = spread([r["speedup"] for r in runs])
    row = {"submissions": runs[0]["submissions"], "stock_per_min": min(r["stock_per_min"] for r in runs),
           "ours_per_min": min(r["ours_per_min"] for r in runs), "speedup_min": speedup["min"],
           "speedup": speedup["median"], "speedup_max": speedup["max"],
           "serial_share": max(r["serial_share"] for r in runs),
           "amdahl_16_cores": min(r["amdahl_16_cores"] for r in runs),
           **{key: min(r[key] for r in runs) for key in runs[0] if key.startswith("notebooks_per_min")},
           "identical": all(r["identical"] for r in runs)}
    save("grading_throughput", [row], per_run=runs, settings=vars(args))
    print(markdown_table([row], list(row), {k: ".2f" for k in row if k not in ("submissions", "identical")}))
    if not row["identical"]:
        raise SystemExit(f"scores differ: {[r['differ'] for r in runs]}")
    return [row]


if __name__ == "__main__":
    main()
