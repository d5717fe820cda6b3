"""The Python versions and the lowest declared dependencies, each in a fresh virtual environment.

The README's test command runs the whole suite on Python 3.11, then ``nox``: these sessions run the library
tests, every chapter and solution notebook (nbval) and the grading machinery's tests on 3.12 and 3.13, and the library
tests and the notebooks on 3.11 with the lowest NumPy, Matplotlib and tqdm that pyproject.toml allows.
"""

from __future__ import annotations

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


def lowest_pins() -> list[str]:
    """``name==lower bound`` for the library's own dependencies and Matplotlib, from pyproject.toml."""
    declared = PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["student"]
    pins = []
    for requirement in declared:
        name, _, bounds = requirement.partition(">=")
        if name in ("numpy", "matplotlib", "tqdm"):
            pins.append(f"{name}=={bounds.split(',')[0]}")
    return pins


# The grading machinery on each Python: the sandbox graded against a class of hostile, broken and honest
# submissions. The rest of tests/grading (the catalogue of mistakes, the guide's path, the exchange, Celery)
# drives the same machinery with other data; it runs once, on 3.11, in the README's pytest run, which keeps
# the whole command within CI's budget.
GRADING = ["tests/grading/test_hostile.py"]


@nox.session(python=["3.12", "3.13"])
def versions(session: nox.Session) -> None:
    session.install("-e", ".[check]")
    session.run(*PYTEST, "tests/lib", *GRADING, *NOTEBOOKS, env={"OPENBLAS_NUM_THREADS": "1"})


@nox.session(python="3.11")
def lowest(session: nox.Session) -> None:
    pins = lowest_pins()
    session.install("-e", ".[check]", *pins)
    session.run("python", "-c", "import matplotlib, numpy, tqdm; print(numpy.__version__, matplotlib.__version__, "
                "tqdm.__version__)")
    session.run(*PYTEST, "tests/lib", *NOTEBOOKS, env={"OPENBLAS_NUM_THREADS": "1"})
