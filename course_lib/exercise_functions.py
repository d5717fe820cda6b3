r"""What the tests of assignments a1 to a3 need: test functions with their gradients, known wrong answers, a judge.

The tests pass the scalar functions to a student's code by module and name (the grader ships arguments
as data, so a test cannot pass a lambda). Each accepts an ``x`` of any shape and works on its entries in
row-major order ($x_k$ is ``x.ravel()[k]``); its gradient is shaped like ``x``. The wrong answers
(:func:`forward_difference_gradient`, :func:`gradient_without_restoring`, :func:`gradient_by_rows`) let a failing
test name the mistake.
"""

from __future__ import annotations

import numpy as np

from .activations import sigmoid_prime
from .gradcheck import compare_gradients


def quadratic_form(x: np.ndarray) -> float:
    r"""$f(x) = \tfrac12 x^\top Q x$ with $Q$ tridiagonal: $Q_{kk} = k + 1$, $Q_{k,k\pm1} = 1$.

    Neighbouring entries are coupled, so a gradient evaluated at a wrongly shifted point shows it.
    """
    v = np.ravel(x)
    k = np.arange(1, v.size + 1)
    return float(0.5 * np.sum(k * v * v) + np.sum(v[:-1] * v[1:]))


def quadratic_form_grad(x: np.ndarray) -> np.ndarray:
    r"""$\nabla f = Q x$: $(k + 1)\,x_k + x_{k-1} + x_{k+1}$ (missing neighbours count as 0)."""
    v = np.ravel(x)
    grad = np.arange(1, v.size + 1) * v
    grad[1:] += v[:-1]
    grad[:-1] += v[1:]
    return grad.reshape(np.shape(x))


def rosenbrock(x: np.ndarray) -> float:
    r"""Rosenbrock's function $f(x) = \sum_k 100\,(x_{k+1} - x_k^2)^2 + (1 - x_k)^2$, at least two entries."""
    v = np.ravel(x)
    return float(np.sum(100.0 * (v[1:] - v[:-1] ** 2) ** 2 + (1.0 - v[:-1]) ** 2))


def rosenbrock_grad(x: np.ndarray) -> np.ndarray:
    r"""$\partial f/\partial x_k = -400\,x_k (x_{k+1} - x_k^2) - 2(1 - x_k) + 200\,(x_k - x_{k-1}^2)$.

    The first two terms exist for every entry but the last, the third for every entry but the first.
    """
    v = np.ravel(x)
    grad = np.zeros_like(v)
    inner = v[1:] - v[:-1] ** 2
    grad[:-1] += -400.0 * v[:-1] * inner - 2.0 * (1.0 - v[:-1])
    grad[1:] += 200.0 * inner
    return grad.reshape(np.shape(x))


def sum_of_sines(x: np.ndarray) -> float:
    r"""$f(x) = \sum_k \sin x_k$."""
    return float(np.sum(np.sin(x)))


def sum_of_sines_grad(x: np.ndarray) -> np.ndarray:
    r"""$\partial f/\partial x_k = \cos x_k$."""
    return np.cos(x)


def l1_norm(x: np.ndarray) -> float:
    r"""$f(x) = \sum_k |x_k|$: not differentiable where an entry is 0."""
    return float(np.sum(np.abs(x)))


def l1_norm_grad(x: np.ndarray) -> np.ndarray:
    r"""$\partial f/\partial x_k = \operatorname{sign} x_k$, valid away from 0 (centred differences agree there
    exactly once every $|x_k| > h$)."""
    return np.sign(x).astype(np.float64)


def gradient_without_restoring(f, x: np.ndarray, h: float) -> np.ndarray:
    r"""What a centred-difference loop returns when it perturbs ``x`` in place and never restores it.

    After entry $i$ is used, $x_i$ stays at $x_i - h$, so entry $i$ of the gradient is evaluated at
    $x - h \sum_{j<i} e_j$. A known mistake, recognised by the tests of assignment a1.
    """
    v = np.array(x, dtype=np.float64)
    grad = np.zeros_like(v)
    for i in np.ndindex(v.shape):
        v[i] += h
        f_plus = f(v)
        v[i] -= 2 * h
        grad[i] = (f_plus - f(v)) / (2 * h)
    return grad


def gradient_by_rows(f, x: np.ndarray, h: float) -> np.ndarray:
    r"""What a loop ``for i in range(len(x))`` computes for a 2-D ``x``: ``x[i] += h`` moves the whole row $i$.

    Every entry of row $i$ gets $(f(x + h\,r_i) - f(x - h\,r_i)) / 2h$, with $r_i$ the row of ones; for a 1-D
    ``x`` this is the right gradient. A known mistake, recognised by the tests of assignment a1.
    """
    v = np.array(x, dtype=np.float64)
    grad = np.zeros_like(v)
    for i in range(len(v)):
        plus, minus = v.copy(), v.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


def forward_difference_gradient(f, x: np.ndarray, h: float) -> np.ndarray:
    r"""The forward-difference gradient $(f(x + h e_i) - f(x)) / h$: error $O(h)$, a known mistake in a1."""
    v = np.array(x, dtype=np.float64)
    f_x = f(v)
    grad = np.zeros_like(v)
    for i in np.ndindex(v.shape):
        step = np.zeros_like(v)
        step[i] = h
        grad[i] = (f(v + step) - f_x) / h
    return grad


def sqrt_plus_cos(x: np.ndarray) -> dict[str, np.ndarray]:
    r"""The intermediates of $f(x) = \sqrt{x^2 + e^{x^2}} + \cos(x^2 + e^{x^2})$ (chapter 3; MML eq. 5.109).

    $a = x^2$, $b = e^a$, $c = a + b$, $d = \sqrt c$, $e = \cos c$, $f = d + e$, elementwise.

    Shapes: ``x`` any shape; returns a dict of arrays shaped like ``x`` with keys ``a`` to ``f``.
    """
    a = np.square(x)
    b = np.exp(a)
    c = a + b
    d = np.sqrt(c)
    e = np.cos(c)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": d + e}


def sqrt_plus_cos_backward(x: np.ndarray) -> dict[str, np.ndarray]:
    r"""The backward pass through :func:`sqrt_plus_cos`: the adjoints of $c$, $b$, $a$ and $x$.

    $\partial f/\partial c = \tfrac{1}{2\sqrt c} - \sin c$, $\partial f/\partial b = \partial f/\partial c$,
    $\partial f/\partial a = \partial f/\partial c + \partial f/\partial b\, e^a$ ($a$ reaches $c$ directly and
    through $b$), $\partial f/\partial x = \partial f/\partial a \cdot 2x$, which equals MML eq. 5.110.

    Shapes: ``x`` any shape; returns a dict of arrays shaped like ``x``: ``df_dc``, ``df_db``, ``df_da``, ``df_dx``.
    """
    v = sqrt_plus_cos(x)
    df_dc = 0.5 / v["d"] - np.sin(v["c"])
    df_db = df_dc
    df_da = df_dc + df_db * v["b"]
    return {"df_dc": df_dc, "df_db": df_db, "df_da": df_da, "df_dx": df_da * 2 * np.asarray(x)}


def sigmoid_prime_judge(answer, z: np.ndarray) -> tuple[bool, str]:
    r"""Judge an answer for $\sigma'(z)$: right, and for negative ``z`` not 0 where $\sigma'(z) \approx e^z > 0$.

    Below $z \approx -709.8$, $e^{-z}$ exceeds the largest float64 (about $1.8 \cdot 10^{308}$): a formula
    that computes it gets ``inf``, returns 0 instead of the tiny (subnormal) true value, and warns.
    """
    dtype = np.asarray(answer).dtype
    if dtype.kind == "f" and dtype != np.float64:
        return False, (f"sigmoid_prime returned {dtype} numbers: σ'(z) ≈ e^z for z far below 0 is smaller than the "
                       f"smallest {dtype} and becomes 0. Compute in float64, NumPy's default (no astype, no dtype=).")
    report = compare_gradients("sigmoid_prime", answer, sigmoid_prime(z))
    if not report.passed:
        return False, report.message
    lost = (np.asarray(answer, dtype=np.float64) == 0) & (z > -745) & (z < 0)  # e^z > 0 in float64 down to -745
    if np.any(lost):
        where = float(z[lost][0])
        return False, (f"sigmoid_prime({where:g}) returned 0, but σ'({where:g}) ≈ e^{where:g} ≈ {np.exp(where):.2g}: "
                       f"exp(-z) = e^{-where:g} overflowed to inf (anything above about 1.8e308 does), and NumPy's "
                       "overflow warning was hidden. Compute with np.exp(-np.abs(z)), which never exceeds 1.")
    return True, "sigmoid_prime: correct, and nothing overflows far in the tail"
