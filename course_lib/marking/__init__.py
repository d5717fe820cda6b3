"""What the grader knows about each assignment: closed forms, catalogues of known mistakes, judges.

One module per assignment (``a1`` for ``a1_partial_derivatives``, …), holding one
:class:`course_lib.checks.Marks` per check that a test cell names, ``check(..., marks="a1.partials")``, and
``ANSWERS``: the library functions that compute an answer of that assignment, which the grader flags when an
answer cell uses them. Nothing here is imported by a notebook's setup cell: a student's namespace holds
forward functions and data only.
"""
