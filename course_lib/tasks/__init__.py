"""The forward functions and data of assignments a4 to a6: what their setup cells import, and nothing else.

One module per assignment (``a4`` for ``a4_two_layer_network``, …). The checks differentiate these forward
functions (``check(..., numeric=...)``) or pass their data to a student's code; the closed forms, the known
mistakes and the judges are in :mod:`course_lib.marking`, out of the students' notebooks.
"""
