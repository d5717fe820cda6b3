"""Common wrong answers to assignment a4 (biases, softplus, sigmoid with cross-entropy; a 2–2–1 network by hand)."""

from mutants import Mutant

A, H = "backward", "hand_gradients"
PART_A = {"test_output_delta", "test_output_params", "test_hidden_delta", "test_hidden_params"}
HIDDEN = {"test_hidden_delta", "test_hidden_params"}  # ∂J/∂z1 feeds ∂J/∂W1 and ∂J/∂b1
OUTPUT = {"test_hand_output"}
DELTA2 = "dJ_dz2 = (p - y) / n"

# The hand network's numbers, right and wrong: a wrong ∂E/∂o carried through correctly costs only the output group.
W1_RIGHT = '"dE_dW1": [[0.0, 0.0], [6.0, -3.0]]'
RIGHT = ['"dE_do": 1.5,', '"dE_dW2": [[0.0, 2.25]],', '"dE_db2": 1.5,', '"dE_dh": [-1.5, 3.0],',
         '"dE_dz1": [0.0, 3.0],', '"dE_dW1": [[0.0, 0.0], [6.0, -3.0]],', '"dE_db1": [0.0, 3.0],']


def carried(*numbers: str) -> list[tuple[str, str]]:
    """Replace every hand number by the ones given, in the order of RIGHT."""
    return [(old, f'"{old.split(chr(34))[1]}": {new},') for old, new in zip(RIGHT, numbers, strict=True)]


MUTANTS = [
    # the output δ: every later gradient is built from it, so each of these loses all of part A
    Mutant("δ2 summed over the batch", A, [(DELTA2, "dJ_dz2 = p - y")], PART_A, "summed over the batch"),
    Mutant("δ2 = (y − p)/n", A, [(DELTA2, "dJ_dz2 = (y - p) / n")], PART_A, "wrong sign"),
    Mutant("δ2 with σ'(z2), the squared error's δ", A, [(DELTA2, "dJ_dz2 = (p - y) * p * (1 - p) / n")], PART_A,
           "squared error's δ"),
    Mutant("δ2 divided by the number of outputs too", A, [(DELTA2, "dJ_dz2 = (p - y) / (n * y.shape[0])")], PART_A,
           "outputs as well"),
    Mutant("δ2 through ∂ℓ/∂p, NaN for a confident network", A,
           [(DELTA2, "dJ_dz2 = (-y / p + (1 - y) / (1 - p)) * p * (1 - p) / n")], {"test_output_delta"},
           "non-finite"),
    # the output layer
    Mutant("∂J/∂W2 without the penalty", A, [("dJ_dz2 @ h.T + lam * W2", "dJ_dz2 @ h.T")], {"test_output_params"},
           "penalty"),
    Mutant("∂J/∂b2 with a penalty", A, [("dJ_db2 = dJ_dz2.sum(axis=1, keepdims=True)",
                                         "dJ_db2 = dJ_dz2.sum(axis=1, keepdims=True) + lam * b2")],
           {"test_output_params"}, "no biases"),
    Mutant("∂J/∂W2 with z1 for h", A, [("dJ_dz2 @ h.T", "dJ_dz2 @ z1.T")], {"test_output_params"}, "z1 where h"),
    Mutant("∂J/∂b2 summed without keepdims", A, [("dJ_db2 = dJ_dz2.sum(axis=1, keepdims=True)",
                                                  "dJ_db2 = dJ_dz2.sum(axis=1)")], {"test_output_params"}, "keepdims"),
    # the hidden δ: ∂J/∂z1 feeds the hidden layer's gradients
    Mutant("softplus' taken as σ'(z1)", A, [("dJ_dh * sigmoid(z1)", "dJ_dh * sigmoid(z1) * (1 - sigmoid(z1))")],
           HIDDEN, "sigmoid's derivative"),
    Mutant("softplus' taken as softplus", A, [("dJ_dh * sigmoid(z1)", "dJ_dh * h")], HIDDEN, "= h where"),
    Mutant("softplus' evaluated at h", A, [("dJ_dh * sigmoid(z1)", "dJ_dh * sigmoid(h)")], HIDDEN, "applied to h"),
    Mutant("∂J/∂z1 without softplus'", A, [("dJ_dz1 = dJ_dh * sigmoid(z1)", "dJ_dz1 = dJ_dh")], HIDDEN,
           "no factor softplus'"),
    # the hidden layer
    Mutant("∂J/∂W1 without the penalty", A, [("dJ_dz1 @ x.T + lam * W1", "dJ_dz1 @ x.T")], {"test_hidden_params"},
           "penalty"),
    Mutant("∂J/∂b1 averaged over the batch", A, [("dJ_dz1.sum(axis=1, keepdims=True)",
                                                  "dJ_dz1.mean(axis=1, keepdims=True)")], {"test_hidden_params"},
           "mean over the batch"),
    Mutant("∂J/∂W1 transposed", A, [("dJ_dz1 @ x.T + lam * W1", "x @ dJ_dz1.T + lam * W1.T")],
           {"test_hidden_params"}, "transpose"),
    Mutant("∂J/∂W1 from ∂J/∂h", A, [("dJ_dz1 @ x.T", "dJ_dh @ x.T")], {"test_hidden_params"},
           "no factor softplus'"),
    # the network by hand: the output group
    Mutant("by hand: y − o for o − y, carried through", H,
           carried("-1.5", "[[0.0, -2.25]]", "-1.5", "[1.5, -3.0]", "[0.0, -3.0]", "[[0.0, 0.0], [-6.0, 3.0]]",
                   "[0.0, -3.0]"), OUTPUT, "not y − o"),
    Mutant("by hand: the ½ forgotten, carried through", H,
           carried("3.0", "[[0.0, 4.5]]", "3.0", "[-3.0, 6.0]", "[0.0, 6.0]", "[[0.0, 0.0], [12.0, -6.0]]",
                   "[0.0, 6.0]"), OUTPUT, "½"),
    Mutant("by hand: ∂E/∂W2 with W2 for h", H, [('"dE_dW2": [[0.0, 2.25]]', '"dE_dW2": [[-1.5, 3.0]]')], OUTPUT,
           "that is ∂E/∂h"),
    Mutant("by hand: ∂E/∂W2 with z1 for h", H, [('"dE_dW2": [[0.0, 2.25]]', '"dE_dW2": [[-0.75, 2.25]]')], OUTPUT,
           "z1 where h"),
    # the network by hand: the hidden group
    Mutant("by hand: gradient through the unit that is off", H,
           [('"dE_dz1": [0.0, 3.0]', '"dE_dz1": [-1.5, 3.0]'),
            (W1_RIGHT, '"dE_dW1": [[-3.0, 1.5], [6.0, -3.0]]'),
            ('"dE_db1": [0.0, 3.0]', '"dE_db1": [-1.5, 3.0]')], {"test_hand_hidden"}, "is off"),
    Mutant("by hand: ∂E/∂W1 transposed", H, [(W1_RIGHT, '"dE_dW1": [[0.0, 6.0], [0.0, -3.0]]')],
           {"test_hand_hidden"}, "transposed"),
    Mutant("by hand: ReLU' already in ∂E/∂h", H, [('"dE_dh": [-1.5, 3.0]', '"dE_dh": [0.0, 3.0]')],
           {"test_hand_hidden"}, "comes before"),
    Mutant("by hand: ∂E/∂W1 with h for x", H, [(W1_RIGHT, '"dE_dW1": [[0.0, 0.0], [0.0, 4.5]]')],
           {"test_hand_hidden"}, "not by h"),
]
