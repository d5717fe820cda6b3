"""Losses ℓ, the batch objective J, and the L2 penalty s.

Columns are examples: a batch of targets ``y`` has shape ``(K, n)``. Every loss over a batch asks
for its ``reduction`` explicitly, ``"sum"`` (J = Σᵢ ℓᵢ) or ``"mean"`` (J = (1/n) Σᵢ ℓᵢ)
(chapter 5, eq. ``batch-objective``): the two differ by a factor n in every gradient, a classic bug.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ._validate import as_float_array, expect_lam, expect_reduction, expect_shape
from .activations import log_softmax, softmax


def _reduce(per_example: np.ndarray, reduction: str) -> tuple[float, float]:
    """The batch objective and the factor each example's gradient gets (1 or 1/n)."""
    expect_reduction(reduction)
    n = per_example.size
    if reduction == "sum":
        return float(per_example.sum()), 1.0
    return float(per_example.mean()), 1.0 / n


def _as_batch(name: str, x: np.ndarray) -> np.ndarray:
    """View a 1-D vector as one column; a batch is 2-D, one column per example."""
    if x.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D (one example) or 2-D (K, n); got shape {x.shape}")
    return x.reshape(-1, 1) if x.ndim == 1 else x


def _expect_like(y: np.ndarray, y_batch: np.ndarray, like: np.ndarray, like_batch: np.ndarray, hint: str) -> None:
    """Targets must match the predictions column for column (a 1-D vector is one column); name the shapes given."""
    if y_batch.shape != like_batch.shape:
        raise ValueError(f"y has shape {y.shape}, expected {like.shape}: {hint}")


def half_squared_error(y_hat, y, *, reduction: str) -> tuple[float, np.ndarray]:
    r"""Half squared error $E = \tfrac12\lVert \hat y - y\rVert^2$ per example, and $\partial J/\partial \hat y$.

    The ½ makes the derivative clean: $\partial E/\partial \hat y = \hat y - y$
    (chapter 4, eq. ``half-squared-error``).

    Shapes: ``y_hat`` and ``y`` are ``(K, n)`` (a 1-D vector is one example); returns ``(J, dJ_dy_hat)``
    with ``dJ_dy_hat`` shaped like ``y_hat``.
    """
    y_hat, y = as_float_array("y_hat", y_hat), as_float_array("y", y)
    y_hat_b, y_b = _as_batch("y_hat", y_hat), _as_batch("y", y)
    _expect_like(y, y_b, y_hat, y_hat_b, "targets must match the network's output, one column per example")
    diff = y_hat_b - y_b
    J, scale = _reduce(0.5 * np.einsum("kn,kn->n", diff, diff), reduction)
    diff *= scale  # a new array already: scaled in place, one (K, n) temporary fewer
    return J, diff.reshape(y_hat.shape)


def least_squares(theta, Phi, y) -> tuple[float, np.ndarray]:
    r"""Least-squares loss and its gradient, a row vector.

    $L(\theta) = \lVert y - \Phi\theta\rVert^2$. With $e = y - \Phi\theta$,
    the chain rule gives $\partial L/\partial\theta = -2 e^\top \Phi$
    (chapter 2, eq. ``least-squares-gradient``; MML eq. 5.83). Here the rows
    of ``Phi`` are examples, as in the lecture.

    Shapes: ``theta`` ``(D,)``, ``Phi`` ``(N, D)``, ``y`` ``(N,)``; returns
    ``(L, grad)`` with ``grad`` of shape ``(1, D)``.
    """
    theta = as_float_array("theta", theta, ndim=1)
    Phi = as_float_array("Phi", Phi, ndim=2)
    y = as_float_array("y", y, ndim=1)
    expect_shape("Phi", Phi, (None, theta.shape[0]),
                 "Phi needs one column per entry of theta")
    expect_shape("y", y, (Phi.shape[0],), "y needs one entry per row of Phi")
    e = y - Phi @ theta
    return float(e @ e), (-2.0 * e @ Phi).reshape(1, -1)


def one_hot(labels, num_classes: int) -> np.ndarray:
    """Integer labels ``(n,)`` to one-hot columns ``(num_classes, n)``."""
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive integer; got {num_classes!r}")
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be a 1-D array of integers; got shape {labels.shape}, dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"labels must lie in 0..{num_classes - 1}; got {labels.min()}..{labels.max()}")
    Y = np.zeros((num_classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def softmax_cross_entropy(z, y, *, reduction: str) -> tuple[float, np.ndarray]:
    r"""Cross-entropy of $\hat y = \mathrm{softmax}(z)$ against ``y``, fused: $J$ and $\delta = \partial J/\partial z$.

    $\ell = -\sum_k y_k \log \hat y_k$, and because softmax and the logarithm cancel,
    $\partial \ell / \partial z = \hat y - y$ (chapter 5, eq. ``softmax-ce-delta``). The log is
    taken by log-sum-exp, so logits of ±1000 give a finite loss.

    Shapes: ``z`` ``(K, n)``; ``y`` one-hot or probability columns ``(K, n)``, or integer labels
    ``(n,)``; returns ``(J, delta)`` with ``delta`` shaped like ``z``. For one example, ``z`` ``(K,)``
    goes with a target vector ``y`` ``(K,)`` (a 1-D ``y`` is read as labels only when ``z`` is 2-D).
    """
    z = as_float_array("z", z)
    z_b = _as_batch("z", z)
    y = np.asarray(y)
    if z.ndim == 2 and y.ndim == 1 and y.dtype.kind in "iu":
        expect_shape("y", y, (z.shape[1],), f"integer labels need one entry per column of z {z.shape}")
        y = one_hot(y, z.shape[0])
    y = as_float_array("y", y)
    _expect_like(y, _as_batch("y", y), z, z_b, "one row per class and one column per example, like the logits z")
    J, scale = _reduce(-np.sum(y.reshape(z_b.shape) * log_softmax(z_b), axis=0), reduction)
    return J, (scale * (softmax(z_b) - y.reshape(z_b.shape))).reshape(z.shape)


def l2_penalty(weights: Iterable[np.ndarray], lam: float) -> float:
    r"""$s = \tfrac{\lambda}{2}\sum_l \lVert W^{(l)}\rVert_F^2$ (chapter 4, eq. ``penalty``).

    Biases are not penalised; ``weights`` lists the weight matrices only.
    """
    lam = expect_lam(lam)
    return 0.5 * lam * sum(float(np.sum(np.square(as_float_array("W", W)))) for W in weights)


def l2_penalty_grad(W: np.ndarray, lam: float) -> np.ndarray:
    r"""$\partial s / \partial W = \lambda W$ (chapter 4, eq. ``penalty-grad``)."""
    return expect_lam(lam) * as_float_array("W", W)
