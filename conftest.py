"""nbval for the book's text chapters: each MyST Markdown notebook (``book/*.md`` with a jupytext header) is
read with jupytext and run cell by cell exactly as nbval runs an ``.ipynb``, so the chapters are stored as
text and no second copy is committed."""

from __future__ import annotations

import types
from pathlib import Path

import jupytext
import nbval.plugin


def is_text_notebook(path: Path) -> bool:
    """A ``.md`` file that jupytext wrote (it starts with a ``jupytext:`` header), such as a book chapter."""
    if path.suffix != ".md":
        return False
    with path.open(encoding="utf-8") as file:
        head = file.read(200)
    return head.startswith("---") and "jupytext:" in head


class TextNotebook(nbval.plugin.IPyNbFile):
    """nbval's notebook collector, reading the notebook with jupytext instead of nbformat."""

    def collect(self):
        reader = types.SimpleNamespace(read=lambda path, as_version: jupytext.read(path, as_version=as_version),
                                       from_dict=nbval.plugin.nbformat.from_dict)
        original, nbval.plugin.nbformat = nbval.plugin.nbformat, reader
        try:
            yield from super().collect()
        finally:
            nbval.plugin.nbformat = original


def pytest_collect_file(file_path: Path, parent):
    opt = parent.config.option
    if (opt.nbval or opt.nbval_lax) and is_text_notebook(file_path):
        return TextNotebook.from_parent(parent, path=file_path)
    return None
