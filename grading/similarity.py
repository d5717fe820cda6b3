"""Copies flagged, never punished: pairs of submissions whose answer code is nearly the same.

Each answer cell is reduced to its tokens with the comments, docstrings and layout dropped and every name replaced by
its order of first appearance (``total``, ``acc`` → ``n1``), so renaming variables or rewording comments hides
nothing. What everyone was given or shown (the release's starter code, the instructor's solution) is taken
away, as plagiarism detectors subtract a base file. Two students are paired when the runs of
``SHINGLE`` tokens left in their answers overlap by ``THRESHOLD`` or more (Jaccard) and each has at least
``MIN_SHINGLES`` of them. The list goes in the class report for a person to judge; no score depends on it.
"""

from __future__ import annotations

import io
import itertools
import json
import keyword
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

from .plan import nbgrader_meta, source_of

SHINGLE = 5  # tokens per run compared
THRESHOLD = 0.8  # Jaccard overlap of the runs that flags a pair
MIN_SHINGLES = 15  # answers shorter than this say too little to compare
MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)[ \t]*\n?", re.MULTILINE)
SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.ENCODING, tokenize.ENDMARKER}


@dataclass
class Pair:
    notebook: str
    students: tuple[str, str]
    similarity: float  # Jaccard overlap of their answers' runs of tokens, 0 to 1
    cells: list[tuple[str, str, str]]  # (grade_id, first student's answer, second's), as they wrote them


def tokens(source: str) -> list[str]:
    """The code's tokens with comments, layout and the choice of names taken out."""
    names: dict[str, str] = {}
    out = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type in SKIPPED:
                continue
            text = token.string
            if token.type == tokenize.STRING and (not out or out[-1] == "<indent>"):
                continue  # a docstring: a comment by another name
            if token.type == tokenize.NAME and not keyword.iskeyword(text):
                text = names.setdefault(text, f"n{len(names) + 1}")
            elif token.type in (tokenize.INDENT, tokenize.DEDENT):
                text = "<indent>" if token.type == tokenize.INDENT else "<dedent>"  # depth, not spaces
            out.append(text)
    except (tokenize.TokenError, IndentationError, SyntaxError):  # unfinished code: compare its words
        return source.split()
    return out


def shingles(source: str) -> set[tuple[str, ...]]:
    words = tokens(source)
    return {tuple(words[i:i + SHINGLE]) for i in range(max(0, len(words) - SHINGLE + 1))}


def _answer_cells(notebook: dict) -> dict[str, str]:
    return {nbgrader_meta(c)["grade_id"]: source_of(c) for c in notebook.get("cells", [])
            if c.get("cell_type") == "code" and nbgrader_meta(c).get("solution") and nbgrader_meta(c).get("grade_id")}


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def find(root: Path, assignment: str) -> list[Pair]:
    """Pairs of nearly identical answers among the graded notebooks of ``assignment``, most alike first."""
    staged = root / ".nbgrader" / "graded" / assignment
    pairs = []
    for source_path in sorted((root / "solutions" / assignment).glob("*.ipynb")):
        name = source_path.name
        given = _answer_cells(_read(root / "exercises" / assignment / name))
        shown = {gid: MARKERS.sub("", text) for gid, text in _answer_cells(_read(source_path)).items()}
        base = {gid: shingles(given.get(gid, "")) | shingles(shown.get(gid, "")) for gid in given}
        answers = {folder.name: _answer_cells(_read(folder / assignment / name)) for folder in sorted(staged.iterdir())
                   if (folder / assignment / name).is_file()} if staged.is_dir() else {}
        runs = {student: {(gid, *run) for gid, text in cells.items() for run in shingles(text) - base.get(gid, set())}
                for student, cells in answers.items()}
        for a, b in itertools.combinations(sorted(runs), 2):
            if min(len(runs[a]), len(runs[b])) < MIN_SHINGLES:
                continue
            similarity = len(runs[a] & runs[b]) / len(runs[a] | runs[b])
            if similarity >= THRESHOLD:
                cells = [(gid, answers[a][gid], answers[b].get(gid, "")) for gid in answers[a]
                         if {r for r in runs[a] if r[0] == gid} & runs[b]]
                pairs.append(Pair(name, (a, b), similarity, cells))
    return sorted(pairs, key=lambda p: (-p.similarity, p.notebook, p.students))
