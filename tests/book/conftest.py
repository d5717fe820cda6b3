"""The book, built once per run as CI builds it (every chapter executed afresh, warnings as errors), for every test
process that needs it.

Tests that take a ``toc_page`` argument run once per page of ``_toc.yml``; ``exercise_page`` once per
exercise page.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from filelock import FileLock

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]
from book_support import RUNTIME_FOLDERS, readme_command, run_here, workflow_steps  # noqa: E402
from browser_support import ARTIFACTS, REPO, chromium, copy_tree, serve, watched_page  # noqa: E402, F401 (fixtures)


def toc_pages() -> list[str]:
    """Every document of ``_toc.yml``, root first, in reading order (paths without suffix)."""
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                yield entry["file"]
            yield from walk(entry.get("sections", []))
            yield from walk(entry.get("chapters", []))

    return [toc["root"], *walk(toc.get("parts", [])), *walk(toc.get("chapters", []))]


def exercise_pages() -> list[str]:
    return [page for page in toc_pages() if page.startswith("exercises/")]


def pytest_generate_tests(metafunc):
    for name, pages in (("toc_page", toc_pages), ("exercise_page", exercise_pages)):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, pages())


@pytest.fixture(scope="session")
def all_toc_pages() -> list[str]:
    return toc_pages()


@dataclass
class BuiltBook:
    html: Path
    returncode: int
    log: str

    def page(self, docname: str) -> Path:
        return self.html / f"{docname}.html"


BROKEN_NOTEBOOK = {"cells": [{"cell_type": "code", "execution_count": None, "id": "x", "metadata": {}, "outputs": [],
                               "source": "raise RuntimeError('a notebook of an installed package')"}],
                   "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def shared_folder(tmp_path_factory, worker_id: str) -> Path:
    """A folder every test process of this run sees: the run's temporary root when pytest-xdist runs it."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if worker_id != "master" else base


@pytest.fixture(scope="session")
def checkout(tmp_path_factory, worker_id) -> Path:
    """A copy of the working tree, as CI's checkout: the workflow's steps write into it, never into the repo.
    One per run, made by the first test process to need it (the book is built there once, see below).

    It also holds what the README's test command leaves in a checkout (its virtual environments), each with
    a notebook that fails, as installed packages carry (nbgrader's test files): the build must not read them.
    """
    root = shared_folder(tmp_path_factory, worker_id) / "checkout"
    with FileLock(f"{root}.lock"):
        if not (root / "repo").exists():
            copy_tree(REPO, root / "copying", ignore=RUNTIME_FOLDERS)
            for venv in (".venv", ".nox/versions-3-12"):
                planted = root / "copying" / venv / "lib" / "site-packages" / "package" / "tests" / "broken.ipynb"
                planted.parent.mkdir(parents=True)
                planted.write_text(json.dumps(BROKEN_NOTEBOOK))
            (root / "copying").rename(root / "repo")
    return root / "repo"


@pytest.fixture(scope="session")
def built_book(checkout) -> BuiltBook:
    """The book built in the checkout by the README's build command (its jupyter-book step, in this
    environment): every chapter executed afresh, warnings as errors. The log goes to test-artifacts/.
    The first test process to need it builds it; the others wait for that build and read it."""
    done = checkout.parent / "built.json"
    with FileLock(f"{done}.lock"):
        if not done.exists():
            build = readme_command("build-command").split("&&")[-1].strip()
            result = run_here(build, checkout, "book-build.log")
            done.write_text(json.dumps({"returncode": result.returncode, "log": result.stdout + result.stderr}))
    built = json.loads(done.read_text())
    return BuiltBook(checkout / "_build" / "html", built["returncode"], built["log"])


@pytest.fixture(scope="session")
def book_pdf(built_book, checkout) -> Path:
    """The workflow's PDF step, run in the checkout after the build: the path of the PDF."""
    result = run_here(workflow_steps()["Print the book to PDF"], checkout, "book-pdf.log")
    assert result.returncode == 0, f"the PDF step failed (test-artifacts/book-pdf.log):\n{result.stderr[-3000:]}"
    return Path(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def published(built_book, checkout) -> Path:
    """The workflow's notebook step, run in the checkout: the tree the launch links open."""
    result = run_here(workflow_steps()["Generate the notebooks"], checkout, "publish-notebooks.log")
    assert result.returncode == 0, f"the notebook step failed:\n{result.stderr[-3000:]}"
    return checkout


@pytest.fixture(scope="module")
def book_url(built_book):
    """The built book served over HTTP on 127.0.0.1."""
    url, server = serve(built_book.html)
    yield url
    server.shutdown()
