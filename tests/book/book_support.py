"""What the book's tests and fixtures share: the README's commands and the publishing workflow's steps."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml
from browser_support import ARTIFACTS, REPO

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"
RUNTIME_FOLDERS = [".git", ".venv", ".nox", "_build", "test-artifacts", ".nbgrader", "__pycache__", ".pytest_cache",
                   ".hypothesis", ".ruff_cache", ".ipynb_checkpoints", "*.egg-info"]  # the last: rewritten by nox


def readme_command(marker: str) -> str:
    """The command under ``<!-- marker -->`` in README.md."""
    match = re.search(rf"<!-- {marker} -->\s*```bash\n(.+?)\n```", (REPO / "README.md").read_text(), re.S)
    assert match, f"README.md has no command under <!-- {marker} -->"
    return match.group(1).strip()


def workflow_steps() -> dict[str, str]:
    """The ``run`` of every named step of the publishing workflow's build job."""
    steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["build"]["steps"]
    return {step["name"]: step["run"].strip() for step in steps if "run" in step}


def run_here(command: str, checkout: Path, log_name: str) -> subprocess.CompletedProcess:
    """Run a command of the workflow in ``checkout``, with this environment standing for CI's ``.venv``."""
    here = f"{Path(sys.executable).parent}/"
    result = subprocess.run(command.replace(".venv/bin/", here), shell=True, capture_output=True, text=True,
                            timeout=3600, cwd=checkout)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / log_name).write_text(f"$ {command}\n{result.stdout}{result.stderr}")
    return result
