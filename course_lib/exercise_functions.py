r"""Forward functions the assignments' tests differentiate or pass to a student's code, and nothing else.

The tests pass these functions by module and name (the grader ships arguments as data, so a test cannot pass
a lambda), and compare answers with their centred differences (``check(..., numeric=...)``). The closed-form
references and the known mistakes are in :mod:`course_lib.marking`, out of the students' notebooks.
The scalar functions of an array ``x`` accept any shape and work on its entries in row-major order ($x_k$ is
``x.ravel()[k]``).
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


def rosenbrock(x: np.ndarray) -> float:
    r"""Rosenbrock's function $f(x) = \sum_k 100\,(x_{k+1} - x_k^2)^2 + (1 - x_k)^2$, at least two entries."""
    v = np.ravel(x)
    return float(np.sum(100.0 * (v[1:] - v[:-1] ** 2) ** 2 + (1.0 - v[:-1]) ** 2))


def sum_of_sines(x: np.ndarray) -> float:
    r"""$f(x) = \sum_k \sin x_k$."""
    return float(np.sum(np.sin(x)))


def l1_norm(x: np.ndarray) -> float:
    r"""$f(x) = \sum_k |x_k|$: not differentiable where an entry is 0."""
    return float(np.sum(np.abs(x)))


def product_sine(x, y):
    r"""$f(x, y) = x^2 y + \sin(x y)$, elementwise (assignment a1, task 2)."""
    return x**2 * y + np.sin(x * y)


def matrix_of_x(x: np.ndarray) -> np.ndarray:
    r"""A matrix $A(x) \in \mathbb R^{4\times 2}$ that depends on $x \in \mathbb R^3$ (assignment a2, task 2).

    $$A(x) = \begin{bmatrix} x_1 x_2 & \sin x_3 \\ x_1^2 & x_2 x_3 \\ e^{x_2} & x_1 + x_3 \\
    \cos(x_1 x_3) & x_2^2 \end{bmatrix}$$
    """
    x1, x2, x3 = np.asarray(x, dtype=np.float64)
    return np.array([[x1 * x2, np.sin(x3)], [x1**2, x2 * x3], [np.exp(x2), x1 + x3], [np.cos(x1 * x3), x2**2]])


def tanh_graph(x, y):
    r"""$f(x, y) = w\,p$ with $u = x y$, $v = \tanh u$, $w = v + x$, $p = y w$, elementwise (assignment a3)."""
    w = np.tanh(x * y) + x
    return w * (y * w)


def transpose_times(A: np.ndarray, y: np.ndarray) -> np.ndarray:
    r"""$g = A^\top y$, entries $g_k = \sum_i A_{ik} y_i$ (assignment a2, task 1)."""
    return A.T @ y


def weighted_ridge(theta: np.ndarray, Phi: np.ndarray, y: np.ndarray, c: np.ndarray, lam: float) -> float:
    r"""$L(\theta) = \sum_n c_n (y_n - \phi_n^\top\theta)^2 + \lambda \lVert\theta\rVert^2$ (assignment a2, task 5)."""
    return float(np.sum(c * (y - Phi @ theta) ** 2) + lam * np.sum(theta**2))
