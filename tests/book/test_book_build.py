"""The built book: it builds with no warning, every page is there without error output, exercises give nothing away."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow  # the session's first test builds the whole book

REPO = Path(__file__).resolve().parents[2]
ERROR_OUTPUT = ["Traceback (most recent call last)", 'class="output traceback', 'class="output stderr']
GIVEAWAYS = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"]


def page_text(path: Path) -> str:
    """The page's text as a reader sees it, code included (highlighting spans removed)."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def notebook_sources(path: Path) -> str:
    return "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)


def solution_only_lines(exercise_page: str) -> list[str]:
    """Lines of the solution notebook that the released notebook lacks: solutions and hidden tests."""
    name = Path(exercise_page).name
    source = REPO / "solutions" / name / f"{name}.ipynb"
    assert source.exists(), f"{exercise_page} has no nbgrader source {source.relative_to(REPO)}"
    released = {line.strip() for line in notebook_sources(REPO / f"{exercise_page}.ipynb").splitlines()}
    lines = {line.strip() for line in notebook_sources(source).splitlines()}
    return sorted(line for line in lines - released if len(line) >= 12 and not line.startswith("###"))


def test_book_builds_with_no_warning(built_book):
    warnings = [line for line in built_book.log.splitlines() if "WARNING" in line and "over TCP" not in line]
    assert built_book.returncode == 0, "the build failed (full log: test-artifacts/book-build.log):\n" + "\n".join(
        warnings or built_book.log.splitlines()[-40:])


def test_page_is_built_without_error_output(built_book, toc_page):
    page = built_book.page(toc_page)
    assert page.exists(), f"{toc_page} is in _toc.yml but was not built"
    text = page.read_text()
    assert not [marker for marker in ERROR_OUTPUT if marker in text], f"{toc_page} shows an error or stderr output"


def test_exercise_page_shows_no_solution_and_no_hidden_test(built_book, exercise_page):
    text = page_text(built_book.page(exercise_page))
    assert not [marker for marker in GIVEAWAYS if marker in text]
    shown = {line.strip() for line in text.splitlines()}
    leaked = [line for line in solution_only_lines(exercise_page) if line in shown]
    assert not leaked, f"{exercise_page} shows lines of the solution or of hidden tests: {leaked[:5]}"


def test_exercise_page_offers_the_notebook_for_download(built_book, exercise_page):
    page = built_book.page(exercise_page)
    links = re.findall(r'<a href="([^"]+\.ipynb)"[^>]*\n?[^>]*btn-download-source-button', page.read_text())
    assert links, f"{exercise_page} has no .ipynb download button"
    download = (page.parent / links[0]).resolve()
    assert download.is_relative_to(built_book.html.resolve()) and download.exists(), f"{links[0]} is not in the book"
    assert notebook_sources(download) == notebook_sources(REPO / f"{exercise_page}.ipynb"), (
        "the downloadable notebook differs from the released one")
