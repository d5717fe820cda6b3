"""Activation functions φ and their derivatives φ'.

Every function acts elementwise on an array ``z`` of any shape, except :func:`softmax`, which
normalises each column (one column per example, the book's convention). Used from chapter 1
(``sigmoid``) to chapter 5 (``softmax``); :data:`ACTIVATIONS` maps the names the networks accept.
Complex, string and object input is refused with a ``ValueError`` (NumPy would only warn and drop
an imaginary part).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._validate import as_float_array


def _real(z) -> np.ndarray:
    return as_float_array("z", z, finite=False)


def identity(z: np.ndarray) -> np.ndarray:
    r"""Identity, $\phi(z) = z$ (the output of a regression network)."""
    return _real(z)


def identity_prime(z: np.ndarray) -> np.ndarray:
    r"""$\phi'(z) = 1$."""
    return np.ones_like(_real(z))


def sigmoid(z: np.ndarray) -> np.ndarray:
    r"""Logistic sigmoid, $\sigma(z) = 1 / (1 + e^{-z})$.

    Chapter 1, eq. ``sigmoid``. Computed as $e^{z} / (1 + e^{z})$ for negative
    $z$ so that ``exp`` never overflows: finite and warning-free for any
    finite input, ±1e4 included.
    """
    z = _real(z)
    e = np.exp(-np.abs(z))  # in (0, 1]: cannot overflow
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z: np.ndarray) -> np.ndarray:
    r"""$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$ (chapter 1, eq. ``sigmoid-prime``), accurate for every finite $z$.

    Computed as $e^{-|z|} / (1 + e^{-|z|})^2$ (σ' is even): no overflow, and no cancellation in $1 - \sigma(z)$,
    which rounds to 0 once $\sigma(z)$ rounds to 1 ($z$ above about 37) although $\sigma'(40) \approx 4.2\cdot
    10^{-18}$. Below about $-745$ or above $745$ the true value underflows float64 and the result is 0.
    """
    e = np.exp(-np.abs(_real(z)))
    return e / (1.0 + e) ** 2


def tanh(z: np.ndarray) -> np.ndarray:
    r"""Hyperbolic tangent, $\tanh z$."""
    return np.tanh(_real(z))


def tanh_prime(z: np.ndarray) -> np.ndarray:
    r"""$\tanh'(z) = 1 - \tanh^2 z$."""
    t = np.tanh(_real(z))
    return 1.0 - t * t


def relu(z: np.ndarray) -> np.ndarray:
    r"""Rectified linear unit, $\max(0, z)$."""
    return np.maximum(_real(z), 0.0)


def relu_prime(z: np.ndarray) -> np.ndarray:
    r"""$\mathrm{relu}'(z) = [z > 0]$.

    ReLU has no derivative at $z = 0$ (its left and right slopes are 0 and 1). We return 0 there,
    a valid subgradient and the value PyTorch, JAX and autograd use, so our gradients match
    theirs exactly. Gradient checks should avoid inputs within ``h`` of 0 (chapter 5).
    """
    return (_real(z) > 0).astype(np.float64)


def softmax(z: np.ndarray) -> np.ndarray:
    r"""Softmax over each column: $\hat y_k = e^{z_k} / \sum_j e^{z_j}$ (chapter 5, eq. ``softmax``).

    The column maximum is subtracted first, which changes nothing mathematically and keeps every
    ``exp`` at most 1, so logits of ±1000 give finite probabilities without warnings.

    Shapes: ``z`` is ``(K, n)`` (or ``(K,)`` for one example); the result has the same shape.
    """
    z = _real(z)
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def log_softmax(z: np.ndarray) -> np.ndarray:
    r"""$\log \mathrm{softmax}(z)$ by the log-sum-exp trick: $z_k - m - \log\sum_j e^{z_j - m}$."""
    z = _real(z)
    shifted = z - z.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


class Activation(NamedTuple):
    """An activation by name, with its function ``phi`` and derivative ``phi_prime``."""

    name: str
    phi: Callable[[np.ndarray], np.ndarray]
    phi_prime: Callable[[np.ndarray], np.ndarray] | None  # None: softmax, only fused with cross-entropy


ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation("identity", identity, identity_prime),
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime),
    "tanh": Activation("tanh", tanh, tanh_prime),
    "relu": Activation("relu", relu, relu_prime),
    "softmax": Activation("softmax", softmax, None),
}


def get_activation(name: str) -> Activation:
    """Look an activation up by name, with the list of valid names on a typo."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}") from None
