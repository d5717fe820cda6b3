"""The whole book as one PDF, from the same sources: Jupyter Book's single-page build printed by Chromium.

Writes ``_build/html/backpropagation.pdf`` (every page's download menu links to it), so run it after the
HTML build. Chromium is Debian's (``/usr/bin/chromium``) or the one ``$CHROMIUM`` names, driven by
Playwright: Jupyter Book's own ``pdfhtml`` builder wants a browser download of Playwright's.
Run: python .github/scripts/book_pdf.py [ROOT]
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

PDF_NAME = "backpropagation.pdf"  # the name book/_ext/publish.py links to
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu"]
TYPESET = "() => window.MathJax && MathJax.startup && MathJax.startup.promise.then(() => true)"


def single_page(root: Path) -> Path:
    """Build the book as one HTML page (every chapter executed, as in the HTML build); returns that page."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(jupyter_book), "build", str(root), "--builder", "singlehtml", "-W", "--keep-going"],
                   check=True)
    first_page = yaml.safe_load((root / "_toc.yml").read_text())["root"]  # index.html only redirects to it
    page = root / "_build" / "singlehtml" / f"{first_page}.html"
    # The single page sits in book/ but names MathJax as _static/... from the output's root: link it there.
    static = page.parent / "_static"
    if not static.exists():
        static.symlink_to(Path("../" * (len(Path(first_page).parts) - 1)) / "_static", target_is_directory=True)
    return page


def print_pdf(page_file: Path, pdf: Path, chromium: str) -> Path:
    """Print a built page to ``pdf`` once MathJax has typeset every formula."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.set_default_timeout(300_000)
        page.goto(page_file.as_uri(), wait_until="load")
        page.wait_for_function(TYPESET)
        page.emulate_media(media="print")
        page.pdf(path=str(pdf), format="A4", print_background=True, outline=True, tagged=True,
                 margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"})
        browser.close()
    return pdf


def main(root: Path) -> Path:
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    return print_pdf(single_page(root), root / "_build" / "html" / PDF_NAME, chromium)


if __name__ == "__main__":
    print(main(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()))
