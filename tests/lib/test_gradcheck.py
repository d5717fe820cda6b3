"""Numerical derivatives, rel_error, and the gradient checker: each common mistake is caught and named."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_lib import (
    assert_gradient,
    check_gradient,
    compare_gradients,
    flatten_jacobian,
    get_activation,
    numerical_gradient,
    numerical_jacobian,
    rel_error,
    two_layer_backward,
    two_layer_forward,
)
from tests.strategies import SETTINGS, matrices, seeds

#: Smooth functions of a few variables: centred differences with h = 1e-5 reach about 1e-10.
SMOOTH_TOL = 1e-7


@SETTINGS
@given(x=matrices(scale=2.0))
def test_numerical_gradient_of_a_known_function_and_x_is_restored(x):
    before = x.copy()
    numeric = numerical_gradient(lambda v: np.sum(np.sin(v) * v**2), x)
    assert rel_error(numeric, np.cos(x) * x**2 + 2 * x * np.sin(x)) < SMOOTH_TOL
    np.testing.assert_array_equal(x, before)


def test_centred_differences_are_second_order():
    x, exact = np.array([0.3, -1.2]), np.exp(np.array([0.3, -1.2]))
    errors = [np.max(np.abs(numerical_gradient(lambda v: np.sum(np.exp(v)), x, h=h) - exact)) for h in (1e-2, 1e-3)]
    assert 80 < errors[0] / errors[1] < 120  # ten times smaller h, a hundred times smaller error: O(h²)


@SETTINGS
@given(A=matrices(), seed=seeds)
def test_jacobian_of_Ax_with_respect_to_x_and_to_A(A, seed):
    M, N = A.shape
    x = np.random.default_rng(seed).normal(size=N)
    assert rel_error(numerical_jacobian(lambda v: A @ v, x.copy()), A) < SMOOTH_TOL
    tensor = numerical_jacobian(lambda B: B @ x, A.copy())
    expected = np.einsum("ij,k->ijk", np.eye(M), x)  # ∂f_i/∂A_jk = δ_ij x_k
    assert tensor.shape == (M, M, N)
    assert rel_error(tensor, expected) < SMOOTH_TOL
    flat = flatten_jacobian(tensor, out_ndim=1)
    assert flat.shape == (M, M * N)
    assert rel_error(flat, np.kron(np.eye(M), x[None, :])) < SMOOTH_TOL  # row i holds xᵀ in block i


def test_rel_error():
    a = np.array([1.0, -2.0, 3.0])
    assert rel_error(a, a) == 0.0
    assert rel_error(a, a + np.array([0.0, 0.0, 0.6])) == pytest.approx(0.6 / 6.6)
    assert rel_error(a, 2 * a) == rel_error(2 * a, a)
    assert rel_error(np.array([1e-10]), np.array([0.0])) == pytest.approx(1e-2)  # the 1e-8 floor near zero
    with pytest.raises(ValueError, match=r"equal shapes; got \(3,\) and \(2,\)"):
        rel_error(a, a[:2])


# A two-layer network with λ, a mean over n = 5 examples, and a square W1, so that a transposed
# dJ/dW1 has the right shape and only its values give it away.
N, LAM = 5, 0.3


@pytest.fixture(scope="module")
def case():
    rng = np.random.default_rng(11)
    x, y, W1, W2 = rng.normal(size=(4, N)), rng.normal(size=(3, N)), rng.normal(size=(4, 4)), rng.normal(size=(3, 4))

    def dJ_dW1(reduction="mean"):
        return two_layer_backward(two_layer_forward(x, y, W1, W2, lam=LAM, reduction=reduction))["dJ_dW1"]

    cache = two_layer_forward(x, y, W1, W2, lam=LAM, reduction="mean")
    no_phi_prime = (W2.T @ cache["dL_do"]) @ x.T + LAM * W1
    assert not np.allclose(get_activation("sigmoid").phi_prime(cache["z"]), 1.0)
    return {"x": x, "y": y, "W1": W1, "W2": W2, "right": dJ_dW1(), "summed": dJ_dW1("sum"),
            "no_phi_prime": no_phi_prime}


MISSING_PHI_PRIME = "the factor φ'(z) is missing from dJ/dz"

WRONG = {
    "missing λW": (lambda c: c["right"] - LAM * c["W1"], "did you add the penalty term λW?"),
    "λW twice": (lambda c: c["right"] + LAM * c["W1"], "λW once too often"),
    "transposed": (lambda c: c["right"].T, "transpose of the right answer"),
    "missing φ'(z)": (lambda c: c["no_phi_prime"], MISSING_PHI_PRIME),
    "sum instead of mean": (lambda c: c["summed"], f"{N}× too large ({N} examples): you summed over the batch"),
    "wrong sign": (lambda c: -c["right"], "wrong sign"),
    "all zeros": (lambda c: np.zeros_like(c["right"]), "all zeros"),
    "wrong shape": (lambda c: c["right"][:, :3], "dJ_dW1 has shape (4, 3), expected (4, 4)"),
    "NaN": (lambda c: np.where(np.eye(4)[::-1] == 1, np.nan, c["right"]), "non-finite entry nan at index (0, 3)"),
    "a list of strings": (lambda c: ["a"] * 4, "expected an array of real numbers"),
}


def test_the_right_gradient_passes(case):
    report = compare_gradients("dJ_dW1", case["right"], case["right"].copy(), lam=LAM, W=case["W1"], n=N)
    assert report.passed and report.likely_mistake is None and "correct" in report.message

    def J(W1):
        return two_layer_forward(case["x"], case["y"], W1, case["W2"], lam=LAM, reduction="mean")["J"]

    assert check_gradient(J, case["W1"].copy(), case["right"], name="dJ_dW1")
    assert_gradient("dJ_dW1", case["right"], case["right"].copy())


@pytest.mark.parametrize("mistake", sorted(WRONG))
def test_each_common_mistake_is_caught_and_named(case, mistake):
    make, phrase = WRONG[mistake]
    wrong = make(case)
    report = compare_gradients("dJ_dW1", wrong, case["right"], lam=LAM, W=case["W1"], n=N,
                               mistakes={MISSING_PHI_PRIME: case["no_phi_prime"]})
    assert not report.passed
    assert report.message.startswith("dJ_dW1") and phrase in report.message, report.message
    if np.shape(wrong) == case["right"].shape and np.all(np.isfinite(wrong)):
        assert "relative error" in report.message and "worst entry dJ_dW1[" in report.message
        assert report.likely_mistake is not None
    with pytest.raises(AssertionError, match="dJ_dW1"):
        assert_gradient("dJ_dW1", wrong, case["right"], lam=LAM, W=case["W1"], n=N)


def test_the_worst_entry_is_the_one_reported(case):
    wrong = case["right"].copy()
    wrong[2, 1] += 0.5
    report = compare_gradients("dJ_dW1", wrong, case["right"])
    assert f"worst entry dJ_dW1[2, 1] is {wrong[2, 1]:.6g}, expected {case['right'][2, 1]:.6g}" in report.message
    assert report.rel_error == pytest.approx(rel_error(wrong, case["right"]))
    assert report.likely_mistake is None and "Likely mistake" not in report.message  # no guess without evidence


def test_the_threshold_is_tight_enough_for_small_real_errors_and_loose_enough_for_round_off(case):
    right = case["right"]
    noise = np.random.default_rng(0).normal(size=right.shape)
    assert compare_gradients("dJ_dW1", right + 1e-11 * noise, right).passed  # finite-difference round-off
    assert not compare_gradients("dJ_dW1", right * (1 + 1e-5), right).passed  # a slightly wrong constant
    assert not compare_gradients("dJ_dW1", right + 1e-4 * noise, right).passed


def test_a_missing_phi_prime_needs_the_hint_to_be_named(case):
    report = compare_gradients("dJ_dW1", case["no_phi_prime"], case["right"], lam=LAM, W=case["W1"], n=N)
    assert not report.passed and MISSING_PHI_PRIME not in report.message


def test_a_transposed_rectangular_gradient_is_named_from_its_shape():
    right = np.arange(6.0).reshape(2, 3)
    report = compare_gradients("dJ_dW2", right.T, right)
    assert not report.passed and "shape (3, 2), expected (2, 3)" in report.message and "transposed" in report.message


@SETTINGS
@given(n=st.integers(2, 50), seed=seeds)
def test_mean_instead_of_sum_is_named(n, seed):
    right = np.random.default_rng(seed).normal(size=(3, 2))
    report = compare_gradients("dJ_dW", right / n, right, n=n)
    assert not report.passed and f"{n}× too small ({n} examples)" in report.message
