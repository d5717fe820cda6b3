"""Common wrong answers to assignment a1 (partial derivatives), each of which must lose exactly its part's points."""

from mutants import Mutant

STEPS = """        d_h = (f(x + h * e_i) - f(x - h * e_i)) / (2 * h)
        d_2h = (f(x + 2 * h * e_i) - f(x - 2 * h * e_i)) / (4 * h)"""
LOOP = """        e_i = np.zeros(x.shape)
        e_i[i] = 1.0
""" + STEPS
STABLE = """    t = np.exp(-np.abs(z))  # in (0, 1]: cannot overflow; σ' is even, so σ'(z) = σ'(|z|)
    return t / (1.0 + t) ** 2"""
ANSWER = "return 2 * x * y + y * inner, x**2 + x * inner"

MUTANTS = [
    Mutant(name="the plain centred difference", cell="numerical_gradient",
           replace=[("grad[i] = (4 * d_h - d_2h) / 3", "grad[i] = d_h")],
           fails={"test_numerical_gradient"}, says="plain centred difference"),
    Mutant(name="weights swapped", cell="numerical_gradient",
           replace=[("grad[i] = (4 * d_h - d_2h) / 3", "grad[i] = (4 * d_2h - d_h) / 3")],
           fails={"test_numerical_gradient"}, says="weights are swapped"),
    Mutant(name="weights that do not add up to 1", cell="numerical_gradient",
           replace=[("grad[i] = (4 * d_h - d_2h) / 3", "grad[i] = 4 * d_h - d_2h")],
           fails={"test_numerical_gradient"}, says="divide by 3"),
    Mutant(name="perturbs x in place and never restores it", cell="numerical_gradient",
           replace=[(LOOP, """        x[i] += h
        f_1 = f(x)
        x[i] -= 2 * h
        f_2 = f(x)
        x[i] += 3 * h
        f_3 = f(x)
        x[i] -= 4 * h
        d_h = (f_1 - f_2) / (2 * h)
        d_2h = (f_3 - f(x)) / (4 * h)""")],
           fails={"test_numerical_gradient"}, says="not restored"),
    Mutant(name="ignores h", cell="numerical_gradient",
           replace=[(STEPS, STEPS.replace("h *", "1e-3 *").replace("* h)", "* 1e-3)"))],
           fails={"test_numerical_gradient"}, says="ignored the argument h"),
    Mutant(name="loops over the rows of a 2-D x", cell="numerical_gradient",
           replace=[("for i in np.ndindex(x.shape):", "for i in range(len(x)):")],
           fails={"test_numerical_gradient"}, says="np.ndindex"),
    Mutant(name="f(x - s) - f(x + s)", cell="numerical_gradient",
           replace=[("(f(x + h * e_i) - f(x - h * e_i))", "(f(x - h * e_i) - f(x + h * e_i))"),
                    ("(f(x + 2 * h * e_i) - f(x - 2 * h * e_i))", "(f(x - 2 * h * e_i) - f(x + 2 * h * e_i))")],
           fails={"test_numerical_gradient"}, says="plus side first"),
    Mutant(name="sin differentiated without its inner derivative", cell="partials",
           replace=[(ANSWER, "return 2 * x * y + inner, x**2 + inner")],
           fails={"test_partials"}, says="inner derivative"),
    Mutant(name="derivative of sin taken as -cos", cell="partials",
           replace=[("inner = np.cos(x * y)", "inner = -np.cos(x * y)")],
           fails={"test_partials"}, says="+cos"),
    Mutant(name="partials returned in the wrong order", cell="partials",
           replace=[(ANSWER, "return x**2 + x * inner, 2 * x * y + y * inner")],
           fails={"test_partials"}, says="order"),
    Mutant(name="y dropped from d(x²y)/dx", cell="partials",
           replace=[("2 * x * y + y", "2 * x + y")],
           fails={"test_partials"}, says="constant factor"),
    Mutant(name="inner derivatives swapped", cell="partials",
           replace=[(ANSWER, "return 2 * x * y + x * inner, x**2 + y * inner")],
           fails={"test_partials"}, says="swapped"),
    Mutant(name="sigmoid instead of its derivative", cell="sigmoid_prime",
           replace=[(STABLE, "    return 1 / (1 + np.exp(-z))")],
           fails={"test_sigmoid_prime"}, says="σ(z) itself"),
    Mutant(name="σ(1 + σ)", cell="sigmoid_prime",
           replace=[(STABLE, "    s = 1 / (1 + np.exp(-z))\n    return s * (1 + s)")],
           fails={"test_sigmoid_prime"}, says="sign inside the bracket"),
    Mutant(name="naive exp(-z) / (1 + exp(-z))² gives nan at -1000", cell="sigmoid_prime",
           replace=[("np.exp(-np.abs(z))", "np.exp(-z)")],
           fails={"test_sigmoid_prime"}, says="overflow"),
    Mutant(name="naive σ(1 - σ) loses the negative tail to overflow", cell="sigmoid_prime",
           replace=[(STABLE, "    s = 1 / (1 + np.exp(-z))\n    return s * (1 - s)")],
           fails={"test_sigmoid_prime"}, says="overflowed"),
    Mutant(name="a stable σ, then σ(1 - σ): the positive tail cancels to 0", cell="sigmoid_prime",
           replace=[("    return t / (1.0 + t) ** 2",
                     "    s = np.where(z >= 0, 1 / (1 + t), t / (1 + t))\n    return s * (1 - s)")],
           fails={"test_sigmoid_prime"}, says="1 - σ(z) rounds to 0"),
    Mutant(name="stable, but the denominator not squared", cell="sigmoid_prime",
           replace=[("t / (1.0 + t) ** 2", "t / (1.0 + t)")],
           fails={"test_sigmoid_prime"}, says="squared"),
]
