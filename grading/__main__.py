"""python -m grading ASSIGNMENT: grade a whole class, record in nbgrader, write feedback, export, summarise.

python -m grading ASSIGNMENT --feedback: after manual grading, write the feedback again and export (no grading).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from . import class_report, gradebook, offline, ownership, recording, regrade, report, roster, sandbox
from .grade import grade_assignment

IN_FLIGHT = 64  # with --broker: notebooks sent to the workers at once (the default of --jobs)


CORES = os.cpu_count() or 1  # nbgrader's recording and feedback run here, a group of students per core


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
    parser.add_argument("--feedback", action="store_true",
                        help="grade nothing: write every student's feedback again from the gradebook (after manual "
                             "grading), export grades.csv and the reports; needs no root")
    options = parser.parse_args(argv)

    root = options.course.resolve()
    if not (root / "nbgrader_config.py").is_file():
        parser.error(f"{root} has no nbgrader_config.py: pass the course root with --course")
    try:
        return _feedback_only(root, options.assignment) if options.feedback else _grade(root, options)
    finally:
        ownership.give_back(root)


def _grade(root: Path, options: argparse.Namespace) -> int:
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
    assignment, submitted = options.assignment, root / ".nbgrader" / "submitted"
    if gradebook.register(root, assignment):
        print(f"{assignment} was new to this gradebook: registered it from solutions/{assignment}", file=sys.stderr)
    unknown = [s for s in options.students or [] if not (submitted / s / assignment).is_dir()]
    if unknown:
        print(f"no submission of {assignment} from: {', '.join(unknown)} (not in {submitted})", file=sys.stderr)
    run, jobs, lost = sandbox.run, options.jobs or os.cpu_count() or 1, ()
    try:
        if options.broker:
            from . import distributed  # Celery is needed only to grade across machines

            lost = distributed.BrokerLost
            run, jobs = distributed.Remote(options.broker).run, options.jobs or IN_FLIGHT
        results = grade_assignment(root, assignment, students=options.students, jobs=jobs, limits=limits,
                                   insecure=options.insecure, progress=not options.no_progress, run=run)
    except lost as error:
        print(f"Grading stopped, nothing recorded: {error}. Start the broker again and rerun the command.",
              file=sys.stderr)
        return 3
    if not results:
        print(f"no submissions of {assignment} in {submitted}")
        return 1
    before = regrade.snapshot(root, assignment)
    staged = root / ".nbgrader" / "graded" / assignment
    problems = _failures("record the scores of", recording.record(root, assignment, staged, CORES))
    if options.students:  # the rest of the class keeps its results in the reports
        results = report.merged(report.load(root / ".nbgrader" / "reports", assignment), results)
    problems += _hand_back(root, assignment, results)
    changed = regrade.compare(before, regrade.snapshot(root, assignment),
                              root / ".nbgrader" / "reports" / f"{assignment}_regrade.csv")
    if changed:
        print(changed)
    return _report_problems(problems)


def _feedback_only(root: Path, assignment: str) -> int:
    results = report.load(root / ".nbgrader" / "reports", assignment)
    if not results:
        print(f"{assignment} has not been graded here yet: run `python -m grading {assignment}` first", file=sys.stderr)
        return 1
    return _report_problems(_hand_back(root, assignment, results))


def _hand_back(root: Path, assignment: str, results: list) -> list[str]:
    """Feedback from the gradebook, the export, the reports and the summary; returns what nbgrader could not do."""
    problems = _failures("write the feedback of", recording.feedback(root, assignment, CORES))
    feedback = root / ".nbgrader" / "feedback"
    offline.inline_mathjax(feedback.glob(f"*/{assignment}/*.html"))
    for result in results:  # feedback under the name the student submitted, which is the name they can fetch
        page = feedback / result.student / assignment / Path(result.notebook).with_suffix(".html")
        if result.file and page.is_file():
            shutil.copy(page, page.with_name(Path(result.file).stem + ".html"))
    reports = root / ".nbgrader" / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    failed = gradebook.export_csv(root, reports / "grades.csv")
    if failed:
        problems.append(f"nbgrader could not export grades.csv: {failed}")
    roster.export_canvas(root, reports / "canvas.csv")
    print(report.write(results, assignment, reports, gradebook.status(root, assignment)))
    print(f"the class at a glance: {class_report.write(root, assignment, results, reports)}")
    return problems


def _report_problems(problems: list[str]) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    return 0


def _failures(step: str, failed: dict[str, str]) -> list[str]:
    return [f"nbgrader could not {step} {student}: {why}" for student, why in failed.items()]


if __name__ == "__main__":
    sys.exit(main())
