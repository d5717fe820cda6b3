"""The installs by role (pyproject.toml's extras) hold what each role needs and nothing heavy it does not."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
EXTRAS = PYPROJECT["project"]["optional-dependencies"]
REFERENCES = {"torch", "scikit-learn", "scipy"}  # what bench/ compares against: for bench only


def name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower()


def packages(extra: str) -> set[str]:
    """The project's own requirements of an extra, following its references to other extras."""
    found = {name(requirement) for requirement in PYPROJECT["project"]["dependencies"]}
    for requirement in EXTRAS[extra]:
        if requirement.startswith("course_lib["):
            for included in requirement[len("course_lib["):-1].split(","):
                found |= packages(included)
        else:
            found.add(name(requirement))
    return found


def readme_command(marker: str) -> str:
    text = (ROOT / "README.md").read_text()
    return text.split(f"<!-- {marker} -->\n```bash\n", 1)[1].split("\n", 1)[0]


@pytest.mark.parametrize(("marker", "extra"), [("build-command", "book"), ("test-command", "test")])
def test_the_readme_commands_install_their_role_and_no_reference(marker, extra):
    command = readme_command(marker)
    assert f'pip install -e ".[{extra}]"' in command, command
    assert not packages(extra) & REFERENCES, packages(extra) & REFERENCES


def test_the_student_gets_the_lab_nbgrader_and_plots_and_nothing_for_benchmarks():
    assert {"numpy", "matplotlib", "jupyterlab", "nbgrader"} <= packages("student")
    assert not packages("student") & (REFERENCES | {"jupyter-book", "pytest", "playwright"})


def test_the_test_role_holds_every_other_role_but_bench():
    for role in ("student", "book", "instructor", "check"):
        assert packages(role) <= packages("test"), role


def test_the_references_are_the_bench_roles():
    assert {"torch", "scikit-learn"} <= packages("bench") and packages("test") <= packages("bench")
