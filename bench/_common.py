"""Shared by the benchmark scripts: one BLAS thread, repeated timings, and results saved as JSON.

Every script measures the project next to a reference in the same run and reports ratios; the
machine it ran on is recorded with the figures.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path

# One thread for every library, set before NumPy or PyTorch load BLAS: ratios then compare
# implementations, not how each one splits work over the cores.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

RESULTS = Path(__file__).resolve().parent / "results"


def best_of(fn, repeats: int) -> float:
    """The least disturbed time of ``repeats`` calls of ``fn``, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def spread(values: list[float]) -> dict:
    """min, median and max of repeated measurements."""
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def machine() -> str:
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def save(name: str, rows: list[dict], **extra) -> Path:
    """Write ``rows`` and the machine's description to bench/results/<name>.json."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **extra, "rows": rows}, indent=1))
    return path


def markdown_table(rows: list[dict], columns: list[str], formats: dict[str, str] | None = None) -> str:
    formats = formats or {}
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(format(row[c], formats.get(c, "")) for c in columns) + " |")
    return "\n".join(lines)
