"""Hand the graded notebooks to nbgrader, which records the scores, writes the feedback and exports grades.

nbgrader's own ``autograde`` would execute the notebooks again, with student code in its process. Here its
two execution steps are left out (``ClearOutput`` and ``Execute``): it reads notebooks whose test cells the
grader has already filled with verdicts, restores every locked cell from the gradebook as usual, and saves the
scores, so the formgrader, manual grading, late penalties, ``generate_feedback`` and ``export`` all work as in
any nbgrader course. Feedback leaves out the hidden tests (``ClearHiddenTests``), so they stay hidden for the
next cohort.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path

from nbgrader import preprocessors as pp
from nbgrader.converters import Autograde, GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.exc import SAWarning
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader


def course_config(root: Path) -> Config:
    """The course's own nbgrader_config.py, as nbgrader reads it."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    return config


def record(root: Path, assignment: str, staged: Path) -> None:
    """Save the scores of the graded notebooks in ``staged/<student>/<assignment>/`` into the gradebook."""
    config = course_config(root)
    config.CourseDirectory.submitted_directory = str(staged)
    config.Autograde.sanitize_preprocessors = [pp.DeduplicateIds, pp.OverwriteKernelspec, pp.OverwriteCells,
                                               pp.CheckCellMetadata]
    config.Autograde.autograde_preprocessors = [pp.LimitOutput, pp.SaveAutoGrades, pp.AssignLatePenalties,
                                                pp.CheckCellMetadata]
    _run(Autograde, config, assignment, force=True, create_student=True)


def feedback(root: Path, assignment: str, autograded: Path | None = None) -> None:
    """HTML feedback per student, in nbgrader's feedback folder, without the hidden tests.

    ``autograded`` (default: nbgrader's folder) holds the students to do, as ``<student>/<assignment>/``."""
    config = course_config(root)
    if autograded is not None:
        config.CourseDirectory.autograded_directory = str(autograded)
    config.GenerateFeedback.preprocessors = [pp.GetGrades, pp.ClearHiddenTests,
                                             "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor"]
    _run(GenerateFeedback, config, assignment, force=True)


def _run(converter, config: Config, assignment: str, **settings) -> None:
    """One nbgrader converter over every student of ``assignment`` found in its input folder."""
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    app = converter(coursedir=coursedir, config=config)
    app.log.setLevel(logging.WARNING)
    for name, value in settings.items():
        setattr(app, name, value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's own session bookkeeping, harmless
        app.start()


def export_csv(root: Path, path: Path) -> None:
    """nbgrader's own grade export (one row per student and assignment)."""
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "nbgrader"), "export", f"--to={path}"],
                   cwd=root, env=env, check=True, capture_output=True)
