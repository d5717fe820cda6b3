"""Common wrong answers to assignment a5 (the δ-recursion), each with the parts it must lose."""

from mutants import Mutant

DELTA, BACKWARD = "softmax_ce_delta", "backward_pass"
BOTH = {"test_softmax_ce_delta", "test_backward_pass"}  # backward_pass starts from softmax_ce_delta

MUTANTS = [
    # part 1: the output δ
    Mutant("δ without the 1/n of the mean", DELTA, [("delta = (y_hat - y) / n", "delta = y_hat - y")], BOTH,
           "summed over the batch"),
    Mutant("δ = (y − ŷ) / n", DELTA, [("(y_hat - y) / n", "(y - y_hat) / n")], BOTH, "wrong sign"),
    Mutant("softmax over the rows", DELTA, [("z.max(axis=0, keepdims=True)", "z.max(axis=1, keepdims=True)"),
                                            ("e.sum(axis=0, keepdims=True)", "e.sum(axis=1, keepdims=True)")],
           BOTH, "normalised each row"),
    Mutant("softmax without subtracting the maximum", DELTA,
           [("np.exp(z - z.max(axis=0, keepdims=True))", "np.exp(z)")], {"test_softmax_ce_delta"}, "overflow"),
    Mutant("each row's maximum subtracted", DELTA, [("z.max(axis=0, keepdims=True)", "z.max(axis=1, keepdims=True)")],
           BOTH, "each row's maximum"),
    Mutant("δ divided by the number of classes", DELTA, [("n = z.shape[1]", "n = z.shape[0]")], BOTH,
           "number of classes"),
    # part 2: the recursion
    Mutant("dW with a⁽ˡ⁾ for a⁽ˡ⁻¹⁾", BACKWARD, [("delta @ a[l - 1].T", "delta @ a[l].T")], {"test_backward_pass"},
           "off by one"),
    Mutant("hidden δ without φ'(z)", BACKWARD, [(" * get_activation(activations[l - 2]).phi_prime(z[l - 1])", "")],
           {"test_backward_pass"}, "is missing from the hidden"),
    Mutant("φ' evaluated at a", BACKWARD, [("phi_prime(z[l - 1])", "phi_prime(a[l - 1])")], {"test_backward_pass"},
           "evaluated at a"),
    Mutant("φ' evaluated at the layer above", BACKWARD, [("phi_prime(z[l - 1])", "phi_prime(z[l])")],
           {"test_backward_pass"}, "layer above"),
    Mutant("W for Wᵀ in the recursion", BACKWARD, [('params[f"W{l}"].T @ delta', 'params[f"W{l}"] @ delta')],
           {"test_backward_pass"}, "transpose belongs"),
    Mutant("db not summed over the batch", BACKWARD, [("delta.sum(axis=1, keepdims=True)", "delta")],
           {"test_backward_pass"}, "expected (4, 1)"),
    Mutant("db averaged over the batch", BACKWARD,
           [("delta.sum(axis=1, keepdims=True)", "delta.mean(axis=1, keepdims=True)")], {"test_backward_pass"},
           "mean over the batch where the sum belongs"),
]
