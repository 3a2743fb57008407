"""What the EPUB needs beyond the HTML: the guide for e-readers (``make epub``).

Sphinx's EPUB 3 builder writes the pages with the HTML visitors, so passages, comments and
their anchors (element ids) are the same as on the web. What differs:

- a debate's positions follow one another, each under its label, as in print: e-readers have
  no script or form controls for sphinx-design's tabs (``TabSetsForEpub``);
- the contents list a page's own headings before the pages it holds (``own_headings_first``),
  in reading order, as the book does;
- the web's own script and style (``guide.js``, ``guide.css``, Hypothesis) are left out: the
  EPUB theme ``guide-epub`` (Sphinx's ``epub`` theme with ``guide-epub.css``) styles the book.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from reading_guide.extension.debates import TabSetsForPrint

THEME = Path(__file__).with_name("themes") / "guide-epub"
# Files of the web edition that the EPUB neither needs nor may hold (scripts are not allowed to run
# in most readers; the web's style sheet is made for sphinx-book-theme's pages).
WEB_ONLY = ("guide.js", "guide.css", "embed.js")


class TabSetsForEpub(TabSetsForPrint):
    """A debate's tab-set becomes its positions one after another, each under its label."""

    builders = ("epub",)
    formats = ()  # type: ignore[assignment]  # any format: the builder alone decides


def own_headings_first(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """In the EPUB's contents, a page's own headings come before the pages it holds, as in print.

    The contents must follow the reading order: the debates' "Who says what" is on their index page,
    which comes before the debate pages, though its heading stands after their toctree.
    """
    if app.builder.name != "epub":
        return []
    for toc in env.tocs.values():
        for listing in list(toc.findall(nodes.bullet_list)):
            trees = [child for child in listing.children if isinstance(child, addnodes.toctree)]
            for tree in trees:
                listing.remove(tree)
                listing.append(tree)
    return []


def drop_web_scripts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The EPUB's pages load no script of the web edition (conf.py keeps its style sheet out: epub_css_files)."""
    if app.builder.name == "epub":
        context["script_files"] = [js for js in context.get("script_files", []) if _name(js) not in WEB_ONLY]


def _name(asset: Any) -> str:
    return Path(str(getattr(asset, "filename", asset))).name


def setup(app: Sphinx) -> None:
    app.add_html_theme("guide-epub", str(THEME))
    app.add_post_transform(TabSetsForEpub)
    app.connect("html-page-context", drop_web_scripts)
    app.connect("env-updated", own_headings_first)
