"""The two-layer regularised network of chapter 4: no biases, objective J = L + s.

Forward (chapter 4, eq. ``two-layer-forward``)::

    z = W1 x,   h = φ(z),   o = W2 h,   L = loss(o, y),   s = λ/2 (‖W1‖² + ‖W2‖²),   J = L + s

The backward pass returns every intermediate gradient by name so the chapter can show each step.
"""

from __future__ import annotations

from ._validate import as_float_array, expect_lam, expect_shape
from .activations import get_activation
from .losses import half_squared_error, l2_penalty, softmax_cross_entropy

LOSSES = ("squared", "cross_entropy")


def two_layer_forward(x, y, W1, W2, *, lam: float, reduction: str, phi: str = "sigmoid",
                      loss: str = "squared") -> dict:
    r"""Forward pass of the two-layer network; returns a cache dict with every intermediate.

    ``loss="squared"`` uses $L = \tfrac12\lVert o - y\rVert^2$; ``loss="cross_entropy"`` reads $o$ as
    logits and uses softmax cross-entropy; ``reduction`` (``"sum"`` or ``"mean"``) has no default, on
    purpose. ``phi`` is the hidden activation, any of :data:`~course_lib.activations.ACTIVATIONS` but
    softmax. Shapes: ``x`` ``(d, N)``, ``y`` ``(K, N)``, ``W1`` ``(m, d)``, ``W2`` ``(K, m)``
    (d inputs, m hidden units, K outputs, N examples).
    The cache holds ``x, y, W1, W2, z, h, o, L, s, J`` and the loss's gradient ``dL_do``.
    """
    x = as_float_array("x", x, ndim=2)
    W1 = as_float_array("W1", W1, ndim=2)
    W2 = as_float_array("W2", W2, ndim=2)
    expect_shape("x", x, (W1.shape[1], None), f"W1 is {W1.shape}, so x needs {W1.shape[1]} rows, one per feature")
    expect_shape("W2", W2, (None, W1.shape[0]), f"W1 has {W1.shape[0]} hidden units, so W2 needs {W1.shape[0]} columns")
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}; got {loss!r}")
    lam = expect_lam(lam)
    act = get_activation(phi)
    if act.phi_prime is None:
        raise ValueError(f"phi={phi!r} cannot be the hidden activation: softmax goes with cross-entropy at the output")
    z = W1 @ x
    h = act.phi(z)
    o = W2 @ h
    if loss == "squared":
        L, dL_do = half_squared_error(o, y, reduction=reduction)
    else:
        L, dL_do = softmax_cross_entropy(o, y, reduction=reduction)
    s = l2_penalty([W1, W2], lam)
    return {"x": x, "y": y, "W1": W1, "W2": W2, "lam": lam, "phi": phi, "z": z, "h": h, "o": o,
            "L": L, "s": s, "J": L + s, "dL_do": dL_do}


def two_layer_backward(cache: dict) -> dict:
    r"""Every gradient of the two-layer network, in reverse order.

    Chapter 4, eqs. ``dJ-do`` to ``dJ-dW1``, with K outputs, N examples,
    m hidden units and d inputs:

    ==========  ==================================================  ==========
    name        formula                                             shape
    ==========  ==================================================  ==========
    ``dJ_do``   $\partial J/\partial o = \partial L/\partial o$     ``(K, N)``
    ``dJ_dW2``  $\partial J/\partial o\, h^\top + \lambda W^{(2)}$  ``(K, m)``
    ``dJ_dh``   $W^{(2)\top} \partial J/\partial o$                 ``(m, N)``
    ``dJ_dz``   $\partial J/\partial h \odot \phi'(z)$              ``(m, N)``
    ``dJ_dW1``  $\partial J/\partial z\, x^\top + \lambda W^{(1)}$  ``(m, d)``
    ==========  ==================================================  ==========
    """
    lam, W1, W2 = cache["lam"], cache["W1"], cache["W2"]
    dJ_do = cache["dL_do"]
    dJ_dW2 = dJ_do @ cache["h"].T + lam * W2
    dJ_dh = W2.T @ dJ_do
    dJ_dz = dJ_dh * get_activation(cache["phi"]).phi_prime(cache["z"])
    dJ_dW1 = dJ_dz @ cache["x"].T + lam * W1
    return {"dJ_do": dJ_do, "dJ_dW2": dJ_dW2, "dJ_dh": dJ_dh,
            "dJ_dz": dJ_dz, "dJ_dW1": dJ_dW1}
