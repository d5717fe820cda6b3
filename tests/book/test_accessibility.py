"""Pages everyone can use: every page in Chromium, light and dark, at a desktop width and at a phone's.

axe-core (the copy PyPI's axe-playwright-python ships) checks every WCAG 2.0/2.1 A and AA rule it has,
experimental ones included; each page must have none, and the count per page is printed at the end of
the run. The rules about colour (contrast, links told apart by colour), four fifths of axe's time on a
chapter, run once per mode, at the desktop width: the test checks that every text the phone's width shows
is shown there too, in the same colours on the same background. No page may scroll sideways at 390 px;
formulas carry MathJax's assistive MathML; the controls are reached and operated by the keyboard alone.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.slow

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MODES = ["light", "dark"]
WIDTHS = [1280, 390]  # widest first: the colour rules run at the widest only
COLOUR_RULES = {"color-contrast", "link-in-text-block"}
# each visible element with text of its own: its tag, class, text, colour and the first background behind it
SHOWN_TEXT = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.checkVisibility({visibilityProperty: true, opacityProperty: true})
                 && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(e => {
        let back = e;
        while (back && ['rgba(0, 0, 0, 0)', 'transparent'].includes(getComputedStyle(back).backgroundColor)) {
            back = back.parentElement;
        }
        return [e.tagName, e.className, e.textContent.trim().slice(0, 60), getComputedStyle(e).color,
                back ? getComputedStyle(back).backgroundColor : 'none'].join(' | ');
    })"""
GENERATED_PAGES = ["search", "genindex"]  # pages Sphinx adds to the book's own
AXE = Axe()
TYPESET = "() => [...document.querySelectorAll('.math')].every(e => e.querySelector('mjx-container'))"
# every control a keyboard user can reach and see: the page header, the navigation and the article
CONTROLS = """() => [...document.querySelectorAll(
        'a[href], button, summary, input, select, textarea, [tabindex]:not([tabindex="-1"])')]
    .filter(e => !e.disabled && e.tabIndex >= 0 && e.checkVisibility({visibilityProperty: true})
                 && e.getBoundingClientRect().width > 0 && !e.closest('[inert], .dropdown-menu'))"""
MARK_FOCUSABLE = CONTROLS + ".map((e, i) => { e.dataset.kbd = i; return i; })"
MISSED = "ids => ids.map(i => document.querySelector(`[data-kbd='${i}']`).outerHTML.slice(0, 120))"
FOCUSED = "() => document.activeElement && document.activeElement.dataset.kbd"


def open_page(chromium, url: str, mode: str, width: int):
    context = chromium.new_context(viewport={"width": width, "height": 900}, color_scheme=mode)
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(url, wait_until="load")
    if page.locator(".math").count():
        page.wait_for_function(TYPESET)
    return page


def axe_violations(page, colours: bool) -> list[dict]:
    page.evaluate(AXE.axe_script)
    rules = page.evaluate("tags => axe.getRules(tags).map(rule => rule.ruleId)", WCAG_TAGS)
    assert COLOUR_RULES <= set(rules), "axe no longer has the colour rules this test names"
    if not colours:
        rules = [rule for rule in rules if rule not in COLOUR_RULES]
    return AXE.run(page, options={"runOnly": {"type": "rule", "values": rules}}).response["violations"]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(
        f"{node['target']} {node['html'][:160]}" for node in v["nodes"][:5]) for v in violations)


@pytest.fixture(params=MODES)
def mode(request):
    return request.param


@pytest.fixture(params=GENERATED_PAGES)
def generated_page(request):
    return request.param


def check_page(chromium, book_url, name: str, mode: str, record_property):
    """The page at each width, widest first, in one colour mode."""
    shown = {}
    for width in WIDTHS:
        page = open_page(chromium, urljoin(book_url, f"{name}.html"), mode, width)
        try:
            violations = axe_violations(page, colours=width == WIDTHS[0])
            record_property("axe", [name, mode, width, sum(len(v["nodes"]) for v in violations)])
            page_width = page.evaluate("document.documentElement.scrollWidth")
            shown[width] = set(page.evaluate(SHOWN_TEXT))
        finally:
            page.context.close()
        assert not violations, f"{name} ({mode}, {width} px):\n{describe(violations)}"
        assert page_width <= width, f"{name} scrolls sideways at {width} px: it is {page_width} px wide"
    unchecked = shown[WIDTHS[-1]] - shown[WIDTHS[0]]
    assert not unchecked, f"{name} ({mode}) shows text whose colours no width checked: {sorted(unchecked)[:5]}"


def test_page_has_no_accessibility_violation(chromium, book_url, toc_page, mode, record_property):
    check_page(chromium, book_url, toc_page, mode, record_property)


def test_generated_page_has_no_accessibility_violation(chromium, book_url, generated_page, mode, record_property):
    check_page(chromium, book_url, generated_page, mode, record_property)


def test_formulas_carry_assistive_mathml(chromium, book_url):
    page = open_page(chromium, urljoin(book_url, "book/01_partial_derivatives.html"), "light", 1280)
    try:
        formulas = page.locator("mjx-container").count()
        readable = page.locator("mjx-container > mjx-assistive-mml > math").count()
    finally:
        page.context.close()
    assert formulas > 50 and readable == formulas, f"{readable} of {formulas} formulas have assistive MathML"


@pytest.mark.parametrize("name", ["book/01_partial_derivatives",
                                  "exercises/a1_partial_derivatives/a1_partial_derivatives"])
def test_tab_reaches_every_control(chromium, book_url, name):
    page = open_page(chromium, urljoin(book_url, f"{name}.html"), "light", 1280)
    try:
        controls = set(page.evaluate(MARK_FOCUSABLE))
        reached = set()
        for _ in range(4 * len(controls) + 20):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused is not None:
                reached.add(int(focused))
            if reached >= controls:
                break
        missed = page.evaluate(MISSED, sorted(controls - reached))
    finally:
        page.context.close()
    assert len(controls) > 20 and not missed, f"Tab never reaches {len(missed)} of {len(controls)} controls: {missed}"


def press_on(page, selector: str, key: str = "Enter"):
    page.locator(selector).first.focus()
    page.keyboard.press(key)


def test_menus_and_toggles_work_from_the_keyboard(chromium, book_url):
    page = open_page(chromium, urljoin(book_url, "book/01_partial_derivatives.html"), "light", 1280)
    try:
        for menu in (".dropdown-launch-buttons", ".dropdown-download-buttons"):
            press_on(page, f"{menu} > button")
            assert page.locator(f"{menu} .dropdown-menu.show").is_visible(), f"Enter does not open {menu}"
            page.keyboard.press("ArrowDown")
            assert page.evaluate("() => document.activeElement.classList.contains('dropdown-item')")
            page.keyboard.press("Escape")
            assert not page.locator(f"{menu} .dropdown-menu.show").count(), f"Escape does not close {menu}"
        hidden_code = "details.hide"
        assert page.locator(f"{hidden_code}:not([open])").count(), "the chapter has no hidden code to show"
        press_on(page, f"{hidden_code} > summary")
        assert page.locator(f"{hidden_code}[open]").count() == 1, "Enter does not show the hidden code"
        before = page.evaluate("document.documentElement.dataset.mode")
        press_on(page, ".theme-switch-button")
        assert page.evaluate("document.documentElement.dataset.mode") != before, "Enter does not switch the colours"
    finally:
        page.context.close()
