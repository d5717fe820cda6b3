"""JupyterLab on 127.0.0.1, serving a temporary copy of one released assignment, as a student would open it.

The copy holds the released notebook as it is (``<assignment>.ipynb``) and one whose answer cells hold the
solutions from ``solutions/`` (``<assignment>_filled.ipynb``), nbgrader's solution markers stripped.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from browser_support import ARTIFACTS, LOCAL_HOST, REPO, chromium, copy_tree, free_port, watched_page  # noqa: E402, F401

ASSIGNMENT = "a4_two_layer_network"
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def filled_in(released: Path, source: Path) -> nbformat.NotebookNode:
    """The released notebook with each answer cell replaced by the solution's code (markers stripped)."""
    solutions = {cell.metadata["nbgrader"]["grade_id"]: cell.source
                 for cell in nbformat.read(source, as_version=4).cells
                 if cell.metadata.get("nbgrader", {}).get("solution")}
    notebook = nbformat.read(released, as_version=4)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            assert grade_id in solutions, f"{source.name} has no solution cell {grade_id!r}"
            cell.source = "\n".join(line for line in solutions[grade_id].splitlines()
                                    if line.strip() not in SOLUTION_MARKERS)
    return notebook


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    released: str = f"{ASSIGNMENT}.ipynb"
    filled: str = f"{ASSIGNMENT}_filled.ipynb"

    def notebook_url(self, name: str) -> str:
        return f"{self.url}lab/tree/{name}?reset&token={self.token}"  # reset: no tab of a previous test


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server (with nbgrader's extensions) on a free port; its log goes to test-artifacts/."""
    home = tmp_path_factory.mktemp("lab")
    root = copy_tree(REPO / "exercises" / ASSIGNMENT, home / ASSIGNMENT)
    nbformat.write(filled_in(root / Lab.released, REPO / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
                   root / Lab.filled)
    no_news = home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    no_news.parent.mkdir(parents=True)
    no_news.write_text(json.dumps({"fetchNews": "false"}))  # no pop-up asking to fetch news from the web
    token, port = secrets.token_hex(16), free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "jupyterlab.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--allow-root",
         f"--ServerApp.token={token}", f"--ServerApp.ip={LOCAL_HOST}", f"--port={port}",
         f"--ServerApp.root_dir={root}", "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://{LOCAL_HOST}:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "JupyterLab exited at start (see test-artifacts/jupyterlab.log)"
            try:
                with urllib.request.urlopen(f"{url}api/status?token={token}", timeout=2) as response:
                    json.load(response)
                break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not answer within 60 s"
                time.sleep(0.25)
        yield Lab(url, token, root)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
