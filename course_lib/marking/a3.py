r"""Marking of assignment a3 (the chain rule): the graph of $f = w\,p$ and one online epoch of the delta rule.

The graph: $u = x y$, $v = \tanh u$, $w = v + x$, $p = y w$, $f = w p$. The variable $x$ reaches $f$ through
$u$ and through $w$, $y$ through $u$ and through $p$, and $w$ directly and through $p$: each adjoint sums its
paths. The delta rule is Russell and Norvig's, for tanh hidden units and linear output units with biases.
"""

from __future__ import annotations

import numpy as np

from ..checks import Marks

#: Library functions that compute an answer of a3; an answer cell that uses one is flagged to the instructor.
ANSWERS = ("course_lib.training.delta_rule_epoch", "course_lib.gradcheck.numerical_gradient")


def _forward(x, y) -> dict:
    u = x * y
    v = np.tanh(u)
    w = v + x
    p = y * w
    return {"u": u, "v": v, "w": w, "p": p, "f": w * p}


def _forward_mistakes(x, y) -> dict:
    right = _forward(x, y)
    return {"u = x y is a product, not a sum": {**right, "u": x + y},
            "v = tanh(u), the hyperbolic tangent of u, not of x": {**right, "v": np.tanh(x)},
            "w = v + x is a sum, not a product": {**right, "w": right["v"] * x},
            "p = y w is a product, not a sum": {**right, "p": y + right["w"]}}


forward_pass = Marks(reference=_forward, mistakes=_forward_mistakes)


def _adjoints(x, y, *, dw_through_p=True, tanh_prime=lambda u, v: 1 - v * v, dx_through_u=True,
              dx_direct=True, dy_through_u=True, dy_through_p=True) -> dict:
    """The adjoints of the graph; the keywords drop or change one local step, to compute a known mistake."""
    c = _forward(x, y)
    df_dp = c["w"]
    df_dw = c["p"] + dw_through_p * df_dp * y
    df_du = df_dw * tanh_prime(c["u"], c["v"])
    df_dx = dx_through_u * df_du * y + dx_direct * df_dw
    df_dy = dy_through_u * df_du * x + dy_through_p * df_dp * c["w"]
    return {"df_dp": df_dp, "df_dw": df_dw, "df_dv": df_dw, "df_du": df_du, "df_dx": df_dx, "df_dy": df_dy}


def _backward_mistakes(x, y, cache) -> dict:
    known = {
        "∂f/∂w counts one path only: w reaches f directly (f = w p) and through p = y w, and here the two "
        "contributions happen to be equal": {"dw_through_p": False},
        "tanh'(u) = 1 - tanh²(u) = 1 - v², not 1 - u²": {"tanh_prime": lambda u, v: 1 - u * u},
        "tanh'(u) = 1 - v², with v squared: 1 - v is not it": {"tanh_prime": lambda u, v: 1 - v},
        "the factor tanh'(u) is missing from ∂f/∂u": {"tanh_prime": lambda u, v: 1.0},
        "∂f/∂x misses the path through w = v + x: x reaches f through u and directly through w":
            {"dx_direct": False},
        "∂f/∂x misses the path through u = x y: x reaches f through u as well as through w": {"dx_through_u": False},
        "∂f/∂y misses the path through p = y w: y reaches f through u and through p": {"dy_through_p": False},
        "∂f/∂y misses the path through u = x y: y reaches f through p as well as through u": {"dy_through_u": False},
    }
    return {description: _adjoints(x, y, **change) for description, change in known.items()}


backward_pass = Marks(reference=lambda x, y, cache: _adjoints(x, y), mistakes=_backward_mistakes)


def _delta_rule(W1, b1, W2, b2, X, T, alpha, *, online=True, propagate_first=True, sign=1.0,
                hidden_prime=lambda a: 1 - a * a, biases=1.0) -> tuple:
    """One epoch, example by example; the keywords change one step, to compute a known mistake."""
    params = [np.array(p, dtype=np.float64) for p in (W1, b1, W2, b2)]
    total = [np.zeros_like(p) for p in params]
    for n in range(X.shape[1]):
        x, t = X[:, n:n + 1], T[:, n:n + 1]
        W1, b1, W2, b2 = params
        a = np.tanh(W1 @ x + b1)
        Delta_k = sign * (t - (W2 @ a + b2))
        W2_after = W2 + alpha * Delta_k @ a.T
        Delta_j = hidden_prime(a) * ((W2 if propagate_first else W2_after).T @ Delta_k)
        steps = [alpha * Delta_j @ x.T, biases * alpha * Delta_j, alpha * Delta_k @ a.T, biases * alpha * Delta_k]
        if online:
            params = [p + s for p, s in zip(params, steps, strict=True)]
        else:
            total = [acc + s for acc, s in zip(total, steps, strict=True)]
    return tuple(params) if online else tuple(p + s for p, s in zip(params, total, strict=True))


def _delta_rule_mistakes(W1, b1, W2, b2, X, T, alpha) -> dict:
    args = (W1, b1, W2, b2, X, T, alpha)
    known = {
        "the weights changed only once, after the whole epoch: online learning updates them after every example, "
        "so the next example already sees the new weights": {"online": False},
        "Δ_j was propagated with W2 already updated: propagate the Δ values back first, then update the weights "
        "between the two layers": {"propagate_first": False},
        "the step goes uphill: with Δ_k = t_k - y_k the update adds α a_j Δ_k": {"sign": -1.0},
        "this is the sigmoid's derivative a (1 - a); the hidden units are tanh, g'(in_j) = 1 - a_j²":
            {"hidden_prime": lambda a: a * (1 - a)},
        "the factor g'(in_j) = 1 - a_j² is missing from the hidden units' Δ_j": {"hidden_prime": lambda a: 1.0},
        "the biases were not updated: a bias is a weight from an input that is always 1, b += α Δ":
            {"biases": 0.0},
    }
    return {description: _delta_rule(*args, **change) for description, change in known.items()}


delta_rule_epoch = Marks(reference=_delta_rule, mistakes=_delta_rule_mistakes)
