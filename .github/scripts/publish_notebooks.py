"""Turn a checkout into what the launch links open: every page of ``_toc.yml`` as a notebook, first cell an
install cell, on the branch named by ``repository.branch`` in _config.yml.

A text chapter (``book/*.md``, jupytext's MyST format) gets a generated ``.ipynb`` beside it; an assignment
(``exercises/*/*.ipynb``) gets the install cell in place. Run it on a copy (the workflow runs it in CI's
checkout after the build and pushes the result): ``exercises/`` in the repository stays exactly what
nbgrader generates.
Run: python .github/scripts/publish_notebooks.py [ROOT]
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat
import yaml

FIRST_CELL_TAG = "install-course-package"


def is_notebook(path: Path) -> bool:
    """An ``.ipynb``, or a ``.md`` that jupytext wrote (a chapter): the pages the theme gives launch links."""
    return path.suffix == ".ipynb" or "\njupytext:" in path.read_text(encoding="utf-8")[:200]


def toc_notebooks(root: Path) -> list[Path]:
    """The source of every notebook page of ``_toc.yml``, in reading order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                yield entry["file"]
            for key in ("sections", "chapters"):
                yield from walk(entry.get(key, []))

    names = [toc["root"], *walk(toc.get("parts", [])), *walk(toc.get("chapters", []))]
    found = []
    for name in names:
        sources = [root / f"{name}{suffix}" for suffix in (".ipynb", ".md")]
        found.append(next(path for path in sources if path.exists()))
    return [path for path in found if is_notebook(path)]


def repository(root: Path) -> tuple[str, str]:
    """The repository's address and the branch the launch links open, from _config.yml."""
    config = yaml.safe_load((root / "_config.yml").read_text())["repository"]
    return config["url"].rstrip("/"), config["branch"]


def install_cell(url: str, branch: str, glue: bool) -> nbformat.NotebookNode:
    """A first cell that installs whatever a bare service (Colab, a JupyterHub) lacks, and nothing else."""
    lines = [
        "# On Colab or a bare JupyterHub this installs what the notebook needs; in the course's environment",
        "# (Binder, a local install) everything is there and it does nothing.",
        "import importlib.util",
        "",
        f'needed = {{"course_lib": "course_lib @ git+{url}@{branch}", "matplotlib": "matplotlib"}}',
        "missing = [package for module, package in needed.items() if importlib.util.find_spec(module) is None]",
        "if missing:",
        "    %pip install --quiet {' '.join(repr(package) for package in missing)}",
    ]
    if glue:
        lines += [
            'if importlib.util.find_spec("myst_nb") is None:  # the book\'s glue(): outside the book, show the value',
            "    import sys",
            "    import types",
            "",
            "    from IPython.display import display as show",
            "",
            "    def glue(name, variable, display=True):",
            "        if display:",
            "            show(variable)",
            "",
            '    sys.modules["myst_nb"] = types.SimpleNamespace(glue=glue)',
        ]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = [FIRST_CELL_TAG]
    return cell


def publish(source: Path, url: str, branch: str) -> Path:
    """Write the published notebook of one page; returns its path."""
    notebook = jupytext.read(source) if source.suffix == ".md" else nbformat.read(source, as_version=4)
    uses_glue = any("myst_nb" in cell.source for cell in notebook.cells if cell.cell_type == "code")
    notebook.cells.insert(0, install_cell(url, branch, uses_glue))
    target = source.with_suffix(".ipynb")
    nbformat.write(notebook, target)
    return target


def main(root: Path) -> list[Path]:
    url, branch = repository(root)
    return [publish(source, url, branch) for source in toc_notebooks(root)]


if __name__ == "__main__":
    for written in main(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()):
        print(written)
