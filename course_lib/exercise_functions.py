r"""Test functions for the exercises, each with its analytic gradient (chapters 1 to 3).

The exercises' tests pass these to a student's code by module and name (the grader ships arguments as
data, so a test cannot pass a lambda). Every scalar function accepts an ``x`` of any shape and works on
its entries in row-major order ($x_k$ is ``x.ravel()[k]``); its gradient is shaped like ``x``.
"""

from __future__ import annotations

import numpy as np


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


def sqrt_plus_cos_grad(x: np.ndarray) -> np.ndarray:
    r"""$f'(x) = 2x\,(1 + e^{x^2}) \big(\tfrac{1}{2\sqrt{x^2 + e^{x^2}}} - \sin(x^2 + e^{x^2})\big)$ (MML eq. 5.110)."""
    c = np.square(x) + np.exp(np.square(x))
    return 2 * x * (1 + np.exp(np.square(x))) * (0.5 / np.sqrt(c) - np.sin(c))
