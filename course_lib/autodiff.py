r"""A small reverse-mode automatic differentiator on NumPy arrays (chapter 7).

A :class:`Value` holds an array, the values it was computed from (its *parents*), the name of the
operation and any constants the operation needed. Each operation has a **rule**, a pure function that
turns the adjoint $\bar v = \partial J/\partial v$ of its output into the adjoints of its inputs: a
vector-Jacobian product (VJP). Every rule has the signature ::

    rule(g, out, *inputs, *constants) -> tuple of adjoints, one per input, shaped like it

where ``g`` is the output's adjoint, ``out`` the output's value and ``inputs`` the parents' values.
:func:`backward` orders the graph so that every value comes after its parents
(:func:`topological_order`), walks it from the output back, calls one rule per node, and adds the
adjoints that arrive at a value used more than once (chapter 3, eq. ``adjoint-rule``).

Columns are examples, as everywhere in the book: ``W @ a + b`` with ``W`` ``(n_out, n_in)``, ``a``
``(n_in, N)`` and ``b`` ``(n_out, 1)`` broadcast over the ``N`` columns. float64 throughout.
"""

from __future__ import annotations

import builtins
import functools
from collections.abc import Callable, Mapping

import numpy as np

from ._validate import as_float_array, expect_reduction
from .activations import log_softmax, relu, sigmoid, softmax
from .losses import one_hot

Rule = Callable[..., tuple]


class Value:
    """A node of the graph: ``data`` (a float64 array) and ``grad``.

    ``grad`` is the node's adjoint, set by :func:`backward`. ``Value(x)``
    makes a leaf, such as a weight matrix or a batch of inputs. Operations
    on values (``+``, ``-``, ``*``, ``@``, the functions of this module) make
    new values that remember their parents, so that the backward pass can
    walk the graph.
    """

    __slots__ = ("data", "grad", "parents", "op", "constants")

    def __init__(self, data, *, name: str = "x"):
        self.data = as_float_array(name, data)
        self.grad: np.ndarray | None = None
        self.parents: tuple[Value, ...] = ()
        self.op = "leaf"
        self.constants: tuple = ()

    @classmethod
    def result(cls, data: np.ndarray, op: str, parents: tuple[Value, ...],
               constants: tuple = ()) -> Value:
        """The value of operation ``op`` on ``parents``.

        No input checks: the operation made ``data``.
        """
        node = cls.__new__(cls)
        node.data, node.grad = data, None
        node.parents, node.op, node.constants = parents, op, constants
        return node

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    def __repr__(self) -> str:
        return f"Value(op={self.op!r}, shape={self.shape})"

    def __add__(self, other) -> Value:
        return add(self, other)

    def __radd__(self, other) -> Value:
        return add(other, self)

    def __sub__(self, other) -> Value:
        return sub(self, other)

    def __rsub__(self, other) -> Value:
        return sub(other, self)

    def __mul__(self, other) -> Value:
        return mul(self, other)

    def __rmul__(self, other) -> Value:
        return mul(other, self)

    def __neg__(self) -> Value:
        return mul(self, -1.0)

    def __matmul__(self, other) -> Value:
        return matmul(self, other)


def as_value(x) -> Value:
    """``x`` itself if it is a :class:`Value`, else a new leaf (a number becomes a 0-d array)."""
    return x if isinstance(x, Value) else Value(x)


# ---------------------------------------------------------------------------------------------------
# The rules: one vector-Jacobian product per operation
# ---------------------------------------------------------------------------------------------------

def unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    r"""Sum the adjoint ``g`` over the axes along which an input of ``shape`` was broadcast.

    Chapter 7, eq. ``vjp-broadcast``.

    Broadcasting copies an input; the copies are uses of the same value, so their adjoints add:
    a bias $b$ of shape ``(n, 1)`` added to every column of an ``(n, N)`` array gets
    $\bar b = \sum_{\text{columns}} \bar z$, the ``db = delta.sum(axis=1, keepdims=True)`` of chapter 5.
    """
    g = g.sum(axis=tuple(range(g.ndim - len(shape)))) if g.ndim > len(shape) else g
    axes = tuple(i for i, (n, m) in enumerate(zip(shape, g.shape, strict=True)) if n == 1 and m != 1)
    return g.sum(axis=axes, keepdims=True) if axes else g


def add_vjp(g, out, a, b) -> tuple[np.ndarray, np.ndarray]:
    r"""$c = a + b$: $\bar a = \bar c$, $\bar b = \bar c$, each summed over its broadcast axes.

    Chapter 7, eq. ``vjp-add``.
    """
    return unbroadcast(g, a.shape), unbroadcast(g, b.shape)


def sub_vjp(g, out, a, b) -> tuple[np.ndarray, np.ndarray]:
    r"""$c = a - b$: $\bar a = \bar c$, $\bar b = -\bar c$, each summed over its broadcast axes.

    Chapter 7, eq. ``vjp-add``.
    """
    return unbroadcast(g, a.shape), unbroadcast(-g, b.shape)


def mul_vjp(g, out, a, b) -> tuple[np.ndarray, np.ndarray]:
    r"""$c = a \odot b$: $\bar a = \bar c \odot b$, $\bar b = \bar c \odot a$.

    Each summed over the axes that broadcasting added (chapter 7,
    eq. ``vjp-mul``).
    """
    return unbroadcast(g * b, a.shape), unbroadcast(g * a, b.shape)


def matmul_vjp(g, out, A, B) -> tuple[np.ndarray, np.ndarray]:
    r"""$C = A B$: $\bar A = \bar C B^\top$, $\bar B = A^\top \bar C$ (chapter 7, eq. ``vjp-matmul``).

    With $A = W$ and $B = a$ these are chapter 5's $\partial J/\partial W = \delta a^\top$ and the
    $W^\top\delta$ that carries the error signal one layer down. Shapes: ``A`` ``(m, k)``, ``B`` ``(k, n)``,
    ``g`` ``(m, n)``.
    """
    return g @ B.T, A.T @ g


def tanh_vjp(g, out, z) -> tuple[np.ndarray]:
    r"""$a = \tanh z$: $\bar z = \bar a \odot (1 - a^2)$, from the stored output a.

    Chapter 7, eq. ``vjp-elementwise``.
    """
    return (g * (1.0 - out * out),)


def sigmoid_vjp(g, out, z) -> tuple[np.ndarray]:
    r"""$a = \sigma(z)$: $\bar z = \bar a \odot a \odot (1 - a)$.

    Chapter 7, eq. ``vjp-elementwise``.
    """
    return (g * out * (1.0 - out),)


def relu_vjp(g, out, z) -> tuple[np.ndarray]:
    r"""$a = \max(0, z)$: $\bar z = \bar a \odot [z > 0]$, 0 at the kink as in chapter 5 (eq. ``vjp-elementwise``)."""
    return (g * (z > 0),)


def exp_vjp(g, out, z) -> tuple[np.ndarray]:
    r"""$a = e^z$: $\bar z = \bar a \odot e^z$, the output itself (chapter 7, eq. ``vjp-elementwise``)."""
    return (g * out,)


def log_vjp(g, out, z) -> tuple[np.ndarray]:
    r"""$a = \log z$: $\bar z = \bar a / z$ (chapter 7, eq. ``vjp-elementwise``)."""
    return (g / z,)


def square_vjp(g, out, z) -> tuple[np.ndarray]:
    r"""$a = z^2$: $\bar z = 2\,\bar a \odot z$ (chapter 7, eq. ``vjp-elementwise``)."""
    return (2.0 * g * z,)


def sqrt_vjp(g, out, z) -> tuple[np.ndarray]:
    r"""$a = \sqrt z$: $\bar z = \bar a / (2\sqrt z)$, from the stored output (chapter 7, eq. ``vjp-elementwise``)."""
    return (0.5 * g / out,)


def cos_vjp(g, out, z) -> tuple[np.ndarray]:
    r"""$a = \cos z$: $\bar z = -\bar a \odot \sin z$ (chapter 7, eq. ``vjp-elementwise``)."""
    return (-g * np.sin(z),)


def sum_vjp(g, out, x, axis) -> tuple[np.ndarray]:
    r"""$s = \sum_{\text{axis}} x$: each $x_i$ gets the adjoint of its sum.

    Chapter 7, eq. ``vjp-sum``: $\partial s/\partial x_i = 1$, so
    $\bar x = \bar s$ copied back along the summed axis (``axis=None``: all
    of them); the opposite of :func:`unbroadcast`.
    """
    if axis is not None:
        g = np.expand_dims(g, axis)
    return (np.broadcast_to(g, x.shape),)


def mean_vjp(g, out, x, axis) -> tuple[np.ndarray]:
    r"""$m = \frac1n\sum_{\text{axis}} x$: $\bar x = \bar m / n$, copied back.

    Chapter 7, eq. ``vjp-sum``, with the $1/n$ of the mean ($n$ entries per
    mean), copied back along the axis.
    """
    (copied,) = sum_vjp(g, out, x, axis)
    return (copied * (out.size / x.size),)


def softmax_cross_entropy_vjp(g, out, z, Y, reduction) -> tuple[np.ndarray]:
    r"""$J = \sum_i -\sum_k Y_{ki} \log \mathrm{softmax}(z)_{ki}$ (or the mean): $\bar z = \bar J\,(\hat Y - Y)$ (/N).

    One fused rule (chapter 7, eq. ``vjp-softmax-ce``, which is chapter 5's eq. ``softmax-ce-delta``):
    the $K \times K$ softmax Jacobian of each column is never formed, because its product with
    $\partial\ell/\partial\hat y = -y/\hat y$ collapses to $\hat y - y$. Shapes: ``z`` and ``Y`` ``(K, N)``,
    ``g`` a 0-d array.
    """
    scale = 1.0 / z.shape[1] if reduction == "mean" else 1.0
    return ((g * scale) * (softmax(z) - Y),)


#: Each operation's rule, by the name stored in :attr:`Value.op`.
RULES: dict[str, Rule] = {
    "add": add_vjp, "sub": sub_vjp, "mul": mul_vjp, "matmul": matmul_vjp,
    "tanh": tanh_vjp, "sigmoid": sigmoid_vjp, "relu": relu_vjp, "exp": exp_vjp, "log": log_vjp,
    "square": square_vjp, "sqrt": sqrt_vjp, "cos": cos_vjp,
    "sum": sum_vjp, "mean": mean_vjp, "softmax_cross_entropy": softmax_cross_entropy_vjp,
}


# ---------------------------------------------------------------------------------------------------
# The operations: forward values that remember their parents
# ---------------------------------------------------------------------------------------------------

def _broadcasting(op: str, a, b, forward: Callable) -> Value:
    a, b = as_value(a), as_value(b)
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(f"{op}: shapes {a.shape} and {b.shape} do not broadcast (each axis must be equal "
                         "or 1 in one of them)") from None
    return Value.result(forward(a.data, b.data), op, (a, b))


def add(a, b) -> Value:
    """``a + b`` with NumPy's broadcasting (a bias column added to every example)."""
    return _broadcasting("add", a, b, np.add)


def sub(a, b) -> Value:
    """``a - b`` with broadcasting."""
    return _broadcasting("sub", a, b, np.subtract)


def mul(a, b) -> Value:
    """``a * b``, elementwise, with broadcasting (a number times an array included)."""
    return _broadcasting("mul", a, b, np.multiply)


def matmul(A, B) -> Value:
    """The matrix product ``A @ B`` of two 2-D values, ``(m, k) @ (k, n) -> (m, n)``."""
    A, B = as_value(A), as_value(B)
    if A.data.ndim != 2 or B.data.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError(f"matmul: A has shape {A.shape} and B has shape {B.shape}; expected (m, k) and (k, n), "
                         "both 2-D with A's columns matching B's rows")
    return Value.result(A.data @ B.data, "matmul", (A, B))


def _elementwise(op: str, forward: Callable) -> Callable[[Value], Value]:
    def apply(z) -> Value:
        z = as_value(z)
        return Value.result(forward(z.data), op, (z,))
    apply.__name__ = apply.__qualname__ = op
    apply.__doc__ = f"``{op}`` of every entry; its rule is :func:`{op}_vjp`."
    return apply


tanh = _elementwise("tanh", np.tanh)
sigmoid = _elementwise("sigmoid", sigmoid)
relu = _elementwise("relu", relu)
exp = _elementwise("exp", np.exp)
log = _elementwise("log", np.log)
square = _elementwise("square", np.square)
sqrt = _elementwise("sqrt", np.sqrt)
cos = _elementwise("cos", np.cos)


def _axis(x: Value, axis: int | None) -> int | None:
    if axis is not None and not (isinstance(axis, int) and -x.data.ndim <= axis < x.data.ndim):
        raise ValueError(f"axis must be None or an integer axis of an array of shape {x.shape}; got {axis!r}")
    return axis


def sum(x, axis: int | None = None) -> Value:  # noqa: A001 (the book's name for the operation)
    """The sum of every entry (``axis=None``, a 0-d value) or along one axis (the axis is dropped)."""
    x = as_value(x)
    axis = _axis(x, axis)
    return Value.result(np.asarray(x.data.sum(axis=axis)), "sum", (x,), (axis,))


def mean(x, axis: int | None = None) -> Value:
    """The mean of every entry, or along one axis (the axis is dropped)."""
    x = as_value(x)
    axis = _axis(x, axis)
    return Value.result(np.asarray(x.data.mean(axis=axis)), "mean", (x,), (axis,))


def softmax_cross_entropy(z, y, *, reduction: str) -> Value:
    r"""Cross-entropy of softmax(z) against ``y``, summed or averaged over the ``N`` columns: one fused node.

    ``z`` is ``(K, N)`` logits; ``y`` one-hot or probability columns ``(K, N)`` or integer labels ``(N,)``.
    ``y`` is a constant of the node, not a parent: nothing differentiates with respect to the labels.
    The log is taken by log-sum-exp, so logits of ±1000 give a finite loss.
    """
    z = as_value(z)
    expect_reduction(reduction)
    if z.data.ndim != 2:
        raise ValueError(f"softmax_cross_entropy: z has shape {z.shape}; expected (K, N), one column per example")
    y = np.asarray(y)
    if y.ndim == 1 and y.dtype.kind in "iu":
        if y.shape != (z.shape[1],):
            raise ValueError(f"softmax_cross_entropy: labels have shape {y.shape}, expected ({z.shape[1]},): "
                             "one per column of z")
        y = one_hot(y, z.shape[0])
    Y = as_float_array("y", y)
    if Y.shape != z.shape:
        raise ValueError(f"softmax_cross_entropy: y has shape {Y.shape}, expected {z.shape} like the logits z")
    per_example = -np.sum(Y * log_softmax(z.data), axis=0)
    J = per_example.sum() if reduction == "sum" else per_example.mean()
    return Value.result(np.asarray(J), "softmax_cross_entropy", (z,), (Y, reduction))


# ---------------------------------------------------------------------------------------------------
# The backward pass
# ---------------------------------------------------------------------------------------------------

def topological_order(root: Value) -> list[Value]:
    """Every value ``root`` depends on, each after its parents, ``root`` last.

    Depth-first, without recursion. A value reached along several paths
    appears once: this is where a shared subexpression's adjoints meet.
    """
    order, seen, stack = [], {id(root)}, [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append((parent, iter(parent.parents)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def backward(root: Value, seed=None, *,
             rules: Mapping[str, Rule] = RULES) -> list[Value]:
    r"""Set the adjoint ``grad`` of every value ``v`` that ``root`` depends on.

    ``v.grad`` becomes $\partial(\text{seed}\cdot\text{root})/\partial v$,
    by the walk of chapter 7, eq. ``adjoint-accumulate``: in reverse
    topological order, each value passes its adjoint through its operation's
    rule (one vector-Jacobian product per edge of the graph), and a value
    used by several operations adds what each sends it. A scalar ``root`` is
    seeded with 1 (a loss: $\bar J = 1$); any other root needs a ``seed`` of
    its shape. ``rules`` maps each operation to its rule (:data:`RULES`
    unless you bring your own). Returns the order walked, ``root`` last.
    """
    if seed is None:
        if root.data.size != 1:
            raise ValueError(f"backward from a value of shape {root.shape}"
                             " needs a seed of that shape; only a single"
                             " number (a loss) is seeded with 1")
        seed = np.ones_like(root.data)
    seed = as_float_array("seed", seed)
    if seed.shape != root.shape:
        raise ValueError(f"seed has shape {seed.shape}, expected"
                         f" {root.shape} like the root")
    order = topological_order(root)
    for node in order:
        node.grad = None
    root.grad = seed
    for node in reversed(order):
        if not node.parents:
            continue
        inputs = (p.data for p in node.parents)
        adjoints = rules[node.op](node.grad, node.data, *inputs,
                                  *node.constants)
        for parent, adjoint in zip(node.parents, adjoints, strict=True):
            if np.shape(adjoint) != parent.shape:
                raise ValueError(
                    f"the rule of {node.op!r} returned an adjoint of shape"
                    f" {np.shape(adjoint)} for an input of shape"
                    f" {parent.shape}: adjoints have the shape of their value")
            if parent.grad is None:
                parent.grad = adjoint
            else:
                parent.grad = parent.grad + adjoint
    return order


def count_edges(order: list[Value]) -> int:
    """The number of edges (parent → child) of a graph given by its :func:`topological_order`.

    The backward pass computes one vector-Jacobian product per edge.
    """
    return builtins.sum(len(node.parents) for node in order)


# ---------------------------------------------------------------------------------------------------
# Chapter 5's network as a graph
# ---------------------------------------------------------------------------------------------------

#: The hidden activations by the names the library's networks use.
PHI: dict[str, Callable[[Value], Value]] = {"identity": as_value, "sigmoid": sigmoid, "tanh": tanh, "relu": relu}


def deep_objective(params: Mapping[str, Value], x, y, activations: list[str],
                   *, loss: str, reduction: str, lam: float = 0.0) -> Value:
    r"""The objective $J = L + s$ of chapter 5's network, as a graph of values.

    Chapter 7. For $l = 1, \dots, L$: $z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}$,
    $a^{(l)} = \phi^{(l)}(z^{(l)})$, $a^{(0)} = x$; then the loss
    (``"squared"``: $\tfrac12\lVert a^{(L)} - y\rVert^2$, or
    ``"cross_entropy"`` on $z^{(L)}$ with a softmax last layer, fused), summed
    or averaged over the $N$ columns, plus
    $s = \tfrac\lambda2 \sum_l \lVert W^{(l)}\rVert_F^2$. ``params`` maps
    ``"W1"``, ``"b1"``, … to values; after :func:`backward` their ``grad`` is
    what :func:`course_lib.deep_backward` returns.
    """
    if loss not in ("squared", "cross_entropy"):
        raise ValueError("loss must be 'squared' or 'cross_entropy';"
                         f" got {loss!r}")
    expect_reduction(reduction)
    if (activations[-1] == "softmax") != (loss == "cross_entropy"):
        raise ValueError("a softmax last layer goes with"
                         " loss='cross_entropy', and only with it")
    a = as_value(x)
    for l, name in enumerate(activations, start=1):
        z = params[f"W{l}"] @ a + params[f"b{l}"]
        if name != "softmax":
            a = PHI[name](z)
    if loss == "cross_entropy":
        J = softmax_cross_entropy(z, y, reduction=reduction)
    else:
        N = a.shape[1]
        J = (0.5 if reduction == "sum" else 0.5 / N) * sum(square(a - y))
    if lam:
        squares = [sum(square(params[f"W{l}"]))
                   for l in range(1, len(activations) + 1)]
        J = J + 0.5 * lam * functools.reduce(add, squares)
    return J


# ---------------------------------------------------------------------------------------------------
# What a backward pass costs on the graph (chapter 7; bench/autodiff_vs_recursion.py)
# ---------------------------------------------------------------------------------------------------

def gradients(f: Callable[..., Value], rules: Mapping[str, Rule], *inputs) -> tuple[np.ndarray, ...]:
    """``∂f/∂input`` for each input: leaves from ``inputs``, the graph of ``f`` on them, one backward pass.

    An input that ``f`` does not depend on gets a zero gradient. Used by assignment a7's training task.
    """
    leaves = [Value(x) for x in inputs]
    backward(f(*leaves), rules=rules)
    return tuple(np.zeros_like(leaf.data) if leaf.grad is None else np.array(leaf.grad) for leaf in leaves)


# ---------------------------------------------------------------------------------------------------
# Forward functions that assignment a7's checks differentiate by centred differences
# ---------------------------------------------------------------------------------------------------

def evaluate(f: Callable[..., Value], rules, *inputs) -> np.ndarray:
    """The value of ``f`` on leaves made from ``inputs`` (``rules`` is not used: the signature of :func:`gradients`)."""
    return f(*(Value(x) for x in inputs)).data


def matmul_projected(g, out, A, B) -> np.ndarray:
    r"""$\langle g, AB\rangle$ entry by entry: its gradient with respect to $A$ and $B$ is matmul's VJP."""
    return g * (A @ B)


def add_projected(g, out, a, b) -> np.ndarray:
    r"""$g \odot (a + b)$, broadcast: its gradient with respect to $a$ and $b$ is add's VJP."""
    return g * (a + b)


def tanh_projected(g, out, z) -> np.ndarray:
    r"""$g \odot \tanh z$: its gradient with respect to $z$ is tanh's VJP."""
    return g * np.tanh(z)


def cross_entropy_projected(g, out, z, Y, reduction) -> np.ndarray:
    r"""$g\,J(z)$ for the softmax cross-entropy $J$: its gradient with respect to $z$ is the fused VJP."""
    return g * softmax_cross_entropy(Value(z), Y, reduction=reduction).data


def reuse_graph(x, W, b) -> Value:
    """``z = W x + b``, ``h = tanh z``, ``sum(h ⊙ z) + mean(h²)``: z and h are each used twice."""
    z = W @ x + b
    h = tanh(z)
    return sum(h * z) + mean(square(h))


def paths_graph(x) -> Value:
    """Chapter 3's ``sum(√c + cos c)`` with ``c = a + exp(a)``, ``a = x²``: a reaches c along two paths."""
    a = square(x)
    c = a + exp(a)
    return sum(sqrt(c) + cos(c))


def unused_graph(x, y) -> Value:
    """``sum(x²)``: nothing depends on ``y``, whose gradient is therefore 0."""
    return sum(square(x))


def classifier_loss(W1, b1, W2, b2, x, labels) -> Value:
    r"""Mean softmax cross-entropy of $W^{(2)}\tanh(W^{(1)}x + b^{(1)}) + b^{(2)}$: a one-hidden-layer classifier.

    Uses four operations only: matmul, add (the biases broadcast), tanh and the fused cross-entropy.
    """
    h = tanh(W1 @ x + b1)
    return softmax_cross_entropy(W2 @ h + b2, labels, reduction="mean")
