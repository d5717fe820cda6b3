r"""Marking of assignment a4: the gradients of the network of :mod:`course_lib.tasks.a4` (biases, softplus
hidden units, a sigmoid output with binary cross-entropy) and of a 2–2–1 ReLU network done by hand.

The closed forms and the catalogues of known mistakes are named by the test cells as
``marks="a4.output_delta"`` and so on; the parameter gradients are compared with centred differences of
:func:`course_lib.tasks.a4.objective`. The hand network's judges name the wrong entry and the likely mistake,
never the right number, and judge the hidden numbers against the student's own ∂E/∂o.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from ..checks import Marks
from ..gradcheck import rel_error
from ..tasks.a4 import softplus

#: Library functions that compute an answer of a4; an answer cell that uses one is flagged to the instructor.
ANSWERS = ("course_lib.two_layer.two_layer_backward", "course_lib.network.deep_backward",
           "course_lib.network.MLP", "course_lib.layers.linear_backward")

#: Relative error accepted for numbers worked out by hand (rounded to a few digits).
HAND_TOLERANCE = 1e-3


def gradients(x, y, W1, b1, W2, b2, lam) -> dict[str, np.ndarray]:
    """Every gradient of :func:`objective`, in the order the backward pass finds them (the grader's closed form)."""
    z1 = W1 @ x + b1
    h = softplus(z1)
    dJ_dz2 = (sigmoid(W2 @ h + b2) - y) / x.shape[1]
    dJ_dh = W2.T @ dJ_dz2
    dJ_dz1 = dJ_dh * sigmoid(z1)
    return {"dJ_dz2": dJ_dz2, "dJ_dW2": dJ_dz2 @ h.T + lam * W2, "dJ_db2": dJ_dz2.sum(axis=1, keepdims=True),
            "dJ_dh": dJ_dh, "dJ_dz1": dJ_dz1, "dJ_dW1": dJ_dz1 @ x.T + lam * W1,
            "dJ_db1": dJ_dz1.sum(axis=1, keepdims=True)}


def _only(keys: tuple[str, ...]):
    return lambda *args: {key: value for key, value in gradients(*args).items() if key in keys}


def _output_delta_mistakes(x, y, W1, b1, W2, b2, lam) -> dict:
    right = gradients(x, y, W1, b1, W2, b2, lam)["dJ_dz2"]
    p = sigmoid(W2 @ softplus(W1 @ x + b1) + b2)
    return {"that is the squared error's δ, (p − y) σ'(z2) / n: with the cross-entropy, σ'(z2) = p(1 − p) "
            "cancels against the 1/(p(1 − p)) of ∂ℓ/∂p": {"dJ_dz2": right * p * (1 - p)},
            f"you divided by the {y.shape[0]} outputs as well: J sums over the outputs and takes the mean over "
            "the examples only": {"dJ_dz2": right / y.shape[0]}}


def _output_params_mistakes(x, y, W1, b1, W2, b2, lam) -> dict:
    g = gradients(x, y, W1, b1, W2, b2, lam)
    z1 = W1 @ x + b1
    return {"you used z1 where h = softplus(z1) belongs (∂J/∂W2 = ∂J/∂z2 hᵀ + λW2)":
            {"dJ_dW2": g["dJ_dz2"] @ z1.T + lam * W2},
            "the bias got a penalty term λb2: the penalty (λ/2)(‖W1‖² + ‖W2‖²) has no biases in it":
            {"dJ_db2": g["dJ_db2"] + lam * b2},
            "the penalty's gradient is λW2: the ½ in (λ/2)‖W2‖² cancels the 2 from the square":
            {"dJ_dW2": g["dJ_dW2"] - lam / 2 * W2}}


def _hidden_delta_mistakes(x, y, W1, b1, W2, b2, lam) -> dict:
    g = gradients(x, y, W1, b1, W2, b2, lam)
    z1 = W1 @ x + b1
    s = sigmoid(z1)
    return {"you multiplied by σ'(z1) = σ(z1)(1 − σ(z1)), the sigmoid's derivative; softplus' derivative is σ(z1) "
            "itself": {"dJ_dz1": g["dJ_dh"] * s * (1 - s)},
            "you multiplied by softplus(z1) = h where its derivative σ(z1) belongs":
            {"dJ_dz1": g["dJ_dh"] * softplus(z1)},
            "φ' was applied to h: softplus'(z1) = σ(z1) takes z1, not h":
            {"dJ_dz1": g["dJ_dh"] * sigmoid(softplus(z1))},
            "∂J/∂z1 has no factor softplus'(z1) = σ(z1): the activation sits between z1 and h": {"dJ_dz1": g["dJ_dh"]},
            "that is ∂J/∂z1: ∂J/∂h = W2ᵀ ∂J/∂z2 comes before the factor σ(z1)": {"dJ_dh": g["dJ_dz1"]}}


def _hidden_params_mistakes(x, y, W1, b1, W2, b2, lam) -> dict:
    g = gradients(x, y, W1, b1, W2, b2, lam)
    wrong = _hidden_delta_mistakes(x, y, W1, b1, W2, b2, lam)
    mistakes = {f"∂J/∂W1 and ∂J/∂b1 are built from ∂J/∂z1, and the one used here is wrong: {why}": {
        "dJ_dW1": w["dJ_dz1"] @ x.T + lam * W1, "dJ_db1": w["dJ_dz1"].sum(axis=1, keepdims=True)}
        for why, w in wrong.items() if "dJ_dz1" in w}
    mistakes["the bias got a penalty term λb1: the penalty has no biases in it"] = {"dJ_db1": g["dJ_db1"] + lam * b1}
    mistakes["the penalty's gradient is λW1: the ½ in (λ/2)‖W1‖² cancels the 2 from the square"] = {
        "dJ_dW1": g["dJ_dW1"] - lam / 2 * W1}
    return mistakes


output_delta = Marks(reference=_only(("dJ_dz2",)), mistakes=_output_delta_mistakes)
output_params = Marks(mistakes=_output_params_mistakes)
hidden_delta = Marks(reference=_only(("dJ_dh", "dJ_dz1")), mistakes=_hidden_delta_mistakes)
hidden_params = Marks(mistakes=_hidden_params_mistakes)


# Part B: the 2–2–1 network worked by hand, E = ½ (o − y)² for one example, ReLU hidden units, linear output.
HAND = {"x": np.array([[2.0], [-1.0]]), "W1": np.array([[1.0, 3.0], [0.5, -1.0]]), "b1": np.array([[0.5], [-0.5]]),
        "W2": np.array([[-1.0, 2.0]]), "b2": np.array([[-1.0]]), "y": np.array([[0.5]])}
HAND_SHAPES = {"dE_do": (), "dE_dW2": (1, 2), "dE_db2": (), "dE_dh": (2,), "dE_dz1": (2,), "dE_dW1": (2, 2),
               "dE_db1": (2,)}


def hand_forward(x, W1, b1, W2, b2):
    """The hand network's forward pass: z1, h = ReLU(z1) and the output o, all columns."""
    z1 = W1 @ x + b1
    h = np.maximum(z1, 0.0)
    return z1, h, W2 @ h + b2


def hand_reference(dE_do: float | None = None) -> dict[str, np.ndarray]:
    """The hand network's gradients; given ``dE_do``, the hidden ones that follow from it (error carried forward)."""
    net = HAND
    z1, h, o = hand_forward(net["x"], net["W1"], net["b1"], net["W2"], net["b2"])
    dE_do = float((o - net["y"]).item()) if dE_do is None else dE_do
    dE_dh = dE_do * net["W2"].ravel()
    dE_dz1 = dE_dh * (z1.ravel() > 0)
    return {"dE_do": np.array(dE_do), "dE_dW2": dE_do * h.T, "dE_db2": np.array(dE_do), "dE_dh": dE_dh,
            "dE_dz1": dE_dz1, "dE_dW1": np.outer(dE_dz1, net["x"]), "dE_db1": dE_dz1}


def _hand_mistakes(dE_do: float) -> dict[str, dict[str, np.ndarray]]:
    right = hand_reference(dE_do)
    z1, h, _ = hand_forward(HAND["x"], HAND["W1"], HAND["b1"], HAND["W2"], HAND["b2"])
    return {
        "the sign: E = ½(o − y)², so ∂E/∂o = o − y, not y − o": {"dE_do": -right["dE_do"]},
        "the ½ in E = ½(o − y)² cancels the 2 from the square": {"dE_do": 2 * right["dE_do"]},
        "that is ∂E/∂h: the weight gradient multiplies ∂E/∂o by the hidden activations h, not by W2":
            {"dE_dW2": right["dE_dh"].reshape(1, 2)},
        "you used z1 where h = ReLU(z1) belongs: ∂E/∂W2 = ∂E/∂o hᵀ": {"dE_dW2": dE_do * z1.T},
        "∂E/∂h = ∂E/∂o W2ᵀ comes before ReLU' (it is ∂E/∂z1 that has the zero)": {"dE_dh": right["dE_dz1"]},
        "a unit with z1 < 0 is off: ReLU'(z1) = 0 there, so no gradient reaches z1 or its weights":
            {"dE_dz1": right["dE_dh"], "dE_dW1": np.outer(right["dE_dh"], HAND["x"]), "dE_db1": right["dE_dh"]},
        "∂E/∂W1 is transposed: row j belongs to hidden unit j, ∂E/∂W1 = δ1 xᵀ": {"dE_dW1": right["dE_dW1"].T},
        "∂E/∂W1 multiplies δ1 by the input x, not by h": {"dE_dW1": np.outer(right["dE_dz1"], h)},
    }


def _as_number_array(value, shape: tuple) -> np.ndarray | None:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array.reshape(shape) if array.size == int(np.prod(shape)) else None


def _judge_hand(keys: tuple[str, ...], carried: bool):
    """A judge for some of the hand network's numbers; it names the entry and the mistake, never the value."""
    def judge(answer, *args) -> tuple[bool, str]:
        if not isinstance(answer, dict):
            return False, f"it should return a dict with the keys {', '.join(HAND_SHAPES)}"
        dE_do = None
        if carried:  # the hidden numbers are judged against the student's own ∂E/∂o, so one slip costs one part
            mine = _as_number_array(answer.get("dE_do"), ())
            dE_do = float(mine) if mine is not None and np.isfinite(mine) else None
        right = hand_reference(dE_do)
        wrong = _hand_mistakes(float(right["dE_do"]))
        for key in keys:
            shape = HAND_SHAPES[key]
            if key not in answer:
                return False, f"the dict has no {key!r}"
            mine = _as_number_array(answer[key], shape)
            if mine is None:
                size = "one number" if shape == () else f"{int(np.prod(shape))} numbers, shaped {shape}"
                return False, f"{key} should be {size}"
            if rel_error(mine, right[key]) < HAND_TOLERANCE:
                continue
            where = int(np.argmax(np.abs(mine - right[key]))) if shape else None
            entry = key if where is None else f"{key}[{', '.join(str(int(i)) for i in np.unravel_index(where, shape))}]"
            message = f"{entry} is wrong"
            for description, numbers in wrong.items():
                if key in numbers and rel_error(mine, np.reshape(numbers[key], shape)) < HAND_TOLERANCE:
                    return False, f"{message}. Likely mistake: {description}."
            return False, f"{message}: work it out again from the step before it."
        return True, f"correct: {', '.join(keys)}"
    return judge


hand_output = Marks(judge=_judge_hand(("dE_do", "dE_dW2", "dE_db2"), carried=False))
hand_hidden = Marks(judge=_judge_hand(("dE_dh", "dE_dz1", "dE_dW1", "dE_db1"), carried=True))
