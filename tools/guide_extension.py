"""The guide's own Sphinx extension: anchored passages, comment threads, the citation index.

Contract with ``tools/convert.py``, which writes the reading pages:

``passage`` directive
    ``{passage} <anchor> <kind> [<thread> [<marker>]]`` with the passage's source text as raw
    content. The content is never parsed as Markdown: it becomes text nodes, one line
    break per source line break. The element carries the anchor as its only id and a
    visible ¶ number that links to itself.
``comment`` directive
    ``{comment} <anchor> <thread> <marker>`` (option ``:removed:``) around the passages
    and replies of one comment; the marker is the source's "2." or "•", or ``none``.
``reading`` directive
    The reading's verified metadata (source, author, blog, date, url, words...) as
    options; shows an "about this reading" line and feeds the readings table.
``captured`` directive
    Page furniture captured with the text: collapsed in HTML, left out of print with a
    note saying so.
``readings-table`` directive
    A table of every reading, filled in once all pages have been read.

Titles and headings are ordinary MyST headings preceded by a ``(<anchor>)=`` target;
their anchor is ``<slug>-<number>`` like every other passage.

The debates (quotations, passage references, backlinks, the matrix) live in
``guide_debates``, the reading-group kit in ``guide_kit``, and what makes the build
fast in ``guide_build``, all set up from here. Pages that show text or lists from other
pages (the readings table, quotations, backlinks) are rewritten, not re-read, when those
pages change.

The HTML build writes ``passages.json`` (the citation index) at its top. Every anchor
must be unique across the guide, because the PDF holds all readings in one document;
a duplicate is a build warning (an error under ``-W``).

No configuration values.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator

from guide_bibliography import cite, reading_entry
from guide_data import guide_data, merge_data, purge_doc
from guide_kit import reading_kit

logger = logging.getLogger(__name__)

KINDS = ("title", "meta", "heading", "paragraph", "list-item", "quote", "comment", "boilerplate")


# -- Nodes and their visitors -------------------------------------------------------------


class passage(nodes.General, nodes.Element):
    """One passage of a source: an anchor, a ¶ number, the text."""


class passage_number(nodes.General, nodes.Element):
    """The visible ¶ number; it has no text children, so astext() stays the passage's text."""


class line_break(nodes.Inline, nodes.Element):
    """A line break inside a passage, where the source breaks the line."""


class reader_comment(nodes.General, nodes.Element):
    """One comment of a thread, holding its passages and its replies."""


class captured(nodes.General, nodes.Element):
    """Page furniture, kept for the record."""


class destination(nodes.General, nodes.Element):
    """In print, a named PDF destination for a title's or heading's anchor."""


class readings_table(nodes.General, nodes.Element):
    """Placeholder for the table of readings, replaced after all pages are read."""


def visit_passage_html(self: HTML5Translator, node: passage) -> None:
    tag = "blockquote" if node["kind"] == "quote" else "div"
    classes = ["passage", f"passage-{node['kind']}"]
    docname = self.builder.current_docname
    info = guide_data(self.builder.env).readings.get(docname)
    attributes = {"data-number": str(node["number"])}
    if info:
        # For the "cite this" control (docs/_static/guide.js): the same strings as passages.json.
        key, entry = reading_entry(info)
        url = f"{self.builder.get_target_uri(docname)}#{node['ids'][0]}"
        citation = cite(entry, key, url=url, number=node["number"], thread=node["thread"])
        # JSON, because HTML attribute values lose their line breaks and BibTeX needs them.
        attributes |= {"data-citation": citation["citation"], "data-bibtex": json.dumps(citation["bibtex"])}
    self.body.append(self.starttag(node, tag, CLASS=" ".join(classes), **attributes))


def depart_passage_html(self: HTML5Translator, node: passage) -> None:
    self.body.append("</blockquote>\n" if node["kind"] == "quote" else "</div>\n")


def visit_passage_number_html(self: HTML5Translator, node: passage_number) -> None:
    self.body.append(
        f'<a class="passage-number" href="#{node["anchor"]}" '
        f'title="Link to this passage (¶&#160;{node["number"]})">¶&#160;{node["number"]}</a>'
    )
    raise nodes.SkipNode


def visit_line_break_html(self: HTML5Translator, node: line_break) -> None:
    self.body.append("<br />\n")
    raise nodes.SkipNode


def visit_comment_html(self: HTML5Translator, node: reader_comment) -> None:
    classes = ["comment", "comment-reply" if "." in node["thread"] else "comment-top"]
    if node["removed"]:
        classes.append("comment-removed")
    self.body.append(self.starttag(node, "div", CLASS=" ".join(classes), **{"data-thread": node["thread"]}))


def depart_comment_html(self: HTML5Translator, node: reader_comment) -> None:
    self.body.append("</div>\n")


def visit_captured_html(self: HTML5Translator, node: captured) -> None:
    self.body.append(self.starttag(node, "details", CLASS="captured"))
    self.body.append(
        f"<summary>Page furniture as captured ({node['count']} passages): "
        "comment forms, sharing links and the like, kept for the record</summary>\n"
    )


def depart_captured_html(self: HTML5Translator, node: captured) -> None:
    self.body.append("</details>\n")


def visit_passage_latex(self: LaTeXTranslator, node: passage) -> None:
    if node["kind"] == "quote":
        self.body.append("\n\\begin{quote}")


def depart_passage_latex(self: LaTeXTranslator, node: passage) -> None:
    if node["kind"] == "quote":
        self.body.append("\\end{quote}")
    self.body.append("\n")


def visit_passage_number_latex(self: LaTeXTranslator, node: passage_number) -> None:
    # hyperref names only section destinations; \hypertarget makes the anchor a named destination.
    anchor = node["anchor"]
    label = self.hypertarget(anchor, anchor=False)  # for references within the PDF
    self.body.append(f"\\hypertarget{{{anchor}}}{{}}{label}\\guidepassagenumber{{{node['number']}}}")
    raise nodes.SkipNode


def visit_line_break_latex(self: LaTeXTranslator, node: line_break) -> None:
    self.body.append("\\newline{}")
    raise nodes.SkipNode


def visit_comment_latex(self: LaTeXTranslator, node: reader_comment) -> None:
    anchor = node["ids"][0]
    label = self.hypertarget(anchor, anchor=False)
    self.body.append(f"\n\\begin{{guidecomment}}\\hypertarget{{{anchor}}}{{}}{label}")


def depart_comment_latex(self: LaTeXTranslator, node: reader_comment) -> None:
    self.body.append("\\end{guidecomment}\n")


def visit_captured_latex(self: LaTeXTranslator, node: captured) -> None:
    self.body.append(
        f"\n\\par\\emph{{Left out of print: {node['count']} passages of page furniture "
        "(comment forms, sharing links and the like); the HTML guide keeps them.}\n"
    )
    raise nodes.SkipNode


def visit_destination_latex(self: LaTeXTranslator, node: destination) -> None:
    self.body.append(f"\\hypertarget{{{node['anchor']}}}{{}}\\guidepassagenumber{{{node['number']}}}")
    raise nodes.SkipNode


def skip_node(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


def visit_text_container(self: Any, node: nodes.Element) -> None:
    pass


def depart_text_container(self: Any, node: nodes.Element) -> None:
    pass


def visit_line_break_text(self: Any, node: line_break) -> None:
    self.add_text("\n")
    raise nodes.SkipNode


def visit_passage_number_text(self: Any, node: passage_number) -> None:
    raise nodes.SkipNode


# -- Directives ---------------------------------------------------------------------------


def _register_anchor(directive: SphinxDirective, node: nodes.Element, anchor: str) -> None:
    """Give `node` the anchor as its id and as a label other pages can reference."""
    node["ids"] = [anchor]
    node["names"] = [anchor]
    directive.state.document.note_explicit_target(node, node)


class PassageDirective(SphinxDirective):
    required_arguments = 2
    optional_arguments = 2
    has_content = True

    def run(self) -> list[nodes.Node]:
        anchor, kind = self.arguments[0], self.arguments[1]
        thread = self.arguments[2] if len(self.arguments) > 2 else None
        marker = self.arguments[3] if len(self.arguments) > 3 else ""
        if kind not in KINDS:
            raise self.error(f"passage {anchor}: kind {kind!r} is not one of {', '.join(KINDS)}")
        number = _number_of(anchor)
        if number is None:
            raise self.error(f"passage anchor {anchor!r} does not end in -<number>")
        text = "\n".join(self.content)
        node = passage(kind=kind, number=number, thread=thread, marker=marker, text=text)
        _register_anchor(self, node, anchor)
        # The number sits inside the paragraph so that, in print, it lines up with the first line.
        paragraph = nodes.paragraph()
        paragraph += passage_number(anchor=anchor, number=number)
        for index, line in enumerate(self.content):
            if index:
                paragraph += line_break()
            paragraph += nodes.Text(line)
        node += paragraph
        return [node]


class CommentDirective(SphinxDirective):
    required_arguments = 3
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"removed": directives.flag}

    def run(self) -> list[nodes.Node]:
        anchor, thread, marker = self.arguments
        removed = "removed" in self.options
        node = reader_comment(thread=thread, marker=marker, removed=removed)
        _register_anchor(self, node, anchor)
        number = thread[1:]
        label = f"{'Reply' if '.' in number else 'Comment'} {number}"
        header = nodes.paragraph(classes=["comment-header"])
        header += nodes.reference("", label, refid=anchor, classes=["comment-label"])
        if marker != "none" and marker.rstrip(".)") != number.rsplit(".", 1)[-1]:
            # The source marked this comment differently from its number here (a bullet, say).
            header += nodes.Text(" ")
            header += nodes.inline("", f"(marked “{marker}” in the source)", classes=["comment-marker"])
        if removed:
            header += nodes.Text(" ")
            header += nodes.inline("", "removed", classes=["comment-status"])
        node += header
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


READING_FIELDS = (
    "source",
    "slug",
    "short-title",
    "author",
    "blog",
    "date",
    "date-note",
    "url",
    "bibkey",
    "cites",
    "words",
    "minutes",
    "comments",
    "replies",
    "content-notes",
)


class ReadingDirective(SphinxDirective):
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = dict.fromkeys(READING_FIELDS, directives.unchanged)

    def run(self) -> list[nodes.Node]:
        info = {key: self.options.get(key, "") for key in READING_FIELDS}
        readings = guide_data(self.env).readings
        readings[self.env.docname] = info
        box = nodes.container(classes=["reading-info"])
        line = nodes.paragraph()
        parts: list[list[nodes.Node]] = []
        if info["author"]:
            parts.append([nodes.Text(f"By {info['author']}")])
        if info["blog"]:
            parts.append([nodes.Text(info["blog"])])
        if info["date"]:
            note = f" ({info['date-note']})" if info["date-note"] else ""
            parts.append([nodes.Text(f"{info['date']}{note}")])
        if info["url"]:
            parts.append([nodes.reference("", "original page", refuri=info["url"])])
        parts.append([nodes.Text("source file "), nodes.literal("", info["source"])])
        for index, part in enumerate(parts):
            if index:
                line += nodes.Text(" · ")
            line.extend(part)
        box += line
        glance, content_note = reading_kit(self, info)
        box += glance
        # The content note comes first: a reader should meet it before anything else.
        return [content_note, box]


class CapturedDirective(SphinxDirective):
    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        node = captured(count=int(self.arguments[0]))
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class PdfDownloadDirective(SphinxDirective):
    """A link to the book, which `make pdf` copies beside the HTML (only on the home page)."""

    def run(self) -> list[nodes.Node]:
        paragraph = nodes.paragraph(classes=["pdf-download", "only-html"])
        paragraph += nodes.reference("", "Download the whole guide as a PDF", refuri="guide.pdf")
        paragraph += nodes.Text(", set as a book for printing.")
        only = addnodes.only(expr="html")
        only += paragraph
        return [only]


class ReadingsTableDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        guide_data(self.env).table_docs.add(self.env.docname)
        return [readings_table()]


def _number_of(anchor: str) -> int | None:
    match = re.search(r"-(\d+)$", anchor)
    return int(match.group(1)) if match else None


# -- Collecting passages in the environment ------------------------------------------------


def collect_passages(app: Sphinx, doctree: nodes.document) -> None:
    """Record every passage of a reading page, titles and headings included, in page order."""
    env = app.env
    info = guide_data(env).readings.get(env.docname)
    if info is None:
        return
    anchor_pattern = re.compile(rf"^{re.escape(info['slug'])}-(\d+)$")
    found: list[dict[str, Any]] = []
    for node in doctree.findall(lambda n: isinstance(n, (passage, nodes.section))):
        if isinstance(node, passage):
            found.append(
                {
                    "id": node["ids"][0],
                    "number": node["number"],
                    "kind": node["kind"],
                    "thread": node["thread"],
                    "marker": node["marker"],
                    "text": node["text"],
                }
            )
            continue
        match = next((m for m in map(anchor_pattern.match, node["ids"]) if m), None)
        if match:
            kind = "title" if isinstance(node.parent, nodes.document) else "heading"
            title = node.next_node(nodes.title)
            found.append(
                {
                    "id": match.group(0),
                    "number": int(match.group(1)),
                    "kind": kind,
                    "thread": None,
                    "marker": "",
                    "text": title.astext() if title else "",
                }
            )
    guide_data(env).passages[env.docname] = found
    # A shared link previews with the reading's opening words, not with the guide's notes above them.
    opening = next((p["text"] for p in found if p["kind"] in ("paragraph", "quote", "list-item", "comment")), "")
    if opening:
        env.metadata[env.docname].setdefault("og:description", _shorten(" ".join(opening.split()), 200))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + " …"


def check_unique_anchors(app: Sphinx, env: BuildEnvironment) -> None:
    owners: dict[str, str] = {}
    for docname in sorted(guide_data(env).passages):
        for entry in guide_data(env).passages[docname]:
            if entry["id"] in owners and owners[entry["id"]] != docname:
                logger.warning(
                    "passage anchor %r is used in %s and %s; give one reading another slug",
                    entry["id"],
                    owners[entry["id"]],
                    docname,
                    location=docname,
                )
            owners.setdefault(entry["id"], docname)


# -- The readings table and the citation index ---------------------------------------------


def _ordered_readings(env: BuildEnvironment) -> list[tuple[str, dict[str, str]]]:
    return sorted(guide_data(env).readings.items(), key=lambda item: item[1]["source"])


class FillReadingsTable(SphinxPostTransform):
    """Replace the placeholder before references are resolved, so the titles become links."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        for placeholder in list(self.document.findall(readings_table)):
            placeholder.replace_self(self._table())

    def _table(self) -> nodes.table:
        headers = ("Reading", "Author or blog", "Date", "Words", "Reading time", "Comments + replies")
        table = nodes.table(classes=["readings-table"])
        group = nodes.tgroup(cols=len(headers))
        table += group
        for width in (40, 22, 12, 8, 10, 8):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head += self._row([nodes.Text(h) for h in headers])
        body = nodes.tbody()
        for docname, info in _ordered_readings(self.env):
            link = addnodes.pending_xref(
                "",
                nodes.inline("", info["short-title"]),
                refdomain="std",
                reftype="doc",
                reftarget="/" + docname,
                refexplicit=True,
                refdoc=self.env.docname,
            )
            who = " · ".join(v for v in (info["author"], info["blog"]) if v) or "unknown"
            body += self._row(
                [
                    link,
                    nodes.Text(who),
                    nodes.Text(info["date"] or "unknown"),
                    nodes.Text(info["words"]),
                    nodes.Text(f"{info['minutes']} min"),
                    nodes.Text(f"{info['comments']} + {info.get('replies') or 0}"),
                ]
            )
        group += head
        group += body
        return table

    @staticmethod
    def _row(cells: list[nodes.Node]) -> nodes.row:
        row = nodes.row()
        for content in cells:
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            paragraph += content
            entry += paragraph
            row += entry
        return row


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


class HeadingNumbersForHtml(SphinxPostTransform):
    """Titles and headings that are passages show their ¶ number too, linking to themselves."""

    default_priority = 6
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        # This page's passages only: looking through every reading's would cost each page the whole corpus.
        passages = guide_data(self.env).passages.get(self.env.docname, [])
        numbers = {entry["id"]: entry["number"] for entry in passages if entry["kind"] in ("title", "heading")}
        if not numbers:
            return
        for section in self.document.findall(nodes.section):
            for anchor in section["ids"]:
                if anchor in numbers:
                    section[0].insert(0, passage_number(anchor=anchor, number=numbers[anchor]))


class HeadingDestinationsForPrint(SphinxPostTransform):
    """Titles and headings that are passages get a named destination, like every other passage."""

    default_priority = 6
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        anchors = {entry["id"] for entries in guide_data(self.env).passages.values() for entry in entries}
        for section in self.document.findall(nodes.section):
            for anchor in anchors.intersection(section["ids"]):
                # After the title, not in it: a title is also written to the contents and running heads.
                section.insert(1, destination(anchor=anchor, number=_number_of(anchor)))


def write_citation_index(app: Sphinx, exception: Exception | None) -> None:
    """Publish passages.json beside the HTML: every passage of every reading, in source order."""
    if exception is not None or app.builder.format != "html":
        return
    env = app.env
    readings = []
    for docname, info in _ordered_readings(env):
        passages = sorted(guide_data(env).passages.get(docname, []), key=lambda entry: entry["number"])
        title = next((p["text"] for p in passages if p["kind"] == "title"), info["short-title"])
        page = app.builder.get_target_uri(docname)
        key, entry = reading_entry(info)
        passages = [
            {**item, **cite(entry, key, url=f"{page}#{item['id']}", number=item["number"], thread=item["thread"])}
            for item in passages
        ]
        readings.append(
            {
                "source": info["source"],
                "slug": info["slug"],
                "title": title,
                "page": page,
                **cite(entry, key, url=page),
                "passages": passages,
            }
        )
    index = {"readings": readings}
    path = Path(app.outdir) / "passages.json"
    path.write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(
        passage,
        html=(visit_passage_html, depart_passage_html),
        latex=(visit_passage_latex, depart_passage_latex),
        text=(visit_text_container, depart_text_container),
    )
    app.add_node(
        passage_number,
        html=(visit_passage_number_html, None),
        latex=(visit_passage_number_latex, None),
        text=(visit_passage_number_text, None),
    )
    app.add_node(
        line_break,
        html=(visit_line_break_html, None),
        latex=(visit_line_break_latex, None),
        text=(visit_line_break_text, None),
    )
    app.add_node(
        reader_comment,
        html=(visit_comment_html, depart_comment_html),
        latex=(visit_comment_latex, depart_comment_latex),
        text=(visit_text_container, depart_text_container),
    )
    app.add_node(destination, latex=(visit_destination_latex, None), html=(skip_node, None), text=(skip_node, None))
    app.add_node(
        captured,
        html=(visit_captured_html, depart_captured_html),
        latex=(visit_captured_latex, None),
        text=(visit_text_container, depart_text_container),
    )
    app.setup_extension("guide_build")
    app.setup_extension("guide_debates")
    app.setup_extension("guide_kit")
    app.add_directive("passage", PassageDirective)
    app.add_directive("comment", CommentDirective)
    app.add_directive("reading", ReadingDirective)
    app.add_directive("captured", CapturedDirective)
    app.add_directive("readings-table", ReadingsTableDirective)
    app.add_directive("pdf-download", PdfDownloadDirective)
    app.add_post_transform(FillReadingsTable)
    app.add_post_transform(PreTitlePassagesForPrint)
    app.add_post_transform(HeadingDestinationsForPrint)
    app.add_post_transform(HeadingNumbersForHtml)
    app.connect("doctree-read", collect_passages)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_data)
    app.connect("env-check-consistency", check_unique_anchors)
    app.connect("build-finished", write_citation_index)
    return {"version": "1", "env_version": 4, "parallel_read_safe": True, "parallel_write_safe": True}
