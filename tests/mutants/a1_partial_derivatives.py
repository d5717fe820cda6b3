"""Common wrong answers to assignment a1 (partial derivatives), each of which must lose exactly its part's points."""

from mutants import Mutant

CENTRED = """        x_plus = x.copy()
        x_plus[i] += h
        x_minus = x.copy()
        x_minus[i] -= h
        grad[i] = (f(x_plus) - f(x_minus)) / (2 * h)"""
STABLE = """    e = np.exp(-np.abs(z))  # in (0, 1]: cannot overflow; σ' is even, so σ'(z) = σ'(|z|)
    return e / (1.0 + e) ** 2"""

MUTANTS = [
    Mutant(name="forward difference", cell="numerical_gradient",
           replace=[("(f(x_plus) - f(x_minus)) / (2 * h)", "(f(x_plus) - f(x)) / h")],
           fails={"test_numerical_gradient"}, says="forward difference"),
    Mutant(name="divides by h instead of 2h", cell="numerical_gradient",
           replace=[("/ (2 * h)", "/ h")],
           fails={"test_numerical_gradient"}, says="divides by 2h"),
    Mutant(name="x_plus and x_minus alias x", cell="numerical_gradient",
           replace=[("x_plus = x.copy()", "x_plus = x"), ("x_minus = x.copy()", "x_minus = x")],
           fails={"test_numerical_gradient"}, says="x.copy()"),
    Mutant(name="perturbs x in place and never restores it", cell="numerical_gradient",
           replace=[(CENTRED, """        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        grad[i] = (f_plus - f(x)) / (2 * h)""")],
           fails={"test_numerical_gradient"}, says="not restored"),
    Mutant(name="ignores h", cell="numerical_gradient",
           replace=[(CENTRED, CENTRED.replace("h", "1e-5"))],
           fails={"test_numerical_gradient"}, says="ignored the argument h"),
    Mutant(name="loops over the rows of a 2-D x", cell="numerical_gradient",
           replace=[("for i in np.ndindex(x.shape):", "for i in range(len(x)):")],
           fails={"test_numerical_gradient"}, says="np.ndindex"),
    Mutant(name="f(x - h) - f(x + h)", cell="numerical_gradient",
           replace=[("(f(x_plus) - f(x_minus))", "(f(x_minus) - f(x_plus))")],
           fails={"test_numerical_gradient"}, says="plus side first"),
    Mutant(name="sin differentiated without its inner derivative", cell="partials",
           replace=[("2 * x * y + y * np.cos(x * y)", "2 * x * y + np.cos(x * y)"),
                    ("x**2 + x * np.cos(x * y)", "x**2 + np.cos(x * y)")],
           fails={"test_partials"}, says="inner derivative"),
    Mutant(name="derivative of sin taken as -cos", cell="partials",
           replace=[("+ y * np.cos(x * y)", "- y * np.cos(x * y)"), ("+ x * np.cos(x * y)", "- x * np.cos(x * y)")],
           fails={"test_partials"}, says="+cos"),
    Mutant(name="partials returned in the wrong order", cell="partials",
           replace=[("return df_dx, df_dy", "return df_dy, df_dx")],
           fails={"test_partials"}, says="order"),
    Mutant(name="y dropped from d(x²y)/dx", cell="partials",
           replace=[("2 * x * y + y", "2 * x + y")],
           fails={"test_partials"}, says="constant factor"),
    Mutant(name="inner derivatives swapped", cell="partials",
           replace=[("2 * x * y + y * np.cos(x * y)", "2 * x * y + x * np.cos(x * y)"),
                    ("x**2 + x * np.cos(x * y)", "x**2 + y * np.cos(x * y)")],
           fails={"test_partials"}, says="swapped"),
    Mutant(name="sigmoid instead of its derivative", cell="sigmoid_prime",
           replace=[(STABLE, "    return 1 / (1 + np.exp(-z))")],
           fails={"test_sigmoid_prime"}, says="σ(z) itself"),
    Mutant(name="σ(1 + σ)", cell="sigmoid_prime",
           replace=[(STABLE, "    s = 1 / (1 + np.exp(-z))\n    return s * (1 + s)")],
           fails={"test_sigmoid_prime"}, says="σ(z) (1 - σ(z))"),
    Mutant(name="naive exp(-z) / (1 + exp(-z))² gives nan at -1000", cell="sigmoid_prime",
           replace=[("np.exp(-np.abs(z))", "np.exp(-z)")],
           fails={"test_sigmoid_prime"}, says="overflow"),
    Mutant(name="naive σ(1 - σ) loses the tail to overflow", cell="sigmoid_prime",
           replace=[(STABLE, "    s = 1 / (1 + np.exp(-z))\n    return s * (1 - s)")],
           fails={"test_sigmoid_prime"}, says="overflowed"),
    Mutant(name="stable, but the denominator not squared", cell="sigmoid_prime",
           replace=[("e / (1.0 + e) ** 2", "e / (1.0 + e)")],
           fails={"test_sigmoid_prime"}, says="squared"),
]
