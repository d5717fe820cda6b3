"""Losses and the L2 penalty: values, gradients against centred differences, reductions, stability."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import (
    half_squared_error,
    l2_penalty,
    l2_penalty_grad,
    least_squares,
    numerical_gradient,
    one_hot,
    rel_error,
    softmax,
    softmax_cross_entropy,
)
from tests.strategies import SETTINGS, batches, lams, matrices, reductions, seeds, sizes

#: Smooth losses of a handful of variables: centred differences are good to about 1e-10 (see test_activations).
SMOOTH_TOL = 1e-7


def _batch(seed, K, n):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(K, n)), rng.normal(size=(K, n)), rng.integers(0, K, size=n)


@SETTINGS
@given(seed=seeds, K=sizes, n=batches, reduction=reductions)
def test_half_squared_error_value_and_gradient(seed, K, n, reduction):
    y_hat, y, _ = _batch(seed, K, n)
    J, grad = half_squared_error(y_hat, y, reduction=reduction)
    per_example = 0.5 * np.sum((y_hat - y) ** 2, axis=0)
    np.testing.assert_allclose(J, per_example.sum() if reduction == "sum" else per_example.mean(), rtol=1e-14)
    np.testing.assert_allclose(grad, (y_hat - y) / (1 if reduction == "sum" else n), rtol=1e-14)
    numeric = numerical_gradient(lambda v: half_squared_error(v, y, reduction=reduction)[0], y_hat.copy())
    assert rel_error(grad, numeric) < SMOOTH_TOL


@SETTINGS
@given(seed=seeds, K=sizes, n=batches, reduction=reductions)
def test_softmax_cross_entropy_is_fused_delta_and_matches_differences(seed, K, n, reduction):
    z, _, labels = _batch(seed, K, n)
    Y = one_hot(labels, K)
    J, delta = softmax_cross_entropy(z, labels, reduction=reduction)
    per_example = -np.log(softmax(z)[labels, np.arange(n)])
    np.testing.assert_allclose(J, per_example.sum() if reduction == "sum" else per_example.mean(), rtol=1e-12)
    np.testing.assert_allclose(delta, (softmax(z) - Y) / (1 if reduction == "sum" else n), rtol=1e-12, atol=1e-15)
    J_one_hot, delta_one_hot = softmax_cross_entropy(z, Y, reduction=reduction)  # labels and one-hot agree
    assert J_one_hot == J
    np.testing.assert_array_equal(delta_one_hot, delta)
    numeric = numerical_gradient(lambda v: softmax_cross_entropy(v, labels, reduction=reduction)[0], z.copy())
    assert rel_error(delta, numeric) < SMOOTH_TOL


@SETTINGS
@given(seed=seeds, N=batches, D=sizes)
def test_least_squares_gradient_is_minus_two_eT_Phi(seed, N, D):
    rng = np.random.default_rng(seed)
    theta, Phi, y = rng.normal(size=D), rng.normal(size=(N, D)), rng.normal(size=N)
    L, grad = least_squares(theta, Phi, y)
    e = y - Phi @ theta
    assert L == pytest.approx(e @ e, rel=1e-14)
    assert grad.shape == (1, D)
    np.testing.assert_allclose(grad, -2 * e[None, :] @ Phi, rtol=1e-14)
    numeric = numerical_gradient(lambda t: least_squares(t, Phi, y)[0], theta.copy())
    assert rel_error(grad.ravel(), numeric) < SMOOTH_TOL


@SETTINGS
@given(W1=matrices(), W2=matrices(), lam=lams)
def test_l2_penalty_and_its_gradient_lam_W(W1, W2, lam):
    s = l2_penalty([W1, W2], lam)
    assert s == pytest.approx(lam / 2 * (np.sum(W1**2) + np.sum(W2**2)), rel=1e-14)
    for W in (W1, W2):
        numeric = numerical_gradient(lambda v, W=W: l2_penalty([v], lam), W.copy())
        np.testing.assert_allclose(l2_penalty_grad(W, lam), lam * W, rtol=1e-15)
        assert rel_error(l2_penalty_grad(W, lam), numeric) < SMOOTH_TOL


@SETTINGS
@given(seed=seeds, K=sizes, n=st.integers(2, 6))
def test_sum_is_n_times_mean(seed, K, n):
    y_hat, y, labels = _batch(seed, K, n)
    for loss, target in ((half_squared_error, y), (softmax_cross_entropy, labels)):
        J_sum, g_sum = loss(y_hat, target, reduction="sum")
        J_mean, g_mean = loss(y_hat, target, reduction="mean")
        assert J_sum == pytest.approx(n * J_mean, rel=1e-12)
        np.testing.assert_allclose(g_sum, n * g_mean, rtol=1e-12, atol=1e-15)


def test_the_reduction_must_be_chosen_explicitly():
    with pytest.raises(TypeError, match="reduction"):
        half_squared_error(np.zeros((2, 3)), np.zeros((2, 3)))
    with pytest.raises(TypeError, match="reduction"):
        softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 1, 1]))


def test_one_example_as_a_vector_keeps_its_shape():
    J, grad = half_squared_error(np.array([1.0, 2.0]), np.array([0.0, 0.0]), reduction="sum")
    assert J == 2.5 and grad.shape == (2,)
    J, delta = softmax_cross_entropy(np.zeros(3), np.array([0, 1, 0]), reduction="mean")  # a target vector
    assert J == pytest.approx(np.log(3)) and delta.shape == (3,)
    np.testing.assert_allclose(delta, [1 / 3, -2 / 3, 1 / 3])


def test_one_hot():
    np.testing.assert_array_equal(one_hot(np.array([2, 0]), 3), [[0, 1], [0, 0], [1, 0]])


@pytest.mark.filterwarnings("error")
def test_cross_entropy_is_finite_without_warnings_at_logits_of_1000():
    z = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    J_right, delta_right = softmax_cross_entropy(z, np.array([0, 1]), reduction="sum")
    J_wrong, delta_wrong = softmax_cross_entropy(z, np.array([1, 0]), reduction="sum")
    assert J_right == 0.0 and J_wrong == 4000.0  # each wrong column costs exactly 2000 nats
    assert np.all(np.isfinite(delta_right)) and np.all(np.isfinite(delta_wrong))
    np.testing.assert_allclose(delta_wrong, [[1.0, -1.0], [-1.0, 1.0]])
