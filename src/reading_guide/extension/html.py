"""How the extension's nodes are written in HTML."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator

from reading_guide.extension import nodes as guide
from reading_guide.extension.bibliography import cite
from reading_guide.extension.csl import citations
from reading_guide.extension.data import guide_data, passage_index
from reading_guide.extension.doctree import pilcrow
from reading_guide.schema import is_reply

Visitor = Callable[[HTML5Translator, Any], None]


def visit_passage(self: HTML5Translator, node: guide.passage) -> None:
    tag = "blockquote" if node["kind"] == "quote" else "div"
    docname = self.builder.current_docname
    reading = guide_data(self.builder.env).readings.get(docname)
    attributes: dict[str, Any] = {"data-number": str(node["number"])}
    passage = passage_index(self.builder.env).get(node["ids"][0])
    if reading and passage:
        # For the "cite" panel (docs/_static/guide.js): the item cited and its in-text citation in each
        # style, as the processor wrote them (the page's cite data holds the items' references and exports).
        url = f"{self.builder.get_target_uri(docname)}#{node['ids'][0]}"
        citation = cite(self.builder.env, reading, url=url, passage=passage)
        found = citations(self.builder.env)
        where = str(node["number"])
        in_text = {style: found.citation(citation["item"], where, style).html for style, _ in found.styles}
        attributes |= {
            "data-citation": citation["citation"],
            "data-cite": json.dumps({"item": citation["item"], "in_text": in_text}, ensure_ascii=False),
        }
    classes = f"passage passage-{node['kind']}" + (f" passage-{node['status']}" if node["status"] else "")
    self.body.append(self.starttag(node, tag, CLASS=classes, **attributes))


def depart_passage(self: HTML5Translator, node: guide.passage) -> None:
    self.body.append("</blockquote>\n" if node["kind"] == "quote" else "</div>\n")


def visit_passage_number(self: HTML5Translator, node: guide.passage_number) -> None:
    number = pilcrow(node["number"]).replace("\u00a0", "&#160;")
    self.body.append(
        f'<a class="passage-number" href="#{self.attval(node["anchor"])}" '
        f'title="Link to this passage ({number})">{number}</a>'
    )
    raise nodes.SkipNode


def visit_passage_history(self: HTML5Translator, node: guide.passage_history) -> None:
    summary = self.encode(node["summary"])
    if node.children:  # the earlier text, one click away
        self.body.append(
            f'<details class="passage-history passage-history-{node["status"]}"><summary>{summary}</summary>'
        )
    else:
        self.body.append(f'<p class="passage-history passage-history-{node["status"]}">{summary}</p>\n')


def depart_passage_history(self: HTML5Translator, node: guide.passage_history) -> None:
    if node.children:
        self.body.append("</details>\n")


def visit_line_break(self: HTML5Translator, node: guide.line_break) -> None:
    self.body.append("<br />\n")
    raise nodes.SkipNode


def visit_comment(self: HTML5Translator, node: guide.reader_comment) -> None:
    classes = ["comment", "comment-reply" if is_reply(node["thread"]) else "comment-top"]
    if node["removed"]:
        classes.append("comment-removed")
    self.body.append(self.starttag(node, "div", CLASS=" ".join(classes), **{"data-thread": node["thread"]}))


def visit_captured(self: HTML5Translator, node: guide.captured) -> None:
    self.body.append(self.starttag(node, "details", CLASS="captured"))
    self.body.append(
        f"<summary>Page furniture as captured ({node['count']} passages): "
        "comment forms, sharing links and the like, kept for the record</summary>\n"
    )


def visit_content_note(self: HTML5Translator, node: guide.content_note) -> None:
    self.body.append(self.starttag(node, "div", CLASS="content-note reading-content-note", role="note"))


# Margin notes are the guide's own ("guide-note", laid out by guide.css): the theme's "margin" and
# "sidebar" classes floated them over the page's Contents, which the theme then folded away.
def visit_glossary_note(self: HTML5Translator, node: guide.glossary_note) -> None:
    self.body.append(self.starttag(node, "aside", CLASS="guide-note glossary-note"))


def visit_work_note(self: HTML5Translator, node: guide.work_note) -> None:
    self.body.append(self.starttag(node, "aside", CLASS="guide-note work-note"))


def _close(tag: str) -> Visitor:
    def depart(self: HTML5Translator, node: nodes.Element) -> None:
        self.body.append(f"</{tag}>\n")

    return depart


def _skip(self: HTML5Translator, node: nodes.Element) -> None:
    raise nodes.SkipNode


def _nothing(self: HTML5Translator, node: nodes.Element) -> None:
    pass


VISITORS: dict[type[nodes.Element], tuple[Visitor, Visitor | None]] = {
    guide.passage: (visit_passage, depart_passage),
    guide.passage_number: (visit_passage_number, None),
    guide.passage_history: (visit_passage_history, depart_passage_history),
    guide.line_break: (visit_line_break, None),
    guide.reader_comment: (visit_comment, _close("div")),
    guide.captured: (visit_captured, _close("details")),
    guide.destination: (_skip, None),
    guide.content_note: (visit_content_note, _close("div")),
    guide.glossary_note: (visit_glossary_note, _close("aside")),
    guide.work_note: (visit_work_note, _close("aside")),
    # Print's layout of a debate's positions; the HTML keeps sphinx-design's tabs.
    guide.positions: (_nothing, _nothing),
    guide.position: (_nothing, _nothing),
}
