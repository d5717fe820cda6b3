"""The checks that the exercises' test cells call.

A visible test cell is a specification: the inputs, what the answer is compared with, the points::

    check("partials", partials, x, y, numeric=f_xy, wrt=(0, 1), marks="a1.partials")

The answer ``partials(x, y)`` is compared with one of

- ``numeric=forward``: centred differences of a trusted *forward* function, the gradient of
  ``sum(forward(*args))`` with respect to ``args[wrt]`` (an int; a tuple of ints for a tuple of gradients;
  a dict ``{key: int}`` for a dict of them);
- ``jacobian=forward``: its centred-difference Jacobian with respect to ``args[wrt]``, stacked
  (``forward(...).shape + x.shape``) or, with ``flat=True``, as a matrix;
- ``expect=value``: fixed numbers;
- the closed form of the course module that ``marks`` names.

``marks="a1.partials"`` names :class:`Marks` ``partials`` in ``course_lib.marking.a1``: the grader's closed
form, its catalogue of known mistakes (which a failure names) and any rule of its own (a judge). The
references and catalogues live there, never in the student's notebook. A passing check prints one line
naming the call it checked; a failing one raises :class:`CheckFailed` (an ``AssertionError``), which IPython
shows as its message alone, with no traceback through the course's code (``_render_traceback_``).

Test cells call only ``check`` and build their inputs from seeds, so that the grader can split each call in
two: the student's function runs in a sandbox on the recorded arguments, and the verdict is reached in a
process where student code never ran (:data:`PLAN`, ``grading/``).
"""

from __future__ import annotations

import copy
import importlib
import inspect
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .gradcheck import GradientReport, compare_gradients, flatten_jacobian, numerical_gradient, numerical_jacobian

Judge = Callable[..., "tuple[bool, str]"]
#: Where ``marks="a1.partials"`` looks: ``course_lib.marking.a1``, attribute ``partials``.
MARKING = "course_lib.marking"


@dataclass(frozen=True)
class Marks:
    """What the grader knows about one answer; a marking module holds one per check it serves.

    ``reference(*args)`` is the right answer (the closed form), ``mistakes(*args)`` returns
    ``{description: wrong answer}`` for mistakes a failure should name, and ``judge(answer, *args)`` returns
    ``(passed, message)`` for answers that a comparison cannot decide alone (a property, an edge case).
    """

    reference: Callable | None = None
    mistakes: Callable[..., Mapping[str, Any]] | None = None
    judge: Judge | None = None


def find_marks(spec: str) -> Marks:
    """The :class:`Marks` that ``"a1.partials"`` names (``course_lib.marking.a1.partials``)."""
    module, _, name = spec.rpartition(".")
    found = getattr(importlib.import_module(f"{MARKING}.{module}"), name, None)
    if not isinstance(found, Marks):
        raise LookupError(f"{MARKING}.{spec} is not a Marks")
    return found


def _named_parts(name: str, value: Any) -> dict[str, Any]:
    """Split an answer into named arrays: a dict by key, a tuple by position, an array as itself."""
    if isinstance(value, Mapping):
        return {f"{name}[{key!r}]": v for key, v in value.items()}
    if isinstance(value, tuple):
        return {f"{name}[{i}]": v for i, v in enumerate(value)}
    return {name: value}


def compare_answer(name: str, answer: Any, expected: Any, *, mistakes: Mapping[str, Any] | None = None,
                   **hints) -> GradientReport:
    """Compare an answer (array, tuple or dict of arrays) with the expected one; the first failure explains.

    A dict answer may hold more keys than the expected one: only the expected keys are compared, so that one
    test cell can grade one gradient of a function that returns several.
    """
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
        wrong = {desc: parts[key] for desc, w in (mistakes or {}).items()
                 if key in (parts := _named_parts(name, w))}
        report = compare_gradients(key, mine[key], value, mistakes=wrong, **hints)
        if not report.passed:
            return report
        worst = report if worst is None or report.rel_error > worst.rel_error else worst
    error = worst.rel_error if worst else 0.0
    return GradientReport(name, True, error, f"correct (relative error {error:.1e})")


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


def _arity(function: Callable, most: int) -> int:
    """How many leading positional arguments ``function`` takes, at most ``most``."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return most
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return most
    return min(most, sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters))


def centred_differences(forward: Callable, wrt: int | tuple | Mapping, *, jacobian: bool = False,
                        flat: bool = False) -> Callable:
    """A reference computed from ``forward`` alone: its centred-difference gradient(s) or Jacobian(s).

    The returned function takes the check's arguments and passes ``forward`` as many leading ones as it takes
    (a backward pass's cache, say, is not an input of the forward function). For a gradient, ``forward``'s
    output is summed, so an elementwise ``forward`` gives its elementwise derivative.
    """
    def reference(*args):
        args = args[:_arity(forward, len(args))]

        def one(i: int) -> np.ndarray:
            def f(v):
                out = forward(*args[:i], v, *args[i + 1:])
                return out if jacobian else np.sum(out)
            x = np.array(args[i], dtype=np.float64)
            if not jacobian:
                return numerical_gradient(f, x)
            jac = numerical_jacobian(f, x)
            return flatten_jacobian(jac, jac.ndim - x.ndim) if flat else jac
        if isinstance(wrt, Mapping):
            return {key: one(i) for key, i in wrt.items()}
        return tuple(one(i) for i in wrt) if isinstance(wrt, tuple) else one(wrt)
    return reference


def _basis(*, numeric, jacobian, wrt, flat, expect, marked: Marks | None, expected, judge) -> tuple:
    """(reference function, judge, what the answer is compared with) from ``check``'s keywords.

    An explicit basis (``numeric``, ``jacobian``, ``expect``, ``expected``) takes only the mistakes from
    ``marks``; without one, the marks' judge decides, or else its closed form.
    """
    sources = [numeric is not None, jacobian is not None, expect is not None, expected is not None, judge is not None]
    if sum(sources) > 1:
        raise TypeError("check takes one of numeric=, jacobian=, expect=, expected=, judge=")
    forward = numeric if numeric is not None else jacobian
    if forward is not None:
        kind = "Jacobian" if jacobian is not None else "gradient"
        return (centred_differences(forward, wrt, jacobian=jacobian is not None, flat=flat), None,
                f"the centred-difference {kind} of {getattr(forward, '__name__', 'the forward function')}")
    if expect is not None:
        return (lambda *args: copy.deepcopy(expect)), None, "fixed numbers"
    if expected is not None or judge is not None:
        return expected, judge, None if judge else "the reference"
    if marked is None or (marked.judge is None and marked.reference is None):
        raise TypeError("check needs numeric=, jacobian=, expect=, or marks= naming a reference or a judge")
    return marked.reference, marked.judge, None if marked.judge else "the course's closed form"


@dataclass(frozen=True)
class Trusted:
    """An argument the check computes with the marking module: ``trusted("a3.forward_pass", x, y)``.

    A later task runs on trusted inputs (a correct forward pass, say), so a mistake in an earlier task never
    costs its points; the value is computed inside ``check``, and nothing in the notebook holds the function.
    """

    spec: str
    args: tuple


def _resolve(arg: Any) -> Any:
    """An argument as the student's function receives it: a :class:`Trusted` one computed, any other as it is."""
    if not isinstance(arg, Trusted):
        return arg
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return find_marks(arg.spec).reference(*copy.deepcopy(arg.args))


def trusted(spec: str, *args) -> Trusted:
    """The argument ``find_marks(spec).reference(*args)``, computed when the check runs (see :class:`Trusted`)."""
    return Trusted(spec, args)


def prepare(args: tuple, *, expected: Callable | None, mistakes: Callable | None) -> tuple[Any, Any]:
    """The right answer and the known wrong ones for ``args``; trusted code only, independent of the student."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        reference = expected(*copy.deepcopy(args)) if expected is not None else None
        wrong = mistakes(*copy.deepcopy(args)) if mistakes is not None else None
    return reference, wrong


def describe(value: Any) -> str:
    """A short description of an argument for a check's message: an array by its shape, a number by its value."""
    if isinstance(value, np.ndarray):
        return f"array {value.shape}" if value.ndim else f"{value.item():g}"
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return f"{value:g}"
    if callable(value):
        return getattr(value, "__name__", "a function")
    if isinstance(value, Mapping):
        return "dict of " + ", ".join(map(str, value))
    return type(value).__name__


def label(name: str, student_fn: Callable, args: tuple) -> str:
    """``name(x=array (3,), lam=0.1)``: the call a check makes, with the parameter names where they are known."""
    try:
        names = list(inspect.signature(student_fn).bind(*args).arguments)
    except (TypeError, ValueError):
        names = [f"arg{i}" for i in range(len(args))]
    return f"{name}({', '.join(f'{n}={describe(a)}' for n, a in zip(names, args, strict=False))})"


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
    label: str = ""
    against: str | None = None  # what a pass says the answer was compared with; None for a judge's own message
    marks: str | None = None  # the marking module's entry, "a1.partials", if the check names one

    def decide(self, answer: Any, failure: str | None) -> tuple[bool, str]:
        passed, message = decide(self.name, answer, failure, self.args, reference=self.reference, wrong=self.wrong,
                                 judge=self.judge, hints=self.hints)
        return passed, verdict(passed, message, self.label, self.against)


def verdict(passed: bool, message: str, call: str, against: str | None) -> str:
    """The message a check shows: a pass names the call and what it was compared with; a failure names the call."""
    if passed:
        return f"{call}: {message}" + (f"; compared with {against}" if against else "")
    return f"{message} (in {call})" if call and call not in message else message


class CheckFailed(AssertionError):
    """A wrong answer. IPython and Jupyter show its message alone, with no traceback through the course's code."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


#: While the grader holds a list here, ``check`` records each call in it instead of running the student's code
#: (``grading/plan.py``): the answers are then produced in a sandbox and decided by :meth:`PlannedCheck.decide`.
PLAN: list[PlannedCheck] | None = None


def check(name: str, student_fn: Callable, *args, numeric: Callable | None = None,
          jacobian: Callable | None = None, wrt: int | tuple | Mapping = 0, flat: bool = False, expect: Any = None,
          marks: str | None = None, expected: Callable | None = None, judge: Judge | None = None,
          mistakes: Callable[..., Mapping[str, Any]] | None = None, **hints) -> None:
    """Check ``student_fn(*args)``; see the module's docstring for what it is compared with.

    ``hints`` (``lam``, ``W``, ``n``, ``tol``) go to :func:`compare_gradients`. ``expected=``, ``judge=`` and
    ``mistakes=`` (callables) predate marking modules and are kept for notebooks not yet moved to them.
    Raises :class:`CheckFailed` (an ``AssertionError``) with a message for the student when the answer is wrong.
    """
    args = tuple(_resolve(a) for a in args)
    marked = find_marks(marks) if marks else None
    reference_fn, judge, against = _basis(numeric=numeric, jacobian=jacobian, wrt=wrt, flat=flat, expect=expect,
                                          marked=marked, expected=expected, judge=judge)
    reference, wrong = prepare(args, expected=reference_fn if judge is None else None,
                               mistakes=mistakes or (marked.mistakes if marked else None))
    planned = PlannedCheck(name, getattr(student_fn, "__name__", repr(student_fn)), copy.deepcopy(args), reference,
                           wrong, judge, hints, label(name, student_fn, args), against, marks)
    if PLAN is not None:
        PLAN.append(planned)
        return
    answer, failure = run_student(name, student_fn, args)
    passed, message = planned.decide(answer, failure)
    if not passed:
        raise CheckFailed(message)
    print(f"✓ {message}")
