"""How the extension's nodes are written by Sphinx's text builder: the passages' text, nothing else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx.writers.text import TextTranslator

from reading_guide.extension import nodes as guide

Visitor = Callable[[TextTranslator, Any], None]


def visit_line_break(self: TextTranslator, node: guide.line_break) -> None:
    self.add_text("\n")
    raise nodes.SkipNode


def visit_passage_history(self: TextTranslator, node: guide.passage_history) -> None:
    self.new_state(0)
    self.add_text(node["summary"])
    self.end_state()


def _skip(self: TextTranslator, node: nodes.Element) -> None:
    raise nodes.SkipNode


def _nothing(self: TextTranslator, node: nodes.Element) -> None:
    pass


_CONTAINER = (_nothing, _nothing)
VISITORS: dict[type[nodes.Element], tuple[Visitor, Visitor | None]] = {
    guide.passage: _CONTAINER,
    guide.passage_number: (_skip, None),
    guide.passage_history: (visit_passage_history, _nothing),
    guide.line_break: (visit_line_break, None),
    guide.reader_comment: _CONTAINER,
    guide.captured: _CONTAINER,
    guide.destination: (_skip, None),
    guide.content_note: _CONTAINER,
    guide.glossary_note: (_skip, None),
    guide.work_note: (_skip, None),
    guide.positions: _CONTAINER,
    guide.position: _CONTAINER,
}
