"""A fully connected network of any depth, trained by the δ-recursion (chapter 5).

Layers are numbered from 1, as in the book: for l = 1, …, L

    z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾,   a⁽ˡ⁾ = φ⁽ˡ⁾(z⁽ˡ⁾),   a⁽⁰⁾ = x.

Parameters live in a dict ``{"W1": …, "b1": …, "W2": …}``; caches and error signals in dicts keyed
by the layer number, so ``delta[l]`` is the book's δ⁽ˡ⁾. The lecture's network
f₁ = σ(A₀ f₀ + b₀), f₂ = σ(A₁ f₁ + b₁) with squared error is this network at depth 2 with
sigmoid activations (A₀ is W⁽¹⁾, b₀ is b⁽¹⁾, A₁ is W⁽²⁾, b₁ is b⁽²⁾).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validate import as_float_array, expect_lam, expect_reduction, expect_shape
from .activations import get_activation
from .losses import half_squared_error, l2_penalty, softmax_cross_entropy

LOSSES = ("squared", "cross_entropy")
INIT_SCALES = ("he", "lecun", "glorot", "xavier")  # "xavier": the old name of "lecun", kept for old notebooks


def init_params(sizes: Sequence[int], *, seed: int, scale: str = "he") -> dict[str, np.ndarray]:
    r"""Random weights and zero biases for layer sizes ``[n_0, n_1, …, n_L]``.

    $W^{(l)}_{ij} \sim \mathcal N(0, v_l)$ with the variance $v_l$ named by ``scale``:
    ``"he"`` $2/n_{l-1}$ (He et al., suits ReLU); ``"lecun"`` $1/n_{l-1}$ (LeCun et al., suits tanh);
    ``"glorot"`` $2/(n_{l-1} + n_l)$ (Glorot and Bengio's "Xavier" initialisation, which averages the
    forward and the backward pass's needs); a float is used as the standard deviation itself.
    ``"xavier"`` is an older name of this library for ``"lecun"`` ($1/n_{l-1}$), kept so that notebooks
    written against older versions still run; new code should say ``"lecun"`` or ``"glorot"``.
    Shapes: ``W{l}`` ``(n_l, n_{l-1})``, ``b{l}`` ``(n_l, 1)``. Chapter 5, "Vanishing gradients".
    """
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list at least two positive layer widths; got {sizes}")
    if not isinstance(scale, (int, float)) and scale not in INIT_SCALES:
        raise ValueError(f"scale must be 'he', 'lecun', 'glorot' or a number; got {scale!r}")
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(sizes)):
        n_in, n_out = sizes[l - 1], sizes[l]
        variance = {"he": 2 / n_in, "lecun": 1 / n_in, "xavier": 1 / n_in, "glorot": 2 / (n_in + n_out)}
        std = np.sqrt(variance[scale]) if isinstance(scale, str) else float(scale)
        params[f"W{l}"] = rng.normal(0.0, std, size=(n_out, n_in))
        params[f"b{l}"] = np.zeros((n_out, 1))
    return params


def depth(params: dict) -> int:
    """The number of layers L of a parameter dict."""
    return sum(1 for key in params if key.startswith("W"))


def check_params(params: dict, activations: Sequence[str]) -> int:
    """Check that the layers chain and that there is one activation per layer; return L."""
    L = depth(params)
    if L == 0 or sorted(params) != sorted([f"W{l}" for l in range(1, L + 1)] + [f"b{l}" for l in range(1, L + 1)]):
        raise ValueError(f"params must hold W1, b1, …, WL, bL; got keys {sorted(params)}")
    if len(activations) != L:
        raise ValueError(f"{L} layers need {L} activations; got {len(activations)}: {list(activations)}")
    for key, value in params.items():  # cheap checks only: this runs on every forward pass
        if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
            kind = f"an array of dtype {value.dtype}" if isinstance(value, np.ndarray) else f"a {type(value).__name__}"
            raise ValueError(f"{key} must be a NumPy array of real numbers (float64); got {kind}")
    n_prev = None
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        if W.ndim != 2:
            raise ValueError(f"W{l} must be 2-D (n_out, n_in); got shape {W.shape}")
        expect_shape(f"b{l}", b, (W.shape[0], 1), f"W{l} is {W.shape}, so b{l} is a column of {W.shape[0]}")
        if n_prev is not None:
            expect_shape(f"W{l}", W, (None, n_prev), f"layer {l - 1} has {n_prev} units: W{l} needs {n_prev} columns")
        n_prev = W.shape[0]
        get_activation(activations[l - 1])
    if "softmax" in activations[:-1]:
        raise ValueError("softmax may only be the last layer's activation (with loss='cross_entropy')")
    return L


def deep_forward(params: dict, x, activations: Sequence[str]) -> tuple[np.ndarray, dict]:
    r"""Forward pass; returns the output $a^{(L)}$ and a cache ``{"z": {l: z⁽ˡ⁾}, "a": {l: a⁽ˡ⁾}}``.

    Shapes: ``x`` ``(n_0, batch)``; ``z[l]`` and ``a[l]`` are ``(n_l, batch)``; ``a[0]`` is ``x``.
    """
    L = check_params(params, activations)
    x = as_float_array("x", x, ndim=2)
    n_0 = np.shape(params["W1"])[1]
    expect_shape("x", x, (n_0, None), f"W1 has {n_0} columns: one row of x per input feature, one column per example")
    z, a = {}, {0: x}
    for l in range(1, L + 1):
        z[l] = params[f"W{l}"] @ a[l - 1]
        z[l] += params[f"b{l}"]  # in place: one (n_l, batch) temporary fewer than `W a + b`
        a[l] = get_activation(activations[l - 1]).phi(z[l])
    return a[L], {"z": z, "a": a, "activations": list(activations)}


def deep_backward(params: dict, cache: dict, y, *, loss: str, reduction: str,
                  lam: float = 0.0) -> tuple[float, dict, dict]:
    r"""Backward pass by the δ-recursion; returns ``(J, grads, delta)``.

    Output layer (chapter 5, eqs. ``delta-output``, ``softmax-ce-delta``):
    $\delta^{(L)} = \nabla_{a^{(L)}} J \odot \phi'(z^{(L)})$,
    or $\hat y - y$ for softmax with cross-entropy.
    Hidden layers (eq. ``delta-recursion``):
    $\delta^{(l)} = \big(W^{(l+1)\top}\delta^{(l+1)}\big) \odot \phi'(z^{(l)})$.
    Parameters (eqs. ``param-grads``, ``batch-grads``):
    $\partial J/\partial W^{(l)} = \delta^{(l)}a^{(l-1)\top} + \lambda W^{(l)}$,
    $\partial J/\partial b^{(l)} = \sum_{\text{examples}} \delta^{(l)}$.

    ``J`` includes the penalty $\tfrac\lambda2\sum_l\lVert W^{(l)}\rVert_F^2$.
    ``grads`` has the keys of ``params``; ``delta[l]`` is ``(n_l, N)``,
    one column per example.
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}; got {loss!r}")
    lam = expect_lam(lam)
    z, a, activations = cache["z"], cache["a"], cache["activations"]
    L = len(z)
    if loss == "cross_entropy":
        if activations[-1] != "softmax":
            raise ValueError("loss='cross_entropy' needs a softmax last layer;"
                             f" got {activations[-1]!r}")
        J, delta_L = softmax_cross_entropy(z[L], y, reduction=reduction)
    else:
        if activations[-1] == "softmax":
            raise ValueError("a softmax output goes with "
                             "loss='cross_entropy', not 'squared'")
        J, dJ_da = half_squared_error(a[L], y, reduction=reduction)
        delta_L = dJ_da
        if activations[-1] != "identity":  # the identity's φ' is 1
            delta_L = dJ_da * get_activation(activations[-1]).phi_prime(z[L])
    delta, grads = {L: delta_L}, {}
    for l in range(L, 0, -1):
        if l < L:
            delta[l] = params[f"W{l + 1}"].T @ delta[l + 1]
            phi_prime = get_activation(activations[l - 1]).phi_prime
            delta[l] *= phi_prime(z[l])  # ⊙ φ'(z⁽ˡ⁾), in place
        grads[f"W{l}"] = delta[l] @ a[l - 1].T
        if lam:
            grads[f"W{l}"] += lam * params[f"W{l}"]
        grads[f"b{l}"] = delta[l].sum(axis=1, keepdims=True)
    if lam:
        J += l2_penalty([params[f"W{l}"] for l in range(1, L + 1)], lam)
    return J, grads, delta


class MLP:
    """A thin object over :func:`deep_forward` and :func:`deep_backward` for training loops.

    ``MLP([64, 32, 10], ["relu", "softmax"], loss="cross_entropy", reduction="mean", seed=0)``
    """

    def __init__(self, sizes: Sequence[int], activations: Sequence[str], *, loss: str, reduction: str,
                 lam: float = 0.0, seed: int = 0, scale="he"):
        self.params = init_params(sizes, seed=seed, scale=scale)
        self.activations = list(activations)
        check_params(self.params, self.activations)
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {LOSSES}; got {loss!r}")
        expect_reduction(reduction)
        self.loss, self.reduction, self.lam = loss, reduction, expect_lam(lam)

    def forward(self, x) -> tuple[np.ndarray, dict]:
        return deep_forward(self.params, x, self.activations)

    def loss_and_grads(self, x, y) -> tuple[float, dict]:
        """The objective J on a batch and its gradient for every parameter."""
        _, cache = self.forward(x)
        J, grads, _ = deep_backward(self.params, cache, y, loss=self.loss, reduction=self.reduction, lam=self.lam)
        return J, grads

    def predict(self, x) -> np.ndarray:
        """Class labels ``(batch,)``: the row of the largest output in each column."""
        return self.forward(x)[0].argmax(axis=0)

    def accuracy(self, x, labels) -> float:
        """The fraction of columns of ``x`` whose predicted class equals ``labels`` ``(batch,)``."""
        predicted, labels = self.predict(x), np.asarray(labels)
        expect_shape("labels", labels, predicted.shape, "one label per column of x")
        return float(np.mean(predicted == labels))
