"""The whole book as one PDF (the workflow's PDF step): every chapter in it, the mathematics typeset, and a
link to it from every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
RAW_TEX = re.compile(r"\$[^$\n]{1,80}\$|\\(frac|begin|partial|mathbb|delta)\b")


def title(page: str) -> str:
    """The first heading of a page's source (a chapter's ``# Title``, an assignment's first markdown cell)."""
    source = REPO / f"{page}.md" if (REPO / f"{page}.md").exists() else REPO / f"{page}.ipynb"
    match = re.search(r"^#\s+(.+?)(\\n|\"|$)", source.read_text(encoding="utf-8"), re.M)
    assert match, f"{page} has no title"
    return match.group(1).strip()


@pytest.fixture(scope="module")
def pdf_text(book_pdf) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(book_pdf).pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_pdf_has_every_page_of_the_book(pdf_text, all_toc_pages):
    text = squeeze(pdf_text)
    missing = [page for page in all_toc_pages if squeeze(title(page)) not in text]
    assert not missing, f"the PDF lacks {missing}"


def test_pdf_mathematics_is_typeset(pdf_text):
    raw = RAW_TEX.findall(pdf_text)
    assert not raw, f"raw TeX in the PDF: {raw[:5]}"
    assert pdf_text.count("∂") > 20, "the PDF shows almost no typeset partial derivative"


def test_every_page_links_to_the_pdf(built_book, book_pdf, toc_page):
    page = built_book.page(toc_page)
    links = re.findall(r'<a href="([^"]+\.pdf)"[^>]*\n?[^>]*btn-download-pdf-button', page.read_text())
    assert links, f"{toc_page} has no PDF link"
    assert (page.parent / links[0]).resolve() == book_pdf.resolve()
