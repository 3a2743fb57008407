"""Readings: each reading page's metadata, the table of readings, and the citation index.

``reading`` directive
    The reading's metadata as options (``schema.READING_OPTIONS``); shows an "about this
    reading" line, the reading at a glance, and the content note above them.
``readings-table`` directive
    A table of every reading, filled in once all pages have been read.
``pdf-download`` directive
    On the home page: a link to the book, which ``make pdf`` copies beside the HTML.
``handouts`` directive
    A debate page's link to its handout, or (``:all:``, on the home page) every debate's;
    ``make handouts`` copies them beside the HTML. Neither link is in the EPUB.

The HTML build writes ``passages.json`` (the citation index) at its top; a reading's info box
links its citation files (``exports``).
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from reading_guide.extension.bibliography import cite
from reading_guide.extension.csl import citations
from reading_guide.extension.data import guide_data, ordered_readings
from reading_guide.extension.doctree import link_to_doc, table
from reading_guide.extension.exports import FORMATS, export_links, export_path, reading_items, web_only
from reading_guide.extension.metadata import public_link
from reading_guide.extension.nodes import at_a_glance, reading_content_note, readings_table
from reading_guide.schema import READING_OPTIONS, reading_from_options


class ReadingDirective(SphinxDirective):
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = dict.fromkeys(READING_OPTIONS, directives.unchanged)

    def run(self) -> list[nodes.Node]:
        try:
            reading = reading_from_options(self.options)
        except ValueError as err:
            raise self.error(f"reading: {err}") from None
        guide_data(self.env).readings[self.env.docname] = reading
        parts: list[list[nodes.Node]] = []
        if reading.author:
            parts.append([nodes.Text(f"By {reading.author}")])
        if reading.blog:
            parts.append([nodes.Text(reading.blog)])
        if reading.date:
            note = f" ({reading.date_note})" if reading.date_note else ""
            parts.append([nodes.Text(f"{reading.date}{note}")])
        if reading.url:
            parts.append([nodes.reference("", "original page", refuri=reading.url)])
        parts.append([nodes.Text("source file "), nodes.literal("", reading.source)])
        line = nodes.paragraph()
        for index, part in enumerate(parts):
            if index:
                line += nodes.Text(" · ")
            line.extend(part)
        box = nodes.container(classes=["reading-info"])
        box += line
        if reading.captured:
            # When each capture of the source was recorded and what it changed (README, "Captured again").
            box += nodes.paragraph("", f"Captures recorded: {reading.captured}.", classes=["reading-captures"])
        # The reading's citation files; the cite panel (guide.js) joins this line on the web.
        exports = export_links(self.env.docname, "readings", reading.slug, "Download its citation: ")
        box += web_only(nodes.paragraph("", "", exports, classes=["reading-cite"]))
        box += at_a_glance(docname=self.env.docname)
        # The content note comes first: a reader should meet it before anything else.
        return [reading_content_note(docname=self.env.docname), box]


class ReadingsTableDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        guide_data(self.env).table_docs.add(self.env.docname)
        return [readings_table()]


# The web pages only: the EPUB holds no PDF, and a link to a file outside it would be broken.
ONLY_WEB = "html and not epub"


class PdfDownloadDirective(SphinxDirective):
    """A link to the book, which `make pdf` copies beside the HTML (only on the home page)."""

    def run(self) -> list[nodes.Node]:
        paragraph = nodes.paragraph(classes=["pdf-download", "only-html"])
        paragraph += nodes.reference("", "Download the whole guide as a PDF", refuri="guide.pdf")
        paragraph += nodes.Text(", set as a book for printing.")
        only = addnodes.only(expr=ONLY_WEB)
        only += paragraph
        return [only]


def handout_uri(from_doc: str, debate: str) -> str:
    """Where `make handouts` puts a debate's handout beside the HTML, relative to the page `from_doc`."""
    return posixpath.relpath(f"handouts/handout-{posixpath.basename(debate)}.pdf", posixpath.dirname(from_doc) or ".")


class HandoutsDirective(SphinxDirective):
    """Links to the debates' handouts (`make handouts`): this debate's, or with ``:all:`` every debate's.

    With ``:all:`` (the home page) each debate page under ``debates/`` is listed by its title.
    """

    option_spec: ClassVar[dict[str, Any]] = {"all": directives.flag}

    def run(self) -> list[nodes.Node]:
        here = self.env.docname
        only = addnodes.only(expr=ONLY_WEB)
        if "all" not in self.options:
            paragraph = nodes.paragraph(classes=["handout-download"])
            paragraph += nodes.reference("", "Print this debate as a handout", refuri=handout_uri(here, here))
            paragraph += nodes.Text(" (PDF): the framing, both sides' quotations and the questions, for a meeting.")
            only += paragraph
            return [only]
        debates = sorted(d for d in self.env.found_docs if d.startswith("debates/") and d != "debates/index")
        items = nodes.bullet_list(classes=["handout-list"])
        for debate in debates:
            line = nodes.paragraph()
            line += addnodes.pending_xref(
                "",
                nodes.inline("", debate),
                refdomain="std",
                reftype="doc",
                reftarget="/" + debate,
                refexplicit=False,  # the link reads as the debate's title
                refdoc=here,
            )
            line += nodes.Text(": ")
            line += nodes.reference("", "handout (PDF)", refuri=handout_uri(here, debate))
            items += nodes.list_item("", line)
        only += nodes.paragraph("", "Handouts for a meeting, one short PDF for each debate:", classes=["handout-intro"])
        only += items
        return [only]


class FillReadingsTable(SphinxPostTransform):
    """Replace the placeholder before references are resolved, so the titles become links."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        for placeholder in list(self.document.findall(readings_table)):
            placeholder.replace_self(self._table())

    def _table(self) -> nodes.table:
        headers = ("Reading", "Author or blog", "Date", "Words", "Reading time", "Comments + replies")
        rows = []
        for docname, reading in ordered_readings(self.env):
            who = " · ".join(v for v in (reading.author, reading.blog) if v) or "unknown"
            rows.append(
                [
                    link_to_doc(docname, reading.short_title, self.env.docname),
                    nodes.Text(who),
                    nodes.Text(reading.date or "unknown"),
                    nodes.Text(str(reading.words)),
                    nodes.Text(f"{reading.minutes} min"),
                    nodes.Text(f"{reading.comments} + {reading.replies}"),
                ]
            )
        return table([nodes.Text(h) for h in headers], (40, 22, 12, 8, 10, 8), rows, ["readings-table"])


def write_citation_index(app: Sphinx, exception: Exception | None) -> None:
    """Publish passages.json beside the HTML: every passage of every reading, in source order.

    Each reading: its reference in every style (``citations``; ``citation`` in the default one),
    its BibTeX and its exports. Each passage: the item it cites, its in-text citation with its ¶
    in every style, a BibTeX entry whose note gives the ¶ and the link, and the link itself.
    """
    if exception is not None or app.builder.format != "html" or app.builder.name == "epub":
        return  # the EPUB may hold only what its pages show
    env = app.env
    found = citations(env)
    readings = []
    for docname, reading in ordered_readings(env):
        passages = guide_data(env).passages.get(docname, [])
        title = next((p.text for p in passages if p.kind == "title"), reading.short_title)
        page = app.builder.get_target_uri(docname)
        entries = []
        for p in passages:
            link = public_link(app.config, f"{page}#{p.anchor}")
            published: dict[str, object] = {"id": p.anchor, "number": p.number, "kind": p.kind, "thread": p.thread}
            published |= {"marker": p.marker, "author": p.author, "date": p.date, "text": p.text, "link": link}
            # Its history in the anchor register: "" (as first captured), "changed" or "removed".
            published |= {"status": p.status, "since": p.since}
            if p.earlier:
                published["earlier"] = [{"text": text, "until": until} for text, until in p.earlier]
            if p.removed_in:
                published["removed_in"] = p.removed_in
            entries.append(published | cite(env, reading, url=link, passage=p))
        references = {
            item: {style: found.reference(item, style).text for style, _ in found.styles}
            for item in reading_items(env, docname)
        }
        readings.append(
            {
                "source": reading.source,
                "slug": reading.slug,
                "title": title,
                "page": page,
                "link": public_link(app.config, page),
                **cite(env, reading, url=public_link(app.config, page)),
                "references": references,
                "exports": {name: export_path("readings", reading.slug, suffix) for name, _, suffix in FORMATS},
                "passages": entries,
            }
        )
    styles = [{"key": key, "label": label} for key, label in found.styles]
    path = Path(app.outdir) / "passages.json"
    text = json.dumps({"styles": styles, "readings": readings}, ensure_ascii=False, indent=1) + "\n"
    path.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.add_directive("reading", ReadingDirective)
    app.add_directive("readings-table", ReadingsTableDirective)
    app.add_directive("pdf-download", PdfDownloadDirective)
    app.add_directive("handouts", HandoutsDirective)
    app.add_post_transform(FillReadingsTable)
    app.connect("build-finished", write_citation_index)
