"""The glossary: terms, where each first appears in each reading, and margin notes there.

``glossary-term`` directive
    ``{glossary-term} <term>`` with ``:forms:`` (``;``-separated, case-insensitive, whole
    words; a trailing ``*`` allows any ending) and ``:acronyms:`` (space-separated, case
    kept), and the definition as content. The glossary lists where each term first
    appears in the body text of each reading, and that passage gets a margin note that
    links to the term: the passage itself is untouched.
``glossary-index`` directive
    The glossary's terms in alphabetical order, each a link to its entry.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from reading_guide.extension.data import GlossaryTerm, Located, guide_data, ordered_readings
from reading_guide.extension.doctree import append_links, paragraph, pilcrow
from reading_guide.extension.nodes import glossary_appearances, glossary_index, glossary_note, passage
from reading_guide.schema import BODY_KINDS


def _term_id(name: str) -> str:
    return "term-" + "-".join(re.findall(r"[a-z0-9]+", name.lower()))


class GlossaryTermDirective(SphinxDirective):
    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"forms": directives.unchanged, "acronyms": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        forms = tuple(f.strip() for f in self.options.get("forms", name).split(";") if f.strip())
        term = GlossaryTerm(_term_id(name), name, forms, tuple(self.options.get("acronyms", "").split()))
        guide_data(self.env).glossary.setdefault(self.env.docname, []).append(term)
        guide_data(self.env).placeholders.setdefault(self.env.docname, set()).add("glossary")
        entry = nodes.term("", name, ids=[term.id], names=[term.id])
        # A label, so that margin notes on other pages can link to the term.
        self.state.document.note_explicit_target(entry, entry)
        item = nodes.definition_list_item()
        item += entry
        definition = nodes.definition()
        self.state.nested_parse(self.content, self.content_offset, definition)
        definition += glossary_appearances(term=term.id)
        item += definition
        return [nodes.definition_list("", item, classes=["glossary-entry"])]


class GlossaryIndexDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        # The page is named here: in the LaTeX build every page is resolved as part of the book.
        return [glossary_index(docname=self.env.docname)]


def _glossary_index(env: BuildEnvironment, page: str, here: str) -> nodes.Element:
    terms = sorted(guide_data(env).glossary.get(page, []), key=lambda term: term.name.lower())
    line = paragraph(nodes.strong("", "Terms: "), classes=["glossary-index"])
    append_links(line, [(term.id, term.name) for term in terms], here, separator=" · ")
    return line


def term_patterns(term: GlossaryTerm) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """A term's forms, to look for in lower-cased text (whole words, a space or hyphen between words:
    "twelve step" finds "Twelve-Step"), and its acronyms, to look for in the text as written.

    Lower-casing each passage once and matching case-sensitively costs less than half of
    matching every form in any case."""
    words = []
    for form in term.forms:
        stem = form.removesuffix("*").lower()
        pattern = r"[\s\-]+".join(re.escape(part) for part in re.split(r"[\s\-]+", stem))
        words.append(rf"\b{pattern}" + (r"\w*\b" if form.endswith("*") else r"\b"))
    acronyms = [rf"\b{re.escape(a)}\b" for a in term.acronyms]
    return (
        re.compile("|".join(words)) if words else None,
        re.compile("|".join(acronyms)) if acronyms else None,
    )


def first_appearances(env: BuildEnvironment) -> dict[str, list[Located]]:
    """Term id -> for each reading, in reading order, the first body passage that uses the term."""
    cache = guide_data(env).cache
    if cache.first_appearances is not None:
        return cache.first_appearances
    terms = [term for docname in sorted(guide_data(env).glossary) for term in guide_data(env).glossary[docname]]
    found: dict[str, list[Located]] = {term.id: [] for term in terms}
    bodies = [
        [
            (p, p.text.lower())
            for p in guide_data(env).passages.get(docname, [])
            if p.kind in BODY_KINDS and p.status != "removed"
        ]
        for docname, _reading in ordered_readings(env)
    ]
    for term in terms:
        forms, acronyms = term_patterns(term)
        for body in bodies:
            first = next(
                (
                    p
                    for p, lowered in body
                    if (forms and forms.search(lowered)) or (acronyms and acronyms.search(p.text))
                ),
                None,
            )
            if first:
                found[term.id].append(first)
    cache.first_appearances = found
    return found


def terms_first_used(env: BuildEnvironment) -> dict[str, dict[str, list[str]]]:
    """Reading -> passage anchor -> the terms first used there; made once, so that each reading page
    looks up its own passages instead of going through every term's appearances in every reading."""
    cache = guide_data(env).cache
    if cache.terms_first_used is None:
        by_reading: dict[str, dict[str, list[str]]] = {}
        for term_id, found in first_appearances(env).items():
            for entry in found:
                by_reading.setdefault(entry.docname, {}).setdefault(entry.anchor, []).append(term_id)
        cache.terms_first_used = by_reading
    return cache.terms_first_used


def _appearances(env: BuildEnvironment, term_id: str, here: str) -> nodes.Element:
    found = first_appearances(env).get(term_id, [])
    if not found:
        return paragraph(nodes.Text("Not used in the body text of the readings."), classes=["glossary-appearances"])
    line = paragraph(classes=["glossary-appearances"])
    readings = guide_data(env).readings
    links = [(p.anchor, f"{readings[p.docname].short_title}, {pilcrow(p.number)}") for p in found]
    append_links(line, links, here, opening="First appears in: ", separator="; ")
    return line


class FillGlossary(SphinxPostTransform):
    default_priority = 5  # before references are resolved, so the links made here resolve

    def run(self, **kwargs: Any) -> None:
        env, here = self.env, self.env.docname
        for index in list(self.document.findall(glossary_index)):
            index.replace_self(_glossary_index(env, index["docname"], here))
        for appearances in list(self.document.findall(glossary_appearances)):
            appearances.replace_self(_appearances(env, appearances["term"], here))
        if here in guide_data(env).readings:
            self._glossary_notes(here)

    def _glossary_notes(self, here: str) -> None:
        first_in_passage = terms_first_used(self.env).get(here)
        if not first_in_passage:
            return
        terms = {term.id: term.name for page in guide_data(self.env).glossary.values() for term in page}
        for node in list(self.document.findall(passage)):
            term_ids = first_in_passage.get(node["ids"][0])
            if not term_ids:
                continue
            note = glossary_note()
            line = paragraph(nodes.Text("Glossary: "))
            append_links(line, [(term_id, terms[term_id]) for term_id in term_ids], here)
            note += line
            node.parent.insert(node.parent.index(node) + 1, note)


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Readings, when the glossary changed: their margin notes follow it."""
    data = guide_data(env)
    if data.reread & set(data.glossary):
        return sorted(set(data.readings) - data.reread)
    return []


def setup(app: Sphinx) -> None:
    app.add_directive("glossary-term", GlossaryTermDirective)
    app.add_directive("glossary-index", GlossaryIndexDirective)
    app.add_post_transform(FillGlossary)
    app.connect("env-get-updated", pages_to_rewrite)
