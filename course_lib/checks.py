"""The checks that the exercises' test cells call.

A test cell is a list of calls such as::

    check("dJ_dW2", backward, x, y, W1, W2, 0.1, expected=reference_backward, lam=0.1, W=W2)

``check`` calls the student's function on copies of the arguments, computes the expected answer
with trusted code, and compares the two with :func:`course_lib.gradcheck.compare_gradients`, so a
failure says what is wrong and, where it recognises one, the likely mistake. A passing check
prints one line; a failing one raises ``AssertionError`` with the message.

Test cells call only ``check`` and build their inputs from seeds, so that the grader can run the
same cell in two processes: the student's outputs are produced where student code runs, and the
verdict is reached where it never ran (see ``grading/``).
"""

from __future__ import annotations

import copy
import warnings
from typing import Any, Callable, Mapping

import numpy as np

from .gradcheck import GradientReport, compare_gradients

Judge = Callable[..., "tuple[bool, str]"]


def _named_parts(name: str, value: Any) -> dict[str, Any]:
    """Split an answer into named arrays: a dict by key, a tuple by position, an array as itself."""
    if isinstance(value, Mapping):
        return {f"{name}[{key!r}]": v for key, v in value.items()}
    if isinstance(value, tuple):
        return {f"{name}[{i}]": v for i, v in enumerate(value)}
    return {name: value}


def compare_answer(name: str, answer: Any, expected: Any, *, mistakes: Mapping[str, Any] | None = None,
                   **hints) -> GradientReport:
    """Compare an answer (array, tuple or dict of arrays) with the expected one; the first failure explains."""
    mine, ref = _named_parts(name, answer), _named_parts(name, expected)
    if isinstance(expected, (Mapping, tuple)):
        if type(answer) is not type(expected) and not (isinstance(answer, Mapping) and isinstance(expected, Mapping)):
            kind = "a dict" if isinstance(expected, Mapping) else f"a tuple of {len(expected)}"
            return GradientReport(name, False, np.inf, f"{name} should return {kind}; got {type(answer).__name__}")
        missing = [key for key in ref if key not in mine]
        if missing:
            return GradientReport(name, False, np.inf, f"{name} is missing {', '.join(missing)}")
    worst = None
    for key, value in ref.items():
        wrong = {desc: _named_parts(name, w)[key] for desc, w in (mistakes or {}).items()}
        report = compare_gradients(key, mine[key], value, mistakes=wrong, **hints)
        if not report.passed:
            return report
        worst = report if worst is None or report.rel_error > worst.rel_error else worst
    return GradientReport(name, True, worst.rel_error if worst else 0.0, f"{name}: correct")


def run_student(name: str, student_fn: Callable, args: tuple) -> tuple[Any, str | None]:
    """Call the student's function on deep copies of ``args``, silencing warnings (nbgrader scores stderr as failure)."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return student_fn(*copy.deepcopy(args)), None
    except NotImplementedError:
        return None, f"{name}: not implemented yet (the function still raises NotImplementedError)"
    except Exception as error:  # the student's bug, reported as feedback rather than a crash
        return None, f"{name}: your code raised {type(error).__name__}: {error}"


def verdict(name: str, answer: Any, failure: str | None, args: tuple, *, expected: Callable | None,
            judge: Judge | None, mistakes: Callable | None, hints: dict) -> tuple[bool, str]:
    """Decide pass or fail from an answer that student code produced; runs only trusted code."""
    if failure:
        return False, failure
    if judge is not None:
        return judge(answer, *args)
    with np.errstate(all="ignore"):
        reference = expected(*copy.deepcopy(args))
        wrong = mistakes(*copy.deepcopy(args)) if mistakes else None
    report = compare_answer(name, answer, reference, mistakes=wrong, **hints)
    return report.passed, report.message


def check(name: str, student_fn: Callable, *args, expected: Callable | None = None, judge: Judge | None = None,
          mistakes: Callable[..., Mapping[str, Any]] | None = None, **hints) -> None:
    """Check ``student_fn(*args)`` against ``expected(*args)`` (or let ``judge(answer, *args)`` decide).

    ``mistakes(*args)`` returns ``{description: wrong answer}`` for mistakes the generic diagnosis
    cannot see; ``hints`` (``lam``, ``W``, ``n``, ``tol``) go to :func:`compare_gradients`.
    Raises ``AssertionError`` with a message for the student when the answer is wrong.
    """
    if (expected is None) == (judge is None):
        raise TypeError("check needs exactly one of expected= or judge=")
    answer, failure = run_student(name, student_fn, args)
    passed, message = verdict(name, answer, failure, args, expected=expected, judge=judge, mistakes=mistakes, hints=hints)
    if not passed:
        raise AssertionError(message)
    print(f"✓ {message}")
