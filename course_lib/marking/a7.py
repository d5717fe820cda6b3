r"""Marking of assignment a7 (reverse mode on a graph): four backward rules, the walk, a training loop.

The rules are checked against centred differences of their projected forward functions
($\langle g, f(x)\rangle$, in ``course_lib.autodiff``); the catalogues below name the usual slips. The walk is
checked on graphs with shared values and two paths; its catalogue runs deliberately broken walks. Training is
checked against the same loop on the course's engine.
"""

from __future__ import annotations

import numpy as np

from .. import autodiff as ad
from ..activations import softmax
from ..checks import Marks

#: Library objects that compute an answer of a7; an answer cell that uses one is flagged to the instructor.
ANSWERS = ("course_lib.autodiff.matmul_vjp", "course_lib.autodiff.add_vjp", "course_lib.autodiff.unbroadcast",
           "course_lib.autodiff.tanh_vjp", "course_lib.autodiff.softmax_cross_entropy_vjp",
           "course_lib.autodiff.RULES", "course_lib.autodiff.backward", "course_lib.autodiff.topological_order",
           "course_lib.autodiff.gradients", "course_lib.losses.softmax_cross_entropy")


def _matmul_mistakes(g, out, A, B) -> dict:
    return {"Ā = C̄ Bᵀ and B̄ = Aᵀ C̄: the adjoints are swapped": (A.T @ g, g @ B.T) if A.shape == B.shape else None,
            "the transposes are missing: Ā = C̄ Bᵀ (B transposed), B̄ = Aᵀ C̄ (A transposed)":
                (g @ B, A @ g) if A.shape[0] == A.shape[1] == B.shape[0] == B.shape[1] else None}


def _add_mistakes(g, out, a, b) -> dict:
    return {"a broadcast input's adjoint is the sum of ḡ over the axes it was copied along, not the mean":
            (ad.unbroadcast(g, a.shape) * a.size / g.size, ad.unbroadcast(g, b.shape) * b.size / g.size)}


def _tanh_mistakes(g, out, z) -> dict:
    return {"tanh'(z) = 1 - tanh²(z) = 1 - a², from the output a = out, not 1 - z²": (g * (1 - z * z),),
            "tanh'(z) = 1 - a², with a squared: 1 - a is not it": (g * (1 - out),),
            "the adjoint g is missing: z̄ = g ⊙ (1 - a²)": (1 - out * out,)}


def _cross_entropy_mistakes(g, out, z, Y, reduction) -> dict:
    n = z.shape[1]
    scale = 1.0 / n if reduction == "mean" else 1.0
    return {"a mean over the N examples divides the adjoint by N": (g * (softmax(z) - Y),) if scale != 1 else None,
            "a sum over the examples has no 1/N": (g * (softmax(z) - Y) / n,) if scale == 1 and n > 1 else None,
            "z̄ = ŷ - y, not y - ŷ": (-g * scale * (softmax(z) - Y),),
            "the softmax is missing: z̄ = ŷ - y with ŷ = softmax(z), not z - y": (g * scale * (z - Y),)}


def _without_none(mistakes):
    return lambda *args: {k: v for k, v in mistakes(*args).items() if v is not None}


matmul_vjp = Marks(mistakes=_without_none(_matmul_mistakes))
add_vjp = Marks(mistakes=_add_mistakes)
tanh_vjp = Marks(mistakes=_tanh_mistakes)
softmax_cross_entropy_vjp = Marks(mistakes=_without_none(_cross_entropy_mistakes))
#: The course's rules, as a trusted argument for the walk's checks.
rules = Marks(reference=lambda: dict(ad.RULES))


def _walk(f, rules, *inputs, accumulate=True, order="topological") -> tuple:
    """The backward pass, optionally broken: adjoints overwritten instead of added, or a wrong order."""
    leaves = [ad.Value(x) for x in inputs]
    root = f(*leaves)
    nodes = ad.topological_order(root)
    if order == "breadth-first":  # each node once, in the order first met from the root: not topological
        nodes, seen, frontier = [], set(), [root]
        while frontier:
            node = frontier.pop(0)
            if id(node) not in seen:
                seen.add(id(node))
                nodes.append(node)
                frontier.extend(node.parents)
        nodes.reverse()
    adjoint = {id(root): np.ones_like(root.data)}
    for node in reversed(nodes):
        if not node.parents or id(node) not in adjoint:
            continue
        parts = rules[node.op](adjoint[id(node)], node.data, *(p.data for p in node.parents), *node.constants)
        for parent, part in zip(node.parents, parts, strict=True):
            old = adjoint.get(id(parent))
            adjoint[id(parent)] = part if old is None or not accumulate else old + part
    return tuple(adjoint.get(id(leaf), np.zeros_like(leaf.data)) for leaf in leaves)


def _walk_mistakes(f, rules, *inputs) -> dict:
    return {"adjoints that meet at a value used twice must be added, not overwritten":
                _walk(f, rules, *inputs, accumulate=False),
            "the walk must visit a value only after every value that uses it (reverse topological order)":
                _walk(f, rules, *inputs, order="breadth-first")}


gradients = Marks(reference=ad.gradients, mistakes=_walk_mistakes)
#: The course's walk, as a trusted argument for the training task.
gradients_function = Marks(reference=lambda: ad.gradients)


def _train(params, x, labels, lr, steps, gradients, rules, *, update=True, sign=-1.0) -> dict:
    names = ("W1", "b1", "W2", "b2")
    values = {k: np.array(params[k], dtype=np.float64) for k in names}
    losses = []
    for _ in range(steps):
        def loss(*p):
            return ad.classifier_loss(*p, x, labels)
        losses.append(float(ad.evaluate(loss, rules, *(values[k] for k in names))))
        grads = ad.gradients(loss, rules, *(values[k] for k in names))
        if update:
            values = {k: values[k] + sign * lr * g for k, g in zip(names, grads, strict=True)}
    return {**values, "losses": np.array(losses)}


train = Marks(reference=_train,
              mistakes=lambda *args: {"gradient descent steps against the gradient: θ ← θ - η ∂J/∂θ":
                                      _train(*args, sign=1.0),
                                      "the parameters must be updated after every step": _train(*args, update=False)})
