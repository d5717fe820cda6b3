r"""Forward functions and data of assignment a4: a network with biases, softplus hidden units and a sigmoid
output with binary cross-entropy.

$$z_1 = W_1 x + b_1,\quad h = \operatorname{softplus}(z_1),\quad z_2 = W_2 h + b_2,\quad p = \sigma(z_2),$$
$$J = \frac1n \sum_{i,k} -\big(y_{ki}\log p_{ki} + (1 - y_{ki})\log(1 - p_{ki})\big)
      + \frac\lambda2\big(\lVert W_1\rVert_F^2 + \lVert W_2\rVert_F^2\big).$$
"""

from __future__ import annotations

import numpy as np


def softplus(z: np.ndarray) -> np.ndarray:
    r"""$\operatorname{softplus}(z) = \log(1 + e^z)$, computed without overflow for any finite $z$."""
    return np.logaddexp(0.0, z)


def batch(seed: int, d: int, m: int, q: int, n: int, scale: float = 1.0) -> tuple:
    """A random batch and network: ``x (d, n)``, 0/1 targets ``y (q, n)``, ``W1 (m, d)``, ``b1 (m, 1)``,
    ``W2 (q, m)``, ``b2 (q, 1)``; ``scale`` multiplies the output weights (a large one makes the network confident).
    """
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(d, n)), (rng.random((q, n)) < 0.5).astype(float), rng.normal(size=(m, d)),
            rng.normal(size=(m, 1)), scale * rng.normal(size=(q, m)), rng.normal(size=(q, 1)))


def objective(x, y, W1, b1, W2, b2, lam) -> float:
    """The objective J of the network, by the stable form of the cross-entropy: ℓ = softplus(z) − y z."""
    z2 = W2 @ softplus(W1 @ x + b1) + b2
    data = np.sum(softplus(z2) - y * z2) / x.shape[1]
    return float(data + lam / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2)))
