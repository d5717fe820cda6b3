"""Common wrong answers to assignment a3 (the chain rule), each of which must lose exactly its part's points."""

from mutants import Mutant

MUTANTS = [
    Mutant(name="b = exp(x)", cell="forward_pass", replace=[("b = np.exp(a)", "b = np.exp(x)")],
           fails={"test_forward_pass"}, says="exp(x²)"),
    Mutant(name="c = a b", cell="forward_pass", replace=[("c = a + b\n", "c = a * b\n")],
           fails={"test_forward_pass"}, says="c = a + b"),
    Mutant(name="e = sin(c)", cell="forward_pass", replace=[("e = np.cos(c)", "e = np.sin(c)")],
           fails={"test_forward_pass"}, says="cos(c)"),
    Mutant(name="f = d e", cell="forward_pass", replace=[("f = d + e\n", "f = d * e\n")],
           fails={"test_forward_pass"}, says="f = d + e"),
    Mutant(name="∂c/∂a = 1: the path through b is forgotten", cell="backward_pass",
           replace=[("df_da = df_dc + df_db * b", "df_da = df_dc")],
           fails={"test_backward_pass"}, says="path through b"),
    Mutant(name="the chain factor 2x is missing", cell="backward_pass",
           replace=[("df_dx = df_da * 2 * x", "df_dx = df_da")], fails={"test_backward_pass"}, says="2x"),
    Mutant(name="d cos/dc = +sin", cell="backward_pass",
           replace=[("- df_de * np.sin(c)", "+ df_de * np.sin(c)")], fails={"test_backward_pass"}, says="-sin(c)"),
    Mutant(name="d√c/dc = 1/√c", cell="backward_pass",
           replace=[("df_dd * 0.5 / d", "df_dd / d")], fails={"test_backward_pass"}, says="1/(2√c)"),
]
