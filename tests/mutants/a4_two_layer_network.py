"""Common wrong answers to assignment a4 (the two-layer network), each with the parts it must lose."""

from mutants import Mutant

PART_A = {"test_dJ_do", "test_dJ_dW2", "test_dJ_dh", "test_dJ_dz", "test_dJ_dW1"}
PART_B = {"test_lecture_output", "test_lecture_hidden"}
A, B = "two_layer_backward", "lecture_backward"

MUTANTS = [
    # dJ_do: every later gradient is built from it, so each of these loses all of part A
    Mutant("dJ_do summed over the batch", A, [("dJ_do = (o - y) / n", "dJ_do = o - y")], PART_A,
           "summed over the batch"),
    Mutant("dJ_do = y - o", A, [("(o - y) / n", "(y - o) / n")], PART_A, "wrong sign"),
    Mutant("dJ_do without the ½ cancelling the 2", A, [("(o - y) / n", "2 * (o - y) / n")], PART_A, "factor 2"),
    # dJ_dW2
    Mutant("dJ_dW2 without the penalty", A, [("dJ_do @ h.T + lam * W2", "dJ_do @ h.T")], {"test_dJ_dW2"}, "penalty"),
    Mutant("dJ_dW2 with the penalty twice", A, [("lam * W2", "2 * lam * W2")], {"test_dJ_dW2"}, "once too often"),
    Mutant("dJ_dW2 with z for h", A, [("dJ_do @ h.T", "dJ_do @ z.T")], {"test_dJ_dW2"}, "z where h"),
    Mutant("dJ_dW2 with half the penalty", A, [("lam * W2", "lam / 2 * W2")], {"test_dJ_dW2"}, "cancels the 2"),
    Mutant("dJ_dW2 transposed", A, [("dJ_do @ h.T + lam * W2", "h @ dJ_do.T")], {"test_dJ_dW2"}, "transposed"),
    # dJ_dh
    Mutant("dJ_dh with φ'(z) already", A, [("dJ_dh = W2.T @ dJ_do", "dJ_dh = W2.T @ dJ_do * sigmoid_prime(z)")],
           {"test_dJ_dh", "test_dJ_dz", "test_dJ_dW1"}, "that is dJ_dz"),
    Mutant("dJ_dh from o - y, without the mean", A, [("W2.T @ dJ_do", "W2.T @ (o - y)")],
           {"test_dJ_dh", "test_dJ_dz", "test_dJ_dW1"}, "summed over the batch"),
    Mutant("dJ_dh with W2 for W2ᵀ (crashes, so every part fails)", A, [("W2.T @ dJ_do", "W2 @ dJ_do")], PART_A,
           "raised ValueError"),
    # dJ_dz
    Mutant("dJ_dz without φ'(z)", A, [("dJ_dh * sigmoid_prime(z)", "dJ_dh")], {"test_dJ_dz", "test_dJ_dW1"},
           "no factor φ'(z)"),
    Mutant("dJ_dz with φ'(h)", A, [("sigmoid_prime(z)", "sigmoid_prime(h)")], {"test_dJ_dz", "test_dJ_dW1"},
           "applied to h"),
    Mutant("dJ_dz with φ(z) for φ'(z)", A, [("sigmoid_prime(z)", "sigmoid(z)")], {"test_dJ_dz", "test_dJ_dW1"},
           "φ(z) = h where φ'(z) belongs"),
    # dJ_dW1
    Mutant("dJ_dW1 without the penalty", A, [("dJ_dz @ x.T + lam * W1", "dJ_dz @ x.T")], {"test_dJ_dW1"}, "penalty"),
    Mutant("dJ_dW1 with half the penalty", A, [("lam * W1", "lam / 2 * W1")], {"test_dJ_dW1"}, "cancels the 2"),
    Mutant("dJ_dW1 transposed", A, [("dJ_dz @ x.T + lam * W1", "x @ dJ_dz.T")], {"test_dJ_dW1"}, "transposed"),
    Mutant("dJ_dW1 from dJ_dh, skipping φ'(z)", A, [("dJ_dz @ x.T", "dJ_dh @ x.T")], {"test_dJ_dW1"},
           "lacks it too"),
    # part B, output layer: δ2 feeds δ1, so a wrong δ2 loses both parts
    Mutant("δ2 without σ'(Z2)", B, [("(f2 - Y) * sigmoid_prime(Z2)", "(f2 - Y)")], PART_B, "σ'(Z2) is missing"),
    Mutant("δ2 = (Y - f2) σ'(Z2)", B, [("(f2 - Y)", "(Y - f2)")], PART_B, "wrong sign"),
    Mutant("δ2 averaged where E is a sum", B, [("sigmoid_prime(Z2)\n", "sigmoid_prime(Z2) / X.shape[1]\n")], PART_B,
           "mean over the batch where the sum belongs"),
    Mutant("dE_db1 not summed over the examples", B,
           [("dE_db1 = delta2.sum(axis=1, keepdims=True)", "dE_db1 = delta2")], {"test_lecture_output"},
           "expected (2, 1)"),
    # part B, first layer
    Mutant("δ1 without σ'(Z1)", B, [("(A1.T @ delta2) * sigmoid_prime(Z1)", "A1.T @ delta2")], {"test_lecture_hidden"},
           "σ'(Z1) is missing"),
    Mutant("dE_dA0 transposed", B, [("delta1 @ f0.T", "f0 @ delta1.T")], {"test_lecture_hidden"}, "transpose"),
    Mutant("dE_db0 summed without keepdims", B, [("dE_db0 = delta1.sum(axis=1, keepdims=True)",
                                                  "dE_db0 = delta1.sum(axis=1)")], {"test_lecture_hidden"},
           "expected (3, 1)"),
    Mutant("δ1 with A1 for A1ᵀ (crashes, so both parts fail)", B, [("A1.T @ delta2", "A1 @ delta2")], PART_B,
           "raised ValueError"),
]
