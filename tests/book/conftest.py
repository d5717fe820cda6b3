"""The book, built once per session as CI builds it: every chapter executed afresh, warnings as errors.

Tests that take a ``toc_page`` argument run once per page of ``_toc.yml``; ``exercise_page`` once per
exercise page.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from browser_support import ARTIFACTS, REPO, chromium, serve, watched_page  # noqa: E402, F401 (fixtures)


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


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> BuiltBook:
    """``jupyter-book build <repo> -W --keep-going`` into a temporary folder; the log goes to test-artifacts/."""
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run([str(jupyter_book), "build", str(REPO), "--path-output", str(out), "-W", "--keep-going"],
                            capture_output=True, text=True, timeout=1800, cwd=REPO)
    log = result.stdout + result.stderr
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "book-build.log").write_text(log)
    return BuiltBook(out / "_build" / "html", result.returncode, log)


@pytest.fixture(scope="module")
def book_url(built_book):
    """The built book served over HTTP on 127.0.0.1."""
    url, server = serve(built_book.html)
    yield url
    server.shutdown()
