r"""Forward functions and data of assignment a5: a softmax output with a squared error, a residual network, and
the error signals of plain deep networks for a diagnosis of vanishing gradients.

The residual network (columns are examples): $a^{(0)} = x$, and for $l = 1, \dots, L$

$$z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}, \qquad
a^{(1)} = \phi(z^{(1)}), \qquad a^{(l)} = a^{(l-1)} + \phi(z^{(l)}) \ (2 \le l < L),$$

with $z^{(L)}$ the output (the logits); the hidden layers from the second on keep their width, so that the skip
connection $a^{(l-1)} \to a^{(l)}$ adds arrays of one shape.
"""

from __future__ import annotations

import numpy as np

from ..activations import get_activation, softmax
from ..losses import one_hot
from ..network import deep_backward, deep_forward, init_params


def logits_example(seed: int, K: int, n: int, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Logits ``z (K, n)`` and one-hot targets ``y (K, n)``."""
    rng = np.random.default_rng(seed)
    return scale * rng.normal(size=(K, n)), one_hot(rng.integers(0, K, size=n), K)


def softmax_squared_error(z: np.ndarray, y: np.ndarray) -> float:
    r"""$J = \frac1n \sum_i \tfrac12 \lVert \mathrm{softmax}(z_{:,i}) - y_{:,i} \rVert^2$, stable at ±1000."""
    diff = softmax(z) - y
    return float(0.5 * np.sum(diff * diff) / z.shape[1])


def residual_forward(params: dict, x: np.ndarray, activation: str) -> tuple[np.ndarray, dict]:
    """The residual network's logits ``z⁽ᴸ⁾`` and its cache ``{"z": {l: …}, "a": {l: …}, "activation": name}``."""
    phi = get_activation(activation).phi
    L = sum(1 for key in params if key.startswith("W"))
    z, a = {}, {0: x}
    for l in range(1, L + 1):
        z[l] = params[f"W{l}"] @ a[l - 1] + params[f"b{l}"]
        if l < L:
            a[l] = phi(z[l]) + (a[l - 1] if l > 1 else 0.0)
    return z[L], {"z": z, "a": a, "activation": activation}


def residual_example(seed: int, sizes: list[int], activation: str, n: int) -> tuple[dict, dict, np.ndarray]:
    """Parameters, the forward cache on a random batch, and an upstream gradient ``delta_L = ∂J/∂z⁽ᴸ⁾``.

    ``sizes`` is ``[n_0, m, …, m, K]``: every hidden layer as wide as the first. ``delta_L`` is random, so the
    objective behind it is $J = \\sum R \\odot z^{(L)}$ with $R$ = ``delta_L``.
    """
    rng = np.random.default_rng(seed)
    params = init_params(sizes, seed=seed, scale="lecun")
    params.update({f"b{l}": rng.normal(scale=0.5, size=(sizes[l], 1)) for l in range(1, len(sizes))})
    _, cache = residual_forward(params, rng.normal(size=(sizes[0], n)), activation)
    return params, cache, rng.normal(size=(sizes[-1], n))


def plain_deltas(seed: int, depth: int, activation: str, width: int = 32, n: int = 64) -> dict[int, np.ndarray]:
    """The error signals δ⁽ˡ⁾ = ∂J/∂z⁽ˡ⁾ (with the mean's 1/n) of a plain network at initialisation, by layer."""
    rng = np.random.default_rng(seed)
    sizes = [16] + [width] * (depth - 1) + [10]
    params = init_params(sizes, seed=seed, scale="lecun")
    _, cache = deep_forward(params, rng.normal(size=(16, n)), [activation] * (depth - 1) + ["softmax"])
    y = one_hot(rng.integers(0, 10, size=n), 10)
    return deep_backward(params, cache, y, loss="cross_entropy", reduction="mean")[2]


def residual_delta_norms(seed: int, depth: int, activation: str, width: int = 32, n: int = 64) -> np.ndarray:
    """‖∂J/∂z⁽ˡ⁾‖ for l = 1, …, L of the residual network with the sizes and data of :func:`plain_deltas`."""
    rng = np.random.default_rng(seed)
    sizes = [16] + [width] * (depth - 1) + [10]
    params = init_params(sizes, seed=seed, scale="lecun")
    z_L, cache = residual_forward(params, rng.normal(size=(16, n)), activation)
    y = one_hot(rng.integers(0, 10, size=n), 10)
    from ..marking.a5 import residual_deltas  # the grader's backward pass: this table shows norms, not gradients

    deltas = residual_deltas(params, cache, (softmax(z_L) - y) / n)
    return np.array([np.linalg.norm(deltas[l]) for l in range(1, depth + 1)])
