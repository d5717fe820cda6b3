"""The instructor's autograder: every submission graded in a sandbox, every verdict reached outside it.

``python -m grading <assignment>`` grades a whole class (see ``__main__.py`` and the book's grading guide).
Files: ``plan`` (what each test cell asks), ``notebooks`` (submission → notebook to run → graded notebook),
``sandbox``/``forkserver``/``jail``/``runner`` (running student code), ``payload`` (the data that crosses the wall),
``grade`` (one notebook, one class, and the solutions first), ``gradebook`` (nbgrader's records, feedback and
export), ``report``, ``offline`` (MathJax inside the feedback), ``ownership`` (files back to the course's owner).
At scale (the book's page "Grading at scale"): ``distributed`` (Celery workers, ``--broker``), ``recording``
(nbgrader's steps a group of students per process), ``class_report`` and ``similarity`` (the class at a glance,
copies flagged), ``regrade`` (what a rerun changed), ``roster`` (a roster in, Canvas's gradebook out).
"""
