r"""Marking of assignment a6: the judge of a stratified validation split, the momentum step's closed form, and
the judges of the classifier's accuracy bands.

The band judges (``a6.band_80_validation`` …, ``a6.band_80_test`` …) score the returned parameters on digits
the notebook never loads: the validation part of split 0's training digits for the visible checks, the
held-out test digits for the hidden ones. They run in the grader's process, outside the sandbox.
"""

from __future__ import annotations

import numpy as np

from ..checks import Marks
from ..data import load_digits
from ..network import deep_forward
from ..tasks.a6 import VISIBLE_SPLIT, held_out, training_digits

#: Library functions that compute an answer of a6; an answer cell that uses one is flagged to the instructor.
ANSWERS = ("course_lib.training.train_sgd", "course_lib.training.gradient_descent", "course_lib.data.load_digits")


def _validation_part(split: int) -> tuple[np.ndarray, np.ndarray]:
    X, y = training_digits(split)
    held = held_out(y.size)
    return X[:, held], y[held]


def _test_part(split: int) -> tuple[np.ndarray, np.ndarray]:
    digits = load_digits(seed=split)
    return digits.X_test, digits.y_test


# Part 1: the validation split --------------------------------------------------------------------------------

def _origins(X: np.ndarray, part) -> np.ndarray | None:
    """For each column of ``part``, the index of the equal column of ``X`` (-1 where there is none)."""
    part = np.asarray(part, dtype=np.float64)
    if part.ndim != 2 or part.shape[0] != X.shape[0]:
        return None
    where = {column.tobytes(): i for i, column in enumerate(X.T)}
    return np.array([where.get(np.ascontiguousarray(column).tobytes(), -1) for column in part.T], dtype=np.int64)


def _judge_split(answer, X, y, fraction, seed) -> tuple[bool, str]:
    if not isinstance(answer, (tuple, list)) or len(answer) != 4:
        return False, "validation_split should return four arrays: X_fit, y_fit, X_val, y_val"
    X_fit, y_fit, X_val, y_val = answer
    fit, val = _origins(X, X_fit), _origins(X, X_val)
    if fit is None or val is None:
        return False, f"X_fit and X_val should have {X.shape[0]} rows, one column per example, like X"
    labels_fit, labels_val = np.asarray(y_fit).ravel(), np.asarray(y_val).ravel()
    if labels_fit.shape != fit.shape or labels_val.shape != val.shape:
        return False, "y_fit and y_val should hold one label per column of X_fit and X_val"
    used = np.concatenate([fit, val])
    if np.any(used < 0):
        return False, "some returned columns are not columns of X: take whole columns, X[:, indices], and change none"
    if used.size != y.size or np.unique(used).size != y.size:
        return False, ("every example should land in exactly one part, once: some columns appear twice or are "
                       "missing (drawing with replacement does that; draw without replacement)")
    if np.any(labels_fit != y[fit]) or np.any(labels_val != y[val]):
        return False, ("the labels no longer match their columns: select X's columns and y's entries with the same "
                       "indices")
    for label in np.unique(y):
        count, members = int(np.sum(y[val] == label)), int(np.sum(y == label))
        if abs(count - fraction * members) > 1:
            return False, (f"the validation part holds {count} of the {members} examples of class {label}, "
                           f"not about {fraction:g} of them: draw round({fraction:g} × count) of every class")
    chosen = [(np.sort(val[y[val] == c]), np.flatnonzero(y == c)) for c in np.unique(y)]
    first = all(np.array_equal(mine, members[:mine.size]) for mine, members in chosen)
    last = all(np.array_equal(mine, members[members.size - mine.size:]) for mine, members in chosen)
    if first or last:
        return False, ("the validation examples are the first (or last) of every class: draw them at random, "
                       "with a generator seeded by seed")
    return True, f"correct: a stratified split, {val.size} of {y.size} examples for validation"


split = Marks(judge=_judge_split)


# Part 2: the momentum step ------------------------------------------------------------------------------------

def _momentum(theta, grad, velocity, lr, beta, *, mistake: str | None = None):
    """(θ + v′, v′) with v′ = βv − η g; ``mistake`` gives the known wrong versions."""
    new_velocity = beta * velocity - lr * grad
    if mistake == "uphill":
        new_velocity = beta * velocity + lr * grad
    elif mistake == "beta on both":
        new_velocity = beta * (velocity - lr * grad)
    elif mistake == "no beta":
        new_velocity = velocity - lr * grad
    elif mistake == "no rate":
        new_velocity = beta * velocity - grad
    step = velocity if mistake == "old velocity" else new_velocity
    return (new_velocity, theta + step) if mistake == "swapped" else (theta + step, new_velocity)


def _momentum_mistakes(theta, grad, velocity, lr, beta) -> dict:
    return {"the step went uphill: the velocity subtracts η × gradient": _momentum(theta, grad, velocity, lr, beta,
                                                                                   mistake="uphill"),
            "β multiplies the old velocity only: v ← βv − η g": _momentum(theta, grad, velocity, lr, beta,
                                                                          mistake="beta on both"),
            "the old velocity is not damped: v ← βv − η g, with β": _momentum(theta, grad, velocity, lr, beta,
                                                                              mistake="no beta"),
            "the learning rate is missing: the velocity takes −η × gradient":
            _momentum(theta, grad, velocity, lr, beta, mistake="no rate"),
            "the parameter moved by the old velocity: update v first, then θ ← θ + v with the new v":
            _momentum(theta, grad, velocity, lr, beta, mistake="old velocity"),
            "the pair is in the wrong order: return (new θ, new v)":
            _momentum(theta, grad, velocity, lr, beta, mistake="swapped")}


momentum = Marks(reference=_momentum, mistakes=_momentum_mistakes)


# Part 3: the classifier, in accuracy bands ---------------------------------------------------------------------

def _accuracy(params, X: np.ndarray, y: np.ndarray) -> tuple[float | None, str]:
    """The accuracy of ``params`` (ReLU hidden layers, softmax output) on ``X``, or None with the reason."""
    if not isinstance(params, dict):
        return None, (f"train should return the parameters {{'W1': …, 'b1': …, …}} as a dict; got "
                      f"{type(params).__name__} (an MLP object? return its .params)")
    try:
        L = sum(1 for key in params if str(key).startswith("W"))
        with np.errstate(all="ignore"):
            output, _ = deep_forward(params, X, ["relu"] * (L - 1) + ["softmax"])
    except (AttributeError, TypeError, ValueError, KeyError) as error:
        return None, ("train should return the parameters {'W1': …, 'b1': …, …} of a network from 64 inputs to "
                      f"10 outputs; with what it returned, the network cannot run: {error}")
    if not np.all(np.isfinite(output)):
        return None, ("the network's outputs are NaN or infinite: the training diverged. Check the validation "
                      "accuracies of your learning rates, and that each step goes downhill.")
    return float(np.mean(output.argmax(axis=0) == y)), ""


def _band(threshold: float, part: str):
    """A judge: pass when the trained network classifies at least ``threshold`` of the ``part`` digits."""
    def judge(params, X_train, y_train, seed) -> tuple[bool, str]:
        split_of = {"validation": _validation_part, "test": _test_part}[part]
        split = VISIBLE_SPLIT if part == "validation" else _split_of_training(X_train)
        X, y = split_of(split)
        accuracy, problem = _accuracy(params, X, y)
        if accuracy is None:
            return False, problem
        where = f"the {y.size} {'validation' if part == 'validation' else 'held-out test'} digits"
        if accuracy >= threshold:
            return True, f"{accuracy:.1%} of {where} right (this band needs {threshold:.0%})"
        if accuracy < 0.2:
            return False, (f"your network classifies {accuracy:.1%} of {where}, about what guessing gets "
                           "(10%): it learned nothing. Check that each step goes downhill with a learning rate "
                           "that is not tiny, that the loop runs over every minibatch, and that train returns the "
                           "trained parameters.")
        return False, (f"your network classifies {accuracy:.1%} of {where}; this band needs "
                       f"{threshold:.0%}. Things to try: more learning rates on your validation split (a wide "
                       "range, 0.001 to 0.3 with momentum 0.9), more epochs (15 or more), minibatches of 16 to 64 "
                       "reshuffled every epoch, a hidden layer of 32 to 128 ReLU units. (The test runs your "
                       "parameters with ReLU hidden layers and a softmax output, the network the task asks for.)")
    return judge


def _split_of_training(X_train: np.ndarray) -> int:
    """Which digits split ``X_train`` is the training part of (the hidden checks train on splits 1 to 3)."""
    for split in range(1, 4):
        X, _ = training_digits(split)
        if X.shape == X_train.shape and np.array_equal(X, X_train):
            return split
    raise LookupError("the hidden band checks train on the training digits of splits 1 to 3 only")


band_80_validation = Marks(judge=_band(0.80, "validation"))
band_90_validation = Marks(judge=_band(0.90, "validation"))
band_92_validation = Marks(judge=_band(0.92, "validation"))
band_80_test = Marks(judge=_band(0.80, "test"))
band_90_test = Marks(judge=_band(0.90, "test"))
band_92_test = Marks(judge=_band(0.92, "test"))
