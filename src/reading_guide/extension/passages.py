"""Passages and comments: the reading pages' text, each passage at its anchor.

``passage`` directive
    ``{passage} <anchor>`` with options ``kind``, ``thread``, ``marker``, ``cites`` and
    ``content-notes`` (always in a ``---`` block) and the passage's source text as raw
    content. The content is never parsed as Markdown: it becomes text nodes, one line
    break per source line break. The element carries the anchor as its only id and a
    visible ¶ number that links to itself; the works it cites become a margin note.
``comment`` directive
    ``{comment} <anchor>`` with options ``thread``, ``marker`` and ``removed`` around the
    passages and replies of one comment.
``captured`` directive
    Page furniture captured with the text: collapsed in HTML, left out of print with a note.

Titles and headings are ordinary MyST headings preceded by a ``(<anchor>)=`` target; their
anchor is ``<slug>-<number>`` like every other passage, and their ¶ number is added here.
Every anchor must be unique across the guide (the PDF holds all readings in one document):
a duplicate is a build warning.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from reading_guide.extension.bibliography import work_note_for
from reading_guide.extension.data import Located, guide_data
from reading_guide.extension.nodes import (
    captured,
    destination,
    glossary_note,
    line_break,
    passage,
    passage_history,
    passage_number,
    reader_comment,
    work_note,
)
from reading_guide.schema import HEADING_KINDS, KINDS, STATUSES, is_reply, number_of, thread_number, words_list

logger = logging.getLogger(__name__)


def _register_anchor(directive: SphinxDirective, node: nodes.Element, anchor: str) -> None:
    """Give `node` the anchor as its id and as a label other pages can reference."""
    node["ids"] = [anchor]
    node["names"] = [anchor]
    directive.state.document.note_explicit_target(node, node)


def _kind(value: str | None) -> str:
    return directives.choice(value or "", KINDS)


def _earlier(value: str | None) -> list[tuple[str, str]]:
    """A changed passage's earlier texts: a JSON list of [text, date it was replaced]."""
    try:
        earlier = json.loads(value or "")
    except ValueError:
        raise ValueError("a JSON list of [text, date] pairs") from None
    if not (isinstance(earlier, list) and all(isinstance(e, list) and len(e) == 2 for e in earlier)):
        raise ValueError("a JSON list of [text, date] pairs")
    return [(str(text), str(until)) for text, until in earlier]


class PassageDirective(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "kind": _kind,
        "thread": directives.unchanged,
        "marker": directives.unchanged,
        "author": directives.unchanged,
        "date": directives.unchanged,
        "cites": directives.unchanged,
        "content-notes": directives.unchanged,
        "status": lambda value: directives.choice(value or "", [s for s in STATUSES if s]),
        "since": directives.unchanged,
        "earlier": _earlier,
        "removed-in": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        anchor = self.arguments[0]
        number = number_of(anchor)
        if number is None:
            raise self.error(f"passage anchor {anchor!r} does not end in -<number>")
        if "kind" not in self.options:
            raise self.error(f"passage {anchor}: give its kind, one of {', '.join(KINDS)}")
        node = passage(
            kind=self.options["kind"],
            number=number,
            thread=self.options.get("thread") or None,
            marker=self.options.get("marker", ""),
            author=self.options.get("author", ""),
            date=self.options.get("date", ""),
            text="\n".join(self.content),
            cites=list(words_list(self.options.get("cites"))),
            content_notes=list(words_list(self.options.get("content-notes"))),
            status=self.options.get("status", ""),
            since=self.options.get("since", ""),
            earlier=self.options.get("earlier", []),
            removed_in=self.options.get("removed-in", ""),
        )
        _register_anchor(self, node, anchor)
        # The number sits inside the paragraph so that, in print, it lines up with the first line.
        text = nodes.paragraph()
        text += passage_number(anchor=anchor, number=number)
        for index, line in enumerate(self.content):
            if index:
                text += line_break()
            text += nodes.Text(line)
        node += text
        shown: list[nodes.Node] = [node]
        if node["status"]:
            shown.append(_history(node))
        if node["cites"]:
            shown.append(work_note_for(anchor, node["cites"], self.env.docname))
        return shown


def _history(node: passage | Located) -> passage_history:
    """What a later capture did to the passage (README, "Captured again"), with its earlier texts."""
    status, thread, removed_in, earlier = (
        (node["status"], node["thread"], node["removed_in"], node["earlier"])
        if isinstance(node, passage)
        else (node.status, node.thread, node.removed_in, node.earlier)
    )
    since = node["since"] if isinstance(node, passage) else node.since
    since = f" on {since}" if since else ""
    if status == "removed":
        where = f", from {'reply' if is_reply(thread) else 'comment'} {thread_number(thread)}" if thread else ""
        summary = f"Not in the capture of {removed_in}{where}; first captured{since}."
    else:
        summary = f"Changed since first captured{since}: the earlier text"
    history = passage_history(status=status, summary=summary)
    for text, until in [] if status == "removed" else earlier:
        version = nodes.paragraph("", "", nodes.emphasis("", f"Until {until}: "))
        for index, line in enumerate(text.split("\n")):
            if index:
                version += line_break()
            version += nodes.Text(line)
        history += version
    return history


class CommentDirective(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "thread": directives.unchanged_required,
        "marker": directives.unchanged,
        "removed": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        anchor, thread, marker = self.arguments[0], self.options.get("thread", ""), self.options.get("marker", "")
        if not re.fullmatch(r"c\d+(\.\d+)*", thread):
            raise self.error(f"comment {anchor}: thread {thread!r} is not c1, c1.2 ...")
        removed = "removed" in self.options
        node = reader_comment(thread=thread, marker=marker, removed=removed)
        _register_anchor(self, node, anchor)
        number = thread_number(thread)
        header = nodes.paragraph(classes=["comment-header"])
        header += nodes.reference(
            "", f"{'Reply' if is_reply(thread) else 'Comment'} {number}", refid=anchor, classes=["comment-label"]
        )
        if marker and marker.rstrip(".)") != number.rsplit(".", 1)[-1]:
            # The source marked this comment differently from its number here (a bullet, say).
            header += nodes.Text(" ")
            header += nodes.inline("", f"(marked “{marker}” in the source)", classes=["comment-marker"])
        if removed:
            header += nodes.Text(" ")
            header += nodes.inline("", "removed", classes=["comment-status"])
        node += header
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class CapturedDirective(SphinxDirective):
    has_content = True

    def run(self) -> list[nodes.Node]:
        node = captured()
        self.state.nested_parse(self.content, self.content_offset, node)
        node["count"] = sum(1 for _ in node.findall(passage))
        return [node]


# -- Collecting passages in the environment ------------------------------------------------


def collect_passages(app: Sphinx, doctree: nodes.document) -> None:
    """Record every passage of a reading page, titles and headings included, in page order."""
    env = app.env
    docname = env.docname
    reading = guide_data(env).readings.get(docname)
    if reading is None:
        return
    anchor_pattern = re.compile(rf"^{re.escape(reading.slug)}-(\d+[a-z]*)$")
    comments_anchor = f"{reading.slug}-comments"
    # Titles and headings are sections, not passage directives: their history comes with the reading.
    headings = json.loads(reading.headings or "{}")
    found: list[Located] = []
    for node in doctree.findall(nodes.Element):
        if not isinstance(node, (passage, nodes.section)):
            continue
        if isinstance(node, passage):
            found.append(
                Located(
                    anchor=node["ids"][0],
                    docname=docname,
                    number=node["number"],
                    kind=node["kind"],
                    thread=node["thread"],
                    marker=node["marker"],
                    author=node["author"],
                    date=node["date"],
                    text=node["text"],
                    cites=tuple(node["cites"]),
                    content_notes=tuple(node["content_notes"]),
                    status=node["status"],
                    since=node["since"],
                    earlier=tuple((text, until) for text, until in node["earlier"]),
                    removed_in=node["removed_in"],
                )
            )
            continue
        match = next((m for m in map(anchor_pattern.match, node["ids"]) if m), None)
        if match:
            title = node.next_node(nodes.title)
            since, status, earlier = headings.get(match.group(1), ("", "", []))
            found.append(
                Located(
                    anchor=match.group(0),
                    docname=docname,
                    number=match.group(1),
                    kind="title"
                    if isinstance(node.parent, nodes.document)
                    else "comments-header"
                    if comments_anchor in node["ids"]
                    else "heading",
                    text=title.astext() if title else "",
                    since=since,
                    status=status,
                    earlier=tuple((text, until) for text, until in earlier),
                )
            )
            if status and title is not None:
                title.parent.insert(title.parent.index(title) + 1, _history(found[-1]))
    # The reading's description (its first sentences) is made from these by the screen part.
    guide_data(env).passages[docname] = found


def check_unique_anchors(app: Sphinx, env: BuildEnvironment) -> None:
    owners: dict[str, str] = {}
    for docname in sorted(guide_data(env).passages):
        for entry in guide_data(env).passages[docname]:
            if entry.anchor in owners and owners[entry.anchor] != docname:
                logger.warning(
                    "passage anchor %r is used in %s and %s; give one reading another slug",
                    entry.anchor,
                    owners[entry.anchor],
                    docname,
                    location=docname,
                )
            owners.setdefault(entry.anchor, docname)


# -- Titles and headings, and what print needs ------------------------------------------------


def _heading_numbers(env: BuildEnvironment) -> dict[str, str]:
    """This page's titles and headings that are passages: anchor -> ¶ number."""
    passages = guide_data(env).passages.get(env.docname, [])
    return {p.anchor: p.number for p in passages if p.kind in HEADING_KINDS}


class HeadingNumbersForHtml(SphinxPostTransform):
    """Titles and headings that are passages show their ¶ number too, linking to themselves."""

    default_priority = 6
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        # This page's passages only: looking through every reading's would cost each page the whole corpus.
        numbers = _heading_numbers(self.env)
        for section in self.document.findall(nodes.section) if numbers else ():
            for anchor in section["ids"]:
                title = section[0]
                if anchor in numbers and isinstance(title, nodes.title):
                    title.insert(0, passage_number(anchor=anchor, number=numbers[anchor]))


class HeadingDestinationsForPrint(SphinxPostTransform):
    """Titles and headings that are passages get a named destination, like every other passage."""

    default_priority = 6
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        anchors = {p.anchor for passages in guide_data(self.env).passages.values() for p in passages}
        for section in self.document.findall(nodes.section):
            for anchor in anchors.intersection(section["ids"]):
                # After the title, not in it: a title is also written to the contents and running heads.
                section.insert(1, destination(anchor=anchor, number=number_of(anchor)))


class PreTitlePassagesForPrint(SphinxPostTransform):
    """In print, a dateline above a reading's title would end the previous chapter: move it under the title."""

    default_priority = 6
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for start in list(self.document.findall(addnodes.start_of_file)):
            section = next((child for child in start.children if isinstance(child, nodes.section)), None)
            if section is None:
                continue
            before = start.children[: start.index(section)]
            for moved in reversed(before):
                if isinstance(moved, passage):
                    start.remove(moved)
                    section.insert(1, moved)


# A footnote's own label: "[1] …", "1" alone on its first line, "^1 …", "1. … ↩︎".
FOOTNOTE_LABEL = re.compile(r"^(?:\[(\d{1,3})\]|\^?(\d{1,3})(?=\n|\s|$)|(\d{1,3})[.)]\s)")
FOOTNOTE_MARKER = re.compile(r"\[(\d{1,3})\]")


class FootnoteMarkersLinked(SphinxPostTransform):
    """A marker such as "[1]" in a passage links to the footnote it names; the text stays as written."""

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        passages = guide_data(self.env).passages.get(self.env.docname, [])
        notes: dict[str, str] = {}
        for note in (p for p in passages if p.kind == "footnote"):
            label = FOOTNOTE_LABEL.match(note.text)
            if label:
                notes.setdefault(next(g for g in label.groups() if g), note.anchor)
        if not notes:
            return
        for node in list(self.document.findall(passage)):
            if node["kind"] in ("footnote", "furniture"):
                continue
            for text in list(node.findall(nodes.Text)):
                self._link(text, notes)

    @staticmethod
    def _link(text: nodes.Text, notes: dict[str, str]) -> None:
        parts: list[nodes.Node] = []
        at = 0
        for marker in FOOTNOTE_MARKER.finditer(str(text)):
            if marker.group(1) not in notes:
                continue
            parts.append(nodes.Text(str(text)[at : marker.start()]))
            parts.append(
                nodes.reference("", marker.group(0), refid=notes[marker.group(1)], classes=["footnote-marker"])
            )
            at = marker.end()
        if parts:
            parts.append(nodes.Text(str(text)[at:]))
            text.parent.replace(text, parts)


class MarginNotesBeforePassages(SphinxPostTransform):
    """A margin note floats beside what follows it: put a passage's notes just before the passage."""

    default_priority = 6
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(passage)):
            parent = node.parent
            position = parent.index(node)
            notes: list[nodes.Node] = []
            while position + 1 + len(notes) < len(parent) and isinstance(
                parent[position + 1 + len(notes)], (work_note, glossary_note)
            ):
                notes.append(parent[position + 1 + len(notes)])
            for note in notes:
                parent.remove(note)
            for offset, note in enumerate(notes):
                parent.insert(position + offset, note)


def setup(app: Sphinx) -> None:
    app.add_directive("passage", PassageDirective)
    app.add_directive("comment", CommentDirective)
    app.add_directive("captured", CapturedDirective)
    app.add_post_transform(PreTitlePassagesForPrint)
    app.add_post_transform(HeadingDestinationsForPrint)
    app.add_post_transform(HeadingNumbersForHtml)
    app.add_post_transform(MarginNotesBeforePassages)
    app.add_post_transform(FootnoteMarkersLinked)
    app.connect("doctree-read", collect_passages)
    app.connect("env-check-consistency", check_unique_anchors)
