"""Every gradient of the library against HIPS autograd, an independent reverse-mode implementation.

The references below are written once more, in ``autograd.numpy``, straight from the book's formulas;
autograd differentiates them. The two sides then differ only by float64 rounding in a different order.
"""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import elementwise_grad, grad
from hypothesis import given
from hypothesis import strategies as st

from course_lib import (
    deep_backward,
    deep_forward,
    get_activation,
    half_squared_error,
    l2_penalty,
    l2_penalty_grad,
    least_squares,
    linear_backward,
    linear_forward,
    one_hot,
    rel_error,
    softmax_cross_entropy,
    two_layer_backward,
    two_layer_forward,
)
from tests.strategies import (
    SETTINGS,
    Network,
    batches,
    hidden_activations,
    lams,
    matrices,
    networks,
    reductions,
    seeds,
    sizes,
)

#: Same mathematics in float64 on both sides, rounded in a different order: agreement to about 1e-14.
#: 1e-10 leaves four orders of margin for deep, ill-scaled cases and still fails any wrong formula.
AUTOGRAD_TOL = 1e-10

PHI = {
    "identity": lambda z: z,
    "sigmoid": lambda z: 0.5 * (anp.tanh(0.5 * z) + 1.0),  # σ written differently from the library on purpose
    "tanh": anp.tanh,
    "relu": lambda z: anp.maximum(z, 0.0),
}


def _log_softmax(z):
    shifted = z - anp.max(z, axis=0, keepdims=True)
    return shifted - anp.log(anp.sum(anp.exp(shifted), axis=0, keepdims=True))


def _data_loss(z_L, Y, activation, loss, reduction):
    """ℓ summed or averaged over the columns, from the last layer's z (cross-entropy) or φ(z) (squared)."""
    if loss == "cross_entropy":
        per_example = -anp.sum(Y * _log_softmax(z_L), axis=0)
    else:
        per_example = 0.5 * anp.sum((PHI[activation](z_L) - Y) ** 2, axis=0)
    return anp.sum(per_example) if reduction == "sum" else anp.mean(per_example)


def _from_z(z_l, l, params, net: Network, Y):
    """The data loss as a function of z⁽ˡ⁾."""
    z = z_l
    for k in range(l + 1, len(net.activations) + 1):
        z = anp.dot(params[f"W{k}"], PHI[net.activations[k - 2]](z)) + params[f"b{k}"]
    return _data_loss(z, Y, net.activations[-1], net.loss, net.reduction)


def _objective(params, net: Network, Y):
    L = len(net.activations)
    penalty = 0.5 * net.lam * sum(anp.sum(params[f"W{l}"] ** 2) for l in range(1, L + 1))
    return _from_z(anp.dot(params["W1"], net.x) + params["b1"], 1, params, net, Y) + penalty


def _assert_deep_network_agrees(net: Network):
    L = len(net.activations)
    Y = one_hot(net.y, net.params[f"W{L}"].shape[0]) if net.loss == "cross_entropy" else net.y
    _, cache = deep_forward(net.params, net.x, net.activations)
    J, grads, delta = deep_backward(net.params, cache, net.y, loss=net.loss, reduction=net.reduction, lam=net.lam)
    assert J == pytest.approx(_objective(net.params, net, Y), rel=AUTOGRAD_TOL)
    reference = grad(_objective)(net.params, net, Y)
    for key in net.params:
        assert rel_error(grads[key], reference[key]) < AUTOGRAD_TOL, key
    for l in range(1, L + 1):
        assert rel_error(delta[l], grad(_from_z)(cache["z"][l], l, net.params, net, Y)) < AUTOGRAD_TOL, f"delta[{l}]"


@SETTINGS
@given(net=networks())
def test_deep_network_on_random_networks(net):
    _assert_deep_network_agrees(net)


HIDDEN = ["relu", "tanh", "sigmoid", "identity"]


@pytest.mark.parametrize("depth", range(1, 6))
@pytest.mark.parametrize("loss", ["squared", "cross_entropy"])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
@pytest.mark.parametrize("lam", [0.0, 0.7])
def test_deep_network_every_depth_loss_reduction_and_penalty(depth, loss, reduction, lam):
    """Depth 1 to 5, both losses, both reductions, with and without λ: every combination, not a sample."""
    rng = np.random.default_rng(depth)
    widths = [4, 6, 5, 7, 3, 4][: depth + 1]
    activations = [HIDDEN[l % len(HIDDEN)] for l in range(depth - 1)]
    activations.append("softmax" if loss == "cross_entropy" else ["identity", "sigmoid"][depth % 2])
    params = {}
    for l in range(1, depth + 1):
        params[f"W{l}"] = rng.normal(0.0, 1.0 / np.sqrt(widths[l - 1]), size=(widths[l], widths[l - 1]))
        params[f"b{l}"] = rng.normal(0.0, 0.5, size=(widths[l], 1))
    x = rng.normal(size=(widths[0], 7))
    y = rng.integers(0, widths[-1], size=7) if loss == "cross_entropy" else rng.normal(size=(widths[-1], 7))
    _assert_deep_network_agrees(Network(params, activations, x, y, loss, reduction, lam))


@SETTINGS
@given(name=hidden_activations, z=matrices(scale=3.0))
def test_activation_derivatives(name, z):
    assert rel_error(get_activation(name).phi_prime(z), elementwise_grad(PHI[name])(z)) < AUTOGRAD_TOL


@SETTINGS
@given(seed=seeds, K=sizes, n=batches, reduction=reductions)
def test_losses(seed, K, n, reduction):
    rng = np.random.default_rng(seed)
    z, y, labels = rng.normal(size=(K, n)), rng.normal(size=(K, n)), rng.integers(0, K, size=n)
    _, dJ_dy_hat = half_squared_error(z, y, reduction=reduction)
    reference = grad(_data_loss)(z, y, "identity", "squared", reduction)
    assert rel_error(dJ_dy_hat, reference) < AUTOGRAD_TOL
    _, delta = softmax_cross_entropy(z, labels, reduction=reduction)
    reference = grad(_data_loss)(z, one_hot(labels, K), "softmax", "cross_entropy", reduction)
    assert rel_error(delta, reference) < AUTOGRAD_TOL


@SETTINGS
@given(seed=seeds, N=batches, D=sizes, lam=lams)
def test_least_squares_and_penalty(seed, N, D, lam):
    rng = np.random.default_rng(seed)
    theta, Phi, y, W = rng.normal(size=D), rng.normal(size=(N, D)), rng.normal(size=N), rng.normal(size=(N, D))
    reference = grad(lambda t: anp.sum((y - anp.dot(Phi, t)) ** 2))(theta)
    assert rel_error(least_squares(theta, Phi, y)[1], reference[None, :]) < AUTOGRAD_TOL
    reference = grad(lambda V: 0.5 * lam * anp.sum(V**2))(W)
    assert l2_penalty([W], lam) == pytest.approx(0.5 * lam * np.sum(W**2), rel=AUTOGRAD_TOL)
    assert rel_error(l2_penalty_grad(W, lam), reference) < AUTOGRAD_TOL


@SETTINGS
@given(seed=seeds, n_out=sizes, n_in=sizes, batch=batches)
def test_linear_layer(seed, n_out, n_in, batch):
    rng = np.random.default_rng(seed)
    W, a_prev, b, G = (rng.normal(size=shape) for shape in [(n_out, n_in), (n_in, batch), (n_out, 1), (n_out, batch)])

    def J(W, a_prev, b):
        return anp.sum(G * (anp.dot(W, a_prev) + b))

    da_prev, dW, db = linear_backward(G, linear_forward(W, a_prev, b)[1])
    for mine, argnum in ((da_prev, 1), (dW, 0), (db, 2)):
        assert rel_error(mine, grad(J, argnum)(W, a_prev, b)) < AUTOGRAD_TOL


@SETTINGS
@given(seed=seeds, d=sizes, h=sizes, q=sizes, n=batches, phi=hidden_activations,
       loss=st.sampled_from(["squared", "cross_entropy"]), reduction=reductions, lam=lams)
def test_two_layer_network_every_intermediate(seed, d, h, q, n, phi, loss, reduction, lam):
    rng = np.random.default_rng(seed)
    x, W1, W2 = rng.normal(size=(d, n)), rng.normal(size=(h, d)), rng.normal(size=(q, h))
    labels = rng.integers(0, q, size=n)
    y, Y = (labels, one_hot(labels, q)) if loss == "cross_entropy" else (rng.normal(size=(q, n)),) * 2
    cache = two_layer_forward(x, y, W1, W2, lam=lam, phi=phi, loss=loss, reduction=reduction)
    grads = two_layer_backward(cache)

    def L_of_o(o):
        return _data_loss(o, Y, "identity", loss, reduction)

    def J(W1, W2):
        return L_of_o(anp.dot(W2, PHI[phi](anp.dot(W1, x)))) + 0.5 * lam * (anp.sum(W1**2) + anp.sum(W2**2))

    expected = {
        "dJ_do": grad(L_of_o)(cache["o"]),
        "dJ_dh": grad(lambda h_: L_of_o(anp.dot(W2, h_)))(cache["h"]),
        "dJ_dz": grad(lambda z: L_of_o(anp.dot(W2, PHI[phi](z))))(cache["z"]),
        "dJ_dW1": grad(J, 0)(W1, W2),
        "dJ_dW2": grad(J, 1)(W1, W2),
    }
    assert cache["J"] == pytest.approx(J(W1, W2), rel=AUTOGRAD_TOL)
    for name, reference in expected.items():
        assert rel_error(grads[name], reference) < AUTOGRAD_TOL, name
