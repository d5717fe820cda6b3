"""The student's path in JupyterLab: open the assignment, run every cell, read the tests' verdicts, validate.

An untouched notebook shows the visible tests failing with a message ("not implemented yet"), and
nbgrader's Validate button reports the failure; the same notebook with the solutions filled in shows
every test passing (``✓ <call>: correct …``) and validates.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from browser_support import screenshot_path
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

IDLE = "Python 3 (ipykernel) | Idle"
STDERR = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
ALL_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""
OUTPUTS = "() => [...document.querySelectorAll('.jp-OutputArea-output')].map(e => e.textContent)"


def open_notebook(page, lab, name):
    page.goto(lab.notebook_url(name))
    page.get_by_text(IDLE).wait_for(timeout=90_000)


def run_all_cells(page):
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")


def validate(page) -> str:
    page.click(".jp-Toolbar-item:has-text('Validate')")
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=120_000)
    text = dialog.inner_text()
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    return text


def test_nbgrader_lab_extension_is_enabled():
    jupyter = Path(sys.executable).parent / "jupyter"
    listing = subprocess.run([str(jupyter), "labextension", "list"], capture_output=True, text=True, timeout=120)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
    assert re.search(r"@jupyter/nbgrader v\S+ enabled OK", plain), plain


def test_untouched_notebook_shows_failures_and_fails_validation(watched_page, lab):
    page = watched_page
    open_notebook(page, lab, lab.released)
    page.click(".lm-MenuBar-itemLabel:text-is('Nbgrader')")  # nbgrader's lab extension: its menu and button
    expect(page.locator(".lm-Menu-itemLabel:text-is('Assignment List')")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".jp-Toolbar-item:has-text('Validate')")).to_be_visible()
    run_all_cells(page)
    failure = page.locator(STDERR).filter(has_text="not implemented").first
    failure.wait_for(timeout=120_000)
    failure.scroll_into_view_if_needed()
    expect(failure).to_be_visible()
    expect(failure).to_contain_text("CheckFailed")  # the check's message alone: no traceback through course code
    expect(failure).not_to_contain_text("course_lib/checks.py")
    page.screenshot(path=screenshot_path("lab_untouched_run_all"))

    verdict = validate(page)
    assert "Success!" not in verdict and "not implemented" in verdict, verdict
    assert not page.watch.problems(), "\n".join(page.watch.problems())


def test_filled_notebook_passes_its_tests_and_validates(watched_page, lab):
    page = watched_page
    open_notebook(page, lab, lab.filled)
    run_all_cells(page)
    try:
        page.wait_for_function(ALL_RAN, timeout=180_000)
    finally:
        page.screenshot(path=screenshot_path("lab_filled_run_all"))
    page.get_by_text(IDLE).wait_for(timeout=60_000)
    outputs = page.evaluate(OUTPUTS)
    assert page.locator(STDERR).count() == 0, [o for o in outputs if "Error" in o]
    passed = [line for out in outputs for line in out.splitlines() if re.match(r"✓ .+: correct", line.strip())]
    assert len(passed) >= graded_cells(lab.root / lab.released), outputs

    verdict = validate(page)
    assert "Success! Your notebook passes all the tests." in verdict, verdict
    assert not page.watch.problems(), "\n".join(page.watch.problems())


def graded_cells(notebook: Path) -> int:
    return sum(1 for cell in nbformat.read(notebook, as_version=4).cells
               if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code")

