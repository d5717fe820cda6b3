"""The published book: launch links that open the published notebooks, the whole book's PDF in every page's
download menu, the accessibility fixes of book/_static/ on every page, and lighter pages (book/_templates/).

The theme points a text chapter's launch links (Colab, Binder, JupyterHub) at its ``.md`` source; the
publishing workflow puts a generated ``.ipynb`` beside it on the branch the links name
(``repository.branch`` in _config.yml), so the links name that notebook instead.
"""

from pathlib import Path

from docutils import nodes

PDF_NAME = "backpropagation.pdf"  # written into the HTML output's root by .github/scripts/book_pdf.py
STATIC = Path(__file__).resolve().parents[1] / "_static"
TEMPLATES = Path(__file__).resolve().parents[1] / "_templates"  # the theme's asset macros without fontawesome.js


def _published_links(app, pagename, templatename, context, doctree):
    pathto = context["pathto"]
    for group in context.get("header_buttons", []):
        if group.get("label") == "launch-buttons":
            source = f"{pagename}{Path(app.env.doc2path(pagename)).suffix}"
            for button in group["buttons"]:
                if "url" in button:
                    button["url"] = button["url"].replace(source, f"{pagename}.ipynb")
        if group.get("label") == "download-buttons":
            group["buttons"] = [button for button in group["buttons"] if button.get("label") != "download-pdf-button"]
            group["buttons"].append({"type": "link", "url": pathto(PDF_NAME, 1), "text": ".pdf",
                                     "tooltip": "The whole book as one PDF", "icon": "fas fa-file-pdf",
                                     "label": "download-pdf-button"})


def _row_headers(app, doctree):
    """A table whose top-left header cell is empty labels its rows with its first column: mark that column
    as headers (``<th>``), so that every data cell has a header (axe's ``td-has-header``)."""
    for tgroup in doctree.findall(nodes.tgroup):
        head = next(tgroup.findall(nodes.thead), None)
        colspecs = [child for child in tgroup.children if isinstance(child, nodes.colspec)]
        first = next(head.findall(nodes.entry), None) if head is not None else None
        if first is not None and colspecs and not first.astext().strip():
            colspecs[0]["stub"] = 1


def _theme_files(app, config):
    config.html_static_path.append(str(STATIC))
    config.templates_path.insert(0, str(TEMPLATES))


def setup(app):
    app.connect("config-inited", _theme_files)
    app.connect("html-page-context", _published_links, priority=900)
    app.connect("doctree-read", _row_headers)
    app.add_css_file("accessibility.css")
    app.add_js_file("accessibility.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
