"""Benchmark: each page's weight and time to first render, cold, from a local server (issue 15, item 5).

Every page of the built book is opened in a fresh Chromium context (empty cache) from 127.0.0.1 and
left to settle (MathJax typeset, its fonts loaded); Chromium's performance timings give the bytes
transferred (the page plus every resource it loaded) and the first contentful paint. The local server
compresses text files with gzip when the browser asks, as GitHub Pages does; ``--plain`` serves every
file as it is (an upper bound for a host that compresses nothing). The heaviest page must stay under 1.5 MB.
Run: python bench/page_weight.py [BUILT_HTML]   (default _build/html; build the book first)
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import sys
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import _common  # noqa: F401
from _common import markdown_table, save

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser_support import CHROMIUM_FLAGS, LOCAL_HOST, _QuietHandler, serve  # noqa: E402

LIMIT_BYTES = 1_500_000
COMPRESSED = {".html", ".js", ".css", ".svg", ".json", ".txt", ".map", ".ttf"}  # as GitHub Pages does
SETTLED = "() => !window.MathJax || !MathJax.startup || MathJax.startup.promise.then(() => document.fonts.ready)"
TIMINGS = """() => {
    const navigation = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return {bytes: navigation.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
            requests: 1 + resources.length, first_render_ms: paint ? paint.startTime : null};
}"""


def pages(html: Path) -> list[str]:
    """Every HTML page of the build but Sphinx's redirect stub (index.html)."""
    skip = {"_static", "_sources", "_images"}
    return sorted(str(p.relative_to(html).with_suffix("")) for p in html.rglob("*.html")
                  if not skip & set(p.relative_to(html).parts) and p.name != "index.html")


class GzipHandler(_QuietHandler):
    """Sends a text file gzip-compressed when the request accepts it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


def serve_compressed(directory: Path):
    server = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(GzipHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://{LOCAL_HOST}:{server.server_address[1]}/", server


def measure(html: Path, compressed: bool = True) -> list[dict]:
    from playwright.sync_api import sync_playwright

    url, server = (serve_compressed if compressed else serve)(html)
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                                 args=CHROMIUM_FLAGS)
            for name in pages(html):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.set_default_timeout(180_000)
                page.goto(f"{url}{name}.html", wait_until="networkidle")
                page.wait_for_function(SETTLED)
                rows.append({"page": name, **page.evaluate(TIMINGS)})
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--plain", action="store_true", help="serve files uncompressed")
    args = parser.parse_args()
    rows = measure(args.html.resolve(), compressed=not args.plain)
    for row in rows:
        row["kB"] = row["bytes"] / 1000
    print(markdown_table(rows, ["page", "kB", "requests", "first_render_ms"],
                         {"kB": ".0f", "first_render_ms": ".0f"}))
    heaviest = max(rows, key=lambda row: row["bytes"])
    print(f"heaviest: {heaviest['page']}, {heaviest['bytes'] / 1e6:.2f} MB (limit {LIMIT_BYTES / 1e6:.1f} MB)")
    print(save("page_weight" + ("_plain" if args.plain else ""), rows, limit_bytes=LIMIT_BYTES))
    if heaviest["bytes"] >= LIMIT_BYTES:
        sys.exit(1)


if __name__ == "__main__":
    main()
