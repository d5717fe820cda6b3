"""Activations φ and their derivatives φ': values, derivatives against centred differences, stability."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import assume, given

from course_lib import (
    ACTIVATIONS,
    get_activation,
    log_softmax,
    numerical_gradient,
    numerical_jacobian,
    rel_error,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    softmax,
    tanh_prime,
)
from tests.strategies import SETTINGS, hidden_activations, matrices

#: Derivatives of smooth elementwise functions: centred differences with h = 1e-5 are accurate to
#: about 1e-10 here (truncation h² ≈ 1e-10, round-off ε/h ≈ 1e-11); a wrong φ' is off by 1e-2 or more.
SMOOTH_TOL = 1e-7
#: Distance from ReLU's kink kept by the finite-difference checks: far more than the step h = 1e-5.
KINK = 1e-3


@SETTINGS
@given(name=hidden_activations, z=matrices(scale=3.0))
def test_derivative_agrees_with_centred_differences(name, z):
    act = get_activation(name)
    assume(name != "relu" or np.min(np.abs(z)) > KINK)
    numeric = numerical_gradient(lambda v: act.phi(v).sum(), z.copy())  # φ is elementwise: ∂Σφ/∂z = φ'(z)
    assert rel_error(act.phi_prime(z), numeric) < SMOOTH_TOL


@SETTINGS
@given(z=matrices(scale=3.0))
def test_softmax_jacobian_is_diag_p_minus_p_pT(z):
    for column in z.T:
        p = softmax(column)
        numeric = numerical_jacobian(softmax, column.copy())
        assert rel_error(np.diag(p) - np.outer(p, p), numeric) < SMOOTH_TOL


@SETTINGS
@given(z=matrices(scale=5.0))
def test_softmax_columns_are_distributions_and_log_softmax_is_their_log(z):
    p = softmax(z)
    assert p.shape == z.shape and np.all(p > 0)
    np.testing.assert_allclose(p.sum(axis=0), 1.0, rtol=1e-14)
    np.testing.assert_allclose(log_softmax(z), np.log(p), rtol=1e-12, atol=1e-12)


def test_known_values():
    assert sigmoid(0.0) == 0.5 and sigmoid_prime(0.0) == 0.25 and tanh_prime(0.0) == 1.0
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(-z), 1.0 - sigmoid(z), atol=1e-15)
    np.testing.assert_allclose(sigmoid(z), 1.0 / (1.0 + np.exp(-z)), rtol=1e-15)
    np.testing.assert_array_equal(get_activation("relu").phi(z), np.where(z > 0, z, 0.0))
    np.testing.assert_array_equal(get_activation("identity").phi_prime(z), np.ones_like(z))


def test_relu_derivative_at_zero_is_zero_and_documented():
    np.testing.assert_array_equal(relu_prime(np.array([-1.0, 0.0, 1.0])), [0.0, 0.0, 1.0])
    doc = " ".join(relu_prime.__doc__.split())
    assert "$z = 0$" in doc and "We return 0 there" in doc and "subgradient" in doc


def test_every_activation_keeps_the_shape():
    z = np.arange(-3.0, 3.0).reshape(2, 3)
    for act in ACTIVATIONS.values():
        assert act.phi(z).shape == z.shape and act.phi(z).dtype == np.float64
        if act.phi_prime is not None:
            assert act.phi_prime(z).shape == z.shape


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("size", [1000.0, 1e4, 1e300])
def test_sigmoid_is_finite_without_warnings_at_large_inputs(size):
    z = np.array([-size, -1.0, 0.0, 1.0, size])
    s, ds = sigmoid(z), sigmoid_prime(z)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(ds))
    assert s[0] == 0.0 and s[-1] == 1.0 and ds[0] == 0.0 and ds[-1] == 0.0


@pytest.mark.filterwarnings("error")
def test_softmax_and_log_softmax_are_finite_without_warnings_at_logits_of_1000():
    z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0], [0.0, 0.0, 1000.0]])
    p, log_p = softmax(z), log_softmax(z)
    assert np.all(np.isfinite(p)) and np.all(np.isfinite(log_p))
    np.testing.assert_allclose(p, np.eye(3), atol=1e-300)
    np.testing.assert_allclose(np.diag(log_p), 0.0, atol=1e-12)
    assert log_p[1, 0] == -2000.0  # exact: the log-sum-exp of the column is its maximum
    assert np.all(np.isfinite(get_activation("tanh").phi_prime(z)))


def test_sigmoid_prime_is_accurate_and_even_in_both_tails():
    z = np.array([10.0, 37.0, 40.0, 300.0, 700.0])
    exact = np.exp(-z) / (1 + np.exp(-z)) ** 2  # e^(-z) is tiny and exact enough here: nothing cancels
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.allclose(sigmoid_prime(z), exact, rtol=1e-12, atol=0) and np.all(sigmoid_prime(z) > 0)
        assert np.array_equal(sigmoid_prime(-z), sigmoid_prime(z))
        assert np.array_equal(sigmoid_prime(np.array([-1000.0, 1000.0])), [0.0, 0.0])  # e^-1000 underflows float64
