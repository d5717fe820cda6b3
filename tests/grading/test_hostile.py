"""A class of hostile, broken and honest submissions, graded together by the real grading command.

Every case states the score its work earns, part by part (the toy assignment: `sig_prime` 2 points,
`linear_grads` 3). The batch must finish, every score must be exactly that, the students' messages must say
what happened, and the instructor must see which submissions were hostile or broken.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from classroom import FULL, LIN, REPO, SIG, answered, grade, release, results, submit

WRONG_SIG = "def sig_prime(z):\n    return z * 0.25\n"
WRONG_LIN = "def linear_grads(delta, a):\n    return a @ delta.T, delta.sum(axis=1, keepdims=True)\n"


def cells_named(notebook: dict, gid: str) -> list[dict]:
    return [c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == gid]


def edited(sig=SIG, lin=LIN, edit=None):
    """A submission: the release with these answers, then ``edit(notebook)`` applied."""
    def make(root: Path, student: str):
        notebook = answered(root, {"sig_prime": sig, "linear_grads": lin})
        if edit:
            edit(notebook)
        submit(root, student, notebook)
    return make


def raw(content):
    return lambda root, student: submit(root, student, content)


def _set(gid, **changes):
    def edit(notebook):
        for cell in cells_named(notebook, gid):
            for key, value in changes.items():
                if key == "source":
                    cell["source"] = value
                else:
                    cell["metadata"]["nbgrader"][key] = value
    return edit


def _delete(gid):
    return lambda nb: nb.__setitem__("cells", [c for c in nb["cells"] if c not in cells_named(nb, gid)])


def _move_tests_first(nb):
    tests = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    nb["cells"] = tests + [c for c in nb["cells"] if c not in tests]


def _strip_metadata(nb):
    for cell in nb["cells"]:
        cell["metadata"] = {}


def _duplicate(gid):
    return lambda nb: nb["cells"].extend(cells_named(nb, gid) * 2)


def _extra_cell(source, after_gid="sig_prime"):
    def edit(nb):
        index = nb["cells"].index(cells_named(nb, after_gid)[0])
        nb["cells"].insert(index + 1, {"cell_type": "code", "metadata": {}, "source": source, "outputs": [],
                                       "execution_count": None})
    return edit


def _kernelspec(nb):
    nb["metadata"]["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}


def _symlink_to_solutions(root: Path, student: str):
    folder = submit(root, student, None)
    os.symlink(root / "solutions" / "toy" / "toy.ipynb", folder / "toy.ipynb")


def _numpy_beside(root: Path, student: str):
    folder = submit(root, student, answered(root, {"sig_prime": WRONG_SIG, "linear_grads": WRONG_LIN}))
    (folder / "numpy.py").write_text("import sys; sys.modules['numpy'] = None\nallclose = lambda *a, **k: True\n")


@dataclass
class Case:
    student: str
    make: object
    sig: float  # expected points of each part
    lin: float
    says: str = ""  # a substring of a failed part's message or of the instructor's notes
    flagged: bool = False  # the instructor's summary lists it


HALT = "import os\nos._exit(0)\n"
CASES = [
    # honest students, the baseline every hostile case must not disturb
    Case("honest_full", edited(), 2, 3),
    Case("honest_partial", edited(lin=WRONG_LIN), 2, 0, says="transpose"),
    Case("honest_blank", lambda root, s: submit(root, s, release(root)), 0, 0, says="not implemented"),
    # 1. tampering with test cells
    Case("tamper_edit", edited(sig=WRONG_SIG, edit=_set("test_sig_prime", source="print('all good')")), 0, 3,
         says="was edited", flagged=True),
    Case("tamper_delete", edited(sig=WRONG_SIG, edit=_delete("test_sig_prime")), 0, 3, says="deleted", flagged=True),
    Case("tamper_move", edited(edit=_move_tests_first), 2, 3, says="moved", flagged=True),
    Case("tamper_duplicate", edited(lin=WRONG_LIN, edit=_duplicate("test_linear_grads")), 2, 0, says="appears",
         flagged=True),
    Case("tamper_metadata_stripped", edited(sig=WRONG_SIG, edit=_strip_metadata), 0, 3, says="by the functions",
         flagged=True),
    Case("tamper_points", edited(lin=WRONG_LIN, edit=_set("test_linear_grads", points=300)), 2, 0,
         says="metadata", flagged=True),
    Case("tamper_ids", edited(edit=_set("sig_prime", grade_id="mine")), 2, 3, says="by the functions", flagged=True),
    Case("tamper_test_made_answer", edited(sig=WRONG_SIG, edit=_set("test_sig_prime", solution=True, grade=False,
                                                                   locked=False)), 0, 3, says="metadata",
         flagged=True),
    Case("tamper_unhashable_ids", edited(edit=lambda nb: [c["metadata"].setdefault("nbgrader", {}).update(
        grade_id=["x"]) for c in nb["cells"]]), 2, 3, says="by the functions", flagged=True),
    # 2. breaking the kernel
    Case("kernel_sys_exit_in_function", edited(sig=SIG.replace("    s = ", "    import sys; sys.exit(0)\n    s = ")),
         0, 3, says="SystemExit"),
    Case("kernel_sys_exit_in_cell", edited(sig=SIG + "import sys\nsys.exit(3)\n"), 2, 3),
    Case("kernel_os_exit", edited(lin=LIN + HALT), 2, 0, says="stopped before this test", flagged=True),
    # The runner is the first process of its PID namespace, which a signal from inside cannot kill: no effect.
    Case("kernel_kill", edited(lin=LIN + "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"), 2, 3),
    Case("kernel_abort", edited(lin=LIN + "import ctypes\nctypes.CDLL(None).abort()\n"), 2, 0, flagged=True),
    Case("kernel_endless_loop", edited(sig="def sig_prime(z):\n    while True:\n        pass\n"), 0, 3,
         says="time limit"),
    Case("kernel_ignores_alarm", edited(lin="import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n" + LIN +
                                        "while True:\n    pass\n"), 2, 0, says="time limit", flagged=True),
    Case("kernel_recursion", edited(sig="def sig_prime(z):\n    return sig_prime(z)\n"), 0, 3, says="RecursionError"),
    Case("kernel_segfault", edited(lin=LIN + "import ctypes\nctypes.string_at(0)\n"), 2, 0, flagged=True),
    Case("kernel_memory_bomb", edited(lin=LIN + "import numpy as np\nhog = np.ones(2 * 10**9)\n"), 2, 3),
    # bytes(n) asks for zeroed pages without touching them, so the limit is reached at once however loaded the
    # machine is (bytearray(n) writes its gigabyte: a second here, past the 5 s limit on a busy CI runner).
    Case("kernel_memory_bomb_list", edited(sig="def sig_prime(z):\n    x = []\n    while True:\n"
                                           "        x.append(bytes(10**9))\n"), 0, 3, says="MemoryError"),
    # A cell's processes end with the cell: the bomb's cell stops at its time limit, the tests still run.
    Case("kernel_fork_bomb", edited(lin=LIN + "import os\nwhile True:\n    try:\n        os.fork()\n"
                                    "    except OSError:\n        pass\n"), 2, 3, says="fork bomb", flagged=True),
    # The children spin only once all 40 exist (the pipe closes), so a loaded machine cannot slow the forking
    # past the cell's time limit and leave fewer than 40 to count.
    Case("kernel_spinners_left_behind", edited(lin=LIN + "import os\nr, w = os.pipe()\nfor _ in range(40):\n"
                                               "    if os.fork() == 0:\n        os.close(w)\n        os.read(r, 1)\n"
                                               "        while True:\n            pass\nos.close(w)\n"), 2, 3,
         says="40 processes running", flagged=True),
    Case("kernel_huge_line", edited(sig=SIG + "print('x' * 20_000_000)\n"), 2, 3),
    Case("kernel_many_lines", edited(sig=SIG + "for i in range(300_000):\n    print(i)\n"), 2, 3),
    Case("kernel_raw_stdout_flood", edited(sig=SIG + "import os\nfor _ in range(200):\n"
                                           "    os.write(1, b'y' * 1_000_000)\n"), 2, 3),
    # 3. cheating inside the kernel
    Case("cheat_replace_asserts", edited(sig="import numpy as np\nnp.testing.assert_allclose = np.allclose = "
                                         "lambda *a, **k: True\n" + WRONG_SIG, lin=WRONG_LIN), 0, 0),
    Case("cheat_replace_check", edited(sig="import course_lib.checks as c\nc.check = lambda *a, **k: None\n"
                                       "c.compare_answer = c.decide = lambda *a, **k: (True, 'ok')\n" + WRONG_SIG),
         0, 3, says="uses course_lib.checks", flagged=True),
    Case("cheat_input_transformer", edited(sig=WRONG_SIG + "get_ipython().input_transformers_post.append("
                                           "lambda lines: ['pass\\n'])\n"), 0, 0),
    Case("cheat_displayhook", edited(sig="import sys\ndef sig_prime(z):\n    sys.displayhook(2)\n    return z\n"),
         0, 3),
    Case("cheat_always_equal", edited(sig="class Yes:\n    def __eq__(self, other):\n        return True\n"
                                      "    __array_priority__ = 1000\n"
                                      "def sig_prime(z):\n    return Yes()\n"), 0, 3, says="Yes"),
    Case("cheat_patch_reference", edited(sig="import numpy as np, course_lib\ncourse_lib.sigmoid_prime = "
                                         "lambda z: np.zeros_like(z)\ndef sig_prime(z):\n    return 0 * z\n"), 0, 3),
    Case("cheat_fake_results", edited(sig=WRONG_SIG + "with open('results.jsonl', 'a') as f:\n"
                                      "    f.write('{\"step\": 2, \"passed\": true, \"score\": 99}\\n')\n"), 0, 3),
    Case("cheat_numpy_beside", _numpy_beside, 0, 0),
    # The results file swapped for a pipe (the grader would block reading it) or a link to a file of the host's:
    # read as empty, so nothing the run produced counts.
    Case("cheat_results_pipe", edited(sig=SIG + "import os\nos.remove('results.jsonl')\nos.mkfifo('results.jsonl')\n"),
         0, 0, says="stopped before", flagged=True),
    Case("cheat_results_link", edited(sig=SIG + "import os\nos.remove('results.jsonl')\n"
                                      "os.symlink('/etc/passwd', 'results.jsonl')\n"), 0, 0, flagged=True),
    # 4. reaching outside
    Case("reach_solutions", edited(sig=SIG + "import glob\nprint(glob.glob('/**/solutions/**/*.ipynb', "
                                   "recursive=True))\nprint(open('../../solutions/toy/toy.ipynb').read())\n"), 2, 3),
    Case("reach_gradebook", edited(sig=SIG + "import glob, sqlite3\nfor db in glob.glob('/**/gradebook.db', "
                                   "recursive=True):\n    c = sqlite3.connect(db)\n"
                                   "    c.execute('update grade set auto_score = 0')\n    c.commit()\n"), 2, 3),
    # Every file it can write is overwritten (the read-only Python installation under /tmp, where a test
    # environment may live, is skipped): it finds only its own results file, and loses what that held.
    Case("reach_other_students", edited(sig=SIG + "import glob\nfor p in glob.glob('/tmp/**/*.ipynb', "
                                        "recursive=True) + glob.glob('/tmp/**/results.jsonl', recursive=True):\n"
                                        "    try:\n        open(p, 'w').write('{}')\n    except OSError:\n"
                                        "        pass\n"), 2, 3, flagged=True),
    Case("reach_network", edited(sig=SIG + "import socket\nsocket.create_connection(('127.0.0.1', 22), 1)\n"), 2, 3),
    Case("reach_root", edited(sig=SIG + "import os\nos.setuid(0)\n"), 2, 3),
    Case("reach_symlink_to_solutions", _symlink_to_solutions, 0, 0, says="symbolic link", flagged=True),
    Case("reach_script_in_written_answer", edited(edit=_set("why_sum", source="<script>alert('x')</script>")), 2, 3),
    # 5. broken files
    Case("broken_truncated", lambda root, s: submit(root, s, json.dumps(answered(root, {"sig_prime": SIG}))[:500]),
         0, 0, says="not valid JSON", flagged=True),
    Case("broken_not_json", raw("this is not a notebook"), 0, 0, says="not valid JSON", flagged=True),
    Case("broken_binary", raw(bytes(range(256)) * 10), 0, 0, flagged=True),
    Case("broken_empty_notebook", raw(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})),
         0, 0, says="missing", flagged=True),
    Case("broken_not_a_notebook", raw("[1, 2, 3]"), 0, 0, says="not a notebook", flagged=True),
    Case("broken_missing", raw(None), 0, 0, says="missing", flagged=True),
    Case("broken_kernelspec", edited(edit=_kernelspec), 2, 3),
    Case("broken_schema_version", edited(edit=lambda nb: [c["metadata"].get("nbgrader", {}).update(schema_version=99)
                                                          for c in nb["cells"]]), 2, 3),
    Case("broken_syntax", edited(sig="def sig_prime(z)\n    return z\n"), 0, 3, says="not defined"),
    # 6. honest but noisy
    Case("noisy_naive_sigmoid_warns", edited(sig="import numpy as np\ndef sig_prime(z):\n"
                                             "    s = 1 / (1 + np.exp(-z))\n    return s * (1 - s)\n"), 2, 3),
    Case("noisy_prints", edited(sig="def sig_prime(z):\n    print('computing', z)\n    s = sigmoid(z)\n"
                                "    return s * (1 - s)\n"), 2, 3),
    Case("noisy_slow", edited(lin="import time\n" + LIN.replace("    return", "    time.sleep(1)\n    return")), 2, 3),
    Case("noisy_helper_cell", edited(lin="def linear_grads(delta, a):\n    return helper(delta, a)\n",
                                     edit=_extra_cell("def helper(delta, a):\n    return delta @ a.T, "
                                                      "delta.sum(axis=1, keepdims=True)\n", "linear_grads")), 2, 3),
    Case("noisy_plots", edited(sig=SIG + "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n"), 2, 3),
]
LIMITS = ["--cell-seconds", "5", "--wall-seconds", "20", "--memory-mb", "1500"]


EARLIER_SANDBOXES: set[Path] = set()  # /tmp/grade-* folders that other runs on this machine left or hold


def left_behind() -> set[Path]:
    """Sandbox folders (/tmp/grade-<grader's pid>-*) made since the class was graded whose grader has ended:
    a grader running beside this test (another test process) still holds its own."""
    return {folder for folder in set(Path("/tmp").glob("grade-*")) - EARLIER_SANDBOXES
            if not Path("/proc", folder.name.split("-")[1]).exists()}


@pytest.fixture(scope="module")
def graded(toy_course):
    for case in CASES:
        case.make(toy_course, case.student)
    EARLIER_SANDBOXES.update(Path("/tmp").glob("grade-*"))
    done = grade(toy_course, "toy", *LIMITS)
    assert done.returncode == 0, done.stdout + done.stderr
    return toy_course, results(toy_course), done.stdout


def test_the_batch_grades_every_submission(graded):
    _, found, _ = graded
    assert sorted(found) == sorted(case.student for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.student for case in CASES])
def test_each_submission_earns_exactly_its_score(graded, case):
    root, found, summary = graded
    result = found[case.student]
    scores = {part: result["parts"][part]["score"] for part in FULL}
    assert scores == {"test_sig_prime": case.sig, "test_linear_grads": case.lin}, result
    text = " ".join([*result["notes"], *(p["message"] for p in result["parts"].values())])
    assert case.says in text, result
    assert (case.student in summary) == case.flagged, summary


def test_nbgrader_records_the_same_scores(graded):
    root, found, _ = graded
    import csv

    rows = {row["student_id"]: row for row in csv.DictReader(open(root / ".nbgrader" / "reports" / "grades.csv"))}
    for case in CASES:
        assert float(rows[case.student]["score"]) == case.sig + case.lin, case.student
        assert float(rows[case.student]["max_score"]) == 6.0  # 5 autograded + 1 manual: inflated points ignored


def test_feedback_shows_messages_but_never_the_hidden_tests_or_solutions(graded):
    root, _, _ = graded
    for case in CASES:
        page = (root / ".nbgrader" / "feedback" / case.student / "toy" / "toy.html").read_text()
        assert "BEGIN HIDDEN TESTS" not in page and "-1000.0" not in page  # the hidden test's input
        assert "adds up their contributions" not in page  # the written answer's model solution
        assert "<script>alert" not in page  # a student's markup is shown as text, never run
    partial = (root / ".nbgrader" / "feedback" / "honest_partial" / "toy" / "toy.html").read_text()
    assert "transpose" in partial


def test_an_honest_grade_does_not_depend_on_the_class(graded):
    root, found, _ = graded
    honest = [case.student for case in CASES if case.student.startswith(("honest", "noisy"))]
    done = grade(root, "toy", *LIMITS, "--students", *honest)
    assert done.returncode == 0, done.stderr
    alone = results(root)
    for student in honest:
        assert alone[student]["parts"] == found[student]["parts"]


def test_the_gradebook_and_solutions_are_untouched(graded):
    root, _, _ = graded
    source = json.loads((root / "solutions" / "toy" / "toy.ipynb").read_text())
    assert any("BEGIN HIDDEN TESTS" in "".join(c["source"]) for c in source["cells"])
    assert not left_behind(), "sandbox folders left behind"


def sandbox_processes(grader: int) -> list[int]:
    """The grader's fork server and its forks, the sandboxes: ``python -I .../forkserver.py FD GRADER_PID``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            arguments = cmdline.read_bytes().split(b"\0")[:-1]
        except OSError:
            continue
        if arguments[-3:-2] and arguments[-3].endswith(b"/forkserver.py") and arguments[-1] == str(grader).encode():
            found.append(int(cmdline.parent.name))
    return found


def test_a_killed_grader_takes_its_sandbox_with_it():
    """A grader (or Celery worker) killed outright while a notebook runs: the notebook's processes end too,
    none runs on unwatched and unlimited by the wall clock."""
    job = json.dumps({"steps": [{"cell": "started = True"}, {"cell": "import time\ntime.sleep(300)"}],
                      "cell_seconds": 600})
    grader = subprocess.Popen([sys.executable, "-c", "import sys; from pathlib import Path; from grading import "
                               f"sandbox; sandbox.run(sys.argv[1], course_root=Path({str(REPO)!r}), "
                               "limits=sandbox.Limits())", job], cwd=REPO)
    try:
        deadline = time.monotonic() + 120
        # until the student's code runs (its first cell is done), not merely the sandbox's setup
        while not any(p.stat().st_size for p in Path("/tmp").glob(f"grade-{grader.pid}-*/work/results.jsonl")):
            assert time.monotonic() < deadline and grader.poll() is None, "the sandbox did not start"
            time.sleep(0.1)
        running = sandbox_processes(grader.pid)
    finally:
        grader.kill()
        grader.wait()
    assert len(running) >= 3, "the fork server, the sandbox's outer process and the notebook's should be running"
    deadline = time.monotonic() + 30  # the notebook itself would sleep for 300 s
    while sandbox_processes(grader.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = sandbox_processes(grader.pid)
    for pid in left:
        os.kill(pid, 9)
    assert not left, "the sandbox ran on after its grader was killed"
    for folder in Path("/tmp").glob(f"grade-{grader.pid}-*"):  # what the killed grader could not remove
        shutil.rmtree(folder)


def test_a_fork_server_that_dies_costs_no_student_a_point():
    """The fork server killed mid-notebook (the machine's fault): that notebook is handed to the instructor (an
    error, which the batch turns into "grade it by hand"), never scored as the student's crash; the next
    notebook gets a new server."""
    from concurrent.futures import ThreadPoolExecutor

    from grading import sandbox

    def run(cell: str) -> sandbox.Outcome:
        job = json.dumps({"steps": [{"cell": cell}], "cell_seconds": 120})
        return sandbox.run(job, course_root=REPO, limits=sandbox.Limits())

    assert run("x = 1").returncode == 0
    server = sandbox._server()
    with ThreadPoolExecutor(1) as pool:
        sleeping = pool.submit(run, "import time\ntime.sleep(60)")
        deadline = time.monotonic() + 60
        while len(sandbox_processes(os.getpid())) < 3:  # the server, and the notebook's two processes
            assert time.monotonic() < deadline, "the notebook did not start"
            time.sleep(0.1)
        server.process.kill()
        with pytest.raises(RuntimeError, match="fork server ended"):
            sleeping.result(timeout=30)
    outcome = run("print('after')")
    assert outcome.returncode == 0 and json.loads(outcome.results)["output"] == "after\n"
    assert sandbox._server() is not server
