"""Every chapter and every solution notebook, run under OpenBLAS kernels other than this machine's own.

A matrix product's last bits depend on the kernel that computes it (the order of its additions), and a readers'
laptop, an instructor's CI and a hosted runner each pick their own. The book's hidden asserts must hold on all of
them. ``OPENBLAS_CORETYPE`` forces a kernel; the machine runs every kernel its instruction set allows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Kernels with different arithmetic on an x86-64 processor (Zen and Haswell share theirs; Prescott reports Katmai).
KERNELS = ["Sandybridge", "Nehalem", "Prescott"]
if "avx512f" in Path("/proc/cpuinfo").read_text():
    KERNELS.append("SkylakeX")  # the machine; an AVX-512 kernel stops with SIGILL elsewhere

PROBE = """
import hashlib, json, numpy as np, threadpoolctl
blas = [i for i in threadpoolctl.threadpool_info() if i["internal_api"] == "openblas"]
a = np.random.default_rng(0).standard_normal((64, 300))
print(json.dumps({"architecture": blas[0]["architecture"] if blas else None,
                  "product": hashlib.sha256((a @ a.T).tobytes()).hexdigest()}))
"""


def run_python(code: str, kernel: str | None) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_CORETYPE"}
    if kernel:
        env["OPENBLAS_CORETYPE"] = kernel
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(result.stdout)


def notebooks() -> list[Path]:
    """The chapters and solution notebooks there are when the test runs (a new chapter is included)."""
    chapters = [path for path in sorted((ROOT / "book").glob("*.md")) if "jupytext:" in path.read_text()[:200]]
    return chapters + sorted((ROOT / "solutions").glob("*/*.ipynb"))


def test_the_forced_kernels_compute_differently():
    """Otherwise the test below would run the machine's own kernel under other names and prove nothing."""
    native = run_python(PROBE, None)
    forced = {kernel: run_python(PROBE, kernel) for kernel in KERNELS}
    assert native["architecture"] is not None, "numpy is not linked to OpenBLAS"
    architectures = [native["architecture"]] + [probe["architecture"] for probe in forced.values()]
    assert len(set(architectures)) == len(architectures), architectures
    assert all(probe["product"] != native["product"] for probe in forced.values()), "same bits on every kernel"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One pytest per kernel over every notebook, all started at once (one BLAS thread each): the machine's
    cores share them, and each test below waits for its own. Output goes to files, so none blocks on a pipe."""
    logs = tmp_path_factory.mktemp("kernels")
    paths = [str(path.relative_to(ROOT)) for path in notebooks()]
    assert any(path.startswith("book/") for path in paths) and any(path.startswith("solutions/") for path in paths)
    started = {kernel: subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                         "-n", "0", "--nbval-lax", *paths], cwd=ROOT, stdout=(logs / kernel).open("w"),
                                        stderr=subprocess.STDOUT,
                                        env={**os.environ, "OPENBLAS_CORETYPE": kernel, "OPENBLAS_NUM_THREADS": "1"})
               for kernel in KERNELS}
    yield {kernel: (process, logs / kernel) for kernel, process in started.items()}
    for process in started.values():
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.slow  # every notebook once per kernel: the longest test of the suite
@pytest.mark.parametrize("kernel", KERNELS)
def test_every_notebook_passes_under_the_kernel(kernel, runs):
    process, log = runs[kernel]
    assert process.wait() == 0, f"under OPENBLAS_CORETYPE={kernel}:\n{log.read_text()[-6000:]}"
