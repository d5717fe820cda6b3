"""Grade every submission of an assignment: sandboxed runs in parallel, verdicts in trusted code.

For each submitted notebook:
1. assemble it on the instructor's release notebook (``notebooks.assemble``);
2. run the setup and answer cells, and at each test cell the recorded calls, in a sandbox (``sandbox.run``);
3. decide every check from the returned data with the instructor's references (``plan``), here;
4. write the notebook with the verdicts as the test cells' outputs, for nbgrader to record (``gradebook``).
One submission's failure, however it fails, is that submission's alone. The solutions go through the same steps
(``canary``), first in the queue, beside the class: if they do not score full marks, the fault is the
instructor's, and nobody is graded (nothing is kept, and what was still queued is cancelled).
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from . import answer_calls, notebooks, sandbox
from .payload import PayloadError, decode
from .plan import Plan, is_test, make_plan, nbgrader_meta


@dataclass
class Result:
    """The grade of one student's notebook, part by part, and what the instructor should know."""

    student: str
    notebook: str
    parts: dict[str, tuple[float, float, str]] = field(default_factory=dict)  # grade_id -> (score, max, message)
    notes: list[str] = field(default_factory=list)
    file: str | None = None  # the file graded, when the student submitted it under another name

    @property
    def score(self) -> float:
        return sum(score for score, _, _ in self.parts.values())

    @property
    def flagged(self) -> bool:
        return bool(self.notes)


def plans_for(root: Path, assignment: str) -> list[Plan]:
    """One plan per notebook of the assignment, from the source (solutions/) and release (exercises/) folders."""
    source = root / "solutions" / assignment
    release = root / "exercises" / assignment
    paths = sorted(source.glob("*.ipynb"))
    if not paths:
        raise SystemExit(f"no source notebooks in {source}")
    missing = [p.name for p in paths if not (release / p.name).exists()]
    if missing:
        raise SystemExit(f"{release} lacks {', '.join(missing)}: run `nbgrader generate_assignment {assignment}`")
    plans = []
    for path in paths:
        try:
            plans.append(make_plan(path, release / path.name))
        except Exception as error:  # the instructor's notebook, not a student's: nothing can be graded
            raise SystemExit(f"Not grading: {path} fails when the grader runs it to record its tests "
                             f"({type(error).__name__}: {error}). Fix the source notebook; nothing was recorded."
                             ) from None
    return plans


def canary(root: Path, assignment: str, plans: list[Plan], limits: sandbox.Limits, insecure: bool = False,
           run=sandbox.run) -> None:
    """Grade the solutions as a student's notebook first: anything short of full marks stops everything.

    A setup cell that cannot run in the sandbox (a module only the instructor's process can import, a file in
    the hidden course folder) or a hidden test that rejects the right answer would otherwise be charged to
    every student.
    """
    for plan in plans:
        cells, problem = notebooks.read_submission(root / "solutions" / assignment / plan.notebook)
        result, graded = grade_cells(plan, cells, problem, "(solutions)", root=root, limits=limits,
                                     insecure=insecure, run=run)
        lost = [f"{gid}: {score:g}/{points:g} ({message})" for gid, (score, points, message) in result.parts.items()
                if score < points]
        lost += [f"setup cell {nbgrader_meta(cell).get('grade_id')}: {errors[-1][:500]}"
                 for cell in graded["cells"] if lost and nbgrader_meta(cell).get("locked") and not is_test(cell)
                 for output in cell.get("outputs", [])
                 if (errors := re.findall(r"^.*\w(?:Error|Exception)\b.*$", output.get("text", ""), re.MULTILINE))]
        if lost:
            raise SystemExit(f"Not grading {assignment}: its solutions ({plan.notebook}) score "
                             f"{result.score:g}/{plan.max_score:g} in the sandbox, where every student's notebook "
                             "runs. The fault is in the assignment (a setup cell that needs something the sandbox "
                             "hides, or a test that rejects the right answer), not in the students' work:\n  "
                             + "\n  ".join(lost) + "\nNothing was graded or recorded.")


def grade_notebook(plan: Plan, path: Path, student: str, *, root: Path, limits: sandbox.Limits,
                   insecure: bool = False, run=sandbox.run) -> tuple[Result, dict]:
    """Grade one submitted notebook; returns its result and the graded notebook for nbgrader.

    ``run`` runs the job: here in a sandbox, or on a worker (``distributed.Remote.run``)."""
    cells, problem = notebooks.read_submission(path)
    return grade_cells(plan, cells, problem, student, root=root, limits=limits, insecure=insecure, run=run)


def grade_cells(plan: Plan, cells: list[dict] | None, problem: str | None, student: str, *, root: Path,
                limits: sandbox.Limits, insecure: bool = False, run=sandbox.run) -> tuple[Result, dict]:
    """Grade the cells of one notebook (None: unreadable, for ``problem``); returns as ``grade_notebook``."""
    result = Result(student, plan.notebook)
    assembled = notebooks.assemble(plan.release, cells, problem)
    result.notes += assembled.notes
    result.notes += answer_calls.notes(assembled.cells, plan)
    job, origin = notebooks.job(assembled, plan, limits.cell_seconds)
    outcome = run(job, course_root=root, limits=limits, insecure=insecure)
    records = _records(outcome.results, len(origin))
    strays = sum(r["strays"] for r in records.values() if type(r.get("strays")) is int)
    if strays:
        result.notes.append(f"its cells left {strays} processes running, which the grader stopped (a fork bomb?)")
    if outcome.timed_out:
        result.notes.append(f"stopped at the notebook's time limit ({limits.wall_seconds:g} s)")
        stopped = (f"your notebook ran past its time limit ({limits.wall_seconds:g} s) before this test: "
                   "look for an endless or very slow loop")
    else:
        stopped = ("your notebook stopped before this test could run (the process exited or was killed): look for "
                   "sys.exit or os._exit, a crash, or memory use over the limit")
        if len(records) < len(origin):
            result.notes.append(f"the run ended early (exit code {outcome.returncode})")
    for step, index in enumerate(origin):
        cell, record = assembled.cells[index], records.get(step)
        if not is_test(cell):
            if record and (record.get("output") or record.get("error")):
                text = record.get("output") or record.get("error")
                cell["outputs"] = [notebooks.stream(notebooks.shown(str(text)))]
            continue
        test = plan.tests[nbgrader_meta(cell)["grade_id"]]
        calls = record.get("calls") if record else None
        outcomes = [_decide(check, calls[i] if isinstance(calls, list) and i < len(calls) else None, stopped)
                    for i, check in enumerate(test.checks)]
        passed, cell["outputs"] = notebooks.test_outputs(test, outcomes)
        message = next((m for ok, m in outcomes if not ok), "correct")
        result.parts[test.grade_id] = (test.points if passed else 0.0, test.points, message)
    return result, notebooks.graded_notebook(plan.release, assembled)


def _records(text: str, steps: int) -> dict[int, dict]:
    """The runner's JSON lines, by step; anything malformed (the student may write this file) is dropped."""
    records: dict[int, dict] = {}
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            continue
        step = record.get("step") if isinstance(record, dict) else None
        if isinstance(step, int) and 0 <= step < steps and step not in records:
            records[step] = record
    return records


def _decide(check, item, stopped: str) -> tuple[bool, str]:
    """One check's verdict from what the sandbox returned for it; never raises."""
    answer, failure = None, stopped
    if isinstance(item, dict) and isinstance(item.get("error"), str):
        failure = item["error"][:2000]
    elif isinstance(item, dict) and "answer" in item:
        try:
            answer, failure = decode(item["answer"]), None
        except PayloadError as error:
            failure = f"{check.name}: the grader could not read what your function returned ({error})"
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            passed, message = check.decide(answer, failure)
        return bool(passed), str(message)
    except Exception as error:  # an answer the reference comparison could not handle is a wrong answer
        return False, f"{check.name}: your answer could not be checked ({type(error).__name__}: {error})"[:2000]


def grade_assignment(root: Path, assignment: str, *, students: list[str] | None = None, jobs: int = 2,
                     limits: sandbox.Limits | None = None, insecure: bool = False,
                     progress: bool = True, run=sandbox.run) -> list[Result]:
    """Grade every submission of ``assignment`` in ``.nbgrader/submitted``; stage graded notebooks for nbgrader."""
    root = Path(root).resolve()
    limits = limits or sandbox.Limits()
    plans = plans_for(root, assignment)
    submitted = root / ".nbgrader" / "submitted"
    staged = root / ".nbgrader" / "graded" / assignment
    folders = sorted(p for p in submitted.glob(f"*/{assignment}")
                     if p.is_dir() and not p.is_symlink() and not p.parent.is_symlink())
    if students is not None:
        folders = [p for p in folders if p.parent.name in students]
    shutil.rmtree(staged, ignore_errors=True)
    work = [(folder, plan) for folder in folders for plan in plans]

    def one(item):
        folder, plan = item
        student = folder.parent.name
        path, renamed = notebooks.submitted_file(folder, plan.notebook, [p.notebook for p in plans])
        try:
            result, graded = grade_notebook(plan, path, student, root=root, limits=limits, insecure=insecure,
                                            run=run)
            result.notes += [renamed] if renamed else []
            result.file = path.name if path.name != plan.notebook else None
        except Exception as error:  # a grader bug this submission exposed: zero here, the batch goes on
            result = Result(student, plan.notebook, {gid: (0.0, test.points, "not graded: the grader failed")
                                                     for gid, test in plan.tests.items()},
                            [f"the grader failed on this notebook ({type(error).__name__}: {error}): grade it by hand"])
            graded = notebooks.graded_notebook(plan.release, notebooks.assemble(plan.release, None, "grader error"))
        if checked.exception() is not None:  # nothing is kept unless the solutions scored full marks
            return result
        target = staged / student / assignment
        target.mkdir(parents=True, exist_ok=True)
        (target / plan.notebook).write_text(json.dumps(graded))
        for name in ("timestamp.txt", "submission_secret.txt"):  # nbgrader's: for late penalties, feedback
            kept = folder / name
            if kept.is_file() and not kept.is_symlink() and kept.stat().st_size < 1000:
                shutil.copy(kept, target / name)
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        checked = pool.submit(canary, root, assignment, plans, limits, insecure, run)
        graded = [pool.submit(one, item) for item in work]
        try:
            checked.result()  # SystemExit if the solutions fall short
            for future in tqdm(as_completed(graded), total=len(work), desc=f"grading {assignment}",
                               unit="notebook", disable=not progress):
                future.result()  # only a BaseException gets here (a lost broker): it stops everything
        except BaseException:
            for future in graded:
                future.cancel()
            raise
    return [future.result() for future in graded]
