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

from collections.abc import Callable
from typing import Any

from docutils import nodes
from pybtex.bibtex.exceptions import BibTeXError
from pybtex.database import BibliographyData, Entry
from pybtex.database.output.bibtex import Writer as BibtexWriter
from pybtex.plugin import find_plugin, register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import field, sentence
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from reading_guide.extension.data import guide_data
from reading_guide.extension.doctree import append_links, pilcrow
from reading_guide.extension.nodes import work_note, works_referred
from reading_guide.schema import Passage, Reading, passage_anchor, thread_number

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_BIBTEX = BibtexWriter()
_LABEL, _NOTE = "GUIDELABELSLOT", "GUIDENOTESLOT"


class GuideStyle(UnsrtStyle):  # type: ignore[misc]  # pybtex has no type information
    """BibTeX's plain layout, sorted by author and year, with titles exactly as in refs.bib."""

    default_sorting_style = "author_year_title"

    def format_title(self, e: Entry, which_field: str, as_sentence: bool = True) -> Any:
        formatted_title = field(which_field)
        return sentence[formatted_title] if as_sentence else formatted_title


def plain(latex: str) -> str:
    """A refs.bib value (braces, ``quotes'', \\&) as the text it stands for."""
    return str(Text.from_latex(latex).render_as("text"))


def _authors(entry: Entry, text: Callable[[str], str]) -> str:
    people = entry.persons.get("author", [])
    names = [text(" ".join(p.first_names + p.middle_names + p.prelast_names + p.last_names)) for p in people]
    if len(names) > 3 or any(n.lower() == "others" for n in names):
        return f"{names[0]} et al."
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1] if names else ""


def bibliography(env: BuildEnvironment) -> BibliographyData:
    """refs.bib as sphinxcontrib-bibtex parsed it for this build."""
    data: BibliographyData = env.domains["cite"].bibdata.data  # type: ignore[attr-defined]
    return data


def reading_entry(env: BuildEnvironment, reading: Reading) -> tuple[str, Entry, bool]:
    """The reading's refs.bib entry, or, for a source without one, what its sidecar says.

    The flag says whether the entry's values are LaTeX (refs.bib) or plain text (the sidecar's,
    which must never be read as LaTeX: "50% of $5" would lose its tail).
    """
    entries = bibliography(env).entries
    if reading.bibkey in entries:
        return reading.bibkey, entries[reading.bibkey], True
    fields = {"title": reading.short_title, "howpublished": reading.blog or reading.source}
    return reading.slug, Entry("misc", fields=fields), False


def cite(
    env: BuildEnvironment, reading: Reading, *, url: str, number: str | None = None, passage: Passage | None = None
) -> dict[str, str]:
    """As `_cite`; the page and passages.json ask for the same citations, so each is made once a build."""
    memo = guide_data(env).cache.citations
    key = (reading.slug, url, number, passage.thread if passage else None)
    if key not in memo:
        memo[key] = _cite(*reading_entry(env, reading), url=url, number=number, passage=passage, env=env)
    return memo[key]


def _cite(
    key: str, entry: Entry, latex: bool, *, url: str, number: str | None, passage: Passage | None, env: BuildEnvironment
) -> dict[str, str]:
    """A Chicago author–date citation of a reading or one of its passages, and a BibTeX entry for it.

    Comments are cited as comments: by their author and date when the byline gives them ("Dale
    Perkins, comment 2.1 of June 12, 2021 on …, para. 17"), as the byline writes them.
    """
    thread = passage.thread if passage else None
    fields = entry.fields
    text = plain if latex else str
    who = _authors(entry, text)
    year = fields.get("year", "n.d.")
    title = text(fields["title"]).rstrip(".")
    where = text(fields.get("howpublished", fields.get("journal", fields.get("institution", ""))))
    month = fields.get("month", "")
    month_name = next((m for m in MONTHS if m.lower()[:3] == month.lower()[:3]), "") if month else ""
    published = ", ".join(part for part in (where, f"{month_name} {year}".strip() if month_name else "") if part)
    head = (
        f"{_sentence(who)} {_sentence(year)} “{_sentence(title)}”" if who else f"“{_sentence(title)}” {_sentence(year)}"
    )
    original = fields.get("url", "")
    reference = " ".join(part for part in (head, _sentence(published) if published else "", original) if part).rstrip(
        "."
    )
    if number is None:
        citation, note = f"{reference}. Reading guide: {url}.", fields.get("note", "")
    else:
        where_in = f"comment {thread_number(thread)}, para. {number}" if thread else f"para. {number}"
        citation = f"{reference}, {where_in}. Reading guide: {url}."
        if thread and passage is not None and passage.author:
            when = f" of {passage.date}" if passage.date else ""
            citation = f"{passage.author}, comment {thread_number(thread)}{when} on {citation}"
        elif thread:
            citation = f"Comment {thread_number(thread)} on {citation}"
        note = f"{where_in}; reading guide: {url}"
    label = f"{key}:para{number}" if number is not None else key
    # pybtex writes (and LaTeX-encodes) the reading's entry once; passages differ only in label and
    # note, which hold nothing to encode but the "#" of the link.
    template = _bibtex_template(key, entry, bool(note), guide_data(env).cache.bibtex_templates)
    bibtex = template.replace(_LABEL, label, 1).replace(_NOTE, note.replace("#", "\\#"), 1)
    return {"citation": citation, "bibtex": bibtex}


def _sentence(text: str) -> str:
    """`text` ended as a sentence: a full stop, unless it ends with one already ("n.d.", "et al.", "?")."""
    return text if text.endswith((".", "?", "!")) else f"{text}."


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
    """Each reading's list of works: the entry as the bibliography sets it, and the ¶ that mention it."""

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
        # The Bibliography page (":all:") has sphinxcontrib-bibtex format every entry of refs.bib in
        # this style once per build; formatting them again for each reading would cost as much again.
        citations = self.env.domains["cite"].citations  # type: ignore[attr-defined]
        formatted = {citation.key: citation.formatted_entry for citation in citations}
        entries = bibliography(self.env).entries
        items = nodes.bullet_list(classes=["works-referred"])
        for key, numbers in by_key.items():
            if key in formatted:
                text = formatted[key].text.render_as("text")
            elif key in entries:
                text = next(iter(GuideStyle().format_entries([entries[key]]))).text.render_as("text")
            else:
                text = key
            line = nodes.paragraph("", text + " ")
            line += cite_link(key, docname)
            links = [(passage_anchor(reading.slug, number), pilcrow(number)) for number in numbers]
            append_links(line, links, docname, opening=". Mentioned at ", closing=".")
            items += nodes.list_item("", line)
        return items


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
