"""The reverse-mode engine (course_lib.autodiff) against HIPS autograd, centred differences and the library.

Random programs are drawn by hypothesis and run twice: once on the engine's values, once in
``autograd.numpy``, which differentiates them independently. Every operation appears, shapes
broadcast against each other, a value may be used twice by one operation or by several, and two
losses may share values. The engine must also reproduce the hand-derived passes of chapters 4 and 5.
"""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import assume, given
from hypothesis import strategies as st

from course_lib import autodiff as ad
from course_lib import (
    deep_backward,
    deep_forward,
    numerical_gradient,
    one_hot,
    rel_error,
    softmax_cross_entropy,
    two_layer_backward,
    two_layer_forward,
)
from tests.strategies import SETTINGS, Network, hidden_activations, lams, networks, reductions, seeds, sizes

#: Both sides compute in float64 with the same formulas rounded in a different order (about 1e-15);
#: 1e-10 leaves room for long graphs and still fails any wrong rule by many orders of magnitude.
AUTOGRAD_TOL = 1e-10
#: The engine against the library's hand-derived passes: the same arithmetic, so agreement to rounding.
LIBRARY_TOL = 1e-12
#: Centred differences (step 1e-5) of smooth functions of order-one values.
NUMERIC_TOL = 1e-7

UNARY = {
    "tanh": (ad.tanh, anp.tanh),
    "sigmoid": (ad.sigmoid, lambda z: 0.5 * (anp.tanh(0.5 * z) + 1.0)),  # σ written differently on purpose
    "relu": (ad.relu, lambda z: anp.maximum(z, 0.0)),
    "exp": (ad.exp, anp.exp),
    "square": (ad.square, lambda z: z * z),
    "cos": (ad.cos, anp.cos),
    # log and sqrt need positive inputs: they act on 1 + z², which adds nodes but still runs their rules
    "log": (lambda z: ad.log(1.0 + ad.square(z)), lambda z: anp.log(1.0 + z**2)),
    "sqrt": (lambda z: ad.sqrt(1.0 + ad.square(z)), lambda z: anp.sqrt(1.0 + z**2)),
}
BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
}


def _log_softmax(z):
    shifted = z - anp.max(z, axis=0, keepdims=True)
    return shifted - anp.log(anp.sum(anp.exp(shifted), axis=0, keepdims=True))


def _cross_entropy(z, Y, reduction):
    per_example = -anp.sum(Y * _log_softmax(z), axis=0)
    return anp.sum(per_example) if reduction == "sum" else anp.mean(per_example)


class Program:
    """A random computation on a pool of values whose shapes all broadcast to (m, n).

    Each step appends one value to the pool; ``run`` replays the steps with either the engine's values
    or autograd's arrays, so that the two sides compute the same function.
    """

    SHAPES = ("mn", "m1", "1n", "n", "1", "")

    def __init__(self, draw, length: int):
        self.m, self.n = draw(sizes), draw(sizes)
        self.rng = np.random.default_rng(draw(seeds))
        self.leaves = [self.array(shape) for shape in self.SHAPES]
        self.steps = []
        shapes = [leaf.shape for leaf in self.leaves]
        for _ in range(length):
            kind = draw(st.sampled_from(["unary", "binary", "matmul", "reduce", "cross_entropy"]))
            i, j = draw(st.integers(0, len(shapes) - 1)), draw(st.integers(0, len(shapes) - 1))
            shape = shapes[i]
            if kind == "unary":
                step = ("unary", draw(st.sampled_from(sorted(UNARY))), i)
            elif kind == "binary":  # i == j is a value used twice by one operation
                step = ("binary", draw(st.sampled_from(sorted(BINARY))), i, j)
                shape = np.broadcast_shapes(shapes[i], shapes[j])
            elif kind == "matmul" and len(shape) == 2:  # a new weight on the left or on the right
                left = draw(st.booleans())
                W = self.array((self.m, shape[0]) if left else (shape[1], self.n))
                step = ("matmul", left, i, len(self.leaves))
                self.leaves.append(W)
                shape = (self.m, shape[1]) if left else (shape[0], self.n)
            elif kind == "cross_entropy" and len(shape) == 2:
                Y = self.rng.dirichlet(np.ones(shape[0]), size=shape[1]).T  # probability columns
                step = ("cross_entropy", draw(reductions), i, Y)
                shape = ()
            else:  # sum or mean over everything, or over axis 0 (which keeps the shape in the family)
                axis = draw(st.sampled_from([None, 0])) if shape else None
                step = ("reduce", draw(st.sampled_from(["sum", "mean"])), i, axis)
                shape = np.sum(np.zeros(shape), axis=axis).shape
            self.steps.append(step)
            shapes.append(shape)
        self.weights = [self.array(shapes[k]) for k in range(len(shapes))]  # for the losses' projections

    def array(self, shape):
        if isinstance(shape, str):
            shape = tuple({"m": self.m, "n": self.n, "1": 1}[c] for c in shape)
        return self.rng.normal(size=shape)

    def run(self, leaves, engine: bool) -> list:
        side = 0 if engine else 1
        pool = list(leaves[: len(self.SHAPES)])
        for step in self.steps:
            kind, what, i = step[:3]
            if kind == "unary":
                pool.append(UNARY[what][side](pool[i]))
            elif kind == "binary":
                pool.append(BINARY[what][side](pool[i], pool[step[3]]))
            elif kind == "matmul":
                W = leaves[step[3]]
                A, B = (W, pool[i]) if what else (pool[i], W)
                pool.append(A @ B if engine else anp.dot(A, B))
            elif kind == "cross_entropy":
                pool.append(ad.softmax_cross_entropy(pool[i], step[3], reduction=what) if engine
                            else _cross_entropy(pool[i], step[3], what))
            else:
                pool.append((getattr(ad, what) if engine else getattr(anp, what))(pool[i], axis=step[3]))
        return pool

    def loss(self, pool, k: int, engine: bool):
        """A scalar from pool value k: the sum of its entries weighted by fixed random numbers."""
        return ad.sum(pool[k] * self.weights[k]) if engine else anp.sum(pool[k] * self.weights[k])


@st.composite
def programs(draw, max_length: int = 8) -> Program:
    program = Program(draw, draw(st.integers(1, max_length)))
    pool = program.run(program.leaves, engine=False)
    assume(all(np.all(np.abs(v) < 1e8) for v in pool))  # a chain of squares and exps may overflow: redraw
    return program


def _engine_gradients(program: Program, losses: list[int]):
    leaves = [ad.Value(x) for x in program.leaves]
    pool = program.run(leaves, engine=True)
    total = program.loss(pool, losses[0], True)
    for k in losses[1:]:
        total = total + program.loss(pool, k, True)
    ad.backward(total)
    # a leaf the losses do not depend on is not on the walk and keeps grad None: its gradient is 0
    return total.data, [np.zeros_like(x) if leaf.grad is None else leaf.grad
                        for x, leaf in zip(program.leaves, leaves, strict=True)]


def _autograd_gradients(program: Program, losses: list[int]):
    def f(leaves):
        pool = program.run(leaves, engine=False)
        return sum(program.loss(pool, k, False) for k in losses)

    return f(program.leaves), grad(f)(list(program.leaves))


def _assert_gradients_agree(mine: list, reference: list):
    """Every leaf's gradient, measured against the largest gradient entry of the graph (at least 1).

    rel_error's floor of 1e-8 would call 1e-17 against an exact 0 (a one-class softmax, a cancelled
    path) a relative error of 1e-9; what matters is the error at the scale of the problem's gradients.
    """
    scale = max(1.0, *(float(np.max(np.abs(r), initial=0.0)) for r in reference))
    for k, (a, b) in enumerate(zip(mine, reference, strict=True)):
        assert a.shape == np.shape(b), f"leaf {k}: shape {a.shape}, expected {np.shape(b)}"
        assert np.max(np.abs(a - b), initial=0.0) < AUTOGRAD_TOL * scale, f"leaf {k}"


@SETTINGS
@given(program=programs())
def test_random_graphs_agree_with_autograd(program):
    last = len(program.SHAPES) + len(program.steps) - 1
    value, mine = _engine_gradients(program, [last])
    expected_value, reference = _autograd_gradients(program, [last])
    assert value == pytest.approx(expected_value, rel=AUTOGRAD_TOL, abs=1e-300)
    _assert_gradients_agree(mine, reference)


@SETTINGS
@given(program=programs(), data=st.data())
def test_two_losses_sharing_values(program, data):
    """Two losses on one graph: the gradient of their sum is the sum of their gradients, and autograd's."""
    count = len(program.SHAPES) + len(program.steps)
    first, second = data.draw(st.integers(0, count - 1)), data.draw(st.integers(0, count - 1))
    _, one = _engine_gradients(program, [first])
    _, two = _engine_gradients(program, [second])
    _, both = _engine_gradients(program, [first, second])
    _, reference = _autograd_gradients(program, [first, second])
    _assert_gradients_agree(both, [a + b for a, b in zip(one, two, strict=True)])
    _assert_gradients_agree(both, reference)


def test_a_value_used_twice_gets_both_contributions():
    """x·x and the chapter-3 pattern: c used by two operations, a reached along two paths."""
    x = ad.Value(np.array([0.5, -1.2, 2.0]))
    ad.backward(ad.sum(x * x))
    assert rel_error(x.grad, 2 * x.data) < LIBRARY_TOL

    a = ad.square(x)
    c = a + ad.exp(a)
    f = ad.sum(ad.sqrt(c) + ad.cos(c))
    ad.backward(f)
    xs = x.data
    cs = xs**2 + np.exp(xs**2)
    closed_form = 2 * xs * (1 / (2 * np.sqrt(cs)) - np.sin(cs)) * (1 + np.exp(xs**2))  # chapter 3, MML eq. 5.110
    assert rel_error(x.grad, closed_form) < LIBRARY_TOL


@pytest.mark.parametrize("name", sorted(ad.RULES))
def test_every_rule_against_centred_differences(name):
    """⟨g, f(x + h e_i)⟩ by centred differences for every input of every rule (HIPS's check_vjp idea)."""
    rng = np.random.default_rng(sorted(ad.RULES).index(name))
    m, n = 3, 4
    if name == "matmul":
        inputs, make = [rng.normal(size=(m, 2)), rng.normal(size=(2, n))], ad.matmul
    elif name in ("add", "sub", "mul"):
        inputs, make = [rng.normal(size=(m, n)), rng.normal(size=(m, 1))], getattr(ad, name)
    elif name in ("sum", "mean"):
        inputs, make = [rng.normal(size=(m, n))], lambda v: getattr(ad, name)(v, axis=1)
    elif name == "softmax_cross_entropy":
        labels = rng.integers(0, m, size=n)
        inputs, make = [rng.normal(size=(m, n))], lambda v: ad.softmax_cross_entropy(v, labels, reduction="mean")
    else:
        low = 0.5 if name in ("log", "sqrt") else -2.0
        inputs, make = [rng.uniform(low, 2.0, size=(m, n))], getattr(ad, name)
    values = [ad.Value(x) for x in inputs]
    out = make(*values)
    assert out.op == name
    g = rng.normal(size=out.shape)
    ad.backward(out, g)
    for k, value in enumerate(values):
        def projected(x, k=k):
            return float(np.sum(g * make(*[ad.Value(x if j == k else v) for j, v in enumerate(inputs)]).data))
        numeric = numerical_gradient(projected, inputs[k].copy())
        assert rel_error(value.grad, numeric) < NUMERIC_TOL, f"{name}, input {k}"


def test_unbroadcast_sums_over_the_copied_axes():
    g = np.arange(24.0).reshape(2, 3, 4)
    assert ad.unbroadcast(g, (3, 4)).shape == (3, 4)
    assert np.array_equal(ad.unbroadcast(g, (3, 1)), g.sum(axis=(0, 2))[:, None])
    assert np.array_equal(ad.unbroadcast(g, ()), g.sum())
    assert ad.unbroadcast(g, (2, 3, 4)) is g


def _deep_parameters(net: Network) -> dict[str, ad.Value]:
    return {key: ad.Value(value, name=key) for key, value in net.params.items()}


@SETTINGS
@given(net=networks())
def test_deep_network_equals_deep_backward(net):
    """Chapter 5's network on the engine: the same J and every gradient deep_backward returns, to 1e-12."""
    _, cache = deep_forward(net.params, net.x, net.activations)
    J, grads, _ = deep_backward(net.params, cache, net.y, loss=net.loss, reduction=net.reduction, lam=net.lam)
    params = _deep_parameters(net)
    objective = ad.deep_objective(params, net.x, net.y, net.activations, loss=net.loss, reduction=net.reduction,
                                  lam=net.lam)
    ad.backward(objective)
    assert float(objective.data) == pytest.approx(J, rel=LIBRARY_TOL)
    for key, value in params.items():
        assert rel_error(value.grad, grads[key]) < LIBRARY_TOL, key


@SETTINGS
@given(seed=seeds, d=sizes, h=sizes, q=sizes, n=sizes, phi=hidden_activations, reduction=reductions, lam=lams)
def test_two_layer_network_equals_two_layer_backward(seed, d, h, q, n, phi, reduction, lam):
    """Chapter 4's J = L + s network, squared error, no biases: every named intermediate gradient."""
    rng = np.random.default_rng(seed)
    x, y, W1, W2 = rng.normal(size=(d, n)), rng.normal(size=(q, n)), rng.normal(size=(h, d)), rng.normal(size=(q, h))
    cache = two_layer_forward(x, y, W1, W2, lam=lam, phi=phi, loss="squared", reduction=reduction)
    grads = two_layer_backward(cache)
    V1, V2 = ad.Value(W1), ad.Value(W2)
    z = V1 @ x
    hidden = ad.PHI[phi](z)
    o = V2 @ hidden
    L = (0.5 if reduction == "sum" else 0.5 / n) * ad.sum(ad.square(o - y))
    J = L + 0.5 * lam * (ad.sum(ad.square(V1)) + ad.sum(ad.square(V2)))
    ad.backward(J)
    assert float(J.data) == pytest.approx(cache["J"], rel=LIBRARY_TOL)
    for name, value in {"dJ_do": o, "dJ_dh": hidden, "dJ_dz": z, "dJ_dW1": V1, "dJ_dW2": V2}.items():
        assert rel_error(value.grad, grads[name]) < LIBRARY_TOL, name


def test_edges_and_order():
    """One rule call per node with parents, one adjoint per edge; parents always come first."""
    W, x, b = ad.Value(np.ones((2, 3))), ad.Value(np.ones((3, 4))), ad.Value(np.ones((2, 1)))
    z = W @ x + b
    J = ad.sum(ad.tanh(z) * ad.tanh(z))  # tanh(z) built twice: two nodes, both fed by z
    order = ad.backward(J)
    assert order[-1] is J and len(order) == 9
    assert ad.count_edges(order) == 9  # matmul 2, add 2, tanh 1 + 1, mul 2, sum 1
    position = {id(node): k for k, node in enumerate(order)}
    assert all(position[id(p)] < position[id(node)] for node in order for p in node.parents)


def test_deep_graphs_need_no_recursion():
    x = ad.Value(np.array(0.3))
    y = x
    for _ in range(5000):
        y = ad.tanh(y)
    ad.backward(y)
    assert np.isfinite(x.grad)


def test_a_number_becomes_a_leaf_and_float64():
    v = ad.Value([1, 2, 3])
    assert v.data.dtype == np.float64
    out = 2 * v - 1
    ad.backward(ad.sum(out))
    assert np.array_equal(v.grad, [2.0, 2.0, 2.0])


@pytest.mark.parametrize(("build", "says"), [
    (lambda: ad.Value(np.ones((2, 3))) @ ad.Value(np.ones((2, 3))), r"\(2, 3\).*\(2, 3\)"),
    (lambda: ad.Value(np.ones(3)) @ ad.Value(np.ones((3, 2))), "2-D"),
    (lambda: ad.Value(np.ones((2, 3))) + ad.Value(np.ones((3, 2))), "do not broadcast"),
    (lambda: ad.softmax_cross_entropy(np.ones((3, 4)), np.zeros(3, dtype=int), reduction="sum"), r"\(4,\)"),
    (lambda: ad.softmax_cross_entropy(np.ones((3, 4)), np.ones((4, 3)), reduction="sum"), r"expected \(3, 4\)"),
    (lambda: ad.softmax_cross_entropy(np.ones((3, 4)), np.zeros(4, dtype=int), reduction="avg"), "reduction"),
    (lambda: ad.sum(np.ones((2, 3)), axis=2), "axis"),
    (lambda: ad.backward(ad.Value(np.ones(3))), "seed"),
    (lambda: ad.backward(ad.Value(np.ones(3)), np.ones(2)), r"expected \(3,\)"),
    (lambda: ad.Value(np.array([1.0, np.nan])), "non-finite"),
    (lambda: ad.Value(["a"]), "real numbers"),
])
def test_bad_input_raises_a_clear_value_error(build, says):
    with pytest.raises(ValueError, match=says):
        build()


def test_a_rule_returning_the_wrong_shape_is_named():
    W, x = ad.Value(np.ones((2, 3))), ad.Value(np.ones((3, 4)))
    J = ad.sum(W @ x)
    transposed = dict(ad.RULES, matmul=lambda g, out, A, B: (B @ g.T, A.T @ g))
    with pytest.raises(ValueError, match="'matmul'.*shape"):
        ad.backward(J, rules=transposed)


def test_cross_entropy_matches_the_library_and_stays_finite():
    z = np.array([[1000.0, -1000.0], [0.0, 3.0], [-1000.0, 1000.0]])
    labels = np.array([0, 2])
    for reduction in ("sum", "mean"):
        zv = ad.Value(z)
        J = ad.softmax_cross_entropy(zv, labels, reduction=reduction)
        ad.backward(J)
        expected_J, delta = softmax_cross_entropy(z, labels, reduction=reduction)
        assert float(J.data) == pytest.approx(expected_J) and np.all(np.isfinite(zv.grad))
        assert rel_error(zv.grad, delta) < LIBRARY_TOL
    assert rel_error(one_hot(labels, 3), ad.softmax_cross_entropy(z, labels, reduction="sum").constants[0]) == 0
