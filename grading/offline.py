"""Feedback pages that show their mathematics without a network: MathJax inside the page, not from a CDN.

nbgrader's feedback template loads MathJax 2 from cdnjs, so a student who opens the page offline sees raw
``$J$``. The page gets instead the MathJax 3 that ``sphinx-mathjax-offline`` installs for the book: its SVG
output needs no font files, so the page stays one file, as ``release_feedback`` hands it out (about 2 MB).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

CDN = re.compile(r'<script src="https://cdnjs\.cloudflare\.com/ajax/libs/mathjax/[^"]*">\s*</script>\s*'
                 r'(?:<!-- MathJax configuration -->\s*)?<script type="text/x-mathjax-config">.*?</script>', re.DOTALL)
CONFIG = ("window.MathJax = {tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], processEscapes: true}, "
          "svg: {fontCache: 'global'}};")


def mathjax() -> str | None:
    """MathJax 3 (TeX input, SVG output) as one script, or None if the package that carries it is missing."""
    try:
        package = distribution("sphinx-mathjax-offline")
    except PackageNotFoundError:
        return None
    path = Path(package.locate_file("sphinx-mathjax-offline/static/mathjax/tex-svg.js"))
    return path.read_text(encoding="utf-8") if path.is_file() else None


def inline_mathjax(pages: Iterable[Path]) -> int:
    """Put MathJax inside each page that loads it from the CDN; returns how many pages were changed."""
    script = mathjax()
    if script is None or "<script" in script or "</script" in script:  # it could not sit inside a <script>
        return 0
    block = f"<script>{CONFIG}</script>\n<script>{script}</script>"
    changed = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        offline, count = CDN.subn(lambda _: block, text, count=1)
        if count:
            page.write_text(offline, encoding="utf-8")
            changed += 1
    return changed
