"""The assignments' chapter links and instructions work where students have the notebook.

After nbgrader's `fetch_assignment`, on a laptop or in Colab there is no `book/` folder and no repository root,
so every chapter link points to the published book (GitHub Pages of the repository named in `_config.yml`) and
names a chapter that exists in `book/`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
# The repository the book is published from, while `_config.yml` does not name it in `repository: url:`.
REPOSITORY_URL = "https://github.com/backprop-course/backprop-course"
NOTEBOOKS = sorted((REPO / "solutions").glob("*/*.ipynb")) + sorted((REPO / "exercises").glob("*/*.ipynb"))
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")


def pages_url(repository_url: str) -> str:
    """The GitHub Pages address of a GitHub repository: https://github.com/o/r -> https://o.github.io/r/."""
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", repository_url)
    assert match, f"not a GitHub repository address: {repository_url}"
    owner, name = match.groups()
    return f"https://{owner.lower()}.github.io/{name}/"


def book_pages() -> str:
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    url = (config.get("repository") or {}).get("url", REPOSITORY_URL)
    return pages_url(url) + "book/"


def markdown(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_pages_url():
    assert pages_url("https://github.com/backprop-course/backprop-course") == (
        "https://backprop-course.github.io/backprop-course/")
    assert pages_url("https://github.com/Someone/notes.git") == "https://someone.github.io/notes/"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_chapter_links_point_to_the_published_book(notebook):
    base = book_pages()
    chapters = {p.stem: p for p in (REPO / "book").glob("0*.md")}
    links = MARKDOWN_LINK.findall(markdown(notebook))
    chapter_links = [(text, url) for text, url in links if "chapter" in text.lower() or "book/" in url]
    assert chapter_links, f"{notebook.name} links to no chapter"
    for text, url in chapter_links:
        assert url.startswith(base) and url.endswith(".html"), f"{url} is not a page of {base}"
        stem = url[len(base):-len(".html")]
        assert stem in chapters, f"{url}: book/{stem}.md does not exist"
        number = int(stem[:2])
        title = next(line[2:].strip() for line in chapters[stem].read_text(encoding="utf-8").splitlines()
                     if line.startswith("# "))
        assert " ".join(text.split()) == f"Chapter {number}, *{title}*", f"{url} is not named by its chapter"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_instructions_work_without_the_repository(notebook):
    text = markdown(notebook)
    assert "../" not in text and ".venv" not in text and "repository root" not in text
    assert f"`nbgrader validate {notebook.name}` in the folder that holds this notebook" in " ".join(text.split())


def points(notebook: Path) -> dict[str, float]:
    """Points per answer, from nbgrader's metadata: an answer cell's grade_id gets the tests that follow it."""
    found: dict[str, float] = {}
    answer = None
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            answer = meta["grade_id"]
            found[answer] = 0
        if meta.get("grade"):
            found[answer] += meta["points"]
    return found


CHAPTERS = {p.name: next((REPO / "book").glob(f"0{p.name[1]}_*.md")) for p in (REPO / "solutions").iterdir()
            if p.is_dir() and p.name[1] != "6"}  # chapter 6 presents its assignment in its own way


@pytest.mark.parametrize("assignment", sorted(CHAPTERS))
def test_chapter_states_the_assignments_points(assignment):
    """The chapter's *Assignment* section gives the total and, for each function it names with points, its own."""
    expected = points(REPO / "solutions" / assignment / f"{assignment}.ipynb")
    section = " ".join(CHAPTERS[assignment].read_text(encoding="utf-8").partition("## Assignment")[2].split())
    assert assignment in section, f"the Assignment section of {CHAPTERS[assignment].name} does not link {assignment}"
    total = re.search(r"\((\d+) points", section)
    assert total and float(total[1]) == sum(expected.values()), f"{assignment}: total is {sum(expected.values()):g}"
    stated = re.findall(r"`(\w+)` \((\d+)(?: points?)?\)", section)
    stated += [(name, n) for n, name in re.findall(r"\((\d+) points?\), `(\w+)`", section)]
    for name, n in stated:
        assert name in expected and float(n) == expected[name], f"{assignment}: `{name}` is worth {expected.get(name)}"
    every_two = "2 per task" in section and set(expected.values()) == {2}
    assert len(stated) >= 2 or every_two, f"{assignment}: the section gives no points per part"
