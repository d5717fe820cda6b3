"""Benchmark 5: the book's build time, cold (every chapter executed) and with nothing changed.

Also times each chapter's execution on its own, to say which chapter costs most. Every figure is
given twice: wall seconds, and CPU seconds of this process and all it started (Sphinx, the kernels),
which a machine shared with other work inflates much less.
Builds run on a snapshot of the last commit (``git archive HEAD``) in a temporary folder, with that
snapshot's course_lib first on the path: edits others make meanwhile cannot change what is built, so
"nothing changed" holds, and the repo's _build is untouched.
Run: python bench/book_build.py
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401
import jupytext
from _common import markdown_table, save, spread
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def _clocks() -> tuple[float, float]:
    """Wall time, and CPU time of this process plus every finished process it started."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), time.process_time() + children.ru_utime + children.ru_stime


def _since(start: tuple[float, float]) -> tuple[float, float]:
    (wall, cpu), (wall0, cpu0) = _clocks(), start
    return wall - wall0, cpu - cpu0


def head() -> str:
    return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()


def snapshot(commit: str, folder: Path) -> Path:
    """The files of ``commit``, extracted into ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def build(source: Path, output: Path, failures: list[str], name: str) -> tuple[float, float]:
    """(wall, CPU) seconds for one build of ``source``; a failed build is timed too and its warnings kept."""
    start = _clocks()
    command = [str(JUPYTER_BOOK), "build", str(source), "--path-output", str(output), "-W", "--keep-going"]
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = _since(start)
    if result.returncode:
        lines = (result.stdout + result.stderr).splitlines()
        failures.append(f"{name}: " + "\n".join([line for line in lines if "WARNING" in line or "ERROR" in line][:10]
                                                 or lines[-15:]))
    return seconds


def chapter_seconds(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds to execute one notebook in a fresh kernel, as the book build does (errors propagate)."""
    notebook = jupytext.read(path)  # the chapters are MyST Markdown notebooks
    start = _clocks()
    NotebookClient(notebook, timeout=600, resources={"metadata": {"path": str(path.parent)}}).execute()
    return _since(start)


def _chapter_seconds_or_error(path: Path) -> tuple[float, float] | str:
    try:
        return chapter_seconds(path)
    except Exception as error:  # a chapter being written may not run yet: say so, time the others
        return f"fails: {type(error).__name__}"


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    cold, warm, failures = [], [], []
    commit = head()
    with tempfile.TemporaryDirectory() as tmp:
        source = snapshot(commit, Path(tmp))
        # Sphinx, the kernels it starts and ours import the snapshot's course_lib, not the live one
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), os.environ.get("PYTHONPATH")]))
        with tempfile.TemporaryDirectory() as out:
            for run in range(args.runs):
                output = Path(out) / f"run{run + 1}"  # a new folder: no cache, every chapter executes
                cold.append(build(source, output, failures, f"cold build {run + 1}"))
                warm.append(build(source, output, failures, f"rebuild {run + 1}"))
        per_chapter = {p.stem: _chapter_seconds_or_error(p) for p in sorted((source / "book").glob("[0-9]*.md"))}
    timed = {k: v for k, v in per_chapter.items() if not isinstance(v, str)}
    slowest = max(timed, key=lambda k: timed[k][1]) if timed else None  # by CPU seconds
    rows = [{"build": name, **{f"wall_{k}": v for k, v in spread([t[0] for t in times]).items()},
             **{f"cpu_{k}": v for k, v in spread([t[1] for t in times]).items()}}
            for name, times in (("cold (all chapters executed)", cold), ("rebuild, nothing changed", warm))]
    save("book_build", rows, commit=commit, per_chapter_seconds=per_chapter, slowest=slowest, failed_builds=failures)
    columns = [f"{clock}_{k}" for clock in ("wall", "cpu") for k in ("min", "median", "max")]
    print(markdown_table(rows, ["build", *columns], {c: ".1f" for c in columns}))
    print("\nexecution of each chapter alone, in a fresh kernel (s):")
    chapter_rows = [{"chapter": k, "wall": f"{v[0]:.1f}", "cpu": f"{v[1]:.1f}"} if k in timed else
                    {"chapter": k, "wall": v, "cpu": v} for k, v in per_chapter.items()]
    print(markdown_table(chapter_rows, ["chapter", "wall", "cpu"]))
    print(f"\nslowest chapter: {slowest}")
    if failures:
        print(f"\n{len(failures)} of {2 * args.runs} builds failed with -W (timed all the same):")
        print("\n".join(failures))
    return rows


if __name__ == "__main__":
    main()
