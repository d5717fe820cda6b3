"""Chapter 4's network J = L + s without biases: every intermediate gradient against centred differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from course_lib import (
    get_activation,
    half_squared_error,
    numerical_gradient,
    rel_error,
    softmax_cross_entropy,
    two_layer_backward,
    two_layer_forward,
)
from tests.strategies import SETTINGS, batches, hidden_activations, lams, reductions, seeds, sizes

#: A whole (small) network: a few more operations than one loss, still about 1e-9 at worst under
#: centred differences with h = 1e-5; a wrong gradient is off by 1e-2 or more.
NETWORK_TOL = 1e-7
#: Distance from ReLU's kink kept by the finite-difference checks: far more than the step h = 1e-5.
KINK = 1e-3


def _loss(o, y, loss, reduction):
    return (half_squared_error if loss == "squared" else softmax_cross_entropy)(o, y, reduction=reduction)[0]


@SETTINGS
@given(seed=seeds, d=sizes, h=sizes, q=sizes, n=batches, phi=hidden_activations,
       loss=st.sampled_from(["squared", "cross_entropy"]), reduction=reductions, lam=lams)
def test_every_intermediate_gradient_agrees_with_centred_differences(seed, d, h, q, n, phi, loss, reduction, lam):
    rng = np.random.default_rng(seed)
    x, W1, W2 = rng.normal(size=(d, n)), rng.normal(size=(h, d)), rng.normal(size=(q, h))
    y = rng.integers(0, q, size=n) if loss == "cross_entropy" else rng.normal(size=(q, n))
    kw = {"lam": lam, "phi": phi, "loss": loss, "reduction": reduction}
    cache = two_layer_forward(x, y, W1, W2, **kw)
    assume(phi != "relu" or np.min(np.abs(cache["z"])) > KINK)
    grads = two_layer_backward(cache)
    act = get_activation(phi)

    expected = {
        "dJ_dW1": numerical_gradient(lambda v: two_layer_forward(x, y, v, W2, **kw)["J"], W1.copy()),
        "dJ_dW2": numerical_gradient(lambda v: two_layer_forward(x, y, W1, v, **kw)["J"], W2.copy()),
        "dJ_do": numerical_gradient(lambda v: _loss(v, y, loss, reduction), cache["o"].copy()),
        "dJ_dh": numerical_gradient(lambda v: _loss(W2 @ v, y, loss, reduction), cache["h"].copy()),
        "dJ_dz": numerical_gradient(lambda v: _loss(W2 @ act.phi(v), y, loss, reduction), cache["z"].copy()),
    }
    assert sorted(grads) == sorted(expected)
    for name, numeric in expected.items():
        assert grads[name].shape == numeric.shape, name
        assert rel_error(grads[name], numeric) < NETWORK_TOL, name


def test_objective_is_loss_plus_penalty():
    rng = np.random.default_rng(0)
    x, y, W1, W2 = rng.normal(size=(3, 4)), rng.normal(size=(2, 4)), rng.normal(size=(5, 3)), rng.normal(size=(2, 5))
    cache = two_layer_forward(x, y, W1, W2, lam=0.3, phi="tanh", reduction="sum")
    np.testing.assert_allclose(cache["o"], W2 @ np.tanh(W1 @ x), rtol=1e-14)
    assert cache["L"] == pytest.approx(0.5 * np.sum((cache["o"] - y) ** 2), rel=1e-14)
    assert cache["s"] == pytest.approx(0.15 * (np.sum(W1**2) + np.sum(W2**2)), rel=1e-14)
    assert cache["J"] == cache["L"] + cache["s"]
    assert cache["y"] is y


def test_softmax_is_refused_as_the_hidden_activation():
    with pytest.raises(ValueError, match="phi='softmax' cannot be the hidden activation"):
        two_layer_forward(np.ones((3, 2)), np.ones((2, 2)), np.ones((4, 3)), np.ones((2, 4)), lam=0.0,
                          phi="softmax", reduction="sum")
