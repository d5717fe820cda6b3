"""Hand the graded notebooks to nbgrader, which records the scores, writes the feedback and exports grades.

nbgrader's own ``autograde`` would execute the notebooks again, with student code in its process. Here its
two execution steps are left out (``ClearOutput`` and ``Execute``): it reads notebooks whose test cells the
grader has already filled with verdicts, restores every locked cell from the gradebook as usual, and saves the
scores, so the formgrader, manual grading, late penalties, ``generate_feedback`` and ``export`` all work as in
any nbgrader course. Feedback leaves out the hidden tests (``ClearHiddenTests``), so they stay hidden for the
next cohort; ``nbgrader_config.py`` sets the same preprocessors for nbgrader's own ``generate_feedback``.

nbgrader goes on past a notebook it cannot convert and raises at the end: here that costs only that student's
record or feedback (returned, for the summary), never the class's.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbgrader import preprocessors as pp
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde, GenerateAssignment, GenerateFeedback, NbGraderException
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.exc import SAWarning
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader


def course_config(root: Path) -> Config:
    """The course's own nbgrader_config.py, as nbgrader reads it."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    return config


FEEDBACK_PREPROCESSORS = [pp.GetGrades, pp.ClearHiddenTests, "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor"]
IMAGE_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)", re.IGNORECASE)


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTML exporter without its second pass over every page, which costs as much as the page itself.

    After rendering, ``HTMLExporter`` parses the whole page with BeautifulSoup and writes it out again, to give
    images without alt text a placeholder and to make JupyterLab-template cells focusable. nbgrader's feedback
    uses the classic template, which has no such cells, so here the images get the same placeholder from one
    regular expression, and the rest is ``HTMLExporter``'s own (its filters, then the template).
    ``tests/grading/test_feedback_exporter.py`` compares the pages with nbconvert's.
    """

    def from_notebook_node(self, nb, resources=None, **kw):
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name", None))
        self.register_filter("highlight_code",
                             self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type",
                             WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                                   resources=resources))
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return IMAGE_WITHOUT_ALT.sub('<img alt="No description has been provided for this image"', html), resources


@dataclass
class Status:
    """What the gradebook knows of one student's notebook beyond the automatic scores."""

    seconds_late: float = 0.0
    manual: dict[str, tuple[float | None, float]] = field(default_factory=dict)  # grade_id -> (score or None, max)


def register(root: Path, assignment: str) -> bool:
    """Add ``assignment`` to the gradebook if this machine's gradebook lacks it (a fresh checkout); True if added.

    nbgrader's ``generate_assignment`` records the source's cells (which ``autograde`` restores); its release
    goes to a scratch folder, so the committed ``exercises/`` are left as they are.
    """
    config = course_config(root)
    with Gradebook(CourseDirectory(config=config).db_url) as book:
        try:
            if book.find_assignment(assignment).notebooks:  # added with a due date only: not yet registered
                return False
        except MissingEntry:
            pass
    with tempfile.TemporaryDirectory(prefix="release-") as scratch:
        config.CourseDirectory.release_directory = scratch
        failed = _run(GenerateAssignment, config, assignment, force=True)
    if failed:
        raise RuntimeError(f"nbgrader could not register {assignment}: {failed}")
    return True


def record(root: Path, assignment: str, staged: Path) -> dict[str, str]:
    """Save the scores of the graded notebooks in ``staged/<student>/<assignment>/`` into the gradebook.

    Returns the students nbgrader could not record, with why."""
    config = course_config(root)
    config.CourseDirectory.submitted_directory = str(staged)
    config.Autograde.sanitize_preprocessors = [pp.DeduplicateIds, pp.OverwriteKernelspec, pp.OverwriteCells,
                                               pp.CheckCellMetadata]
    config.Autograde.autograde_preprocessors = [pp.LimitOutput, pp.SaveAutoGrades, pp.AssignLatePenalties,
                                                pp.CheckCellMetadata]
    return _run(Autograde, config, assignment, force=True, create_student=True)


def feedback(root: Path, assignment: str, autograded: Path | None = None) -> dict[str, str]:
    """HTML feedback per student, in nbgrader's feedback folder, without the hidden tests.

    Made from the gradebook (manual grades and comments included), so it is rerun after manual grading.
    ``autograded`` (default: nbgrader's folder) holds the students to do, as ``<student>/<assignment>/``.
    Returns the students whose feedback nbgrader could not write, with why."""
    config = course_config(root)
    if autograded is not None:
        config.CourseDirectory.autograded_directory = str(autograded)
    config.GenerateFeedback.preprocessors = FEEDBACK_PREPROCESSORS
    config.GenerateFeedback.exporter_class = FeedbackExporter
    return _run(GenerateFeedback, config, assignment, force=True)


def status(root: Path, assignment: str) -> dict[tuple[str, str], Status]:
    """Per (student, notebook file): how late it was and its manually graded parts (None while pending)."""
    found = {}
    with Gradebook(CourseDirectory(config=course_config(root)).db_url) as book:
        for submission in book.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                answers = {cell.name for cell in notebook.notebook.solution_cells}  # a graded answer: by hand
                manual = {g.name: (None if g.needs_manual_grade else g.score, g.max_score)
                          for g in notebook.grades if g.name in answers}
                found[submission.student.id, notebook.name + ".ipynb"] = Status(submission.total_seconds_late, manual)
    return found


class _Errors(logging.Handler):
    """Keeps what nbgrader logs at ERROR: its one-line reasons and the students it gave up on."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _run(converter, config: Config, assignment: str, **settings) -> dict[str, str]:
    """One nbgrader converter over every student of ``assignment`` found in its input folder.

    Returns the students it failed on, each with the last line of its error; raises (with nbgrader's own
    reasons, which it logs rather than raises) if it failed for everyone, before any student."""
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    app = converter(coursedir=coursedir, config=config)
    app.log.setLevel(logging.WARNING)
    errors = _Errors()
    app.log.addHandler(errors)
    for name, value in settings.items():
        setattr(app, name, value)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SAWarning)  # nbgrader's own session bookkeeping, harmless
            app.start()
    except NbGraderException:
        failed = [m for message in errors.messages
                  for m in re.findall(r"^There was an error processing assignment '.*' for student '(.*)'$", message)]
        if not failed:
            raise RuntimeError(f"nbgrader's {converter.__name__} failed: " + " | ".join(errors.messages)) from None
        reasons = [message.strip().splitlines()[-1] for message in errors.messages if "Traceback" in message]
        return {student: reasons[i] if i < len(reasons) else "see nbgrader's log" for i, student in enumerate(failed)}
    finally:
        app.log.removeHandler(errors)
    return {}


def export_csv(root: Path, path: Path) -> str | None:
    """nbgrader's own grade export (one row per student and assignment); None, or why it failed."""
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), "nbgrader"), "export", f"--to={path}"],
                          cwd=root, env=env, capture_output=True, text=True)
    return None if done.returncode == 0 else (done.stdout + done.stderr).strip()[-2000:]
