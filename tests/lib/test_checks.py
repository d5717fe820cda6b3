"""The checks the exercises call: what an answer is compared with, what a pass and a failure say, the plan mode."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

from course_lib import checks
from course_lib.activations import softmax
from course_lib.checks import CheckFailed, check, trusted
from course_lib.exercise_functions import matrix_of_x, product_sine, tanh_graph


def partials(x, y):
    return 2 * x * y + y * np.cos(x * y), x**2 + x * np.cos(x * y)


def partials_without_inner(x, y):
    return 2 * x * y + np.cos(x * y), x**2 + np.cos(x * y)


def passed(*args, **kwargs) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        check(*args, **kwargs)
    return out.getvalue()


def test_a_pass_names_the_call_and_what_it_was_compared_with():
    line = passed("partials", partials, np.ones(3), np.full(3, 0.5), numeric=product_sine, wrt=(0, 1))
    assert line.startswith("✓ partials(x=array (3,), y=array (3,)): correct")
    assert "centred-difference gradient of product_sine" in line
    assert "lam=0.1" in passed("f", lambda x, lam: lam * x, np.ones(2), 0.1, expect=0.1 * np.ones(2))


def test_a_failure_names_the_mistake_from_the_marking_module_and_the_call():
    with pytest.raises(CheckFailed, match=r"inner derivative.*\(in partials\(x=array \(3,\)"):
        check("partials", partials_without_inner, np.ones(3), np.full(3, 0.5), numeric=product_sine, wrt=(0, 1),
              marks="a1.partials")


def test_each_basis_accepts_the_right_answer_and_rejects_a_wrong_one():
    def softmax_jacobian(z):
        y = softmax(z)
        return np.diag(y) - np.outer(y, y)

    z = np.array([0.5, -1.0, 2.0])
    passed("softmax_jacobian", softmax_jacobian, z, jacobian=softmax)
    with pytest.raises(CheckFailed):
        check("softmax_jacobian", lambda z: np.diag(softmax(z)), z, jacobian=softmax)
    T = np.arange(24.0).reshape(4, 2, 3)
    passed("flat", lambda x: checks.centred_differences(matrix_of_x, 0, jacobian=True, flat=True)(x),
           np.array([0.3, -1.2, 0.8]), jacobian=matrix_of_x, flat=True)
    passed("tensor_to_jacobian", lambda T: T.reshape(8, 3), T, marks="a2.tensor_to_jacobian")
    with pytest.raises(CheckFailed, match="column by column"):
        check("tensor_to_jacobian", lambda T: T.transpose(1, 0, 2).reshape(8, 3), T, marks="a2.tensor_to_jacobian")
    with pytest.raises(CheckFailed, match="returned 0"):
        check("sigmoid_prime", lambda z: np.where(z > 30, 0.0, np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))) ** 2),
              np.array([-40.0, 40.0]), marks="a1.sigmoid_prime")


def test_a_forward_function_gets_the_leading_arguments_and_a_dict_answer_its_named_keys():
    x, y = np.array([0.5, -1.0]), np.array([1.5, 0.3])
    backward = checks.find_marks("a3.backward_pass").reference
    passed("backward_pass", backward, x, y, trusted("a3.forward_pass", x, y), numeric=tanh_graph,
           wrt={"df_dx": 0, "df_dy": 1})


def test_trusted_inputs_are_computed_inside_the_check():
    seen = []
    x, y = np.array([0.5]), np.array([2.0])
    passed("look", lambda x, y, cache: seen.append(cache) or cache["f"], x, y, trusted("a3.forward_pass", x, y),
           expect=tanh_graph(x, y))
    assert set(seen[0]) == {"u", "v", "w", "p", "f"}
    assert not hasattr(trusted("a3.forward_pass", x, y), "value")  # the marker computes nothing itself


def test_ipython_shows_a_failure_without_a_traceback_through_the_course():
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    shell = InteractiveShell.instance(config=config)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = shell.run_cell("import numpy as np\nfrom course_lib.checks import check\n"
                                "check('double', lambda x: x, np.ones(2), expect=2 * np.ones(2))\n")
    assert isinstance(result.error_in_exec, AssertionError)
    shown = out.getvalue()
    assert shown.strip().startswith("CheckFailed: double is wrong") and "checks.py" not in shown, shown


def test_the_plan_mode_records_the_call_with_its_reference_and_runs_no_student_code():
    checks.PLAN = recorded = []
    try:
        check("partials", partials_without_inner, 1.0, 2.0, numeric=product_sine, wrt=(0, 1), marks="a1.partials")
    finally:
        checks.PLAN = None
    (planned,) = recorded
    assert planned.function == "partials_without_inner" and planned.marks == "a1.partials"
    assert planned.decide(partials(1.0, 2.0), None)[0]
    ok, message = planned.decide(partials_without_inner(1.0, 2.0), None)
    assert not ok and "inner derivative" in message


@pytest.mark.parametrize("keywords", [{}, {"numeric": product_sine, "expect": 1.0}, {"marks": "a1.partials"}])
def test_a_check_without_exactly_one_basis_is_refused(keywords):
    with pytest.raises(TypeError):
        check("partials", partials, 1.0, 2.0, **keywords)
