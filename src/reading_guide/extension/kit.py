"""The reading-group kit: content notes, the reading at a glance, questions, the reading plan.

Everything here is editorial and sits beside the source text, never in it.

Content notes
    Declared in a source's sidecar for the whole reading (the ``reading`` directive's
    ``content-notes``) or for passages (the ``passage`` directive's ``content-notes``); the
    keys are those of ``guide_content_notes``. A reading page shows them under its title,
    and ``{content-notes-index}`` lists them all.
``reading-questions`` directive
    The editors' discussion questions at the end of a reading (MyST content).
``session-readings`` directive
    One ¶ range per line (``<first anchor> <last anchor>``, or one anchor): a session of
    the reading plan, listed with the reading time the range takes.

Configuration: ``guide_content_notes`` (key -> (label, description)) and ``guide_hypothesis``
(add the Hypothesis annotation layer to the HTML; off by default).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from reading_guide.extension.data import Located, SessionRange, guide_data, ordered_readings, passage_index
from reading_guide.extension.debates import debate_order, short_title
from reading_guide.extension.doctree import append_links, link_to_doc, link_to_label, paragraph, pilcrow
from reading_guide.extension.nodes import (
    at_a_glance,
    content_note,
    content_notes_index,
    reading_content_note,
    session_readings,
)
from reading_guide.schema import count_words, passage_anchor, reading_minutes

logger = logging.getLogger(__name__)

HYPOTHESIS_CLIENT = "https://hypothes.is/embed.js"


# -- Content notes -------------------------------------------------------------------------


def content_notes_of(env: BuildEnvironment, docname: str) -> dict[str, list[str]]:
    """Content-note key -> the ¶ numbers it is declared for, in page order (none: for the whole reading)."""
    declared: dict[str, list[str]] = {key: [] for key in guide_data(env).readings[docname].content_notes}
    for passage in guide_data(env).passages.get(docname, []):
        for key in passage.content_notes:
            declared.setdefault(key, []).append(passage.number)
    return declared


def check_content_notes(app: Sphinx, env: BuildEnvironment) -> None:
    """Every declared key is defined in conf.py; the message names the sidecar that declares it."""
    known = env.config.guide_content_notes
    for docname, reading in ordered_readings(env):
        for key in content_notes_of(env, docname):
            if key not in known:
                logger.warning(
                    "sources/%s declares content note %r, which conf.py's guide_content_notes does not define "
                    "(known: %s)",
                    reading.source.rsplit(".", 1)[0] + ".toml",
                    key,
                    ", ".join(known),
                    location=docname,
                )


def _content_note(env: BuildEnvironment, docname: str) -> content_note:
    known = env.config.guide_content_notes
    declared = content_notes_of(env, docname)
    slug = guide_data(env).readings[docname].slug
    line = paragraph(nodes.strong("", "Content note: "))
    line += nodes.Text("this reading discusses " if declared else "none declared for this reading.")
    for index, (key, numbers) in enumerate(declared.items()):
        if index:
            line += nodes.Text("; " if index < len(declared) - 1 else "; and ")
        line += nodes.Text(known.get(key, (key, ""))[0])
        append_links(line, _pilcrow_links(slug, numbers), docname, opening=" (", closing=")")
    if declared:
        line += nodes.Text(".")
    if "content-notes" in env.found_docs:
        line += nodes.Text(" ")
        line += link_to_doc("content-notes", "About content notes", docname)
    note = content_note(keys=list(declared))
    note += line
    return note


def _pilcrow_links(slug: str, numbers: list[str]) -> list[tuple[str, str]]:
    return [(passage_anchor(slug, number), pilcrow(number)) for number in numbers]


class ContentNotesIndexDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        guide_data(self.env).placeholders.setdefault(self.env.docname, set()).add("notes")
        return [content_notes_index()]


def _notes_index(env: BuildEnvironment, here: str) -> nodes.Element:
    listing = nodes.definition_list(classes=["content-notes-index"])
    for key, (label, description) in env.config.guide_content_notes.items():
        item = nodes.definition_list_item("", nodes.term("", label.capitalize(), ids=[f"content-note-{key}"]))
        definition = nodes.definition("", paragraph(nodes.Text(description)))
        where = paragraph(nodes.Text("In: "))
        count = 0
        for docname, reading in ordered_readings(env):
            numbers = content_notes_of(env, docname).get(key)
            if numbers is None:
                continue
            if count:
                where += nodes.Text("; ")
            count += 1
            where += link_to_doc(docname, reading.short_title, here)
            append_links(where, _pilcrow_links(reading.slug, numbers), here, opening=" (", closing=")")
        definition += where if count else paragraph(nodes.Text("Not declared for any reading."))
        item += definition
        listing += item
    return listing


# -- The reading at a glance ------------------------------------------------------------------


def _glance(env: BuildEnvironment, docname: str) -> nodes.Element:
    reading = guide_data(env).readings[docname]
    box = nodes.container(classes=["at-a-glance"])
    comments, replies = reading.comments, reading.replies
    talk = f"{comments} comment{'s' * (comments != 1)} and {replies} repl{'ies' if replies != 1 else 'y'}"
    box += paragraph(
        nodes.strong("", "At a glance: "),
        nodes.Text(f"{reading.words:,} words, about {reading.minutes} min to read; {talk}."),
    )
    positions = _positions(env, docname)
    heading = paragraph(nodes.strong("", "Positions in the debates:"))
    if not positions:
        heading += nodes.Text(" not quoted in the debates yet.")
    box += heading
    debates = nodes.bullet_list(classes=["glance-positions"])
    for debate, by_position in positions.items():
        line = paragraph(link_to_doc(debate, short_title(env, debate), docname), nodes.Text(": "))
        for count, (label, quoted) in enumerate(by_position.items()):
            if count:
                line += nodes.Text("; ")
            line += nodes.emphasis("", label)
            append_links(line, [(p.anchor, pilcrow(p.number)) for p in quoted], docname, opening=" (", closing=")")
        debates += nodes.list_item("", line)
    if positions:
        box += debates
    return box


def _positions(env: BuildEnvironment, docname: str) -> dict[str, dict[str, list[Located]]]:
    """Debate -> position -> this reading's passages quoted for it, from the debates' quotations."""
    index = passage_index(env)
    found: dict[str, dict[str, list[Located]]] = {}
    for debate in debate_order(env):
        for quote in guide_data(env).quotations[debate]:
            entry = index.get(quote.anchor)
            if entry and entry.docname == docname:
                quoted = found.setdefault(debate, {}).setdefault(quote.position or "quoted", [])
                if entry not in quoted:
                    quoted.append(entry)
    order = {p.anchor: at for at, p in enumerate(guide_data(env).passages.get(docname, []))}
    for by_position in found.values():
        for quoted in by_position.values():
            quoted.sort(key=lambda passage: order[passage.anchor])
    return found


# -- Questions ---------------------------------------------------------------------------


class ReadingQuestionsDirective(SphinxDirective):
    has_content = True

    def run(self) -> list[nodes.Node]:
        box = nodes.container(classes=["editorial", "reading-questions"])
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


# -- The reading plan ----------------------------------------------------------------------


class SessionReadingsDirective(SphinxDirective):
    has_content = True

    def run(self) -> list[nodes.Node]:
        ranges = []
        refs = guide_data(self.env).pararefs.setdefault(self.env.docname, [])
        for offset, line in enumerate(self.content):
            anchors = line.split()
            if not anchors:
                continue
            if len(anchors) > 2:
                raise self.error(f"session range {line!r}: give a first and a last passage anchor, or one anchor")
            first, last = anchors[0], anchors[-1]
            lineno = self.content_offset + offset + 1
            ranges.append(SessionRange(first, last, lineno))
            refs.extend((anchor, lineno) for anchor in dict.fromkeys((first, last)))
        guide_data(self.env).sessions.setdefault(self.env.docname, []).extend(ranges)
        return [session_readings(ranges=[(r.first, r.last) for r in ranges])]


def passages_in_range(env: BuildEnvironment, first: str, last: str) -> list[Located]:
    index = passage_index(env)
    start, end = index.get(first), index.get(last)
    if not start or not end or start.docname != end.docname:
        return []
    passages = guide_data(env).passages[start.docname]
    first_at, last_at = passages.index(start), passages.index(end)
    return [p for p in passages[first_at : last_at + 1] if p.kind != "furniture"]


def range_words(passages: list[Located]) -> int:
    return sum(count_words(p.text) for p in passages if p.kind != "title")


def _session(env: BuildEnvironment, node: session_readings, here: str) -> nodes.Element:
    index = passage_index(env)
    items = nodes.bullet_list(classes=["session-readings"])
    words = 0
    for first, last in node["ranges"]:
        passages = passages_in_range(env, first, last)
        if not passages:
            items += nodes.list_item("", paragraph(nodes.Text(f"[unknown range {first} – {last}]")))
            continue
        start, end = index[first], index[last]
        these = range_words(passages)
        words += these
        span = pilcrow(start.number) if first == last else f"¶¶\u00a0{start.number}–{end.number}"
        line = paragraph(
            link_to_label(first, guide_data(env).readings[start.docname].short_title, here),
            nodes.Text(f", {span} (about {reading_minutes(these)} min)"),
        )
        items += nodes.list_item("", line)
    total = paragraph(
        nodes.strong("", "Read before the session: "),
        nodes.Text(f"about {reading_minutes(words)} minutes ({words:,} words)."),
        classes=["session-time"],
    )
    box = nodes.container(classes=["session"])
    box += total
    box += items
    return box


def check_sessions(app: Sphinx, env: BuildEnvironment) -> None:
    """Every session range runs forwards within one reading."""
    index = passage_index(env)
    for docname in sorted(guide_data(env).sessions):
        for session in guide_data(env).sessions[docname]:
            if session.first in index and session.last in index:
                start, end = index[session.first], index[session.last]
                order = guide_data(env).passages.get(start.docname, [])
                if start.docname != end.docname or order.index(start) > order.index(end):
                    logger.warning(
                        "session range %s – %s must run forwards within one reading",
                        session.first,
                        session.last,
                        location=(docname, session.line),
                    )


# -- Filling placeholders, rewriting -------------------------------------------------------------


class FillKit(SphinxPostTransform):
    default_priority = 5  # before references are resolved, so the links made here resolve

    def run(self, **kwargs: Any) -> None:
        env, here = self.env, self.env.docname
        for note in list(self.document.findall(reading_content_note)):
            note.replace_self(_content_note(env, note["docname"]))
        for glance in list(self.document.findall(at_a_glance)):
            glance.replace_self(_glance(env, glance["docname"]))
        for index in list(self.document.findall(content_notes_index)):
            index.replace_self(_notes_index(env, here))
        for session in list(self.document.findall(session_readings)):
            session.replace_self(_session(env, session, here))


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Kit pages that list what readings contain."""
    data = guide_data(env)
    if data.reread & set(data.readings):
        return sorted({d for d, kinds in data.placeholders.items() if kinds & {"glossary", "notes"}} - data.reread)
    return []


def add_hypothesis(app: Sphinx) -> None:
    if app.config.guide_hypothesis and app.builder.format == "html":
        app.add_js_file(HYPOTHESIS_CLIENT, loading_method="async")


def setup(app: Sphinx) -> None:
    app.add_config_value("guide_content_notes", {}, "env", types=[dict], description="key -> (label, description)")
    app.add_config_value("guide_hypothesis", False, "html", types=[bool])
    app.add_directive("reading-questions", ReadingQuestionsDirective)
    app.add_directive("session-readings", SessionReadingsDirective)
    app.add_directive("content-notes-index", ContentNotesIndexDirective)
    app.add_post_transform(FillKit)
    app.connect("builder-inited", add_hypothesis)
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("env-check-consistency", check_content_notes)
    app.connect("env-check-consistency", check_sessions)
