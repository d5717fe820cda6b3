"""The reader's path: every page of the built book in headless Chromium, served from 127.0.0.1 only.

Each page must load with no console error, no failed request and no request to another host; every
formula typeset by the book's own MathJax; every image loaded; the left navigation listing every page.
A full-page screenshot of each page goes to test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from browser_support import screenshot_path

pytestmark = pytest.mark.slow

RAW_TEX = [r"\frac", "$$", r"\begin", r"\(", r"\["]
# the reader's text: the article without code, typeset formulas and scripts
VISIBLE_PROSE = """() => {
    const article = document.querySelector('article').cloneNode(true);
    article.querySelectorAll('pre, code, script, mjx-container').forEach(e => e.remove());
    return article.innerText;
}"""
ALL_TYPESET = """() => [...document.querySelectorAll('.math')].every(e => e.querySelector('mjx-container'))"""
BROKEN_IMAGES = """() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"""
NAV_LINKS = """() => [...document.querySelectorAll('nav.bd-docs-nav a.reference')].map(a => a.href.split('#')[0])"""


def test_page_reads_well_offline(watched_page, book_url, toc_page, all_toc_pages):
    page, watch = watched_page, watched_page.watch
    page.goto(urljoin(book_url, f"{toc_page}.html"), wait_until="load")
    formulas = page.locator(".math").count()
    if formulas:
        page.wait_for_function(ALL_TYPESET, timeout=30_000)
    prose = page.evaluate(VISIBLE_PROSE)
    page.screenshot(path=screenshot_path(toc_page.replace("/", "__")), full_page=True)

    assert page.locator("mjx-merror").count() == 0, "MathJax could not typeset a formula"
    assert not [tex for tex in RAW_TEX if tex in prose], f"raw TeX left in the text of {toc_page}"
    assert page.evaluate(BROKEN_IMAGES) == []
    listed = set(page.evaluate(NAV_LINKS))
    missing = [p for p in all_toc_pages if urljoin(book_url, f"{p}.html") not in listed]
    assert not missing, f"the left navigation of {toc_page} lacks {missing}"
    assert not watch.problems(), "\n".join(watch.problems())


@pytest.mark.parametrize("query, chapter", [("Jacobian", "book/02_jacobians"),
                                            ("δ-recursion", "book/05_deep_delta_recursion"),
                                            ("recursion", "book/05_deep_delta_recursion")])
def test_search_finds_the_chapter(watched_page, book_url, query, chapter):
    page = watched_page
    page.goto(urljoin(book_url, f"search.html?q={query}"))
    summary = page.locator("#search-results .search-summary")
    summary.filter(has_text="Search finished").or_(summary.filter(has_text="did not match")).wait_for()
    found = page.evaluate("() => [...document.querySelectorAll('#search-results ul.search li a')].map(a => a.href)")
    assert any(href.split("#")[0].split("?")[0] == urljoin(book_url, f"{chapter}.html") for href in found), found
    assert not page.watch.problems(), "\n".join(page.watch.problems())
