"""Common wrong answers to assignment a5 (softmax with a squared error, a residual network, a diagnosis)."""

from mutants import Mutant

DELTA, RESIDUAL, DIAGNOSE = "softmax_squared_delta", "residual_backward", "diagnose"
T_DELTA, T_RESIDUAL, T_DIAGNOSE = {"test_softmax_squared_delta"}, {"test_residual_backward"}, {"test_diagnose"}
VJP = "y_hat * (g - (y_hat * g).sum(axis=0, keepdims=True))"
SKIP = "dJ_da = through_z + dJ_da if l < L else through_z"

MUTANTS = [
    # part 1: the output δ; nothing else starts from it
    Mutant("the cross-entropy's δ", DELTA, [(VJP, "g")], T_DELTA, "cross-entropy's δ"),
    Mutant("only the Jacobian's diagonal", DELTA, [(VJP, "y_hat * (1 - y_hat) * g")], T_DELTA, "only the diagonal"),
    Mutant("softmax over the rows", DELTA, [("z.max(axis=0, keepdims=True)", "z.max(axis=1, keepdims=True)"),
                                            ("e.sum(axis=0, keepdims=True)", "e.sum(axis=1, keepdims=True)")],
           T_DELTA, "normalised each row"),
    Mutant("ŷ·g summed over the examples", DELTA, [("(y_hat * g).sum(axis=0", "(y_hat * g).sum(axis=1")], T_DELTA,
           "sum over the classes"),
    Mutant("without the 1/n of the mean", DELTA, [("g = (y_hat - y) / n", "g = y_hat - y")], T_DELTA,
           "summed over the batch"),
    Mutant("softmax without subtracting the maximum", DELTA,
           [("np.exp(z - z.max(axis=0, keepdims=True))", "np.exp(z)")], T_DELTA, "non-finite"),
    # part 2: the residual recursion, from a given δ⁽ᴸ⁾
    Mutant("the skip path forgotten", RESIDUAL, [(SKIP, "dJ_da = through_z")], T_RESIDUAL, "skip connection's path"),
    Mutant("the skip path through φ'", RESIDUAL,
           [(SKIP, "dJ_da = through_z + dJ_da * phi_prime(z[l]) if l < L else through_z")], T_RESIDUAL,
           "does not pass through φ'"),
    Mutant("hidden δ without φ'", RESIDUAL, [("delta = dJ_da * phi_prime(z[l - 1])", "delta = dJ_da")], T_RESIDUAL,
           "is missing from the hidden"),
    Mutant("φ' evaluated at a", RESIDUAL, [("phi_prime(z[l - 1])", "phi_prime(a[l - 1])")], T_RESIDUAL,
           "evaluated at a"),
    Mutant("db not summed over the batch", RESIDUAL, [("delta.sum(axis=1, keepdims=True)", "delta")], T_RESIDUAL,
           "one column"),
    Mutant("dW transposed", RESIDUAL, [("delta @ a[l - 1].T", "a[l - 1] @ delta.T")], T_RESIDUAL, "transpose"),
    # part 3: the diagnosis, from given δ's
    Mutant("squared norms", DIAGNOSE, [("np.sqrt(np.sum(deltas[l] ** 2))", "np.sum(deltas[l] ** 2)")], T_DIAGNOSE,
           "‖δ‖²"),
    Mutant("the L-th root", DIAGNOSE, [("(1 / (L - 1))", "(1 / L)")], T_DIAGNOSE, "(L − 1)-th root"),
    Mutant("the ratio upside down", DIAGNOSE, [("(norms[0] / norms[-1])", "(norms[-1] / norms[0])")], T_DIAGNOSE,
           "upside down"),
    Mutant("starved relative to the first layer", DIAGNOSE, [("tol * norms[-1]", "tol * norms[0]")], T_DIAGNOSE,
           "not the first layer's"),
    Mutant("norms from the output down", DIAGNOSE, [("range(1, L + 1)", "range(L, 0, -1)"),
                                                    ("(norms[0] / norms[-1])", "(norms[-1] / norms[0])"),
                                                    ("tol * norms[-1]", "tol * norms[0]")], T_DIAGNOSE,
           "layer 1 first"),
]
