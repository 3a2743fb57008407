"""The bibliography part: a pybtex style that keeps titles as written, and citations of passages.

The style ``guide`` (registered with pybtex) is BibTeX's plain layout with titles exactly
as in refs.bib. ``cite`` builds the "cite this" strings of a reading or one of its passages
from the reading's refs.bib entry, which sphinxcontrib-bibtex has already parsed: change an
entry in refs.bib and every citation built from it changes.

``works-referred`` directive
    On a reading page: the works its passages refer to (their ``cites`` option), each with
    the ¶ that mention it. In HTML each such passage also has a margin note (``work_note_for``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any, ClassVar

from docutils import nodes
from pybtex.bibtex.exceptions import BibTeXError
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer as BibtexWriter
from pybtex.plugin import find_plugin, register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import field, sentence
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from reading_guide.extension.csl import citations, passage_item, reading_item
from reading_guide.extension.data import guide_data, passage_index
from reading_guide.extension.doctree import append_links, pilcrow
from reading_guide.extension.nodes import work_note, works_referred
from reading_guide.schema import Passage, Reading, passage_anchor, thread_number

_BIBTEX = BibtexWriter()
_LABEL, _NOTE = "GUIDELABELSLOT", "GUIDENOTESLOT"


class GuideStyle(UnsrtStyle):  # type: ignore[misc]  # pybtex has no type information
    """BibTeX's plain layout, sorted by author and year, with titles exactly as in refs.bib."""

    default_sorting_style = "author_year_title"

    def format_title(self, e: Entry, which_field: str, as_sentence: bool = True) -> Any:
        formatted_title = field(which_field)
        return sentence[formatted_title] if as_sentence else formatted_title


def bibliography(env: BuildEnvironment) -> BibliographyData:
    """refs.bib as sphinxcontrib-bibtex parsed it for this build."""
    data: BibliographyData = env.domains["cite"].bibdata.data  # type: ignore[attr-defined]
    return data


def reading_entry(env: BuildEnvironment, reading: Reading) -> tuple[str, Entry]:
    """The reading's refs.bib entry, or, for a source without one, an entry of what its sidecar states."""
    entries = bibliography(env).entries
    if reading.bibkey in entries:
        return reading.bibkey, entries[reading.bibkey]
    item = citations(env).csl_json(reading_item(reading))
    return reading.slug, entry_from_csl(item)


def entry_from_csl(item: dict[str, Any]) -> Entry:
    """A BibTeX entry (@misc) of an item the guide makes itself (a comment, a reading without a refs.bib entry).

    Its values are plain text, not LaTeX: each becomes a BibTeX value that reads back as itself.
    """
    fields = {"title": _bibtex_text(_unmarked(item.get("title", "")))}
    if item.get("container-title"):
        fields["howpublished"] = _bibtex_text(_unmarked(item["container-title"]))
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    if parts[0]:
        fields["year"] = str(parts[0][0])
        if len(parts[0]) > 1:
            fields["month"] = MONTHS[int(parts[0][1]) - 1]
    if item.get("URL"):
        fields["url"] = item["URL"]
    persons = {"author": [Person(f"{{{_bibtex_text(n['literal'])}}}") for n in item.get("author", [])]}
    return Entry("misc", fields=fields, persons=persons if persons["author"] else None)


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _unmarked(text: str) -> str:
    """A CSL value without the processor's markup (the <span> that keeps a web address's case)."""
    return re.sub(r"</?span[^>]*>", "", text)


def cite(env: BuildEnvironment, reading: Reading, *, url: str, passage: Passage | None = None) -> dict[str, Any]:
    """A reading's or a passage's citation in every style, and a BibTeX entry for it; made once a build.

    A reading: its reference in each style (``citations``), the default one as ``citation``.
    A passage: its in-text citation with its ¶ as the paragraph locator, in each style, and the item
    it cites (``item``: the reading, or its comment when a byline names the author).
    """
    memo = guide_data(env).cache.citations
    key = (reading.slug, url, str(passage.number) if passage else None, passage.thread if passage else None)
    if key not in memo:
        memo[key] = _cite(env, reading, url=url, passage=passage)
    return memo[key]


def _cite(env: BuildEnvironment, reading: Reading, *, url: str, passage: Passage | None) -> dict[str, Any]:
    found = citations(env)
    label, entry = reading_entry(env, reading)
    if passage is None:
        item = reading_item(reading)
        texts = {style: found.reference(item, style).text for style, _ in found.styles}
        note = entry.fields.get("note", "")
    else:
        item = passage_item(reading, passage)  # type: ignore[arg-type]
        where = str(passage.number)
        texts = {style: found.citation(item, where, style).text for style, _ in found.styles}
        place = f"comment {thread_number(passage.thread)}, para. {where}" if passage.thread else f"para. {where}"
        note = f"{place}; reading guide: {url}"
        label = f"{label}:para{where}"
    # pybtex writes (and LaTeX-encodes) the reading's entry once; passages differ only in label and
    # note, which hold nothing to encode but the "#" of the link.
    template = _bibtex_template(reading.slug, entry, bool(note), guide_data(env).cache.bibtex_templates)
    bibtex = template.replace(_LABEL, label, 1).replace(_NOTE, note.replace("#", "\\#"), 1)
    return {"item": item, "citation": texts[found.default], "citations": texts, "bibtex": bibtex}


def item_bibtex(env: BuildEnvironment, item: str) -> str:
    """The BibTeX entry of one cited item: a refs.bib entry as pybtex writes it, or one the guide makes."""
    entries = bibliography(env).entries
    entry = entries[item] if item in entries else entry_from_csl(citations(env).csl_json(item))
    return str(_BIBTEX.to_string(BibliographyData({item: entry})))


def _bibtex_template(key: str, entry: Entry, with_note: bool, memo: dict[tuple[str, bool], str]) -> str:
    slot = (key, with_note)
    if slot not in memo:
        fields = {name: value for name, value in entry.fields.items() if name != "note"}
        if with_note:
            fields["note"] = _NOTE
        # One writer, not BibliographyData.to_string, which looks the plugin up (slowly) on every call.
        try:
            text = _BIBTEX.to_string(BibliographyData({_LABEL: Entry(entry.type, fields, entry.persons)}))
        except BibTeXError:  # a title from a source without a refs.bib entry may hold unbalanced braces
            safe = {name: _bibtex_text(value) for name, value in fields.items()}
            text = _BIBTEX.to_string(BibliographyData({_LABEL: Entry(entry.type, safe, entry.persons)}))
        memo[slot] = text
    return memo[slot]


def _bibtex_text(text: str) -> str:
    """Any text as a BibTeX value: backslashes and braces become LaTeX commands, so braces balance."""
    commands = {"\\": "\\textbackslash{}", "{": "\\textbraceleft{}", "}": "\\textbraceright{}"}
    return "".join(commands.get(char, char) for char in text)


def cite_link(key: str, refdoc: str) -> addnodes.pending_xref:
    """A parenthetical author–date citation, resolved by sphinxcontrib-bibtex like {cite:p}."""
    return addnodes.pending_xref(
        "", nodes.inline("", key), refdomain="cite", reftype="p", reftarget=key, refdoc=refdoc, refexplicit=False
    )


def work_note_for(anchor: str, keys: list[str], refdoc: str) -> work_note:
    """The margin note beside a passage that refers to works: "Refers to (Author Year); …"."""
    note = work_note(anchor=anchor, keys=keys)
    line = nodes.paragraph("", "Refers to ")
    for index, key in enumerate(keys):
        if index:
            line += nodes.Text("; ")
        line += cite_link(key, refdoc)
    note += line
    return note


class WorksReferredDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        return [works_referred(docname=self.env.docname)]


class FillWorksReferred(SphinxPostTransform):
    """Each reading's list of works: the entry as the processor sets it, and the ¶ that mention it."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        for placeholder in list(self.document.findall(works_referred)):
            placeholder.replace_self(self._works(placeholder["docname"]))

    def _works(self, docname: str) -> nodes.Element:
        reading = guide_data(self.env).readings[docname]
        by_key: dict[str, list[str]] = {}
        for passage in guide_data(self.env).passages.get(docname, []):
            for key in passage.cites:
                by_key.setdefault(key, []).append(passage.number)
        found = citations(self.env)
        items = nodes.bullet_list(classes=["works-referred"])
        for key, numbers in by_key.items():
            line = nodes.paragraph()
            line.extend(csl_nodes(found.entry(key).html) if key in found.entries else [nodes.Text(key)])
            line += nodes.Text(" ")
            line += cite_link(key, docname)
            links = [(passage_anchor(reading.slug, number), pilcrow(number)) for number in numbers]
            append_links(line, links, docname, opening=". Mentioned at ", closing=".")
            items += nodes.list_item("", line)
        return items


def _citation_keys(env: BuildEnvironment) -> dict[str, str]:
    """sphinxcontrib-bibtex's citation ids -> refs.bib keys."""
    return {citation.citation_id: citation.key for citation in env.domains["cite"].citations}  # type: ignore[attr-defined]


class BibliographyByTheStyle(SphinxPostTransform):
    """The Bibliography page: each entry as the default style writes it, in the order it sorts them.

    sphinxcontrib-bibtex keeps making the entries (their anchors, and the targets of every in-text
    citation); their text and order are the CSL processor's, so the page reads as the citations do
    (author–date, by author and year) and the PDF has the same order.
    """

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        keys = _citation_keys(self.env)
        found = citations(self.env)
        order = {key: index for index, key in enumerate(found.order)}
        lists: list[nodes.Element] = []
        for entry in list(self.document.findall(nodes.citation)):
            key = next((keys[i] for i in entry["ids"] if i in keys), None)
            if key is None or key not in found.entries:
                continue
            entry["classes"].append("author-date")
            for child in list(entry.children):
                if isinstance(child, nodes.paragraph):
                    child.children = []
                    child.extend(csl_nodes(found.entry(key).html))
                    child["classes"].append("csl-entry")
            if entry.parent is not None and entry.parent not in lists:
                lists.append(entry.parent)
        for parent in lists:
            entries: list[nodes.Node] = [child for child in parent.children if isinstance(child, nodes.citation)]
            others: list[nodes.Node] = [child for child in parent.children if not isinstance(child, nodes.citation)]
            entries.sort(key=lambda e: order.get(_key_of(e, keys), len(order)))
            parent.children = []
            parent.extend(others + entries)


def _key_of(entry: nodes.Node, keys: dict[str, str]) -> str:
    ids = entry["ids"] if isinstance(entry, nodes.Element) else []
    return next((keys[i] for i in ids if i in keys), "")


class InTextByTheStyle(SphinxPostTransform):
    """Every {cite:p} (and margin note) reads as the default style's in-text citation: "(Greer et al. 2020)".

    sphinxcontrib-bibtex has resolved it to links to the Bibliography; each link's text becomes
    the processor's citation of its work without the parentheses, which enclose the whole group.
    """

    default_priority = 11  # after references are resolved (10)

    def run(self, **kwargs: Any) -> None:
        found = citations(self.env)
        by_id = {nodes.make_id(f"cite-{key}"): key for key in found.entries}
        by_id |= {citation_id: key for citation_id, key in _citation_keys(self.env).items()}
        for group in list(self.document.findall(nodes.inline)):
            if "bibtex-citation" not in group["classes"]:
                continue
            links = [ref for ref in group.findall(nodes.reference) if _cited_key(ref, by_id) in found.entries]
            # In LaTeX sphinxcontrib-bibtex writes each link as raw \hyperlink{cite.<doc>:<id>}{ … }.
            raw = "".join(c.rawsource for c in group.children if isinstance(c, nodes.Element))
            targets = _LATEX_LINK.findall(raw)
            cited = [(link, _cited_key(link, by_id)) for link in links] or [
                (target, by_id.get(target.rpartition(":")[2], "")) for target in targets
            ]
            if not cited or any(key not in found.entries for _, key in cited):
                continue
            group.children = []
            group += nodes.Text("(")
            for index, (link, key) in enumerate(cited):
                if index:
                    group += nodes.Text("; ")
                text = found.entry_citation(key).text
                text = text[1:-1] if text.startswith("(") and text.endswith(")") else text
                if isinstance(link, nodes.reference):
                    link.children = [nodes.Text(text)]
                    link["reftitle"] = found.entry(key).text
                    group += link
                else:
                    group += nodes.raw("", f"\\hyperlink{{{link}}}{{", format="latex")
                    group += nodes.Text(text)
                    group += nodes.raw("", "}", format="latex")
            group += nodes.Text(")")


_LATEX_LINK = re.compile(r"\\hyperlink\{(cite\.[^}]*)\}\{")


class HandoutSources(SphinxPostTransform):
    """A handout (a debate page printed on its own, `make handouts`) ends with the references of the
    readings it quotes, as the default style sets them: it goes to a meeting without the book's bibliography."""

    default_priority = 6
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        docname = self.env.docname  # the printed document's own page: "index" for the book
        if not docname.startswith("debates/"):
            return
        index, found = passage_index(self.env), citations(self.env)
        readings = guide_data(self.env).readings
        quoted: list[str] = []
        for quote in guide_data(self.env).quotations.get(docname, []):
            page = index[quote.anchor].docname if quote.anchor in index else ""
            if page in readings and reading_item(readings[page]) not in quoted:
                quoted.append(reading_item(readings[page]))
        section = self.document.next_node(nodes.section)
        if not quoted or section is None:
            return
        order = {key: at for at, key in enumerate(found.order)}
        items = nodes.bullet_list()
        for item in sorted(quoted, key=lambda key: (order.get(key, len(order)), found.reference(key).text)):
            reference = found.entry(item) if item in found.entries else found.reference(item)
            items += nodes.list_item("", nodes.paragraph("", "", *csl_nodes(reference.html)))
        section += nodes.rubric("", "Sources")
        section += nodes.container("", items, classes=["handout-sources"])  # set ragged right (readingguide.sty)


def _cited_key(link: nodes.reference, by_id: dict[str, str]) -> str:
    target = link.get("refid") or str(link.get("refuri", "")).rpartition("#")[2]
    return by_id.get(target, "")


def csl_nodes(html: str) -> list[nodes.Node]:
    """The processor's HTML (a reference or citation) as docutils nodes: italics, bold, links.

    Written by hand: docutils reads no HTML, and the processor writes only a few elements
    (<i>, <b>, <span> for small capitals or a protected case, <sup>, <sub>, a <div> around it).
    Its web addresses, written as text, become links.
    """
    parser = _CslHtml()
    parser.feed(html)
    parser.close()
    return parser.root.children


class _CslHtml(HTMLParser):
    MADE: ClassVar[dict[str, type[nodes.Element]]] = {
        "i": nodes.emphasis,
        "em": nodes.emphasis,
        "b": nodes.strong,
        "strong": nodes.strong,
        "sup": nodes.superscript,
        "sub": nodes.subscript,
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = nodes.inline()
        self.open: list[tuple[str, nodes.Element]] = [("", self.root)]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.MADE:
            node = self.MADE[tag]()
        elif tag == "span" and "small-caps" in (dict(attrs).get("style") or ""):
            node = nodes.inline(classes=["small-caps"])
        else:  # <div class="csl-entry">, a case-keeping <span>: nothing to show, its text goes on
            node = self.open[-1][1]
            self.open.append((tag, node))
            return
        self.open[-1][1].append(node)
        self.open.append((tag, node))

    def handle_endtag(self, tag: str) -> None:
        if len(self.open) > 1 and self.open[-1][0] == tag:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        here = self.open[-1][1]
        at = 0
        for match in _ADDRESS.finditer(data):
            if match.start() > at:
                here += nodes.Text(data[at : match.start()])
            here += nodes.reference(match.group(0), match.group(0), refuri=match.group(0))
            at = match.end()
        if at < len(data):
            here += nodes.Text(data[at:])


# A web address in a reference, without the full stop or comma that may follow it.
_ADDRESS = re.compile(r"https?://\S+?(?=[.,;)]?(?:\s|$))")


# pybtex looks plugins up in the installed entry points on every use (about 13 ms each, dozens
# of times a build); plugins registered at run time are found first, so register these once.
PLUGINS_IN_USE = [
    ("pybtex.backends", "plaintext"),
    ("pybtex.backends", "text"),
    ("pybtex.backends", "docutils"),
    ("pybtex.style.names", "plain"),
    ("pybtex.style.names", "last"),
    ("pybtex.style.labels", "number"),
    ("pybtex.style.sorting", "author_year_title"),
]


def setup(app: Sphinx) -> None:
    register_plugin("pybtex.style.formatting", "guide", GuideStyle)
    for group, name in PLUGINS_IN_USE:
        register_plugin(group, name, find_plugin(group, name), force=True)
    app.add_directive("works-referred", WorksReferredDirective)
    app.add_post_transform(FillWorksReferred)
    app.add_post_transform(BibliographyByTheStyle)
    app.add_post_transform(InTextByTheStyle)
    app.add_post_transform(HandoutSources)
