"""Answers that use an answer are flagged to the instructor, however they reach it, and honest ones are not.

The reading itself on hostile and honest cells, then once through the real grading command: a submission whose
partial derivatives come from course_lib's numerical gradient keeps its points (the score does not change) and
is listed in the summary.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from classroom import REPO, grade, make_course, results, solved, submit

from grading.answer_calls import notes

A1 = "a1_partial_derivatives"
PLAN = SimpleNamespace(tests={"test_partials": SimpleNamespace(checks=[SimpleNamespace(marks="a1.partials")])})
SETUP = "import numpy as np\nimport course_lib as cl\nfrom course_lib.checks import check\n"


def cells(*student: str, setup: str = SETUP) -> list[dict]:
    locked = {"nbgrader": {"grade_id": "setup", "locked": True}}
    answer = [{"cell_type": "code", "metadata": {"nbgrader": {"grade_id": f"answer{i}", "solution": True}},
               "source": source} for i, source in enumerate(student)]
    return [{"cell_type": "code", "metadata": locked, "source": setup}, *answer]


HOSTILE = {
    "an alias of the library's gradient": "from course_lib.gradcheck import numerical_gradient as ng\n"
                                          "def numerical_gradient(f, x, h=1e-3):\n    return ng(f, x, h)\n",
    "the setup's import, re-exported": "def numerical_gradient(f, x, h=1e-3):\n"
                                       "    return cl.numerical_gradient(f, x)\n",
    "the marking module": "import course_lib.marking.a1 as m\ndef partials(x, y):\n"
                          "    return m.partials.reference(x, y)\n",
    "a marking module by from-import": "from course_lib.marking import a1\n",
    "the checks' internals": "from course_lib.checks import find_marks\n",
    "a dynamic lookup": "def sigmoid_prime(z):\n    return getattr(__import__('course_lib'), 'sigmoid_prime')(z)\n",
    "a table of activations": "from course_lib import activations\n"
                              "sigmoid_prime = activations.ACTIVATIONS['sigmoid'].phi_prime\n",
    "a module attribute chain": "import course_lib.activations\n"
                                "def sigmoid_prime(z):\n    return course_lib.activations.sigmoid_prime(z)\n",
}
HONEST = {
    "NumPy only": "def sigmoid_prime(z):\n    t = np.exp(-np.abs(z))\n    return t / (1 + t) ** 2\n",
    "its own function, named like the library's": "def numerical_gradient(f, x, h=1e-3):\n"
                                                  "    return np.zeros(x.shape)\n"
                                                  "numerical_gradient(np.sum, np.ones(2))\n",
    "a forward function of the library": "from course_lib.activations import sigmoid\n"
                                         "def sigmoid_prime(z):\n    s = sigmoid(-np.abs(z))\n"
                                         "    return s * (1 - s)\n",
    "rerunning a check": "check('partials', partials, 1.0, 2.0, marks='a1.partials')\n",
    "not even Python": "def partials(x, y)\n    return x\n",
}


@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE)
def test_an_answer_that_reaches_an_answer_is_flagged(source):
    found = notes(cells(source), PLAN)
    assert len(found) == 1 and found[0].startswith("answer0 uses "), found


@pytest.mark.parametrize("source", HONEST.values(), ids=HONEST)
def test_an_honest_answer_is_not_flagged(source):
    assert notes(cells(source), PLAN) == []


def test_a_name_the_student_defines_shadows_the_setups_import():
    setup = SETUP + "from course_lib.activations import sigmoid_prime\n"
    own = "def sigmoid_prime(z):\n    return np.exp(-z) / (1 + np.exp(-z)) ** 2\nsigmoid_prime(np.zeros(2))\n"
    assert notes(cells(own, setup=setup), PLAN) == []
    assert notes(cells("def f(z):\n    return sigmoid_prime(z)\n", setup=setup), PLAN)


def test_the_grader_flags_without_changing_the_score(tmp_path):
    root = make_course(tmp_path, REPO / "solutions", A1)
    notebook = solved(root, A1)
    for cell in notebook["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "partials":
            cell["source"] = ("from course_lib.gradcheck import numerical_gradient as slopes\n"
                              "def partials(x, y):\n    f = lambda a, b: np.sum(a**2 * b + np.sin(a * b))\n"
                              "    return slopes(lambda v: f(v, y), x), slopes(lambda v: f(x, v), y)\n")
    submit(root, "borrower", notebook, A1)
    done = grade(root, A1)
    assert done.returncode == 0, done.stdout + done.stderr
    result = results(root, A1)["borrower"]
    assert all(part["score"] == part["max"] for part in result["parts"].values()), result
    assert any("course_lib.gradcheck.numerical_gradient" in note for note in result["notes"]), result
    assert "borrower" in done.stdout and "course_lib.gradcheck.numerical_gradient" in done.stdout, done.stdout
