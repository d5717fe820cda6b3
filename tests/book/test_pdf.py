"""The whole book as one PDF (the workflow's PDF step): every chapter in it, the mathematics typeset, and a
link to it from every page."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
RAW_TEX = re.compile(r"\$[^$\n]{1,80}\$|\\(?:frac|begin|partial|mathbb|delta)\b")


def title(page: str) -> str:
    """The first heading of a page's source (a chapter's ``# Title``, an assignment's first markdown cell)."""
    markdown = REPO / f"{page}.md"
    if markdown.exists():
        text = markdown.read_text(encoding="utf-8")
    else:
        text = "\n".join(c.source for c in nbformat.read(REPO / f"{page}.ipynb", as_version=4).cells
                         if c.cell_type == "markdown")
    match = re.search(r"^#\s+(.+)$", text, re.M)
    assert match, f"{page} has no title"
    return match.group(1).strip()


@pytest.fixture(scope="module")
def pdf_text(book_pdf) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(book_pdf).pages)
    return unicodedata.normalize("NFKC", text)  # the PDF's ligatures (ﬁ) back to letters


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_pdf_has_every_page_of_the_book(pdf_text, all_toc_pages):
    text = squeeze(pdf_text)
    missing = [page for page in all_toc_pages if squeeze(title(page)) not in text]
    assert not missing, f"the PDF lacks {missing}"


def code_shown(book_pdf: Path) -> str:
    """The text of every code block of the single page the PDF was printed from (docstrings carry LaTeX)."""
    import yaml

    root = yaml.safe_load((REPO / "_toc.yml").read_text())["root"]
    page = (book_pdf.parents[1] / "singlehtml" / f"{root}.html").read_text(encoding="utf-8")
    blocks = re.findall(r"<pre[^>]*>(.*?)</pre>", page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", "\n".join(blocks)))


def test_pdf_mathematics_is_typeset(pdf_text, book_pdf):
    code = re.sub(r"\s+", "", code_shown(book_pdf))  # a PDF breaks and joins code lines where it likes
    raw = [tex for tex in RAW_TEX.findall(pdf_text) if re.sub(r"\s+", "", tex) not in code]
    assert not raw, f"raw TeX outside code in the PDF: {raw[:5]}"
    assert pdf_text.count("∂") > 20, "the PDF shows almost no typeset partial derivative"


def test_every_page_links_to_the_pdf(built_book, book_pdf, toc_page):
    page = built_book.page(toc_page)
    links = re.findall(r'<a href="([^"]+\.pdf)"[^>]*\n?[^>]*btn-download-pdf-button', page.read_text())
    assert links, f"{toc_page} has no PDF link"
    assert (page.parent / links[0]).resolve() == book_pdf.resolve()
