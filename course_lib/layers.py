"""The linear layer z = W a + b, forward and backward (chapter 5, eqs. ``layer`` and ``param-grads``)."""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, expect_shape


def linear_forward(W, a_prev, b) -> tuple[np.ndarray, tuple]:
    r"""$z = W a + b$ for a batch of columns; returns ``(z, cache)`` with what the backward needs.

    Shapes: ``W`` ``(n_out, n_in)``, ``a_prev`` ``(n_in, batch)``, ``b`` ``(n_out, 1)`` (or
    ``(n_out,)``); ``z`` is ``(n_out, batch)``; ``cache = (W, a_prev)``.
    """
    W = as_float_array("W", W, ndim=2)
    a_prev = as_float_array("a_prev", a_prev, ndim=2)
    b = as_float_array("b", b)
    n_out, n_in = W.shape
    expect_shape("a_prev", a_prev, (n_in, None), f"W is {W.shape}, so a_prev needs {n_in} rows, one column per example")
    expect_shape("b", b, (n_out, 1) if b.ndim == 2 else (n_out,), f"W is {W.shape}, so b is a column of {n_out}")
    return W @ a_prev + b.reshape(-1, 1), (W, a_prev)


def linear_backward(delta, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of a linear layer from $\delta = \partial J/\partial z$.

    $\partial J/\partial W = \delta\, a^\top$, $\partial J/\partial b = \sum_{\text{examples}} \delta$,
    $\partial J/\partial a = W^\top \delta$ (chapter 5, eq. ``param-grads``). Summing over the batch
    is right for both reductions: a ``"mean"`` loss has already put its 1/n into $\delta$.

    Shapes: ``delta`` ``(n_out, batch)``; returns ``(da_prev, dW, db)`` shaped
    ``(n_in, batch)``, ``(n_out, n_in)``, ``(n_out, 1)``.
    """
    W, a_prev = cache
    delta = as_float_array("delta", delta, ndim=2)
    expect_shape("delta", delta, (W.shape[0], a_prev.shape[1]), "delta is shaped like the layer's output z")
    return W.T @ delta, delta @ a_prev.T, delta.sum(axis=1, keepdims=True)
