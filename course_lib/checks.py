"""The checks that the exercises' test cells call.

A test cell is a list of calls such as::

    check("dJ_dW2", backward, x, y, W1, W2, 0.1, expected=reference_backward, lam=0.1, W=W2)

``check`` calls the student's function on copies of the arguments, computes the expected answer
with trusted code, and compares the two with :func:`course_lib.gradcheck.compare_gradients`, so a
failure says what is wrong and, where it recognises one, the likely mistake. A passing check
prints one line; a failing one raises ``AssertionError`` with the message.

Test cells call only ``check`` and build their inputs from seeds, so that the grader can split each
call in two: the student's function runs in a sandbox on the recorded arguments, and the verdict is
reached in a process where student code never ran (:data:`PLAN`, ``grading/``).
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

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
    if isinstance(expected, tuple) and isinstance(answer, list):
        answer = tuple(answer)  # a list of the right arrays is a fair way to return several
    mine, ref = _named_parts(name, answer), _named_parts(name, expected)
    if isinstance(expected, (Mapping, tuple)):
        if type(answer) is not type(expected) and not (isinstance(answer, Mapping) and isinstance(expected, Mapping)):
            kind = "a dict" if isinstance(expected, Mapping) else f"a tuple of {len(expected)}"
            return GradientReport(name, False, np.inf, f"{name} should return {kind}; got {type(answer).__name__}")
        missing = [key for key in ref if key not in mine]
        if missing:
            return GradientReport(name, False, np.inf, f"{name} is missing {', '.join(missing)}")
    elif isinstance(answer, (Mapping, tuple)):
        return GradientReport(name, False, np.inf, f"{name} should return one array; got {type(answer).__name__}")
    worst = None
    for key, value in ref.items():
        wrong = {desc: _named_parts(name, w)[key] for desc, w in (mistakes or {}).items()}
        report = compare_gradients(key, mine[key], value, mistakes=wrong, **hints)
        if not report.passed:
            return report
        worst = report if worst is None or report.rel_error > worst.rel_error else worst
    return GradientReport(name, True, worst.rel_error if worst else 0.0, f"{name}: correct")


def run_student(name: str, student_fn: Callable, args: tuple) -> tuple[Any, str | None]:
    """Call the student's function on copies of ``args``, silencing warnings (nbgrader scores stderr as failure)."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return student_fn(*copy.deepcopy(args)), None
    except NotImplementedError:
        return None, f"{name}: not implemented yet (the function still raises NotImplementedError)"
    except Exception as error:  # the student's bug, reported as feedback rather than a crash
        return None, f"{name}: your code raised {type(error).__name__}: {error}"


def prepare(args: tuple, *, expected: Callable | None, mistakes: Callable | None) -> tuple[Any, Any]:
    """The right answer and the known wrong ones for ``args``; trusted code only, independent of the student."""
    with np.errstate(all="ignore"):
        reference = expected(*copy.deepcopy(args)) if expected is not None else None
        wrong = mistakes(*copy.deepcopy(args)) if mistakes is not None else None
    return reference, wrong


def decide(name: str, answer: Any, failure: str | None, args: tuple, *, reference: Any, wrong: Any,
           judge: Judge | None, hints: dict) -> tuple[bool, str]:
    """Pass or fail for an answer that student code produced, with the message; runs only trusted code."""
    if failure:
        return False, failure
    if judge is not None:
        return judge(answer, *copy.deepcopy(args))
    report = compare_answer(name, answer, reference, mistakes=wrong, **hints)
    return report.passed, report.message


@dataclass
class PlannedCheck:
    """One ``check`` call as the grader records it: the student's function by name, the rest to decide later."""

    name: str
    function: str
    args: tuple
    reference: Any
    wrong: Any
    judge: Judge | None
    hints: dict

    def decide(self, answer: Any, failure: str | None) -> tuple[bool, str]:
        return decide(self.name, answer, failure, self.args, reference=self.reference, wrong=self.wrong,
                      judge=self.judge, hints=self.hints)


#: While the grader holds a list here, ``check`` records each call in it instead of running the student's code
#: (``grading/plan.py``): the answers are then produced in a sandbox and decided by :meth:`PlannedCheck.decide`.
PLAN: list[PlannedCheck] | None = None


def check(name: str, student_fn: Callable, *args, expected: Callable | None = None, judge: Judge | None = None,
          mistakes: Callable[..., Mapping[str, Any]] | None = None, **hints) -> None:
    """Check ``student_fn(*args)`` against ``expected(*args)`` (or let ``judge(answer, *args)`` decide).

    ``mistakes(*args)`` returns ``{description: wrong answer}`` for mistakes the generic diagnosis
    cannot see; ``hints`` (``lam``, ``W``, ``n``, ``tol``) go to :func:`compare_gradients`.
    Raises ``AssertionError`` with a message for the student when the answer is wrong.
    """
    if (expected is None) == (judge is None):
        raise TypeError("check needs exactly one of expected= or judge=")
    reference, wrong = prepare(args, expected=expected, mistakes=mistakes)
    if PLAN is not None:
        PLAN.append(PlannedCheck(name, getattr(student_fn, "__name__", repr(student_fn)), copy.deepcopy(args),
                                 reference, wrong, judge, hints))
        return
    answer, failure = run_student(name, student_fn, args)
    passed, message = decide(name, answer, failure, args, reference=reference, wrong=wrong, judge=judge, hints=hints)
    if not passed:
        raise AssertionError(message)
    print(f"✓ {message}")
