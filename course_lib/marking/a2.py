r"""Marking of assignment a2 (Jacobians and gradients of matrices): closed forms and known mistakes."""

from __future__ import annotations

import numpy as np

from ..activations import softmax
from ..checks import Marks

#: Library functions that compute an answer of a2; an answer cell that uses one is flagged to the instructor.
ANSWERS = ("course_lib.gradcheck.numerical_gradient", "course_lib.gradcheck.numerical_jacobian",
           "course_lib.gradcheck.flatten_jacobian", "course_lib.gradcheck.check_gradient",
           "course_lib.losses.least_squares")


def _jacobian_wrt_A(A, x) -> np.ndarray:
    return np.einsum("ij,k->ijk", np.eye(len(A)), x)


def _jacobian_wrt_A_mistakes(A, x) -> dict:
    return {
        "every slice is full of x, but f_i = Σ_k A_ik x_k depends on row i of A only: ∂f_i/∂A_jk = 0 when j ≠ i":
            np.broadcast_to(x, (len(A),) + A.shape),
        "A[i, k] stands where x_k belongs: differentiate A_ik x_k with respect to A_ik":
            np.eye(len(A))[:, :, None] * A[None, :, :],
        "ones stand where x_k belongs: differentiate A_ik x_k with respect to A_ik":
            np.eye(len(A))[:, :, None] * np.ones_like(x),
    }


jacobian_wrt_A = Marks(reference=_jacobian_wrt_A, mistakes=_jacobian_wrt_A_mistakes)


def _matrix_partials_mistakes(x) -> dict:
    x1, x2, x3 = x
    right = np.zeros((4, 2, 3))
    right[0, 0] = [x2, x1, 0]
    right[0, 1] = [0, 0, np.cos(x3)]
    right[1, 0] = [2 * x1, 0, 0]
    right[1, 1] = [0, x3, x2]
    right[2, 0] = [0, np.exp(x2), 0]
    right[2, 1] = [1, 0, 1]
    right[3, 0] = [-x3 * np.sin(x1 * x3), 0, -x1 * np.sin(x1 * x3)]
    right[3, 1] = [0, 2 * x2, 0]
    no_inner = right.copy()
    no_inner[3, 0] = [-np.sin(x1 * x3), 0, -np.sin(x1 * x3)]
    plus_sin = right.copy()
    plus_sin[3, 0] *= -1
    return {
        "the inner derivative of cos(x₁ x₃) is missing (chain rule)": no_inner,
        "the derivative of cos is -sin, not +sin": plus_sin,
        "the partial with respect to x_k stands in slice [k, :, :]: the tensor is indexed [i, j, k] = ∂A_ij/∂x_k":
            np.moveaxis(right, 2, 0).reshape(4, 2, 3),
    }


matrix_partials = Marks(mistakes=_matrix_partials_mistakes)


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


def _least_squares_grad(theta, Phi, y) -> np.ndarray:
    return (-2 * (y - Phi @ theta) @ Phi)[None, :]


def _least_squares_grad_mistakes(theta, Phi, y) -> dict:
    e = y - Phi @ theta
    wrong = {"it has the wrong sign: e = y - Φθ, so ∂e/∂θ = -Φ": (2 * e @ Phi)[None, :]}
    if Phi.shape[0] == Phi.shape[1]:
        wrong["this is -2 Φ e: the chain rule multiplies the row ∂L/∂e = 2 eᵀ by ∂e/∂θ = -Φ from the left, "
              "eᵀ Φ, not Φ e"] = (-2 * Phi @ e)[None, :]
    return wrong


least_squares_grad = Marks(reference=_least_squares_grad, mistakes=_least_squares_grad_mistakes)
