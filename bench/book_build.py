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


def build(output: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(output), "-W", "--keep-going"],
                   check=True, capture_output=True, text=True)
    return time.perf_counter() - start


def chapter_seconds(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=600, resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    cold, warm = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            cold.append(build(Path(tmp)))
            warm.append(build(Path(tmp)))
    chapters = sorted((ROOT / "book").glob("*.ipynb"))
    per_chapter = {p.stem: chapter_seconds(p) for p in chapters}
    slowest = max(per_chapter, key=per_chapter.get)
    rows = [{"build": "cold (all chapters executed)", **spread(cold)},
            {"build": "rebuild, nothing changed", **spread(warm)}]
    save("book_build", rows, per_chapter_seconds=per_chapter, slowest=slowest)
    print(markdown_table(rows, ["build", "min", "median", "max"], {k: ".1f" for k in ("min", "median", "max")}))
    print("\nexecution of each chapter alone (s):")
    print(markdown_table([{"chapter": k, "seconds": v} for k, v in per_chapter.items()], ["chapter", "seconds"],
                         {"seconds": ".1f"}))
    print(f"\nslowest chapter: {slowest}")
    return rows


if __name__ == "__main__":
    main()
