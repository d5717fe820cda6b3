"""Bad input: a ValueError from course_lib itself that names what was expected and what came, never a
broadcasting error from deep inside NumPy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import course_lib
from course_lib import (
    MLP,
    deep_backward,
    deep_forward,
    delta_rule_epoch,
    get_activation,
    gradient_descent,
    half_squared_error,
    init_params,
    l2_penalty,
    least_squares,
    linear_backward,
    linear_forward,
    load_digits,
    one_hot,
    rel_error,
    sigmoid,
    softmax,
    softmax_cross_entropy,
    train_sgd,
    two_layer_forward,
    two_moons,
)

LIBRARY = Path(course_lib.__file__).parent
W, A, B = np.ones((2, 3)), np.ones((3, 5)), np.zeros((2, 1))
PARAMS = {"W1": np.ones((3, 2)), "b1": np.zeros((3, 1)), "W2": np.ones((2, 3)), "b2": np.zeros((2, 1))}
NAN_AT_1_0 = np.where(np.arange(15).reshape(3, 5) == 5, np.nan, 1.0)


def _model():
    return MLP([2, 3, 2], ["relu", "softmax"], loss="cross_entropy", reduction="mean", seed=0)


def _cache():
    return deep_forward(PARAMS, np.ones((2, 4)), ["relu", "identity"])[1]


CASES = {
    # shapes
    "a_prev rows": (lambda: linear_forward(W, np.ones((4, 5)), B), r"a_prev has shape \(4, 5\), expected \(3, any\)"),
    "bias length": (lambda: linear_forward(W, A, np.zeros((3, 1))), r"b has shape \(3, 1\), expected \(2, 1\)"),
    "bias as a batch": (lambda: linear_forward(W, A, np.zeros((2, 5))), r"b has shape \(2, 5\), expected \(2, 1\)"),
    "delta shape": (lambda: linear_backward(np.ones((3, 5)), (W, A)), r"delta has shape \(3, 5\), expected \(2, 5\)"),
    "targets": (lambda: half_squared_error(np.ones((2, 4)), np.ones((3, 4)), reduction="sum"),
                r"y has shape \(3, 4\), expected \(2, 4\)"),
    "labels count": (lambda: softmax_cross_entropy(np.ones((3, 4)), np.arange(5) % 3, reduction="sum"),
                     r"y has shape \(5,\), expected \(4,\)"),
    "labels range": (lambda: softmax_cross_entropy(np.ones((3, 2)), np.array([0, 3]), reduction="sum"),
                     r"labels must lie in 0\.\.2; got 0\.\.3"),
    "Phi columns": (lambda: least_squares(np.ones(3), np.ones((5, 2)), np.ones(5)),
                    r"Phi has shape \(5, 2\), expected \(any, 3\)"),
    "two-layer x": (lambda: two_layer_forward(np.ones((4, 2)), np.ones((2, 2)), W, np.ones((2, 2)), lam=0,
                                              reduction="sum"), r"x has shape \(4, 2\), expected \(3, any\)"),
    "two-layer W2": (lambda: two_layer_forward(A, np.ones((2, 5)), W, np.ones((2, 3)), lam=0, reduction="sum"),
                     r"W2 has shape \(2, 3\), expected \(any, 2\)"),
    "deep x": (lambda: deep_forward(PARAMS, np.ones((3, 4)), ["relu", "identity"]),
               r"x has shape \(3, 4\), expected \(2, any\)"),
    "layers do not chain": (lambda: deep_forward({**PARAMS, "W2": np.ones((2, 4))}, np.ones((2, 1)), ["relu", "relu"]),
                            r"W2 has shape \(2, 4\), expected \(any, 3\)"),
    "bias of a layer": (lambda: deep_forward({**PARAMS, "b1": np.zeros(3)}, np.ones((2, 1)), ["relu", "relu"]),
                        r"b1 has shape \(3,\), expected \(3, 1\)"),
    "missing key": (lambda: deep_forward({"W1": np.ones((3, 2))}, np.ones((2, 1)), ["relu"]),
                    r"params must hold W1, b1, …, WL, bL; got keys \['W1'\]"),
    "activation count": (lambda: deep_forward(PARAMS, np.ones((2, 1)), ["relu"]),
                         r"2 layers need 2 activations; got 1"),
    "deep targets": (lambda: deep_backward(PARAMS, _cache(), np.ones((3, 4)), loss="squared", reduction="sum"),
                     r"y has shape \(3, 4\), expected \(2, 4\)"),
    "delta rule targets": (lambda: delta_rule_epoch(W, np.ones((1, 2)), A, np.ones((2, 5)), alpha=0.1),
                           r"T has shape \(2, 5\), expected \(1, 5\)"),
    "sgd labels": (lambda: train_sgd(_model(), np.ones((2, 4)), np.zeros(3, int), epochs=1, batch_size=2, lr=0.1,
                                     seed=0, progress=False), r"y has shape \(3,\), expected \(4,\) labels"),
    "accuracy labels": (lambda: _model().accuracy(np.ones((2, 4)), np.zeros(3)),
                        r"labels has shape \(3,\), expected \(4,\)"),
    "rel_error": (lambda: rel_error(np.ones(3), np.ones((3, 1))), r"got \(3,\) and \(3, 1\)"),
    "a 3-D batch": (lambda: half_squared_error(np.ones((2, 2, 2)), np.ones((2, 2, 2)), reduction="sum"),
                    r"y_hat must be 1-D .* or 2-D .*; got shape \(2, 2, 2\)"),
    # dtypes
    "complex z": (lambda: sigmoid(np.array([1 + 2j])), r"z must hold real numbers \(float64\); got dtype complex128"),
    "complex W": (lambda: linear_forward(W * 1j, A, B), r"W must hold real numbers \(float64\); got dtype complex128"),
    "complex params": (lambda: deep_forward({**PARAMS, "W2": PARAMS["W2"] * 1j}, np.ones((2, 1)), ["relu", "relu"]),
                       r"W2 must be a NumPy array of real numbers \(float64\); got an array of dtype complex128"),
    "params as lists": (lambda: deep_forward({**PARAMS, "W1": [[1.0, 2.0]] * 3}, np.ones((2, 1)), ["relu", "relu"]),
                        r"W1 must be a NumPy array of real numbers \(float64\); got a list"),
    "strings": (lambda: softmax(np.array(["1", "2"])), r"z must hold real numbers \(float64\); got dtype <U1"),
    "string targets": (lambda: half_squared_error(np.ones(2), ["a", "b"], reduction="sum"), r"y must hold real.*<U1"),
    "ragged": (lambda: linear_forward([[1.0, 2.0], [3.0]], A, B), r"W must be an array of numbers; could not convert"),
    "float labels": (lambda: one_hot(np.array([0.0, 1.0]), 2), r"labels must be a 1-D array of integers; .*float64"),
    # non-finite entries
    "NaN input": (lambda: linear_forward(W, NAN_AT_1_0, B), r"a_prev has a non-finite entry nan at index \(1, 0\)"),
    "inf output": (lambda: half_squared_error(np.array([[1.0], [np.inf]]), np.ones((2, 1)), reduction="sum"),
                   r"y_hat has a non-finite entry inf at index \(1, 0\)"),
    "NaN logits": (lambda: softmax_cross_entropy(np.full((2, 1), np.nan), np.array([0]), reduction="sum"),
                   r"z has a non-finite entry nan at index \(0, 0\)"),
    "NaN batch": (lambda: deep_forward(PARAMS, NAN_AT_1_0[:2, :2].T, ["relu", "relu"]),
                  r"x has a non-finite entry nan at index \(0, 1\)"),
    "NaN lam": (lambda: l2_penalty([W], np.nan), r"lam \(λ\) must be a finite number >= 0; got nan"),
    # reductions, activations, losses and other settings
    "reduction": (lambda: half_squared_error(np.ones(2), np.ones(2), reduction="avg"),
                  r"reduction must be 'sum' or 'mean'; got 'avg'"),
    "deep reduction": (lambda: deep_backward(PARAMS, _cache(), np.ones((2, 4)), loss="squared", reduction="Mean"),
                       r"reduction must be 'sum' or 'mean'; got 'Mean'"),
    "model reduction": (lambda: MLP([2, 2], ["softmax"], loss="cross_entropy", reduction=None),
                        r"reduction must be 'sum' or 'mean'; got None"),
    "activation": (lambda: get_activation("sigmod"), r"unknown activation 'sigmod'; choose one of \['identity', "),
    "deep activation": (lambda: deep_forward(PARAMS, np.ones((2, 1)), ["relu", "sofmax"]),
                        r"unknown activation 'sofmax'"),
    "two-layer activation": (lambda: two_layer_forward(A, np.ones((2, 5)), W, np.ones((2, 2)), lam=0, phi="ReLU",
                                                       reduction="sum"), r"unknown activation 'ReLU'"),
    "hidden softmax": (lambda: deep_forward(PARAMS, np.ones((2, 1)), ["softmax", "softmax"]),
                       r"softmax may only be the last layer's activation"),
    "loss": (lambda: deep_backward(PARAMS, _cache(), np.ones((2, 4)), loss="mse", reduction="sum"),
             r"loss must be one of \('squared', 'cross_entropy'\); got 'mse'"),
    "negative lam": (lambda: deep_backward(PARAMS, _cache(), np.ones((2, 4)), loss="squared", reduction="sum", lam=-1),
                     r"lam \(λ\) must be a finite number >= 0; got -1"),
    "rate": (lambda: gradient_descent(lambda t: (0.0, t), np.ones(2), lr=0.0, steps=1), r"positive number; got 0.0"),
    "batch size": (lambda: train_sgd(_model(), np.ones((2, 4)), np.zeros(4, int), epochs=1, batch_size=0, lr=0.1,
                                     seed=0), r"batch_size must be a positive integer; got 0"),
    "test set half given": (lambda: train_sgd(_model(), np.ones((2, 4)), np.zeros(4, int), X_test=np.ones((2, 4)),
                                              epochs=1, batch_size=2, lr=0.1, seed=0),
                            r"X_test and y_test go together"),
    "sizes": (lambda: init_params([3], seed=0), r"at least two positive layer widths; got \[3\]"),
    "init scale": (lambda: init_params([3, 2], seed=0, scale="normal"),
                   r"'he', 'lecun', 'glorot' or a number; got 'normal'"),
    "moons": (lambda: two_moons(1), r"n must be at least 2; got 1"),
    "digits split": (lambda: load_digits(test_fraction=1.0), r"strictly between 0 and 1; got 1.0"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_raises_a_value_error_that_says_what_was_expected(case):
    call, message = CASES[case]
    with pytest.raises(ValueError, match=message) as excinfo:
        call()
    assert "broadcast" not in str(excinfo.value)
    assert LIBRARY in Path(excinfo.traceback[-1].path).parents  # raised by course_lib, not inside NumPy


def test_the_same_calls_with_good_input_run():
    """The fixtures above are right but for the one thing each case breaks."""
    linear_forward(W, A, B)
    deep_backward(PARAMS, _cache(), np.ones((2, 4)), loss="squared", reduction="sum", lam=0.1)
    two_layer_forward(A, np.ones((2, 5)), W, np.ones((2, 2)), lam=0, phi="relu", reduction="sum")
    train_sgd(_model(), np.ones((2, 4)), np.zeros(4, int), epochs=1, batch_size=2, lr=0.1, seed=0, progress=False)
    delta_rule_epoch(W, np.ones((1, 2)), A, np.ones((1, 5)), alpha=0.1)
