"""Each benchmark runs once at a tiny size, so the scripts keep working. No timing is asserted.

The scripts write into a temporary folder (``BENCH_RESULTS``), never over the figures in bench/results/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"

TINY = {
    "backward_vs_forward": ["--widths", "8", "16", "--depths", "1", "2", "--runs", "1", "--repeats", "1"],
    "vs_frameworks": ["--widths", "8", "--depths", "2", "--batch", "16", "--runs", "1", "--repeats", "1"],
    "vs_sklearn": ["--hidden", "8", "--epochs", "1", "--runs", "1", "--repeats", "1"],
    "memory": ["--hidden", "8", "--epochs", "1", "--runs", "1"],
    "autodiff_vs_recursion": ["--widths", "8", "--depths", "1", "2", "--runs", "1", "--repeats", "1"],
    # stock nbgrader and the project's grader on two students (and on Celery workers); fails if scores differ
    "grading_throughput": ["--assignments", "a1_partial_derivatives", "--students", "2", "--runs", "1", "--celery"],
}
# PyTorch and scikit-learn come with the "bench" role only; bench/README.md runs these with -m references
REFERENCES = {"vs_frameworks", "vs_sklearn"}


def _import_bench(name: str):
    sys.path.insert(0, str(BENCH))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(BENCH))


@pytest.mark.slow  # a fresh interpreter importing PyTorch or scikit-learn: several seconds each
@pytest.mark.parametrize("script", [pytest.param(name, marks=[pytest.mark.references] if name in REFERENCES else [])
                                    for name in sorted(TINY)])
def test_benchmark_runs_and_saves_its_rows(script, tmp_path):
    result = subprocess.run([sys.executable, str(BENCH / f"{script}.py"), *TINY[script]], capture_output=True,
                            text=True, cwd=tmp_path, timeout=300, env={**os.environ, "BENCH_RESULTS": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip().startswith("|"), result.stdout  # a markdown table
    saved = json.loads((tmp_path / f"{script}.json").read_text())
    assert saved["rows"] and "cores" in saved["machine"] and "kernel" in saved["machine"]


@pytest.mark.references
def test_framework_gradients_agree_to_1e_10():
    """The speed comparison is only fair if all three compute the same gradient."""
    measure = _import_bench("vs_frameworks").measure
    assert measure(width=12, depth=3, batch=8, classes=4, repeats=1, seed=3)["agreement"] < 1e-10


def test_book_build_times_a_chapter(tmp_path):
    """The book benchmark's per-chapter timer runs a notebook (the full builds are too slow for a test)."""
    path = tmp_path / "tiny.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1 + 1")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    wall, cpu = _import_bench("book_build").chapter_seconds(path)
    assert wall > 0 and cpu > 0
