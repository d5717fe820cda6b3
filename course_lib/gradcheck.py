r"""Numerical derivatives and a gradient check whose failures say what to fix (chapters 1 and 2).

Centred differences in float64 with the step $\varepsilon$ (``h`` in the code):
$f'(x) \approx (f(x+\varepsilon) - f(x-\varepsilon)) / 2\varepsilon$, error $O(\varepsilon^2)$ from truncation
plus about $\epsilon_{\mathrm{mach}} |f| / \varepsilon$ from round-off, smallest near $\varepsilon \approx 10^{-5}$
(chapter 1).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ._validate import as_float_array

#: Default step ε of the centred differences: balances truncation (ε²) against round-off (ε_mach/ε).
STEP = 1e-5
#: Relative error below which an analytic gradient of a smooth function counts as right.
#: Centred differences with STEP reach about 1e-10 here; a real mistake is nearer 1e-1.
TOLERANCE = 1e-7
#: Looser threshold for a candidate explanation of a failure (it must explain the error, not be exact).
EXPLAINS = 1e-5


def rel_error(a, b) -> float:
    r"""Relative error $\max_i |a_i - b_i| / \max(10^{-8}, \max_i (|a_i| + |b_i|))$, a number in [0, 1]."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error needs equal shapes; got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b)) / max(1e-8, float(np.max(np.abs(a) + np.abs(b)))))


def _writable(x) -> np.ndarray:
    """``x`` itself if it is a float64 array, so that a closure over it sees each perturbation; else a copy."""
    if isinstance(x, np.ndarray) and x.dtype == np.float64:
        return x
    return as_float_array("x", x)


def numerical_gradient(f: Callable[[np.ndarray], float], x,
                       h: float = STEP) -> np.ndarray:
    r"""Centred-difference gradient of a scalar $f$ at ``x``, shaped like ``x``.

    Entry $i$ is the centred difference (chapter 1, eq. ``centred-difference``)
    $(f(x + \varepsilon u_i) - f(x - \varepsilon u_i)) / 2\varepsilon$,
    with the step $\varepsilon$ passed as ``h`` and $u_i$ the $i$-th unit
    vector. Each entry of ``x`` is
    perturbed in place and restored, so ``f`` may close over ``x`` itself
    (as a loss closes over the weights). Cost: $2\,\mathrm{size}(x)$ calls.
    """
    x = _writable(x)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = float(f(x))
        x[i] = old - h
        f_minus = float(f(x))
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_jacobian(f: Callable[[np.ndarray], np.ndarray], x,
                       h: float = STEP) -> np.ndarray:
    r"""Centred-difference Jacobian $\partial f/\partial x$ at ``x``.

    Entry $(i, j)$ is $\partial f_i/\partial x_j$, the centred difference
    of the whole output when $x_j$ alone moves by $\pm\varepsilon$ (the step
    $\varepsilon$ is passed as ``h``): two calls of ``f`` per input.
    The result has shape ``f(x).shape + x.shape``, the *stacked partials*
    view of chapter 2: for $f(A) = Ax$ with $A$ of size $p \times q$,
    $\partial f/\partial A$ is ``(p, p, q)``; :func:`flatten_jacobian`
    gives the flattened ``(p, p·q)`` view.
    """
    x = _writable(x)
    jac = np.zeros(np.shape(f(x)) + x.shape)
    for j in np.ndindex(x.shape):
        old = x[j]
        x[j] = old + h
        f_plus = np.array(f(x), dtype=np.float64)
        x[j] = old - h
        f_minus = np.array(f(x), dtype=np.float64)
        x[j] = old
        jac[(Ellipsis,) + j] = (f_plus - f_minus) / (2 * h)
    return jac


def flatten_jacobian(jac: np.ndarray, out_ndim: int) -> np.ndarray:
    """Reshape a stacked Jacobian to a matrix: output entries as rows, input entries as columns (row-major)."""
    out_shape = jac.shape[:out_ndim]
    return jac.reshape(int(np.prod(out_shape)), -1)


@dataclass
class GradientReport:
    """The outcome of a gradient check: ``passed``, the error, and a message a student can act on."""

    name: str
    passed: bool
    rel_error: float
    message: str
    likely_mistake: str | None = None

    def __bool__(self) -> bool:
        return self.passed


WRONG_SIGN = "it has the wrong sign: a gradient points uphill; check the sign of the error term (ŷ − y, not y − ŷ)"


def _close(a: np.ndarray, b: np.ndarray, tol: float = EXPLAINS) -> bool:
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and rel_error(a, b) < tol


def _diagnose(name: str, mine: np.ndarray, ref: np.ndarray, *, lam, W, n, mistakes) -> str | None:
    """Name the mistake that turns the right gradient ``ref`` into ``mine``, if it is a common one."""
    for description, wrong in (mistakes or {}).items():
        if _close(mine, np.asarray(wrong, dtype=np.float64)):
            return description
    if not np.any(mine) and np.any(ref):
        return "your gradient is all zeros: is the function implemented and does it return its result?"
    if _close(mine, -ref):
        return WRONG_SIGN
    if mine.ndim == 2 and mine.shape[0] == mine.shape[1] and _close(mine, ref.T):
        return ("it is the transpose of the right answer: rows and columns swapped "
                "(in a weight gradient, δ aᵀ, not a δᵀ)")
    penalty = np.zeros_like(ref)  # λW, when the caller says there is one: a batch factor scales only the data term
    if lam and W is not None and np.shape(W) == ref.shape:
        penalty = lam * np.asarray(W, dtype=np.float64)
        if _close(mine + penalty, ref):
            return "it differs by exactly λW: did you add the penalty term λW?"
        if _close(mine - penalty, ref):
            return "it has λW once too often: the penalty's gradient λW is added once"
    data_mine, data_ref = mine - penalty, ref - penalty
    scale = float(np.vdot(data_mine, data_ref) / max(np.vdot(data_ref, data_ref), 1e-300))
    # Two single numbers are always proportional: a constant factor explains nothing there.
    if ref.size > 1 and np.isfinite(scale) and scale != 0 and _close(data_mine, scale * data_ref):
        if np.isclose(scale, -1):
            return WRONG_SIGN
        if n and np.isclose(scale, n):
            return f"it is {n}× too large ({n} examples): you summed over the batch where the mean belongs"
        if n and np.isclose(scale, 1 / n):
            return f"it is {n}× too small ({n} examples): you took the mean over the batch where the sum belongs"
        if np.isclose(scale, 2) or np.isclose(scale, 0.5):
            return f"it is off by a factor {scale:g}: check the ½ in the loss and the 2 from differentiating a square"
        return f"it is the right gradient times {scale:.4g}: a constant factor is missing or extra"
    return None


def compare_gradients(name: str, analytic, reference, *, tol: float = TOLERANCE, lam: float | None = None,
                      W=None, n: int | None = None,
                      mistakes: Mapping[str, np.ndarray] | None = None) -> GradientReport:
    """Compare an analytic gradient with a trusted one and explain the difference in one message.

    ``lam`` and ``W`` let the check recognise a missing penalty term λW; ``n`` (batch size) a sum
    where a mean belongs; ``mistakes`` maps a description to a wrong gradient, for mistakes that
    only the caller can compute (a missing φ'(z), a layer off by one).
    """
    try:
        mine = np.array(analytic)
    except ValueError:  # a ragged list
        mine = np.array(None)
    if mine.dtype.kind not in "biuf":
        message = f"{name}: expected an array of real numbers, got {type(analytic).__name__} of dtype {mine.dtype}"
        return GradientReport(name, False, np.inf, message)
    mine = mine.astype(np.float64)
    ref = np.asarray(reference, dtype=np.float64)
    if mine.shape != ref.shape:
        hint = ""
        column = ref.ndim == 2 and ref.shape[1] == 1 and ref.shape[0] > 1
        if mine.ndim == 2 and mine.shape[::-1] == ref.shape:
            hint = ": it looks transposed, rows and columns swapped (in a weight gradient, δ aᵀ, not a δᵀ)"
        elif column and mine.shape == ref.shape[:1]:
            hint = ": the sum dropped its axis; keep it with keepdims=True (a bias gradient is one column)"
        elif column and mine.ndim == 2 and mine.shape[0] == ref.shape[0]:
            hint = ": a bias gradient is one column; sum δ over the examples (axis=1, keepdims=True)"
        elif mine.ndim == ref.ndim and sorted(mine.shape) == sorted(ref.shape):
            hint = ": the axes are in the wrong order; np.transpose or np.moveaxis reorders them (reshape does not)"
        elif mine.size == ref.size:
            hint = f": the right number of entries in the wrong shape; reshape to {ref.shape}"
        elif abs(mine.ndim - ref.ndim) == 1:
            hint = (": one axis too many or too few; a derivative is shaped as the task says (a sum over the "
                    "examples removes an axis)")
        message = f"{name} has shape {mine.shape}, expected {ref.shape}{hint}"
        return GradientReport(name, False, np.inf, message, hint[2:] or None)
    if not np.all(np.isfinite(mine)):
        index = tuple(int(i) for i in np.argwhere(~np.isfinite(mine))[0])
        return GradientReport(name, False, np.inf, f"{name} has a non-finite entry {mine[index]} at index {index}: "
                              "look for an overflow (exp of a large number) or a division by zero")
    error = rel_error(mine, ref)
    if error < tol:
        return GradientReport(name, True, error, f"{name}: correct (relative error {error:.1e} < {tol:.0e})")
    worst = tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(mine - ref)), mine.shape)) if mine.ndim else ()
    where = f"{name}[{', '.join(map(str, worst))}]" if worst else name
    message = (f"{name} is wrong: relative error {error:.1e} (should be below {tol:.0e}); "
               f"worst entry {where} is {mine[worst]:.6g}, expected {ref[worst]:.6g}.")
    mistake = _diagnose(name, mine, ref, lam=lam, W=W, n=n, mistakes=mistakes)
    if mistake:
        message += f" Likely mistake: {mistake}" + ("" if mistake.endswith("?") else ".")
    return GradientReport(name, False, error, message, mistake)


def check_gradient(f: Callable[[np.ndarray], float], x, analytic, *, name: str = "gradient",
                   h: float = STEP, **hints) -> GradientReport:
    """Check ``analytic`` against the centred-difference gradient of the scalar ``f`` at ``x``.

    ``hints`` are passed to :func:`compare_gradients` (``tol``, ``lam``, ``W``, ``n``, ``mistakes``).
    """
    return compare_gradients(name, analytic, numerical_gradient(f, x, h), **hints)


def assert_gradient(name: str, analytic, reference, **hints) -> None:
    """:func:`compare_gradients`, raising ``AssertionError`` with the message when the check fails."""
    report = compare_gradients(name, analytic, reference, **hints)
    if not report.passed:
        raise AssertionError(report.message)
