"""nbgrader configuration: maps nbgrader's course directory onto this repository.

solutions/  nbgrader's *source* (solutions and hidden tests; instructors only)
exercises/  nbgrader's *release* (what students get; regenerate with `nbgrader generate_assignment`)
.nbgrader/  runtime folders (submitted, autograded, feedback) and the gradebook, never committed
"""

import os
import sys

c = get_config()  # noqa: F821 (nbgrader provides get_config)

here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(here, ".nbgrader"), exist_ok=True)  # sqlite creates the gradebook, not its folder
# nbgrader creates a new gradebook by calling `alembic`: find it beside this Python even when the venv is not activated
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
c.CourseDirectory.root = here
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.submitted_directory = os.path.join(".nbgrader", "submitted")
c.CourseDirectory.autograded_directory = os.path.join(".nbgrader", "autograded")
c.CourseDirectory.feedback_directory = os.path.join(".nbgrader", "feedback")
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, ".nbgrader", "gradebook.db")
# Feedback never shows the hidden tests, whoever makes it: `python -m grading`, nbgrader's own
# `generate_feedback` or the formgrader's button (nbgrader's default keeps them).
c.GenerateFeedback.preprocessors = ["nbgrader.preprocessors.GetGrades", "nbgrader.preprocessors.ClearHiddenTests",
                                    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor"]
# Without a hub: `nbgrader zip_collect <assignment>` files the notebooks downloaded from Canvas (its "Download
# Submissions" names them <name>_[LATE_]<user id>_<submission id>_<file name>, ids in digits), put in
# .nbgrader/downloaded/<assignment>/archive/, as .nbgrader/submitted/<user id>/<assignment>/<file name>.
c.ZipCollectApp.downloaded_directory = os.path.join(".nbgrader", "downloaded")
c.FileNameCollectorPlugin.named_regexp = r"(?:.*/)?[^/_]+_(?:LATE_)?(?P<student_id>\d+)_\d+_(?P<file_id>[^/]+)$"
# Settings of this machine (the exchange, the course id, a late-work penalty) belong in a file git does not
# track: /etc/jupyter/nbgrader_config.py (read by instructors and students alike) or ~/.jupyter/nbgrader_config.py.
