"""python -m grading ASSIGNMENT: grade a whole class, record in nbgrader, write feedback, export, summarise."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import class_report, gradebook, recording, regrade, report, roster, sandbox
from .grade import grade_assignment

IN_FLIGHT = 64  # with --broker: notebooks sent to the workers at once (the default of --jobs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading", description=__doc__)
    parser.add_argument("assignment", help="the assignment's folder name, e.g. a4_two_layer_network")
    parser.add_argument("--course", type=Path, default=Path.cwd(), help="the course root (holds nbgrader_config.py)")
    parser.add_argument("--students", nargs="*", help="grade only these students (default: every submission)")
    parser.add_argument("--jobs", type=int, help="notebooks run at once (default: the number of cores; with "
                        f"--broker, {IN_FLIGHT} in flight)")
    parser.add_argument("--broker", help="run the notebooks on Celery workers through this Redis broker, "
                        "e.g. redis://HOST:6379/0 (the book's page 'Grading at scale')")
    parser.add_argument("--wall-seconds", type=float, default=sandbox.Limits.wall_seconds,
                        help="time limit for one notebook (default: %(default)s)")
    parser.add_argument("--cell-seconds", type=float, default=sandbox.Limits.cell_seconds,
                        help="time limit for one cell or test call (default: %(default)s)")
    parser.add_argument("--memory-mb", type=int, default=sandbox.Limits.memory_bytes >> 20,
                        help="memory limit for one notebook, in MiB (default: %(default)s)")
    parser.add_argument("--insecure", action="store_true",
                        help="run student code without the sandbox (only where it cannot work, for trusted code)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    options = parser.parse_args(argv)

    root = options.course.resolve()
    if not (root / "nbgrader_config.py").is_file():
        parser.error(f"{root} has no nbgrader_config.py: pass the course root with --course")
    reason = None if options.broker else sandbox.available()  # with a broker, student code runs on the workers
    if reason and not options.insecure:
        print(f"Refusing to grade: {reason}. Student code would run with your rights and could read the solutions "
              "and rewrite the gradebook. Run as root on Linux, or pass --insecure for code you trust.",
              file=sys.stderr)
        return 2
    if options.insecure:
        print("WARNING: --insecure: student code runs unsandboxed, with your rights.", file=sys.stderr)
    limits = sandbox.Limits(wall_seconds=options.wall_seconds, cell_seconds=options.cell_seconds,
                            memory_bytes=options.memory_mb << 20)
    run, jobs, lost = sandbox.run, options.jobs or os.cpu_count() or 1, ()
    try:
        if options.broker:
            from . import distributed  # Celery is needed only to grade across machines

            lost = distributed.BrokerLost
            run, jobs = distributed.Remote(options.broker).run, options.jobs or IN_FLIGHT
        results = grade_assignment(root, options.assignment, students=options.students, jobs=jobs, limits=limits,
                                   insecure=options.insecure, progress=not options.no_progress, run=run)
    except lost as error:
        print(f"Grading stopped, nothing recorded: {error}. Start the broker again and rerun the command.",
              file=sys.stderr)
        return 3
    if not results:
        print(f"no submissions of {options.assignment} in {root / '.nbgrader' / 'submitted'}")
        return 1
    staged = root / ".nbgrader" / "graded" / options.assignment
    cores = os.cpu_count() or 1  # nbgrader's recording and feedback run here, a group of students per core
    before = regrade.snapshot(root, options.assignment)
    recording.record(root, options.assignment, staged, cores)
    recording.feedback(root, options.assignment, cores)
    reports = root / ".nbgrader" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    changed = regrade.compare(before, regrade.snapshot(root, options.assignment),
                              reports / f"{options.assignment}_regrade.csv")
    gradebook.export_csv(root, reports / "grades.csv")
    roster.export_canvas(root, reports / "canvas.csv")
    print(report.write(results, options.assignment, reports))
    print(f"the class at a glance: {class_report.write(root, options.assignment, results, reports)}")
    if changed:
        print(changed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
