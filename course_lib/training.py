"""Gradient descent in three forms: full batch, minibatch SGD, and the online delta rule (chapters 2, 4, 6)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ._validate import as_float_array, expect_shape
from .activations import sigmoid
from .network import MLP


@dataclass
class History:
    """What a training run records once per epoch (or step, for full-batch descent)."""

    loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)


def _check_rate(lr: float) -> None:
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"the learning rate must be a positive number; got {lr}")


def gradient_descent(
    loss_and_grad: Callable[[np.ndarray], tuple[float, np.ndarray]],
    theta0, *, lr: float, steps: int, progress: bool = False,
) -> tuple[np.ndarray, History]:
    r"""Full-batch gradient descent (chapter 2, eq. ``gd``).

    $\theta_{t+1} = \theta_t - \eta\,\partial E/\partial\theta$, with the
    learning rate $\eta$ passed as ``lr``. ``loss_and_grad(theta)`` returns
    ``(E, grad)``; a row-vector gradient ``(1, D)`` is accepted for a
    parameter ``(D,)``. Returns the final θ and the loss before each step.
    """
    _check_rate(lr)
    theta = as_float_array("theta0", theta0).copy()
    history = History()
    from tqdm.auto import tqdm  # here, not at the top: importing it takes as long as importing NumPy

    for _ in tqdm(range(steps), disable=not progress, desc="gradient descent"):
        E, grad = loss_and_grad(theta)
        history.loss.append(float(E))
        theta -= lr * np.reshape(grad, theta.shape)
    return theta, history


def train_sgd(model: MLP, X, y, *, epochs: int, batch_size: int, lr: float,
              seed: int, X_test=None, y_test=None,
              progress: bool = True) -> History:
    r"""Minibatch SGD on ``model.params``, in place (chapter 6).

    Each epoch shuffles the examples with a seeded generator, then takes one
    step per batch $B$ (eq. ``sgd-update``):
    $\theta \leftarrow \theta - \eta\,\partial J_B/\partial\theta$, with the
    learning rate $\eta$ passed as ``lr``.

    ``X`` is ``(d, n)`` for n examples of d features; ``y`` holds integer
    labels ``(n,)`` for classification, or target columns ``(K, n)`` for
    regression. Records the mean training loss per epoch and, for labels,
    training and test accuracy.
    """
    _check_rate(lr)
    X = as_float_array("X", X, ndim=2)
    y = np.asarray(y)
    n = X.shape[1]
    if y.ndim not in (1, 2) or y.shape[-1] != n:
        raise ValueError(f"y has shape {y.shape}, expected ({n},) labels or "
                         f"(K, {n}) targets (X has shape {X.shape})")
    if (X_test is None) != (y_test is None):
        raise ValueError("X_test and y_test go together: pass both or neither")
    if not (isinstance(batch_size, (int, np.integer)) and 1 <= batch_size):
        raise ValueError("batch_size must be a positive integer;"
                         f" got {batch_size!r}")
    labels = y if y.ndim == 1 else None
    rng = np.random.default_rng(seed)
    history = History()
    from tqdm.auto import tqdm

    bar = tqdm(range(epochs), disable=not progress, desc="training")
    for _ in bar:
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            J, grads = model.loss_and_grads(X[:, batch], y[..., batch])
            for key, g in grads.items():
                model.params[key] -= lr * g
            total += J * (len(batch) if model.reduction == "mean" else 1)
        history.loss.append(total / n)
        if labels is not None:
            history.train_accuracy.append(model.accuracy(X, labels))
            if X_test is not None:
                history.test_accuracy.append(model.accuracy(X_test, y_test))
        bar.set_postfix(loss=f"{history.loss[-1]:.4f}")
    return history


def delta_rule_epoch(W1, W2, X, T, *,
                     alpha: float) -> tuple[np.ndarray, np.ndarray, float]:
    r"""One epoch of the online delta rule, unit by unit.

    The network has sigmoid units and one hidden layer. In Russell and
    Norvig's names (chapter 4, eqs. ``delta-rule-output`` to
    ``delta-rule-update``), for each example in turn:

    - output units: $\Delta_k = (y_k - a_k)\,\sigma'(\mathrm{in}_k)$, with
      $y_k$ the target;
    - hidden units: $\Delta_j = \sigma'(\mathrm{in}_j) \sum_k W_{kj} \Delta_k$,
      propagated with the weights *before* this example's update;
    - updates: $W_{kj} \mathrel{+}= \alpha\, a_j \Delta_k$ and
      $W_{ji} \mathrel{+}= \alpha\, x_i \Delta_j$.

    ``W2[k, j]`` is their $w_{j,k}$ (from unit j to unit k). No biases, as
    in the notes; the loops are written out on purpose, to show that the
    matrix form of chapter 5 computes the same numbers.

    Shapes: ``W1`` ``(m, d)``, ``W2`` ``(K, m)``, ``X`` ``(d, N)``, ``T``
    (the targets) ``(K, N)``. Returns updated copies of the weights and the
    summed half squared error seen during the epoch.
    """
    _check_rate(alpha)
    W1 = as_float_array("W1", W1, ndim=2).copy()
    W2 = as_float_array("W2", W2, ndim=2).copy()
    X = as_float_array("X", X, ndim=2)
    T = as_float_array("T", T, ndim=2)
    expect_shape("X", X, (W1.shape[1], None), f"W1 is {W1.shape}")
    expect_shape("T", T, (W2.shape[0], X.shape[1]),
                 f"W2 is {W2.shape} and X has {X.shape[1]} examples")
    m, d = W1.shape
    K = W2.shape[0]
    error = 0.0
    for r in range(X.shape[1]):
        x, y = X[:, r], T[:, r]
        in_j = [sum(W1[j, i] * x[i] for i in range(d)) for j in range(m)]
        a_j = [float(sigmoid(v)) for v in in_j]
        in_k = [sum(W2[k, j] * a_j[j] for j in range(m)) for k in range(K)]
        a_k = [float(sigmoid(v)) for v in in_k]
        Delta_k = [(y[k] - a_k[k]) * a_k[k] * (1 - a_k[k]) for k in range(K)]
        Delta_j = [a_j[j] * (1 - a_j[j])
                   * sum(W2[k, j] * Delta_k[k] for k in range(K))
                   for j in range(m)]
        for k in range(K):  # propagate first (above), then update as you go
            for j in range(m):
                W2[k, j] += alpha * a_j[j] * Delta_k[k]
        for j in range(m):
            for i in range(d):
                W1[j, i] += alpha * x[i] * Delta_j[j]
        error += 0.5 * sum((y[k] - a_k[k]) ** 2 for k in range(K))
    return W1, W2, error
