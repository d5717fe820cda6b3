"""Benchmark 5: the book's build time, cold (every chapter executed) and with nothing changed.

Also times each chapter's execution on its own, to say which chapter costs most.
Run: python bench/book_build.py  (builds into a temporary folder; the repo's _build is untouched)
"""

from __future__ import annotations

import argparse
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


def build(output: Path, failures: list[str]) -> float:
    """Seconds for one build into ``output``; a failed build (a warning, with -W) is timed and its last lines kept."""
    start = time.perf_counter()
    result = subprocess.run([str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(output), "-W", "--keep-going"],
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        failures.append("\n".join((result.stdout + result.stderr).strip().splitlines()[-15:]))
    return seconds


def chapter_seconds(path: Path) -> float:
    """Seconds to execute one notebook in a fresh kernel, as the book build does (errors propagate)."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=600, resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def _chapter_seconds_or_error(path: Path) -> float | str:
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
    timed = {k: v for k, v in per_chapter.items() if isinstance(v, float)}
    slowest = max(timed, key=timed.get) if timed else None
    rows = [{"build": "cold (all chapters executed)", **spread(cold)},
            {"build": "rebuild, nothing changed", **spread(warm)}]
    save("book_build", rows, per_chapter_seconds=per_chapter, slowest=slowest, failed_builds=failures)
    print(markdown_table(rows, ["build", "min", "median", "max"], {k: ".1f" for k in ("min", "median", "max")}))
    print("\nexecution of each chapter alone (s):")
    print(markdown_table([{"chapter": k, "seconds": f"{v:.1f}" if k in timed else v} for k, v in per_chapter.items()],
                         ["chapter", "seconds"]))
    print(f"\nslowest chapter: {slowest}")
    if failures:
        print(f"\n{len(failures)} of {2 * args.runs} builds failed (timed all the same); the last one ended:\n"
              + failures[-1])
    return rows


if __name__ == "__main__":
    main()
