r"""Marking of assignment a1 (partial derivatives): references, known mistakes, the judge of σ'.

Task 1 asks for the extrapolated centred difference $(4 D(h) - D(2h)) / 3$, with
$D(s) = (f(x + s e_i) - f(x - s e_i)) / 2s$; its reference is that estimate computed here, so a test can pass
any step. Task 2 is compared with centred differences of the forward function, task 3 with an accurate σ'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from ..activations import sigmoid
from ..activations import sigmoid_prime as accurate_sigmoid_prime
from ..checks import Marks
from ..gradcheck import compare_gradients

#: Library functions that compute an answer of a1; an answer cell that uses one is flagged to the instructor.
ANSWERS = ("course_lib.gradcheck.numerical_gradient", "course_lib.gradcheck.numerical_jacobian",
           "course_lib.gradcheck.check_gradient", "course_lib.activations.sigmoid_prime",
           "course_lib.activations.get_activation", "course_lib.activations.ACTIVATIONS")


def _differences(f: Callable, x: np.ndarray, h: float, combine: Callable[[float, float], float], *,
                 restore: bool = True, entries: Callable[[np.ndarray], Iterable] = lambda v: np.ndindex(v.shape)):
    """Combine the centred differences D(h) and D(2h) entry by entry, as a loop over ``entries(x)`` would.

    ``restore=False`` leaves each perturbed entry at x_i - 2h (the loop never puts it back), and ``entries``
    that yields row indices moves whole rows: two mistakes a failure names.
    """
    v = np.array(x, dtype=np.float64)
    grad = np.zeros_like(v)
    for i in list(entries(v)):
        old = v[i].copy()
        values = []
        for step in (h, -h, 2 * h, -2 * h):
            v[i] = old + step
            values.append(f(v))
        v[i] = old if restore else old - 2 * h
        grad[i] = combine((values[0] - values[1]) / (2 * h), (values[2] - values[3]) / (4 * h))
    return grad


def _extrapolated(d_h: float, d_2h: float) -> float:
    return (4 * d_h - d_2h) / 3


def _numerical_gradient(f, x, h=1e-3):
    return _differences(f, x, h, _extrapolated)


def _numerical_gradient_mistakes(f, x, h=1e-3) -> dict:
    return {
        "this is the plain centred difference D(h): combine D(h) and D(2h) so that their h² error terms cancel":
            _differences(f, x, h, lambda a, b: a),
        "the weights are swapped: D(h) has the smaller error, so it gets the weight 4/3 and D(2h) the weight -1/3":
            _differences(f, x, h, lambda a, b: (4 * b - a) / 3),
        "the weights must add up to 1 (a constant f has the estimate 0, a linear one its exact slope): "
        "divide by 3": _differences(f, x, h, lambda a, b: 4 * a - b),
        "all zeros: f saw the same point every time. x_plus = x does not copy x; use x.copy()": np.zeros(np.shape(x)),
        "x was perturbed and not restored, so every later entry is evaluated at a shifted point; "
        "perturb copies of x, or put x[i] back": _differences(f, x, h, _extrapolated, restore=False),
        "for i in range(len(x)) visits the rows of a 2-D x, and x[i] += h moves a whole row; "
        "np.ndindex(x.shape) visits every entry": _differences(f, x, h, _extrapolated,
                                                                entries=lambda v: range(len(v))),
        "you ignored the argument h and used a fixed step": _differences(f, x, 1e-3, _extrapolated),
        "it has the wrong sign: a centred difference is f(x + s e_i) - f(x - s e_i), the plus side first":
            -_differences(f, x, h, _extrapolated),
    }


numerical_gradient = Marks(reference=_numerical_gradient, mistakes=_numerical_gradient_mistakes)


def _partials_mistakes(x, y) -> dict:
    return {
        "the inner derivative of sin(x y) is missing (chain rule)": (2 * x * y + np.cos(x * y), x**2 + np.cos(x * y)),
        "the derivative of sin is +cos, not -cos": (2 * x * y - y * np.cos(x * y), x**2 - x * np.cos(x * y)),
        "you returned (∂f/∂y, ∂f/∂x); return them in the order (∂f/∂x, ∂f/∂y)":
            (x**2 + x * np.cos(x * y), 2 * x * y + y * np.cos(x * y)),
        "y is a constant factor of x² y when you differentiate with respect to x":
            (2 * x + y * np.cos(x * y), x**2 + x * np.cos(x * y)),
        "the inner derivatives are swapped: differentiate x y with respect to the variable you are varying":
            (2 * x * y + x * np.cos(x * y), x**2 + y * np.cos(x * y)),
    }


partials = Marks(mistakes=_partials_mistakes)

#: Below this, σ'(z) is a subnormal float64 with few significant bits: its answers are compared in absolute
#: terms, to within 20 of the smallest subnormals (each about 4.9e-324).
SUBNORMAL_SLACK = 1e-322
#: Relative accuracy asked of σ'(z) entry by entry, in the tails too.
ENTRYWISE = 1e-9


def _sigmoid_prime_mistakes(z) -> dict:
    return {
        "this is σ(z) itself, not its derivative": sigmoid(z),
        "σ(z) (1 + σ(z)) is not the derivative: check the sign inside the bracket": sigmoid(z) * (1 + sigmoid(z)),
        "e^(-z) / (1 + e^(-z)) is 1 - σ(z): the denominator of σ'(z) is squared": 1 - sigmoid(z),
        "e^(-|z|) / (1 + e^(-|z|)) is σ(-|z|): the denominator of σ'(z) is squared": sigmoid(-np.abs(z)),
    }


def _judge_sigmoid_prime(answer, z) -> tuple[bool, str]:
    r"""Right within 1e-9 relative *entry by entry*, on both sides: σ'(±40) ≈ 4.2e-18 must not come back as 0.

    For $|z| > 745$ the true value (about $e^{-|z|}$, $e^{-1000} \approx 10^{-434}$) underflows: 0 is right there.
    """
    dtype = np.asarray(answer).dtype
    if dtype.kind == "f" and dtype != np.float64:
        return False, (f"sigmoid_prime returned {dtype} numbers: σ'(z) far from 0 is smaller than the smallest "
                       f"{dtype}. Compute in float64, NumPy's default (no astype, no dtype=).")
    right = accurate_sigmoid_prime(z)
    report = compare_gradients("sigmoid_prime", answer, right, mistakes=_sigmoid_prime_mistakes(z))
    if not report.passed:
        return False, report.message
    mine = np.asarray(answer, dtype=np.float64)
    wrong = np.abs(mine - right) > ENTRYWISE * right + SUBNORMAL_SLACK
    if not np.any(wrong):
        return True, "correct to 1e-9 in every entry, tails included"
    index = tuple(np.argwhere(wrong)[0])
    where, got, want = float(z[index]), float(mine[index]), float(right[index])
    if got == 0 and where > 0:
        why = ("1 - σ(z) rounds to 0 once σ(z) rounds to 1 (z above about 37), a subtraction of nearly equal "
               "numbers, and anything that overflows to inf on the way gives 0 too. σ' is even, σ'(z) = σ'(-z): "
               "compute it where nothing cancels or overflows")
    elif got == 0:
        why = ("exp(-z) overflowed to inf (anything above about 1.8e308 does) and NumPy's warning was hidden; "
               "e^(-|z|) never exceeds 1")
    else:
        why = "accurate values are asked for in the tails too, entry by entry"
    return False, (f"sigmoid_prime({where:g}) returned {got:.3g}, but σ'({where:g}) ≈ {want:.3g}: {why}.")


sigmoid_prime = Marks(reference=accurate_sigmoid_prime, mistakes=_sigmoid_prime_mistakes,
                      judge=_judge_sigmoid_prime)
