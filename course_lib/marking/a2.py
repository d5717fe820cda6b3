r"""Marking of assignment a2 (Jacobians and gradients of matrices): closed forms and known mistakes."""

from __future__ import annotations

import numpy as np

from ..activations import softmax
from ..checks import Marks
from ..exercise_functions import matrix_of_x, weighted_ridge
from ..gradcheck import numerical_gradient, numerical_jacobian

#: Library functions that compute an answer of a2; an answer cell that uses one is flagged to the instructor.
ANSWERS = ("course_lib.gradcheck.numerical_gradient", "course_lib.gradcheck.numerical_jacobian",
           "course_lib.gradcheck.flatten_jacobian", "course_lib.gradcheck.check_gradient")


def _jacobian_wrt_A_mistakes(A, y) -> dict:
    M, N = A.shape
    eye = np.eye(N)
    wrong = {
        "every slice is full of y, but g_k = Σ_i A_ik y_i depends on column k of A only: ∂g_k/∂A_ij = 0 when j ≠ k":
            np.broadcast_to(y[None, :, None], (N, M, N)),
        "A stands where y belongs: differentiate A_ik y_i with respect to A_ik": eye[:, None, :] * A[None, :, :],
    }
    if M == N:
        wrong["this is the pattern of A x, a Kronecker delta on the rows: g = Aᵀ y uses column k of A, so "
              "∂g_k/∂A_ij = y_i when j = k, and 0 otherwise"] = np.einsum("ki,j->kij", eye, y)
    return wrong


jacobian_wrt_A = Marks(mistakes=_jacobian_wrt_A_mistakes)


def _matrix_partials(x) -> np.ndarray:
    """The partials of A(x) by centred differences: trusted, and independent of any closed form a student writes."""
    return numerical_jacobian(matrix_of_x, np.array(x, dtype=np.float64))


def _matrix_partials_mistakes(x) -> dict:
    x1, _, x3 = x
    right = _matrix_partials(x)
    no_inner, plus_sin = right.copy(), right.copy()
    no_inner[3, 0, [0, 2]] = -np.sin(x1 * x3)
    plus_sin[3, 0] *= -1
    return {
        "the inner derivative of cos(x₁ x₃) is missing (chain rule)": no_inner,
        "the derivative of cos is -sin, not +sin": plus_sin,
        "the partials with respect to x_k were stacked first and reshaped: the tensor is indexed "
        "[i, j, k] = ∂A_ij/∂x_k, so stack them along the last axis (np.stack(..., axis=-1))":
            np.moveaxis(right, 2, 0).reshape(4, 2, 3),
    }


matrix_partials = Marks(reference=_matrix_partials, mistakes=_matrix_partials_mistakes)


def _tensor_to_jacobian(T) -> np.ndarray:
    return np.reshape(T, (T.shape[0] * T.shape[1], T.shape[2]))


def _tensor_to_jacobian_mistakes(T) -> dict:
    m, n, p = T.shape
    return {"you flattened A column by column (A_ij at row (j - 1) m + i); vec(A) lists A row by row, "
            "A_ij at row (i - 1) n + j": np.transpose(T, (1, 0, 2)).reshape(m * n, p),
            "the numbers are in the right shape but the wrong places: reshape the tensor itself, without "
            "transposing it first": np.reshape(np.transpose(T, (2, 0, 1)), (m * n, p))}


tensor_to_jacobian = Marks(reference=_tensor_to_jacobian, mistakes=_tensor_to_jacobian_mistakes)


def _softmax_jacobian_mistakes(z) -> dict:
    y = softmax(z)
    return {
        "only diag(ŷ): ŷ_i depends on every z_j through the normaliser, so the off-diagonal entries are -ŷ_i ŷ_j":
            np.diag(y),
        "only the diagonal ŷ_i (1 - ŷ_i): softmax is not elementwise, ŷ_i depends on every z_j":
            np.diag(y * (1 - y)),
        "only -ŷŷᵀ: ∂ŷ_i/∂z_i has the term ŷ_i from the numerator e^(z_i) too": -np.outer(y, y),
        "z where ŷ belongs in the outer product: the Jacobian is made of the probabilities ŷ, not the logits":
            np.diag(y) - np.outer(z, z),
    }


softmax_jacobian = Marks(mistakes=_softmax_jacobian_mistakes)


def _weighted_ridge_grad(theta, Phi, y, c, lam) -> np.ndarray:
    """The gradient by centred differences of the loss itself, as the row the task asks for."""
    return numerical_gradient(lambda t: weighted_ridge(t, Phi, y, c, lam), np.array(theta, dtype=np.float64))[None, :]


def _weighted_ridge_grad_mistakes(theta, Phi, y, c, lam) -> dict:
    e = y - Phi @ theta
    right = -2 * (c * e) @ Phi + 2 * lam * theta
    wrong = {
        "it has the wrong sign: e = y - Φθ, so ∂e/∂θ = -Φ": 2 * (c * e) @ Phi + 2 * lam * theta,
        "the weights c_n are missing": -2 * e @ Phi + 2 * lam * theta,
        "the penalty's gradient is missing: λ‖θ‖² contributes 2λθᵀ": right - 2 * lam * theta,
        "the penalty's gradient is 2λθᵀ, not λθᵀ: differentiate the square": right - lam * theta,
        "a mean over the examples where the task has a sum": -2 * (c * e) @ Phi / len(y) + 2 * lam * theta,
    }
    if Phi.shape[0] == Phi.shape[1]:
        wrong["this uses Φ (c ⊙ e): the chain rule multiplies the row 2 (c ⊙ e)ᵀ by ∂e/∂θ = -Φ from the left, "
              "(c ⊙ e)ᵀ Φ"] = -2 * Phi @ (c * e) + 2 * lam * theta
    return {description: value[None, :] for description, value in wrong.items()}


weighted_ridge_grad = Marks(reference=_weighted_ridge_grad, mistakes=_weighted_ridge_grad_mistakes)
