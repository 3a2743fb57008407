"""The reading-group kit: content notes, reading at a glance, questions, the glossary, the plan.

Everything here is editorial and sits beside the source text, never in it.

``reading`` options (written by ``tools/convert.py`` from a source's sidecar)
    ``content-notes``: JSON ``{"reading": [keys], "passages": {"<¶>": [keys]}}``; the keys
    are those of the ``guide_content_notes`` configuration value. A reading page shows
    them under its title (one line in print), and ``{content-notes-index}`` lists them all.
``reading-questions`` directive
    The editors' discussion questions at the end of a reading (MyST content).
``glossary-term`` directive
    ``{glossary-term} <term>`` with ``:forms:`` (``;``-separated, case-insensitive, whole
    words; a trailing ``*`` allows any ending) and ``:acronyms:`` (space-separated, case
    kept), and the definition as content. The glossary lists where each term first
    appears in the body text of each reading, and that passage gets a margin note that
    links to the term: the passage itself is untouched.
``session-readings`` directive
    One ¶ range per line (``<first anchor> <last anchor>``, or one anchor): a session of
    the reading plan, listed with the reading time the range takes.

Configuration: ``guide_content_notes`` (key -> (label, description)) and
``guide_hypothesis`` (add the Hypothesis annotation layer to the HTML; off by default).
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from convert import count_words, reading_minutes
from guide_data import guide_data
from guide_debates import (
    _link_to_doc,
    _link_to_label,
    _paragraph,
    debate_order,
    depart_plain,
    passage_index,
    short_title,
    visit_plain,
)

logger = logging.getLogger(__name__)

# Passages a reader reads as text: not titles, headings, datelines or page furniture.
BODY_KINDS = ("paragraph", "list-item", "quote", "comment")
HYPOTHESIS_CLIENT = "https://hypothes.is/embed.js"


class content_note(nodes.General, nodes.Element):
    pass


class at_a_glance(nodes.General, nodes.Element):
    """Placeholder: a reading's length, comments and the positions it takes in the debates."""


class glossary_appearances(nodes.General, nodes.Element):
    """Placeholder: where a glossary term first appears in each reading."""


class glossary_note(nodes.General, nodes.Element):
    """A margin note beside the passage where a term first appears; the passage is untouched."""


class glossary_index(nodes.General, nodes.Element):
    """Placeholder: the glossary's terms in alphabetical order, each a link to its entry."""


class session_readings(nodes.General, nodes.Element):
    """Placeholder: one session's ¶ ranges with their reading time."""


class content_notes_index(nodes.General, nodes.Element):
    """Placeholder: every content note with the readings and passages it is declared for."""


def visit_content_note_latex(self: Any, node: content_note) -> None:
    self.body.append("\n\\par\\noindent{\\small\\itshape ")


def depart_content_note_latex(self: Any, node: content_note) -> None:
    self.body.append("}\\par\\medskip\n")


def visit_content_note_html(self: Any, node: content_note) -> None:
    self.body.append(self.starttag(node, "div", CLASS="content-note reading-content-note", role="note"))


def depart_content_note_html(self: Any, node: content_note) -> None:
    self.body.append("</div>\n")


def visit_glossary_note_html(self: Any, node: glossary_note) -> None:
    self.body.append(self.starttag(node, "aside", CLASS="margin sidebar glossary-note"))


def depart_glossary_note_html(self: Any, node: glossary_note) -> None:
    self.body.append("</aside>\n")


def skip(self: Any, node: nodes.Element) -> None:
    raise nodes.SkipNode


# -- Content notes and the reading at a glance -----------------------------------------


def reading_kit(directive: SphinxDirective, info: dict[str, str]) -> tuple[nodes.Node, nodes.Node]:
    """What a reading shows under its title besides its metadata: at a glance, and its content note."""
    return at_a_glance(docname=directive.env.docname), _content_note(directive, info)


def _content_note(directive: SphinxDirective, info: dict[str, str]) -> content_note:
    known = directive.config.guide_content_notes
    declared = content_notes_of(info)
    for key in declared:
        if key not in known:
            logger.warning(
                "sources/%s declares content note %r, which conf.py's guide_content_notes does not define (known: %s)",
                info["source"].rsplit(".", 1)[0] + ".toml",
                key,
                ", ".join(known),
                location=directive.get_location(),
            )
    here = directive.env.docname
    line = _paragraph(nodes.strong("", "Content note: "))
    if not declared:
        line += nodes.Text("none declared for this reading.")
    else:
        line += nodes.Text("this reading discusses ")
    for index, (key, numbers) in enumerate(declared.items()):
        if index:
            line += nodes.Text("; " if index < len(declared) - 1 else "; and ")
        line += nodes.Text(known.get(key, (key, ""))[0])
        for count, number in enumerate(sorted(numbers)):
            line += nodes.Text(" (" if count == 0 else ", ")
            line += _link_to_label(f"{info['slug']}-{number}", f"¶\u00a0{number}", here)
        if numbers:
            line += nodes.Text(")")
    if declared:
        line += nodes.Text(".")
    if "content-notes" in directive.env.found_docs:
        line += nodes.Text(" ")
        line += _link_to_doc("content-notes", "About content notes", here)
    note = content_note(keys=list(declared))
    note += line
    return note


def content_notes_of(info: dict[str, str]) -> dict[str, list[int]]:
    """Content-note key -> the ¶ numbers it is declared for (none: declared for the whole reading)."""
    notes = json.loads(info["content-notes"]) if info.get("content-notes") else {}
    declared: dict[str, list[int]] = {key: [] for key in notes.get("reading", [])}
    for number, keys in notes.get("passages", {}).items():
        for key in keys:
            declared.setdefault(key, []).append(int(number))
    return declared


def _glance(env: BuildEnvironment, docname: str) -> nodes.Element:
    info = guide_data(env).readings[docname]
    box = nodes.container(classes=["at-a-glance"])
    comments, replies = int(info.get("comments") or 0), int(info.get("replies") or 0)
    words = int(info.get("words") or 0)
    talk = f"{comments} comment{'s' * (comments != 1)} and {replies} repl{'ies' if replies != 1 else 'y'}"
    box += _paragraph(
        nodes.strong("", "At a glance: "),
        nodes.Text(f"{words:,} words, about {info.get('minutes')} min to read; {talk}."),
    )
    positions = _positions(env, docname)
    heading = _paragraph(nodes.strong("", "Positions in the debates:"))
    if not positions:
        heading += nodes.Text(" not quoted in the debates yet.")
    box += heading
    debates = nodes.bullet_list(classes=["glance-positions"])
    for debate, by_position in positions.items():
        line = _paragraph(_link_to_doc(debate, short_title(env, debate), docname), nodes.Text(": "))
        for count, (position, anchors) in enumerate(by_position.items()):
            if count:
                line += nodes.Text("; ")
            line += nodes.emphasis("", position)
            for n, (anchor, number) in enumerate(anchors):
                line += nodes.Text(" (" if n == 0 else ", ")
                line += _link_to_label(anchor, f"¶\u00a0{number}", docname)
            line += nodes.Text(")")
        debates += nodes.list_item("", line)
    if positions:
        box += debates
    return box


def _positions(env: BuildEnvironment, docname: str) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """Debate -> position -> this reading's passages quoted for it, from the debates' quotations."""
    index = passage_index(env)
    found: dict[str, dict[str, list[tuple[str, int]]]] = {}
    for debate in debate_order(env):
        for quote in guide_data(env).quotations[debate]:
            entry = index.get(quote["passage"])
            if entry and entry["docname"] == docname:
                anchors = found.setdefault(debate, {}).setdefault(quote["position"] or "quoted", [])
                if (entry["id"], entry["number"]) not in anchors:
                    anchors.append((entry["id"], entry["number"]))
    for by_position in found.values():
        for anchors in by_position.values():
            anchors.sort(key=lambda anchor: anchor[1])
    return found


class ContentNotesIndexDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        guide_data(self.env).placeholders.setdefault(self.env.docname, set()).add("notes")
        return [content_notes_index()]


def _notes_index(env: BuildEnvironment, here: str) -> nodes.Element:
    readings = sorted(guide_data(env).readings.items(), key=lambda item: item[1]["source"])
    listing = nodes.definition_list(classes=["content-notes-index"])
    for key, (label, description) in env.config.guide_content_notes.items():
        item = nodes.definition_list_item("", nodes.term("", label.capitalize(), ids=[f"content-note-{key}"]))
        definition = nodes.definition("", _paragraph(nodes.Text(description)))
        where = _paragraph(nodes.Text("In: "))
        count = 0
        for docname, info in readings:
            numbers = content_notes_of(info).get(key)
            if numbers is None:
                continue
            if count:
                where += nodes.Text("; ")
            count += 1
            where += _link_to_doc(docname, info["short-title"], here)
            for n, number in enumerate(sorted(numbers)):
                where += nodes.Text(" (" if n == 0 else ", ")
                where += _link_to_label(f"{info['slug']}-{number}", f"¶\u00a0{number}", here)
            if numbers:
                where += nodes.Text(")")
        if not count:
            where = _paragraph(nodes.Text("Not declared for any reading."))
        definition += where
        item += definition
        listing += item
    return listing


# -- Questions ---------------------------------------------------------------------------


class ReadingQuestionsDirective(SphinxDirective):
    has_content = True

    def run(self) -> list[nodes.Node]:
        box = nodes.container(classes=["editorial", "reading-questions"])
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


# -- The glossary ------------------------------------------------------------------------


def _term_id(name: str) -> str:
    return "term-" + "-".join(re.findall(r"[a-z0-9]+", name.lower()))


class GlossaryTermDirective(SphinxDirective):
    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"forms": directives.unchanged, "acronyms": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        forms = [f.strip() for f in self.options.get("forms", name).split(";") if f.strip()]
        acronyms = self.options.get("acronyms", "").split()
        term_id = _term_id(name)
        guide_data(self.env).glossary.setdefault(self.env.docname, []).append(
            {"id": term_id, "name": name, "forms": forms, "acronyms": acronyms}
        )
        guide_data(self.env).placeholders.setdefault(self.env.docname, set()).add("glossary")
        term = nodes.term("", name, ids=[term_id], names=[term_id])
        # A label, so that margin notes on other pages can link to the term.
        self.state.document.note_explicit_target(term, term)
        item = nodes.definition_list_item()
        item += term
        definition = nodes.definition()
        self.state.nested_parse(self.content, self.content_offset, definition)
        definition += glossary_appearances(term=term_id)
        item += definition
        return [nodes.definition_list("", item, classes=["glossary-entry"])]


class GlossaryIndexDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        # The page is named here: in the LaTeX build every page is resolved as part of the book.
        return [glossary_index(docname=self.env.docname)]


def _glossary_index(env: BuildEnvironment, page: str, here: str) -> nodes.Element:
    terms = sorted(guide_data(env).glossary.get(page, []), key=lambda term: term["name"].lower())
    line = _paragraph(nodes.strong("", "Terms: "), classes=["glossary-index"])
    for index, term in enumerate(terms):
        if index:
            line += nodes.Text(" · ")
        line += _link_to_label(term["id"], term["name"], here)
    return line


def term_patterns(term: dict[str, Any]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """A term's forms, to look for in lower-cased text (whole words, a space or hyphen between words:
    "twelve step" finds "Twelve-Step"), and its acronyms, to look for in the text as written.

    Lower-casing each passage once and matching case-sensitively costs less than half of
    matching every form in any case."""
    words = []
    for form in term["forms"]:
        stem = form.removesuffix("*").lower()
        pattern = r"[\s\-]+".join(re.escape(part) for part in re.split(r"[\s\-]+", stem))
        words.append(rf"\b{pattern}" + (r"\w*\b" if form.endswith("*") else r"\b"))
    acronyms = [rf"\b{re.escape(a)}\b" for a in term["acronyms"]]
    return (
        re.compile("|".join(words)) if words else None,
        re.compile("|".join(acronyms)) if acronyms else None,
    )


_appearance_cache: dict[int, dict[str, list[dict[str, Any]]]] = {}


def forget_appearances(app: Sphinx, env: BuildEnvironment) -> None:
    _appearance_cache.clear()
    _first_used_cache.clear()


def first_appearances(env: BuildEnvironment) -> dict[str, list[dict[str, Any]]]:
    """Term id -> for each reading, in reading order, the first body passage that uses the term."""
    if id(env) in _appearance_cache:
        return _appearance_cache[id(env)]
    terms = [term for docname in sorted(guide_data(env).glossary) for term in guide_data(env).glossary[docname]]
    readings = sorted(guide_data(env).readings.items(), key=lambda item: item[1]["source"])
    found: dict[str, list[dict[str, Any]]] = {term["id"]: [] for term in terms}
    bodies = [
        (
            docname,
            [
                (p, p["text"].lower())
                for p in sorted(guide_data(env).passages.get(docname, []), key=lambda p: p["number"])
                if p["kind"] in BODY_KINDS
            ],
        )
        for docname, _info in readings
    ]
    for term in terms:
        forms, acronyms = term_patterns(term)
        for docname, body in bodies:
            first = next(
                (
                    p
                    for p, lowered in body
                    if (forms and forms.search(lowered)) or (acronyms and acronyms.search(p["text"]))
                ),
                None,
            )
            if first:
                found[term["id"]].append({**first, "docname": docname})
    _appearance_cache[id(env)] = found
    return found


_first_used_cache: dict[int, dict[str, dict[str, list[str]]]] = {}


def terms_first_used(env: BuildEnvironment) -> dict[str, dict[str, list[str]]]:
    """Reading -> passage anchor -> the terms first used there; made once, so that each reading page
    looks up its own passages instead of going through every term's appearances in every reading."""
    if id(env) not in _first_used_cache:
        by_reading: dict[str, dict[str, list[str]]] = {}
        for term_id, found in first_appearances(env).items():
            for entry in found:
                by_reading.setdefault(entry["docname"], {}).setdefault(entry["id"], []).append(term_id)
        _first_used_cache[id(env)] = by_reading
    return _first_used_cache[id(env)]


def glossary_terms(env: BuildEnvironment) -> dict[str, tuple[str, str]]:
    """Term id -> (name, glossary page)."""
    return {
        term["id"]: (term["name"], docname) for docname, terms in guide_data(env).glossary.items() for term in terms
    }


def _appearances(env: BuildEnvironment, term_id: str, here: str) -> nodes.Element:
    found = first_appearances(env).get(term_id, [])
    if not found:
        return _paragraph(nodes.Text("Not used in the body text of the readings."), classes=["glossary-appearances"])
    line = _paragraph(nodes.Text("First appears in: "), classes=["glossary-appearances"])
    for index, entry in enumerate(found):
        if index:
            line += nodes.Text("; ")
        line += _link_to_label(
            entry["id"], f"{guide_data(env).readings[entry['docname']]['short-title']}, ¶\u00a0{entry['number']}", here
        )
    return line


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
            ranges.append((first, last, lineno))
            refs.extend((anchor, lineno) for anchor in dict.fromkeys((first, last)))
        guide_data(self.env).sessions.setdefault(self.env.docname, []).extend(ranges)
        return [session_readings(ranges=[(first, last) for first, last, _ in ranges])]


def passages_in_range(env: BuildEnvironment, first: str, last: str) -> list[dict[str, Any]]:
    index = passage_index(env)
    start, end = index.get(first), index.get(last)
    if not start or not end or start["docname"] != end["docname"]:
        return []
    passages = guide_data(env).passages[start["docname"]]
    return [p for p in passages if start["number"] <= p["number"] <= end["number"] and p["kind"] != "boilerplate"]


def range_words(passages: list[dict[str, Any]]) -> int:
    return sum(count_words(p["text"]) for p in passages if p["kind"] != "title")


def _session(env: BuildEnvironment, node: session_readings, here: str) -> nodes.Element:
    index = passage_index(env)
    items = nodes.bullet_list(classes=["session-readings"])
    words = 0
    for first, last in node["ranges"]:
        passages = passages_in_range(env, first, last)
        if not passages:
            items += nodes.list_item("", _paragraph(nodes.Text(f"[unknown range {first} – {last}]")))
            continue
        start, end = index[first], index[last]
        these = range_words(passages)
        words += these
        span = f"¶\u00a0{start['number']}" if first == last else f"¶¶\u00a0{start['number']}–{end['number']}"
        line = _paragraph(
            _link_to_label(first, start["reading"], here),
            nodes.Text(f", {span} (about {reading_minutes(these)} min)"),
        )
        items += nodes.list_item("", line)
    total = _paragraph(
        nodes.strong("", "Read before the session: "),
        nodes.Text(f"about {reading_minutes(words)} minutes ({words:,} words)."),
        classes=["session-time"],
    )
    box = nodes.container(classes=["session"])
    box += total
    box += items
    return box


def check(app: Sphinx, env: BuildEnvironment) -> None:
    """Every session range runs forwards within one reading."""
    index = passage_index(env)
    for docname in sorted(guide_data(env).sessions):
        for first, last, line in guide_data(env).sessions[docname]:
            if first in index and last in index:
                start, end = index[first], index[last]
                if start["docname"] != end["docname"] or start["number"] > end["number"]:
                    logger.warning(
                        "session range %s – %s must run forwards within one reading",
                        first,
                        last,
                        location=(docname, line),
                    )


# -- Filling placeholders, margin notes, rewriting -------------------------------------------


class FillKit(SphinxPostTransform):
    default_priority = 5  # before references are resolved, so the links made here resolve

    def run(self, **kwargs: Any) -> None:
        env, here = self.env, self.env.docname
        for node in list(self.document.findall(at_a_glance)):
            node.replace_self(_glance(env, node["docname"]))
        for node in list(self.document.findall(content_notes_index)):
            node.replace_self(_notes_index(env, here))
        for node in list(self.document.findall(glossary_index)):
            node.replace_self(_glossary_index(env, node["docname"], here))
        for node in list(self.document.findall(glossary_appearances)):
            node.replace_self(_appearances(env, node["term"], here))
        for node in list(self.document.findall(session_readings)):
            node.replace_self(_session(env, node, here))
        if here in guide_data(env).readings:
            self._glossary_notes(here)

    def _glossary_notes(self, here: str) -> None:
        first_in_passage = terms_first_used(self.env).get(here)
        if not first_in_passage:
            return
        terms = glossary_terms(self.env)
        from guide_extension import passage  # the node class; imported late to avoid a cycle

        for node in list(self.document.findall(passage)):
            term_ids = first_in_passage.get(node["ids"][0])
            if not term_ids:
                continue
            note = glossary_note()
            line = _paragraph(nodes.Text("Glossary: "))
            for index, term_id in enumerate(term_ids):
                if index:
                    line += nodes.Text(", ")
                name = terms[term_id][0]
                line += _link_to_label(term_id, name, here)
            note += line
            node.parent.insert(node.parent.index(node) + 1, note)


class MarginNotesBeforePassages(SphinxPostTransform):
    """A margin note floats beside what follows it: put a passage's notes just before the passage."""

    default_priority = 6
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        from guide_bibliography import work_note
        from guide_extension import passage

        for node in list(self.document.findall(passage)):
            parent = node.parent
            position = parent.index(node)
            notes: list[nodes.Element] = []
            while position + 1 + len(notes) < len(parent) and isinstance(
                parent[position + 1 + len(notes)], (work_note, glossary_note)
            ):
                notes.append(parent[position + 1 + len(notes)])
            for note in notes:
                parent.remove(note)
            for offset, note in enumerate(notes):
                parent.insert(position + offset, note)


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Kit pages that list what readings contain, and readings when the glossary changed."""
    data = guide_data(env)
    reread = data.reread
    rewrite: set[str] = set()
    if reread & set(data.readings):
        rewrite |= {d for d, kinds in data.placeholders.items() if kinds & {"glossary", "notes"}}
    if reread & set(data.glossary):
        rewrite |= set(data.readings)
    return sorted(rewrite - reread)


def add_hypothesis(app: Sphinx) -> None:
    if app.config.guide_hypothesis and app.builder.format == "html":
        app.add_js_file(HYPOTHESIS_CLIENT, loading_method="async")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("guide_content_notes", {}, "env", types=[dict], description="key -> (label, description)")
    app.add_config_value("guide_hypothesis", False, "html", types=[bool])
    app.add_node(
        content_note,
        html=(visit_content_note_html, depart_content_note_html),
        latex=(visit_content_note_latex, depart_content_note_latex),
        text=(visit_plain, depart_plain),
    )
    app.add_node(
        glossary_note,
        html=(visit_glossary_note_html, depart_glossary_note_html),
        # In print the glossary lists each term's first ¶ in every reading; the margin holds the ¶ numbers.
        latex=(skip, None),
        text=(skip, None),
    )
    for node in (at_a_glance, glossary_appearances, glossary_index, session_readings, content_notes_index):
        app.add_node(node)  # always replaced by FillKit before any writer sees them
    app.add_directive("reading-questions", ReadingQuestionsDirective)
    app.add_directive("glossary-term", GlossaryTermDirective)
    app.add_directive("glossary-index", GlossaryIndexDirective)
    app.add_directive("session-readings", SessionReadingsDirective)
    app.add_directive("content-notes-index", ContentNotesIndexDirective)
    app.add_post_transform(FillKit)
    app.add_post_transform(MarginNotesBeforePassages)
    app.connect("builder-inited", add_hypothesis)
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("env-updated", forget_appearances)
    app.connect("env-check-consistency", check)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
