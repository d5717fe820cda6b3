r"""Marking of assignment a5: the output δ of a softmax with a squared error, the backward pass of the residual
network of :mod:`course_lib.tasks.a5`, and the diagnosis of vanishing gradients from per-layer δ norms.

The closed forms and the catalogues of known mistakes are named by the test cells as ``marks="a5.output_delta"``
and so on; ``a5.residual_numeric`` compares with centred differences of the forward pass instead, trusting no
backward pass.
"""

from __future__ import annotations

import numpy as np

from ..activations import get_activation, softmax
from ..checks import Marks
from ..gradcheck import numerical_gradient
from ..tasks.a5 import residual_forward

#: Library functions that compute an answer of a5; an answer cell that uses one is flagged to the instructor.
ANSWERS = ("course_lib.activations.softmax", "course_lib.activations.log_softmax",
           "course_lib.losses.softmax_cross_entropy", "course_lib.network.deep_backward", "course_lib.network.MLP",
           "course_lib.layers.linear_backward", "course_lib.tasks.a5.residual_delta_norms")


def _output_delta(z, y, *, jacobian: str = "full", axis: int = 0, per: str = "example") -> np.ndarray:
    """δ = J_softmaxᵀ g with g = (ŷ − y)/n, per column; the keywords give the known wrong versions."""
    y_hat = softmax(z) if axis == 0 else softmax(z.T).T
    g = (y_hat - y) / z.shape[1]
    if jacobian == "none":
        return g
    if jacobian == "diagonal":
        return y_hat * (1 - y_hat) * g
    inner = np.sum(y_hat * g, axis=0 if per == "example" else 1, keepdims=True)
    return y_hat * (g - inner)


def _output_delta_mistakes(z, y) -> dict:
    return {"that is the cross-entropy's δ, (ŷ − y)/n: with a squared error the softmax's Jacobian "
            "diag(ŷ) − ŷŷᵀ stays in the product": _output_delta(z, y, jacobian="none"),
            "only the diagonal of the softmax's Jacobian, ŷ(1 − ŷ): every logit moves every probability, so the "
            "off-diagonal −ŷŷᵀ part counts too": _output_delta(z, y, jacobian="diagonal"),
            "the softmax normalised each row: it normalises each column (one column per example)":
            _output_delta(z, y, axis=1),
            "the sum Σ_k ŷ_k g_k belongs to one example: sum over the classes (axis 0), not over the examples":
            _output_delta(z, y, per="batch")}


output_delta = Marks(reference=_output_delta, mistakes=_output_delta_mistakes)


def _residual_backward(params, cache, delta_L, *, skip: bool = True, skip_through_phi: bool = False,
                       phi_at: str | None = "z", a_below: bool = True) -> tuple[dict, dict]:
    """The residual backward pass: the gradients and every δ⁽ˡ⁾; the keywords give the known wrong versions."""
    z, a = cache["z"], cache["a"]
    phi_prime = get_activation(cache["activation"]).phi_prime
    L = len(z)
    grads, deltas, upstream = {}, {L: delta_L}, None  # upstream: ∂J/∂a⁽ˡ⁾ of the layer above
    for l in range(L, 0, -1):
        delta = deltas[l]
        grads[f"W{l}"] = delta @ (a[l - 1] if a_below or l == L else a[l]).T
        grads[f"b{l}"] = delta.sum(axis=1, keepdims=True)
        if l == 1:
            break
        dJ_da = params[f"W{l}"].T @ delta  # ∂J/∂a⁽ˡ⁻¹⁾ along the path through z⁽ˡ⁾
        if l < L and skip:  # and along the skip connection a⁽ˡ⁻¹⁾ → a⁽ˡ⁾
            dJ_da = dJ_da + (upstream * phi_prime(z[l]) if skip_through_phi else upstream)
        upstream = dJ_da
        deltas[l - 1] = dJ_da * (1.0 if phi_at is None else phi_prime(z[l - 1] if phi_at == "z" else a[l - 1]))
    return grads, deltas


def _residual_grads(params, cache, delta_L, **mistake) -> dict:
    return _residual_backward(params, cache, delta_L, **mistake)[0]


def residual_deltas(params, cache, delta_L) -> dict:
    """Every δ⁽ˡ⁾ = ∂J/∂z⁽ˡ⁾ of the residual network, from δ⁽ᴸ⁾."""
    return _residual_backward(params, cache, delta_L)[1]


def _residual_mistakes(params, cache, delta_L) -> dict:
    return {"the skip connection's path is missing: a⁽ˡ⁾ = a⁽ˡ⁻¹⁾ + φ(z⁽ˡ⁾), so ∂J/∂a⁽ˡ⁻¹⁾ = ∂J/∂a⁽ˡ⁾ + "
            "W⁽ˡ⁾ᵀ δ⁽ˡ⁾": _residual_grads(params, cache, delta_L, skip=False),
            "the skip path carries ∂J/∂a⁽ˡ⁾ down unchanged: it does not pass through φ'":
            _residual_grads(params, cache, delta_L, skip_through_phi=True),
            "the factor φ'(z⁽ˡ⁾) is missing from the hidden layers' δ⁽ˡ⁾ = ∂J/∂a⁽ˡ⁾ ⊙ φ'(z⁽ˡ⁾)":
            _residual_grads(params, cache, delta_L, phi_at=None),
            "φ' was evaluated at a⁽ˡ⁾: it takes z⁽ˡ⁾": _residual_grads(params, cache, delta_L, phi_at="a"),
            "a layer off by one: ∂J/∂W⁽ˡ⁾ = δ⁽ˡ⁾ a⁽ˡ⁻¹⁾ᵀ, with the activation of the layer below":
            _residual_grads(params, cache, delta_L, a_below=False)}


def _residual_numeric(params, cache, delta_L) -> dict:
    """Every gradient by centred differences of J = Σ delta_L ⊙ z⁽ᴸ⁾, trusting no backward pass."""
    def J(_):
        return float(np.sum(delta_L * residual_forward(params, cache["a"][0], cache["activation"])[0]))
    return {key: numerical_gradient(J, params[key]) for key in params}


residual = Marks(reference=_residual_grads, mistakes=_residual_mistakes)
residual_numeric = Marks(reference=_residual_numeric, mistakes=_residual_mistakes)


def _diagnosis(deltas, tol, *, norm=np.linalg.norm, exponent: str = "L-1", relative_to: str = "output",
               inverted: bool = False, downwards: bool = False) -> dict:
    """Per-layer norms, the mean shrink factor per layer and the starved layers; keywords give wrong versions."""
    layers = sorted(deltas, reverse=downwards)
    norms = np.array([norm(np.asarray(deltas[l])) for l in layers])
    first, last = (norms[-1], norms[0]) if downwards else (norms[0], norms[-1])
    L = len(layers)
    ratio = last / first if inverted else first / last
    shrink = ratio ** (1 / (L - 1 if exponent == "L-1" else L))
    base = last if relative_to == "output" else first
    return {"norms": norms, "shrink": float(shrink), "starved": norms < tol * base}


def _diagnosis_mistakes(deltas, tol) -> dict:
    return {"‖δ‖² where the norm ‖δ‖ = √(Σ δ²) belongs": _diagnosis(deltas, tol, norm=lambda d: np.sum(d * d)),
            "the norms are listed from the output down: list them by layer number, layer 1 first":
            _diagnosis(deltas, tol, downwards=True),
            "the shrink factor is the (L − 1)-th root: between layer L and layer 1 there are L − 1 steps, not L":
            _diagnosis(deltas, tol, exponent="L"),
            "the ratio is upside down: the shrink factor is (‖δ⁽¹⁾‖ / ‖δ⁽ᴸ⁾‖)^(1/(L−1)), below 1 when the "
            "signal fades on its way down": _diagnosis(deltas, tol, inverted=True),
            "a layer is starved when its norm is below tol times the output layer's ‖δ⁽ᴸ⁾‖, where the signal "
            "starts, not the first layer's": _diagnosis(deltas, tol, relative_to="first")}


diagnose = Marks(reference=_diagnosis, mistakes=_diagnosis_mistakes)
