"""What the browser tests share: Debian's Chromium driven by Playwright, a local HTTP server, a network watch.

The conftest.py files of tests/book and tests/jupyterlab import their fixtures from here. Chromium is
Debian's package (installed by the ``chromium`` fixture when missing), never a Playwright download.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOST = "127.0.0.1"


def ensure_chromium() -> Path:
    """Install Debian's chromium when it is missing (CI runs as root); never skip."""
    if not CHROMIUM.exists():
        if os.geteuid() != 0:
            pytest.fail(f"{CHROMIUM} is missing and only root can install it: run `apt-get install -y chromium`")
        for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
            result = subprocess.run(command, capture_output=True, text=True, timeout=900,
                                    env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
            assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr}"
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCAL_HOST, 0))
        return s.getsockname()[1]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def serve(directory: Path):
    """Serve ``directory`` over HTTP on 127.0.0.1; returns (base URL, server). Call ``server.shutdown()`` to stop."""
    server = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://{LOCAL_HOST}:{server.server_address[1]}/", server


@dataclass
class NetworkWatch:
    """Everything a page did wrong: console errors, uncaught exceptions, failed or foreign requests.

    Requests to any host but 127.0.0.1 are recorded and aborted, so nothing leaves the machine.
    """

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def attach(self, context) -> NetworkWatch:
        context.route("**/*", self._route)
        context.on("page", self._watch_page)
        return self

    def _route(self, route):
        url = route.request.url
        if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).hostname != LOCAL_HOST:
            self.foreign_requests.append(url)
            route.abort()
        else:
            route.continue_()

    def _watch_page(self, page):
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(
            f"{msg.text} ({msg.location.get('url', '')})"))
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))
        page.on("requestfailed", lambda request: self.failed_requests.append(
            f"{request.url}: {request.failure}"))
        page.on("response", lambda response: response.status >= 400 and self.failed_requests.append(
            f"{response.url}: HTTP {response.status}"))

    def problems(self) -> list[str]:
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"failed request: {m}" for m in self.failed_requests]
                + [f"request to another host: {m}" for m in self.foreign_requests])

    def clear(self):
        for found in (self.console_errors, self.failed_requests, self.foreign_requests):
            found.clear()


@pytest.fixture(scope="module")
def chromium():
    """A headless Chromium (Debian's), driven by Playwright, for one test module.

    Module scope: Playwright's sync API runs one instance at a time, and both test folders use one.
    """
    from playwright.sync_api import sync_playwright

    executable = ensure_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def watched_page(chromium):
    """A fresh page in its own context, with a :class:`NetworkWatch` as ``page.watch``."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    watch = NetworkWatch().attach(context)
    page = context.new_page()
    page.watch = watch
    yield page
    context.close()


def screenshot_path(name: str) -> Path:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"


def copy_tree(source: Path, target: Path, ignore: tuple[str, ...] | list[str] = ()) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", *ignore))
    return target
