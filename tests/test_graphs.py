"""course_lib.graphs: a graph draws without error, with one patch per node and one arrow per edge."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from course_lib.graphs import Edge, Node, draw_graph

NODES = [
    Node("x", (0, 0), "$x$", kind="input", value="0.5"),
    Node("W", (0, 1.5), "$W$", kind="parameter"),
    Node("z", (2, 0), "$z = Wx$", value="1.0", grad="0.3", width=1.6),
    Node("h", (4, 0), "$h$", grad="0.2"),
    Node("J", (6, 0), "$J$", kind="output", value="2.0", grad="1"),
]
EDGES = [Edge("x", "z"), ("W", "z", "$x^T$"), ("z", "h", r"$\phi'(z)$"), ("h", "J", None, 0.3), ("W", "J", None, -0.3)]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_draws_one_patch_per_node_and_one_arrow_per_edge():
    drawing = draw_graph(NODES, EDGES, title="a small graph")
    assert list(drawing.node_patches) == ["x", "W", "z", "h", "J"]
    assert len(drawing.arrows) == len(EDGES)
    patches = drawing.ax.patches
    assert sum(isinstance(p, FancyArrowPatch) for p in patches) == len(EDGES)
    assert sum(isinstance(p, (Circle, FancyBboxPatch)) for p in patches) == len(NODES)
    assert isinstance(drawing.node_patches["h"], Circle)
    assert isinstance(drawing.node_patches["z"], FancyBboxPatch)  # a variable given a width is a box
    assert isinstance(drawing.node_patches["x"], FancyBboxPatch)
    drawing.ax.figure.canvas.draw()  # renders every label (mathtext included) without error


def test_annotations_are_written():
    drawing = draw_graph(NODES, EDGES)
    texts = [t.get_text() for t in drawing.ax.texts]
    for expected in ["$z = Wx$", "0.5", "0.3", "$x^T$", r"$\phi'(z)$", "1"]:
        assert expected in texts
    assert drawing.ax.get_title() == ""


def test_draws_on_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    drawing = draw_graph(NODES, EDGES, ax=right)
    assert drawing.ax is right and not left.patches


@pytest.mark.parametrize("nodes, edges, message", [
    (NODES + [Node("x", (9, 9))], EDGES, "unique"),
    ([Node("x", (0, 0), kind="tensor")], [], "kind"),
    (NODES, EDGES + [("z", "y")], "unknown node"),
])
def test_bad_graphs_are_refused(nodes, edges, message):
    with pytest.raises(ValueError, match=message):
        draw_graph(nodes, edges)
