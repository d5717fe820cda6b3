"""Shared by the benchmark scripts: one BLAS thread, the machine's description, results saved as JSON.

Every script measures the project next to a reference in the same run and reports ratios; the
machine it ran on (CPU, BLAS library and the kernel it chose) is recorded with the figures.
Timings use :func:`course_lib.timing.best_times`: the contestants alternate, each keeps its least
disturbed CPU time.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
from pathlib import Path

# One thread for every library, set before NumPy or PyTorch load BLAS: ratios then compare
# implementations, not how each one splits work over the cores.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

# BENCH_RESULTS lets the smoke tests write elsewhere than the figures the README quotes.
RESULTS = Path(os.environ.get("BENCH_RESULTS", Path(__file__).resolve().parent / "results"))


def spread(values: list[float]) -> dict:
    """min, median and max of repeated measurements."""
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas() -> str:
    """Which BLAS NumPy loaded, the kernel it runs and the OpenBLAS variables that can change that kernel."""
    import numpy as np  # noqa: F401  (loads the BLAS that threadpoolctl inspects)
    from threadpoolctl import threadpool_info

    libs = [f"{i['internal_api']} {i['version']} ({i.get('architecture', '?')} kernel, {i['num_threads']} thread)"
            for i in threadpool_info() if i["user_api"] == "blas"]
    env = ", ".join(f"{v}={os.environ.get(v, 'unset')}" for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"))
    return f"{'; '.join(libs) or 'no BLAS found'}; {env}"


def machine() -> str:
    return f"{_cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, {blas()}"


def save(name: str, rows: list[dict], **extra) -> Path:
    """Write ``rows``, the machine's description and its load (1, 5, 15 min) to <RESULTS>/<name>.json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    record = {"machine": machine(), "load_average": os.getloadavg(), **extra, "rows": rows}
    path.write_text(json.dumps(record, indent=1))
    return path


def markdown_table(rows: list[dict], columns: list[str], formats: dict[str, str] | None = None) -> str:
    formats = formats or {}
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(format(row[c], formats.get(c, "")) for c in columns) + " |")
    return "\n".join(lines)
