"""The deep network: the δ-recursion's gradients and every δ⁽ˡ⁾ against centred differences, depths 1 to 5."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given

from course_lib import (
    MLP,
    deep_backward,
    deep_forward,
    get_activation,
    half_squared_error,
    init_params,
    l2_penalty,
    numerical_gradient,
    rel_error,
    sigmoid,
    softmax_cross_entropy,
)
from tests.strategies import SETTINGS, Network, networks

#: Whole networks up to depth 5: centred differences carry round-off ε·J/h ≈ 1e-11·J into every entry,
#: and early layers' gradients shrink through saturating sigmoids, so the relative error grows to about
#: 1e-7 (the worst of 400 random networks of this strategy: 9e-8). 1e-6 leaves a margin of ten and still
#: fails any real mistake (1e-2 and up).
DEEP_TOL = 1e-6
#: Distance from ReLU's kink kept by the finite-difference checks: far more than the step h = 1e-5.
KINK = 1e-3


def _J_from_z(net: Network, params: dict, l: int, z_l: np.ndarray) -> float:
    """The data loss as a function of z⁽ˡ⁾, written out independently of the library's forward pass."""
    z = z_l
    for k in range(l + 1, len(net.activations) + 1):
        z = params[f"W{k}"] @ get_activation(net.activations[k - 2]).phi(z) + params[f"b{k}"]
    if net.loss == "cross_entropy":
        return softmax_cross_entropy(z, net.y, reduction=net.reduction)[0]
    return half_squared_error(get_activation(net.activations[-1]).phi(z), net.y, reduction=net.reduction)[0]


def _J(net: Network, params: dict) -> float:
    L = len(net.activations)
    penalty = l2_penalty([params[f"W{l}"] for l in range(1, L + 1)], net.lam)
    return _J_from_z(net, params, 1, params["W1"] @ net.x + params["b1"]) + penalty


@SETTINGS
@given(net=networks())
def test_grads_and_deltas_agree_with_centred_differences(net):
    params = {key: value.copy() for key, value in net.params.items()}
    _, cache = deep_forward(params, net.x, net.activations)
    assume(all(np.min(np.abs(cache["z"][l])) > KINK for l, name in enumerate(net.activations, 1) if name == "relu"))
    J, grads, delta = deep_backward(params, cache, net.y, loss=net.loss, reduction=net.reduction, lam=net.lam)
    L = len(net.activations)
    assert J == pytest.approx(_J(net, params), rel=1e-12)
    assert sorted(grads) == sorted(params) and sorted(delta) == list(range(1, L + 1))
    for key in params:
        numeric = numerical_gradient(lambda _: _J(net, params), params[key])  # perturbs params[key] in place
        assert grads[key].shape == params[key].shape, key
        assert rel_error(grads[key], numeric) < DEEP_TOL, key
    for l in range(1, L + 1):
        numeric = numerical_gradient(lambda z_l, l=l: _J_from_z(net, params, l, z_l), cache["z"][l].copy())
        assert rel_error(delta[l], numeric) < DEEP_TOL, f"delta[{l}]"


def test_the_lectures_network_is_depth_two_with_sigmoids():
    """f₁ = σ(A₀f₀ + b₀), f₂ = σ(A₁f₁ + b₁), E = ½‖f₂ − y‖², with the lecture's gradients written by hand."""
    rng = np.random.default_rng(4)
    A0, b0, A1, b1 = rng.normal(size=(3, 2)), rng.normal(size=(3, 1)), rng.normal(size=(2, 3)), rng.normal(size=(2, 1))
    f0, y = rng.normal(size=(2, 1)), rng.normal(size=(2, 1))
    f1 = sigmoid(A0 @ f0 + b0)
    f2 = sigmoid(A1 @ f1 + b1)
    dE_dz2 = (f2 - y) * f2 * (1 - f2)
    dE_dz1 = (A1.T @ dE_dz2) * f1 * (1 - f1)

    params = {"W1": A0, "b1": b0, "W2": A1, "b2": b1}
    out, cache = deep_forward(params, f0, ["sigmoid", "sigmoid"])
    E, grads, delta = deep_backward(params, cache, y, loss="squared", reduction="sum")
    np.testing.assert_allclose(out, f2, rtol=1e-14)
    assert E == pytest.approx(0.5 * np.sum((f2 - y) ** 2), rel=1e-14)
    for got, want in ((grads["W2"], dE_dz2 @ f1.T), (grads["b2"], dE_dz2), (grads["W1"], dE_dz1 @ f0.T),
                      (grads["b1"], dE_dz1), (delta[2], dE_dz2), (delta[1], dE_dz1)):
        np.testing.assert_allclose(got, want, rtol=1e-13)


def test_init_params_shapes_scales_and_seed():
    params = init_params([4, 300, 2], seed=1)
    assert [params[k].shape for k in ("W1", "b1", "W2", "b2")] == [(300, 4), (300, 1), (2, 300), (2, 1)]
    assert not np.any(params["b1"]) and not np.any(params["b2"])
    assert np.std(init_params([400, 300], seed=1)["W1"]) == pytest.approx(np.sqrt(2 / 400), rel=0.02)  # He
    assert np.std(init_params([400, 300], seed=1, scale="lecun")["W1"]) == pytest.approx(np.sqrt(1 / 400), rel=0.02)
    assert np.std(init_params([400, 300], seed=1, scale="glorot")["W1"]) == pytest.approx(np.sqrt(2 / 700), rel=0.02)
    np.testing.assert_array_equal(init_params([5, 3], seed=2, scale="xavier")["W1"],  # the old name of "lecun"
                                  init_params([5, 3], seed=2, scale="lecun")["W1"])
    np.testing.assert_array_equal(init_params([4, 3], seed=7)["W1"], init_params([4, 3], seed=7)["W1"])
    assert not np.array_equal(init_params([4, 3], seed=7)["W1"], init_params([4, 3], seed=8)["W1"])


def test_mlp_is_a_thin_layer_over_the_functions():
    model = MLP([3, 5, 4], ["tanh", "softmax"], loss="cross_entropy", reduction="mean", lam=0.2, seed=3)
    x, labels = np.random.default_rng(0).normal(size=(3, 6)), np.array([0, 1, 2, 3, 0, 1])
    J, grads = model.loss_and_grads(x, labels)
    _, cache = deep_forward(model.params, x, ["tanh", "softmax"])
    J_ref, grads_ref, _ = deep_backward(model.params, cache, labels, loss="cross_entropy", reduction="mean", lam=0.2)
    assert J == J_ref and all(np.array_equal(grads[k], grads_ref[k]) for k in grads_ref)
    assert model.predict(x).shape == (6,) and 0.0 <= model.accuracy(x, labels) <= 1.0


@pytest.mark.parametrize(("activations", "loss", "message"), [
    (["relu", "sigmoid"], "cross_entropy", "needs a softmax last layer"),
    (["relu", "softmax"], "squared", "goes with loss='cross_entropy'"),
])
def test_loss_and_output_activation_must_match(activations, loss, message):
    params = init_params([2, 3, 2], seed=0)
    _, cache = deep_forward(params, np.ones((2, 1)), activations)
    with pytest.raises(ValueError, match=message):
        deep_backward(params, cache, np.ones((2, 1)), loss=loss, reduction="sum")
