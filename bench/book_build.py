"""Benchmark 5: the book's build time, cold (every chapter executed) and with nothing changed.

Also times each chapter's execution on its own, to say which chapter costs most. Every figure is
given twice: wall seconds, and CPU seconds of this process and all it started (Sphinx, the kernels),
which a machine shared with other work inflates much less.
Run: python bench/book_build.py  (builds into a temporary folder; the repo's _build is untouched)
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401
import nbformat
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


def build(output: Path, failures: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds for one build into ``output``; a failed build is timed too and its last lines kept."""
    start = _clocks()
    result = subprocess.run([str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(output), "-W", "--keep-going"],
                            capture_output=True, text=True)
    seconds = _since(start)
    if result.returncode:
        failures.append("\n".join((result.stdout + result.stderr).strip().splitlines()[-15:]))
    return seconds


def chapter_seconds(path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds to execute one notebook in a fresh kernel, as the book build does (errors propagate)."""
    notebook = nbformat.read(path, as_version=4)
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
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            cold.append(build(Path(tmp), failures))
            warm.append(build(Path(tmp), failures))
    chapters = sorted((ROOT / "book").glob("*.ipynb"))
    per_chapter = {p.stem: _chapter_seconds_or_error(p) for p in chapters}
    timed = {k: v for k, v in per_chapter.items() if not isinstance(v, str)}
    slowest = max(timed, key=lambda k: timed[k][1]) if timed else None  # by CPU seconds
    rows = [{"build": name, **{f"wall_{k}": v for k, v in spread([t[0] for t in times]).items()},
             **{f"cpu_{k}": v for k, v in spread([t[1] for t in times]).items()}}
            for name, times in (("cold (all chapters executed)", cold), ("rebuild, nothing changed", warm))]
    save("book_build", rows, per_chapter_seconds=per_chapter, slowest=slowest, failed_builds=failures)
    columns = [f"{clock}_{k}" for clock in ("wall", "cpu") for k in ("min", "median", "max")]
    print(markdown_table(rows, ["build", *columns], {c: ".1f" for c in columns}))
    print("\nexecution of each chapter alone, in a fresh kernel (s):")
    chapter_rows = [{"chapter": k, "wall": f"{v[0]:.1f}", "cpu": f"{v[1]:.1f}"} if k in timed else
                    {"chapter": k, "wall": v, "cpu": v} for k, v in per_chapter.items()]
    print(markdown_table(chapter_rows, ["chapter", "wall", "cpu"]))
    print(f"\nslowest chapter: {slowest}")
    if failures:
        print(f"\n{len(failures)} of {2 * args.runs} builds failed (timed all the same); the last one ended:\n"
              + failures[-1])
    return rows


if __name__ == "__main__":
    main()
