"""Each benchmark runs once at a tiny size, so the scripts keep working. No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"

TINY = {
    "backward_vs_forward": ["--widths", "8", "16", "--depths", "1", "2", "--runs", "1", "--repeats", "1"],
    "vs_frameworks": ["--widths", "8", "--depths", "2", "--batch", "16", "--runs", "1", "--repeats", "1"],
    "vs_sklearn": ["--hidden", "8", "--epochs", "1", "--runs", "1"],
    "memory": ["--hidden", "8", "--epochs", "1", "--runs", "1"],
}


@pytest.mark.parametrize("script", sorted(TINY))
def test_benchmark_runs_and_saves_its_rows(script, tmp_path):
    result = subprocess.run([sys.executable, str(BENCH / f"{script}.py"), *TINY[script]],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip().startswith("|"), result.stdout  # a markdown table
    saved = json.loads((BENCH / "results" / f"{script}.json").read_text())
    assert saved["rows"] and "cores" in saved["machine"]


def test_framework_gradients_agree_to_1e_10():
    """The speed comparison is only fair if all three compute the same gradient."""
    sys.path.insert(0, str(BENCH))
    try:
        from vs_frameworks import measure
    finally:
        sys.path.remove(str(BENCH))
    assert measure(width=12, depth=3, batch=8, classes=4, repeats=1, seed=3)["agreement"] < 1e-10
