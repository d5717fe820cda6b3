"""Gradient descent, minibatch SGD and the online delta rule; a seeded run on the real digits."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import (
    MLP,
    History,
    deep_backward,
    deep_forward,
    delta_rule_epoch,
    gradient_descent,
    least_squares,
    train_sgd,
    two_moons,
)

#: The delta rule's loops and the matrix form do the same float64 operations, only summed in another
#: order (Python's left-to-right sums against BLAS): they agree to a few ulps, far below 1e-12.
SAME_ARITHMETIC = 1e-12


def _matrix_step(W1, W2, x, t, alpha):
    """One online step in chapter 5's matrix form: sigmoid layers, no biases, E = ½‖y − t‖² summed."""
    params = {"W1": W1, "b1": np.zeros((W1.shape[0], 1)), "W2": W2, "b2": np.zeros((W2.shape[0], 1))}
    _, cache = deep_forward(params, x, ["sigmoid", "sigmoid"])
    E, grads, _ = deep_backward(params, cache, t, loss="squared", reduction="sum")
    return W1 - alpha * grads["W1"], W2 - alpha * grads["W2"], E


@pytest.mark.parametrize("seed", range(5))
def test_one_delta_rule_step_is_the_matrix_form(seed):
    rng = np.random.default_rng(seed)
    d, h, q = rng.integers(1, 6, size=3)
    W1, W2, x, t = rng.normal(size=(h, d)), rng.normal(size=(q, h)), rng.normal(size=(d, 1)), rng.random((q, 1))
    loops = delta_rule_epoch(W1, W2, x, t, alpha=0.7)
    matrix = _matrix_step(W1, W2, x, t, alpha=0.7)
    for got, want in zip(loops, matrix, strict=True):
        np.testing.assert_allclose(got, want, rtol=SAME_ARITHMETIC, atol=SAME_ARITHMETIC)
    assert not np.allclose(loops[0], W1) and not np.allclose(loops[1], W2)  # the step did move the weights


def test_a_delta_rule_epoch_is_one_matrix_step_per_example_in_turn():
    rng = np.random.default_rng(9)
    W1, W2, X, T = rng.normal(size=(3, 2)), rng.normal(size=(2, 3)), rng.normal(size=(2, 6)), rng.random((2, 6))
    V1, V2, total = W1, W2, 0.0
    for n in range(X.shape[1]):
        V1, V2, E = _matrix_step(V1, V2, X[:, [n]], T[:, [n]], alpha=0.5)
        total += E
    W1_new, W2_new, error = delta_rule_epoch(W1, W2, X, T, alpha=0.5)
    np.testing.assert_allclose(W1_new, V1, rtol=SAME_ARITHMETIC, atol=SAME_ARITHMETIC)
    np.testing.assert_allclose(W2_new, V2, rtol=SAME_ARITHMETIC, atol=SAME_ARITHMETIC)
    assert error == pytest.approx(total, rel=SAME_ARITHMETIC)


def test_gradient_descent_finds_the_least_squares_solution():
    rng = np.random.default_rng(2)
    Phi, y = rng.normal(size=(30, 3)), rng.normal(size=30)
    theta, history = gradient_descent(lambda t: least_squares(t, Phi, y), np.zeros(3), lr=0.01, steps=300)
    np.testing.assert_allclose(theta, np.linalg.lstsq(Phi, y, rcond=None)[0], rtol=1e-8)
    assert isinstance(history, History) and len(history.loss) == 300
    assert np.all(np.diff(history.loss) <= 1e-12)  # a small enough step never goes uphill (up to rounding)


def _moons_model_and_data(seed=0):
    X, labels = two_moons(64, seed=1)
    return MLP([2, 8, 2], ["tanh", "softmax"], loss="cross_entropy", reduction="mean", seed=seed), X, labels


def test_one_full_batch_epoch_is_one_gradient_step():
    model, X, labels = _moons_model_and_data()
    before = {key: value.copy() for key, value in model.params.items()}
    _, grads = model.loss_and_grads(X, labels)
    train_sgd(model, X, labels, epochs=1, batch_size=X.shape[1], lr=0.3, seed=0, progress=False)
    for key in before:  # a shuffled batch holds the same examples: only the order of the sums changes
        np.testing.assert_allclose(model.params[key], before[key] - 0.3 * grads[key], rtol=1e-12, atol=1e-14)


def test_minibatch_sgd_is_seeded_and_learns():
    runs = []
    for shuffle_seed in (5, 5, 6):
        model, X, labels = _moons_model_and_data()
        history = train_sgd(model, X, labels, epochs=30, batch_size=8, lr=0.5, seed=shuffle_seed, progress=False)
        runs.append((model.params, history))
    (params_a, history_a), (params_b, history_b), (params_c, _) = runs
    assert history_a == history_b and all(np.array_equal(params_a[k], params_b[k]) for k in params_a)
    assert not np.array_equal(params_a["W1"], params_c["W1"])  # the seed does set the shuffle
    assert history_a.loss[-1] < 0.5 * history_a.loss[0] and history_a.train_accuracy[-1] > 0.85
    assert len(history_a.loss) == len(history_a.train_accuracy) == 30 and history_a.test_accuracy == []


def test_sgd_on_regression_targets():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 40))
    Y = np.stack([X[0] - 2 * X[1], X[2] ** 2])
    model = MLP([3, 16, 2], ["tanh", "identity"], loss="squared", reduction="mean", seed=0, scale="lecun")
    history = train_sgd(model, X, Y, epochs=40, batch_size=10, lr=0.05, seed=0, progress=False)
    assert history.loss[-1] < 0.2 * history.loss[0] and history.train_accuracy == []


@pytest.mark.parametrize("progress", [False, True])
def test_the_progress_bar_can_be_switched_off(capsys, progress):
    model, X, labels = _moons_model_and_data()
    train_sgd(model, X, labels, epochs=2, batch_size=16, lr=0.1, seed=0, progress=progress)
    err = capsys.readouterr().err
    assert ("training" in err) == progress, err


@pytest.mark.slow
def test_digits_reach_95_percent_deterministically(digits):
    """One hidden layer of 64 ReLU units, softmax and cross-entropy, minibatch SGD: the book's chapter 6 run."""

    def run():
        model = MLP([64, 64, 10], ["relu", "softmax"], loss="cross_entropy", reduction="mean", seed=0)
        return train_sgd(model, digits.X_train, digits.y_train, epochs=30, batch_size=32, lr=0.1, seed=0,
                         X_test=digits.X_test, y_test=digits.y_test, progress=False)

    first, second = run(), run()
    assert first.test_accuracy[-1] >= 0.95, first.test_accuracy
    assert first == second  # every loss and accuracy, bit for bit
