"""The feedback exporter writes the page nbconvert's HTML exporter writes, without its second pass (a parse)."""

from __future__ import annotations

import json

import nbformat
from bs4 import BeautifulSoup
from classroom import REPO
from nbconvert.exporters import HTMLExporter
from nbgrader.converters import GenerateFeedback

from grading.gradebook import FeedbackExporter


def page_structure(html: str) -> tuple[list, str]:
    """Every element with its attributes (in any order), and the text: what a reader and a screen reader get."""
    soup = BeautifulSoup(html, "html.parser")
    elements = [(tag.name, sorted((k, " ".join(v) if isinstance(v, list) else v) for k, v in tag.attrs.items()))
                for tag in soup.find_all(True)]
    return elements, soup.get_text()


def test_the_feedback_page_is_nbconverts_page():
    notebook = nbformat.reads(json.dumps(json.loads(
        (REPO / "solutions" / "a4_two_layer_network" / "a4_two_layer_network.ipynb").read_text())), as_version=4)
    notebook.cells += [
        nbformat.v4.new_markdown_cell('A figure <img src="no-alt.png"> and <img alt="a loss curve" src="curve.png">'),
        nbformat.v4.new_code_cell('print("<img src=x>")', outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="<img src=x onerror=alert(1)>\n")]),
    ]
    for cell in notebook.cells:  # what nbgrader's GetGrades puts in, from the gradebook
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            meta["score"] = 0.0
        if meta.get("solution"):
            meta["comment"] = "Look at the factor φ′(z)."
    resources = {"nbgrader": {"score": 3.0, "max_score": 10.0, "late_penalty": 0.0, "notebook": "a4"}}
    config = GenerateFeedback().config  # the template and the folders nbgrader sets for its feedback
    stock, _ = HTMLExporter(config=config).from_notebook_node(notebook, json.loads(json.dumps(resources)))
    ours, _ = FeedbackExporter(config=config).from_notebook_node(notebook, json.loads(json.dumps(resources)))

    assert "Look at the factor φ′(z)." in ours and "a loss curve" in ours  # nbgrader's template, every cell
    assert page_structure(ours) == page_structure(stock)
    images = BeautifulSoup(ours, "html.parser").find_all("img")
    assert [image.get("alt") for image in images] == ["No description has been provided for this image",
                                                       "a loss curve"]
