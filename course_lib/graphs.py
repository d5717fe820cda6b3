"""Computational graphs drawn with matplotlib (chapters 3 and 4).

A graph is a set of :class:`Node` (a variable, placed by hand in data coordinates) and of
:class:`Edge` (an arrow from an input of an operation to its result). A node can carry its forward
value, written above it in blue, and its backward gradient ("adjoint" ∂f/∂node), written below it
in red; an edge can carry the local derivative of its head with respect to its tail. So one figure
shows the forward pass, the backward pass and the chain rule that links them::

    nodes = [Node("x", (0, 0), "$x$", kind="input", value="0.5"),
             Node("a", (2, 0), "$a = x^2$", value="0.25", grad="2.1")]
    draw_graph(nodes, [Edge("x", "a", "$2x$")])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Patch

#: Fill colour of each kind of node.
KINDS = {"input": "#e8e8e8", "parameter": "#fde4c3", "variable": "#dbe9f6", "output": "#d5efd5"}
VALUE_COLOR = "#1f4e9c"
GRAD_COLOR = "#b0201c"


class Node(NamedTuple):
    """One variable of the graph.

    ``name`` is the key edges refer to; ``xy`` the centre in data coordinates; ``label`` the text
    inside (matplotlib mathtext, e.g. ``"$c = a + b$"``; the name if omitted). ``kind`` is
    ``"input"`` or ``"parameter"`` (drawn as a box) or ``"variable"`` or ``"output"`` (drawn as a
    circle, or as a rounded box when ``width`` is given). ``value`` and ``grad`` are the annotations
    above and below the node; ``width`` is the box width in data units (sized from the label if omitted).
    """

    name: str
    xy: tuple[float, float]
    label: str | None = None
    kind: str = "variable"
    value: str | None = None
    grad: str | None = None
    width: float | None = None


class Edge(NamedTuple):
    """An arrow from node ``src`` to node ``dst``; ``label`` (the local derivative) is written at its middle.

    ``rad`` bends the arrow (matplotlib's ``arc3`` curvature; 0 is straight, ±0.3 a gentle arc), to
    keep an edge clear of a node it would otherwise cross.
    """

    src: str
    dst: str
    label: str | None = None
    rad: float = 0.0


class GraphDrawing(NamedTuple):
    """What :func:`draw_graph` drew: the axes, one patch per node (by name) and one arrow per edge."""

    ax: Axes
    node_patches: dict[str, Patch]
    arrows: list[FancyArrowPatch]


RADIUS = 0.38  # of a circular node, in data units
HEIGHT = 0.6  # of a box node, in data units


def _label_width(label: str) -> float:
    """A box width that fits ``label``: about 0.13 data units per visible character at the default font size."""
    visible = label.replace("$", "").replace("\\", "").replace("{", "").replace("}", "")
    return max(0.8, 0.13 * len(visible) + 0.3)


def _node_patch(node: Node) -> Patch:
    fill = KINDS[node.kind]
    x, y = node.xy
    if node.kind in ("variable", "output") and node.width is None:
        return Circle((x, y), RADIUS, facecolor=fill, edgecolor="black", linewidth=1.2, zorder=2)
    width = node.width or _label_width(node.label or node.name)
    return FancyBboxPatch((x - width / 2, y - HEIGHT / 2), width, HEIGHT, boxstyle="round,pad=0,rounding_size=0.12",
                          facecolor=fill, edgecolor="black", linewidth=1.2, zorder=2)


def _half_height(patch: Patch) -> float:
    return patch.get_radius() if isinstance(patch, Circle) else HEIGHT / 2


def draw_graph(nodes: Sequence[Node], edges: Sequence[Edge | tuple], ax: Axes | None = None, *,
               title: str | None = None, fontsize: float = 12, margin: float = 0.9) -> GraphDrawing:
    """Draw a computational graph: nodes as labelled circles or boxes, edges as arrows, values and gradients as text.

    ``edges`` may be :class:`Edge` or plain tuples ``(src, dst)``, ``(src, dst, label)``,
    ``(src, dst, label, rad)``. Forward values are written above each node (blue), backward gradients
    below (red), local derivatives on the edges (black, on white). Draws on ``ax`` (a new figure if
    ``None``), hides the axes, keeps circles round, and returns a :class:`GraphDrawing`.

    Raises ``ValueError`` for a repeated node name, an unknown ``kind``, or an edge naming a node
    that does not exist.
    """
    names = [node.name for node in nodes]
    if len(set(names)) != len(names):
        raise ValueError(f"node names must be unique; got {names}")
    for node in nodes:
        if node.kind not in KINDS:
            raise ValueError(f"node {node.name!r} has kind {node.kind!r}; choose one of {sorted(KINDS)}")
    edges = [Edge(*edge) for edge in edges]
    for edge in edges:
        missing = [end for end in (edge.src, edge.dst) if end not in names]
        if missing:
            raise ValueError(f"edge {edge.src!r} → {edge.dst!r} names unknown node(s) {missing}; nodes are {names}")
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4))

    patches = {}
    for node in nodes:
        patch = _node_patch(node)
        ax.add_patch(patch)
        patches[node.name] = patch
        x, y = node.xy
        ax.text(x, y, node.label or node.name, ha="center", va="center", fontsize=fontsize, zorder=3)
        offset = _half_height(patch) + 0.08
        if node.value is not None:
            ax.text(x, y + offset, node.value, ha="center", va="bottom", color=VALUE_COLOR, fontsize=fontsize - 1)
        if node.grad is not None:
            ax.text(x, y - offset, node.grad, ha="center", va="top", color=GRAD_COLOR, fontsize=fontsize - 1)

    centres = {node.name: node.xy for node in nodes}
    arrows = []
    for edge in edges:
        start, end = centres[edge.src], centres[edge.dst]
        arrow = FancyArrowPatch(start, end, patchA=patches[edge.src], patchB=patches[edge.dst],
                                arrowstyle="-|>", mutation_scale=16, linewidth=1.3, color="#333333",
                                connectionstyle=f"arc3,rad={edge.rad}", shrinkA=1, shrinkB=1, zorder=1)
        ax.add_patch(arrow)
        arrows.append(arrow)
        if edge.label is not None:
            # the midpoint of an arc3 curve is offset from the chord's midpoint by rad/2 times the chord, turned 90°
            mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
            dx, dy = end[0] - start[0], end[1] - start[1]
            mx, my = mx + edge.rad / 2 * dy, my - edge.rad / 2 * dx
            ax.text(mx, my, edge.label, ha="center", va="center", fontsize=fontsize - 2, zorder=4,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})

    xs, ys = zip(*centres.values(), strict=True)
    ax.set_xlim(min(xs) - margin, max(xs) + margin)
    ax.set_ylim(min(ys) - margin, max(ys) + margin)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=fontsize + 1)
    return GraphDrawing(ax, patches, arrows)
