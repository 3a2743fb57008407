"""How the extension's nodes are written in LaTeX, with the macros of ``readingguide.sty``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.latex import LaTeXTranslator

from reading_guide.extension import nodes as guide

Visitor = Callable[[LaTeXTranslator, Any], None]
PACKAGE = Path(__file__).with_name("readingguide.sty")


def visit_passage(self: LaTeXTranslator, node: guide.passage) -> None:
    if node["kind"] == "quote":
        self.body.append("\n\\begin{quote}")


def depart_passage(self: LaTeXTranslator, node: guide.passage) -> None:
    if node["kind"] == "quote":
        self.body.append("\\end{quote}")
    self.body.append("\n")


def _named_destination(self: LaTeXTranslator, anchor: str) -> str:
    # hyperref names only section destinations; \hypertarget makes the anchor a named destination,
    # and Sphinx's own label lets other pages of the book link to it.
    return f"\\hypertarget{{{anchor}}}{{}}{self.hypertarget(anchor, anchor=False)}"


def visit_passage_number(self: LaTeXTranslator, node: guide.passage_number) -> None:
    self.body.append(f"{_named_destination(self, node['anchor'])}\\guidepassagenumber{{{node['number']}}}")
    raise nodes.SkipNode


def visit_destination(self: LaTeXTranslator, node: guide.destination) -> None:
    self.body.append(f"\\hypertarget{{{node['anchor']}}}{{}}\\guidepassagenumber{{{node['number']}}}")
    raise nodes.SkipNode


def visit_line_break(self: LaTeXTranslator, node: guide.line_break) -> None:
    self.body.append("\\newline{}")
    raise nodes.SkipNode


def visit_comment(self: LaTeXTranslator, node: guide.reader_comment) -> None:
    self.body.append(f"\n\\begin{{guidecomment}}{_named_destination(self, node['ids'][0])}")


def depart_comment(self: LaTeXTranslator, node: guide.reader_comment) -> None:
    self.body.append("\\end{guidecomment}\n")


def visit_captured(self: LaTeXTranslator, node: guide.captured) -> None:
    self.body.append(
        f"\n\\par\\emph{{Left out of print: {node['count']} passages of page furniture "
        "(comment forms, sharing links and the like); the HTML guide keeps them.}\n"
    )
    raise nodes.SkipNode


def visit_content_note(self: LaTeXTranslator, node: guide.content_note) -> None:
    self.body.append("\n\\par\\noindent{\\small\\itshape ")


def depart_content_note(self: LaTeXTranslator, node: guide.content_note) -> None:
    self.body.append("}\\par\\medskip\n")


def visit_positions(self: LaTeXTranslator, node: guide.positions) -> None:
    # Two positions stand side by side (paracol); three or more follow one another.
    if len(node.children) == 2:
        self.body.append("\n\\begin{guidepositions}\n")


def depart_positions(self: LaTeXTranslator, node: guide.positions) -> None:
    if len(node.children) == 2:
        self.body.append("\n\\end{guidepositions}\n")


def visit_position(self: LaTeXTranslator, node: guide.position) -> None:
    if node.parent.index(node) and len(node.parent.children) == 2:
        self.body.append("\n\\switchcolumn\n")
    self.body.append("\n\\begin{guideposition}")


def depart_position(self: LaTeXTranslator, node: guide.position) -> None:
    self.body.append("\\end{guideposition}\n")


def _skip(self: LaTeXTranslator, node: nodes.Element) -> None:
    # Margin notes: in print the margin holds the ¶ numbers; the reading's list of works and the
    # glossary's list of first appearances stand for them.
    raise nodes.SkipNode


VISITORS: dict[type[nodes.Element], tuple[Visitor, Visitor | None]] = {
    guide.passage: (visit_passage, depart_passage),
    guide.passage_number: (visit_passage_number, None),
    guide.line_break: (visit_line_break, None),
    guide.reader_comment: (visit_comment, depart_comment),
    guide.captured: (visit_captured, None),
    guide.destination: (visit_destination, None),
    guide.content_note: (visit_content_note, depart_content_note),
    guide.glossary_note: (_skip, None),
    guide.work_note: (_skip, None),
    guide.positions: (visit_positions, depart_positions),
    guide.position: (visit_position, depart_position),
}


def install_package(app: Sphinx, exception: Exception | None) -> None:
    """Put readingguide.sty beside the .tex files, where XeLaTeX looks for it."""
    if exception is None and app.builder.format == "latex":
        shutil.copyfile(PACKAGE, Path(app.outdir) / PACKAGE.name)


def setup(app: Sphinx) -> None:
    app.add_latex_package(PACKAGE.stem)
    app.connect("build-finished", install_package)
