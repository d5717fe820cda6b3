"""Common wrong answers to the assignments, as data: each must lose exactly the points of the parts it breaks.

One file per assignment, ``<assignment>.py``, holding ``MUTANTS``: a list of :class:`Mutant`. A mutant edits
one answer cell of the solution notebook by exact substring replacements; ``tests/test_mutants.py`` grades the
result with the real grading command and checks which parts lost their points and what the feedback says.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    name: str
    cell: str  # grade_id of the answer cell to edit
    replace: list[tuple[str, str]]  # (old, new) exact substrings of that cell's solution source
    fails: set[str]  # grade_ids of the test cells that must score 0; every other test cell keeps its points
    says: str  # a substring the feedback of (the first of) the failed parts must contain
