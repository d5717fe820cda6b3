"""The Python versions, the lowest declared dependencies and other OpenBLAS kernels, each in a fresh environment.

These sessions run the library tests, every chapter and solution notebook (nbval) and the grading machinery's
tests on 3.12 and 3.13, and the library tests and the notebooks on 3.11 with the lowest NumPy, Matplotlib and
tqdm that pyproject.toml allows. Each session also forces an OpenBLAS kernel (``OPENBLAS_CORETYPE``) that computes
other bits than the machine's own, a different one each: with the README's pytest run, on the machine's own
kernel, every notebook runs under four kernels.
The README's test command runs these sessions beside the rest of the suite (``tests/portability/test_nox_sessions.py``);
``nox`` alone runs them too. Arguments after ``--`` go to pytest.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import nox

# pyenv (how this machine kind provides 3.12 and 3.13) keeps each version in a folder of its own: put those on
# PATH so that nox finds python3.12 and python3.13 there too.
for folder in sorted(Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")).glob("versions/3.1[23].*/bin")):
    os.environ["PATH"] = f"{folder}{os.pathsep}{os.environ['PATH']}"

nox.options.sessions = ["versions", "lowest"]
nox.options.error_on_missing_interpreters = True  # a missing Python fails the run; it is never skipped
nox.options.reuse_existing_virtualenvs = False

PYPROJECT = tomllib.loads((Path(__file__).parent / "pyproject.toml").read_text())
NOTEBOOKS = ["book", "solutions"]
PYTEST = ["pytest", "-p", "no:cacheprovider", "-q"]
# OpenBLAS kernels with arithmetic of their own on x86-64 (Zen computes as Haswell does, Prescott as Katmai), in
# the order the sessions take them once those that compute as this machine does, or cannot run here, are left out.
KERNELS = ["Sandybridge", "Nehalem", "Prescott", "Haswell"]


def install(session: nox.Session, *requirements: str) -> None:
    """The check role, without compiling every module of it (pip's longest step; Python compiles what runs)."""
    session.install("--no-compile", "-e", ".[check]", *requirements)


def pytest(session: nox.Session, *paths: str, kernel: int) -> None:
    """pytest under the ``kernel``-th of :data:`KERNELS` that computes other bits than this machine's own and
    than the kernels before it, with one BLAS thread as the notebooks' timings expect."""
    output = session.run("python", "tests/portability/openblas_kernels.py", *KERNELS, silent=True)
    probes = json.loads(output.strip().splitlines()[-1])
    native = probes.pop("")
    if native is None or native[0] == "none":
        session.error(f"NumPy does not run on OpenBLAS here: {native}")
    others, bits = [], {native[1]}
    for name, probe in probes.items():  # each kernel that runs here and computes bits no kernel before it did
        if probe and probe[1] not in bits:
            others.append(name)
            bits.add(probe[1])
    if len(others) <= kernel:
        session.error(f"only {others} of {KERNELS} compute otherwise than this machine's {native[0]}")
    forced = others[kernel]
    session.log(f"OPENBLAS_CORETYPE={forced} (kernel {probes[forced][0]}; this machine's own is {native[0]})")
    session.run(*PYTEST, *session.posargs, *paths, env={"OPENBLAS_CORETYPE": forced, "OPENBLAS_NUM_THREADS": "1"})


# The grading machinery on each Python: the sandbox graded against a class of hostile, broken and honest
# submissions. The rest of tests/grading (the catalogue of mistakes, the guide's path, the exchange, Celery)
# drives the same machinery with other data; it runs once, on 3.11, in the README's pytest run, which keeps
# the whole command within CI's budget.
GRADING = ["tests/grading/test_hostile.py"]


@nox.session(python=["3.12", "3.13"])
def versions(session: nox.Session) -> None:
    install(session)
    pytest(session, "tests/lib", *GRADING, *NOTEBOOKS, kernel=["3.12", "3.13"].index(session.python))


def lowest_pins() -> list[str]:
    """``name==lower bound`` for the library's own dependencies and Matplotlib, from pyproject.toml."""
    declared = PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["student"]
    pins = []
    for requirement in declared:
        name, _, bounds = requirement.partition(">=")
        if name in ("numpy", "matplotlib", "tqdm"):
            pins.append(f"{name}=={bounds.split(',')[0]}")
    return pins


@nox.session(python="3.11")
def lowest(session: nox.Session) -> None:
    install(session, *lowest_pins())
    session.run("python", "-c", "import matplotlib, numpy, tqdm; print(numpy.__version__, matplotlib.__version__, "
                "tqdm.__version__)")
    pytest(session, "tests/lib", *NOTEBOOKS, kernel=2)
