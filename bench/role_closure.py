"""Size on disk of each install role (pyproject.toml's extras), from the distributions installed here.

Resolves a role's requirements through the installed distributions' metadata (extras and markers included) and
adds up the files their RECORDs list. Run it in the environment of the bench role, which holds every role:
``.venv-bench/bin/python bench/role_closure.py floor student instructor book check test bench``. "floor" is
JupyterLab, nbgrader, NumPy and Matplotlib alone: what any student environment needs.
"""

from __future__ import annotations

import importlib.metadata as metadata
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())["project"]
INSTALLED = {canonicalize_name(dist.metadata["Name"]): dist for dist in metadata.distributions()}
FLOOR = ["jupyterlab", "nbgrader", "numpy", "matplotlib"]


def closure(requirements: list[str], found: set[tuple[str, tuple[str, ...]]]) -> set[str]:
    """The names of every distribution the requirements bring in."""
    for text in requirements:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        if name == "course-lib":
            closure(PROJECT["dependencies"], found)
            for extra in requirement.extras:
                closure(PROJECT["optional-dependencies"][extra], found)
            continue
        key = (name, tuple(sorted(requirement.extras)))
        if key in found:
            continue
        if name not in INSTALLED:
            sys.exit(f"{name} is not installed here: run this in the bench role's environment")
        found.add(key)
        environments = [{"extra": extra} for extra in requirement.extras or [""]]
        closure([dependency for dependency in INSTALLED[name].requires or []
                 if (marker := Requirement(dependency).marker) is None
                 or any(marker.evaluate(environment) for environment in environments)], found)
    return {name for name, _ in found}


def megabytes(names: set[str]) -> float:
    files = (file.locate() for name in names for file in INSTALLED[name].files or [])
    return sum(Path(path).stat().st_size for path in files if Path(path).is_file()) / 1e6


if __name__ == "__main__":
    print("| role | distributions | MB | PyTorch, SciPy or scikit-learn |\n|---|---:|---:|---|")
    for role in sys.argv[1:] or ["floor", "student", "instructor", "book", "check", "test", "bench"]:
        names = closure(FLOOR if role == "floor" else [f"course_lib[{role}]"], set())
        heavy = ", ".join(sorted(names & {"torch", "scipy", "scikit-learn"})) or "none"
        print(f"| {role} | {len(names)} | {megabytes(names):,.0f} | {heavy} |")
