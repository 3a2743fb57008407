"""The guide's bibliography: a pybtex style that keeps titles as written, and citations of passages.

``setup`` registers the pybtex style ``guide`` (plain's layout, titles left exactly as in
refs.bib: a title is quoted, not re-cased) and reads ``refs.bib`` so that ``cite_passage``
can build the "cite this" strings from it. Nothing here is typed twice: change an entry
in refs.bib and every citation built from it changes.

``work-note`` directive
    ``{work-note} <passage anchor> <key> [<key> ...]``: a margin note beside the passage
    (HTML) citing the works it refers to; the passage's text is not touched.
``works-referred`` directive
    On a reading page: the works its passages refer to, each with the ¶ that mention it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from docutils import nodes
from pybtex.bibtex.exceptions import BibTeXError
from pybtex.database import BibliographyData, Entry, parse_file
from pybtex.database.output.bibtex import Writer as BibtexWriter
from pybtex.plugin import find_plugin, register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.template import field, sentence
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from guide_data import guide_data

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


class GuideStyle(UnsrtStyle):
    """BibTeX's plain layout, sorted by author and year, with titles exactly as in refs.bib."""

    default_sorting_style = "author_year_title"

    def format_title(self, e: Entry, which_field: str, as_sentence: bool = True) -> Any:
        formatted_title = field(which_field)
        return sentence[formatted_title] if as_sentence else formatted_title


def _plain(text: str) -> str:
    """BibTeX markup that refs.bib uses (braces, ``quotes'', \\&) as plain text."""
    return text.replace("{", "").replace("}", "").replace("``", "“").replace("''", "”").replace("\\&", "&")


def _authors(entry: Entry) -> str:
    people = entry.persons.get("author", [])
    names = [_plain(" ".join(p.first_names + p.middle_names + p.prelast_names + p.last_names)) for p in people]
    if len(names) > 3 or any(n.lower() == "others" for n in names):
        return f"{names[0]} et al."
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1] if names else ""


_cited: dict[tuple[str, str, int | None, str | None], dict[str, str]] = {}  # emptied for each build
_templates: dict[tuple[str, bool], str] = {}


def cite(entry: Entry, key: str, *, url: str, number: int | None = None, thread: str | None = None) -> dict[str, str]:
    """As `_cite`; the page and passages.json ask for the same citations, so each is made once."""
    memo = (key, url, number, thread)
    if memo not in _cited:
        _cited[memo] = _cite(entry, key, url=url, number=number, thread=thread)
    return _cited[memo]


def _cite(entry: Entry, key: str, *, url: str, number: int | None = None, thread: str | None = None) -> dict[str, str]:
    """A Chicago author–date citation of a reading or one of its passages, and a BibTeX entry for it.

    Comments are cited as comments ("Comment 2.1 on …, para. 17"); no commenter is named,
    because refs.bib names none.
    """
    fields = entry.fields
    who = _authors(entry)
    year = fields.get("year", "n.d.")
    title = _plain(fields["title"]).rstrip(".")
    where = _plain(fields.get("howpublished", fields.get("journal", fields.get("institution", ""))))
    month = fields.get("month", "")
    month_name = next((m for m in MONTHS if m.lower()[:3] == month.lower()[:3]), "") if month else ""
    published = ", ".join(part for part in (where, f"{month_name} {year}".strip() if month_name else "") if part)
    head = f"{who}. {year}. “{title}.”" if who else f"“{title}.” {year}."
    original = fields.get("url", "")
    reference = " ".join(part for part in (head, f"{published}." if published else "", original) if part).rstrip(".")
    if number is None:
        citation, note = f"{reference}. Reading guide: {url}.", fields.get("note", "")
    else:
        where_in = f"comment {thread[1:]}, para. {number}" if thread else f"para. {number}"
        citation = f"{reference}, {where_in}. Reading guide: {url}."
        if thread:
            citation = f"Comment {thread[1:]} on {citation}"
        note = f"{where_in}; reading guide: {url}"
    label = f"{key}:para{number}" if number is not None else key
    # pybtex writes (and LaTeX-encodes) the reading's entry once; passages differ only in label and
    # note, which hold nothing to encode but the "#" of the link.
    template = _bibtex_template(entry, key, bool(note))
    bibtex = template.replace(_LABEL, label, 1).replace(_NOTE, note.replace("#", "\\#"), 1)
    return {"citation": citation, "bibtex": bibtex}


_LABEL, _NOTE = "GUIDELABELSLOT", "GUIDENOTESLOT"


def _bibtex_template(entry: Entry, key: str, with_note: bool) -> str:
    memo = (key, with_note)
    if memo not in _templates:
        fields = {name: value for name, value in entry.fields.items() if name != "note"}
        if with_note:
            fields["note"] = _NOTE
        # One writer, not BibliographyData.to_string, which looks the plugin up (slowly) on every call.
        try:
            text = _BIBTEX.to_string(BibliographyData({_LABEL: Entry(entry.type, fields, entry.persons)}))
        except BibTeXError:  # a title from a source without a refs.bib entry may hold unbalanced braces
            safe = {name: _bibtex_text(value) for name, value in fields.items()}
            text = _BIBTEX.to_string(BibliographyData({_LABEL: Entry(entry.type, safe, entry.persons)}))
        _templates[memo] = text
    return _templates[memo]


def reading_entry(info: dict[str, str]) -> tuple[str, Entry]:
    """The reading's refs.bib entry, or, for a source without one, what its sidecar says."""
    entries = bibliography().entries
    key = info.get("bibkey", "")
    if key in entries:
        return key, entries[key]
    return info["slug"], Entry(
        "misc", fields={"title": info["short-title"], "howpublished": info["blog"] or info["source"]}
    )


def _bibtex_text(text: str) -> str:
    """Any text as a BibTeX value: backslashes and braces become LaTeX commands, so braces balance."""
    commands = {"\\": "\\textbackslash{}", "{": "\\textbraceleft{}", "}": "\\textbraceright{}"}
    return "".join(commands.get(char, char) for char in text)


_bibfile: list[Path] = []  # refs.bib of the current build, set when the configuration is read


def remember_bibfile(app: Sphinx, config: Any) -> None:
    # sphinxcontrib-bibtex resolves bibtex_bibfiles against the folder of conf.py; so do we.
    _bibfile[:] = [Path(app.confdir) / config.bibtex_bibfiles[0]]
    _cited.clear()
    _templates.clear()


@lru_cache(maxsize=4)
def _parse(path: Path, mtime: float) -> BibliographyData:
    return parse_file(str(path))


def bibliography() -> BibliographyData:
    """refs.bib, parsed once for as long as the file is unchanged."""
    path = _bibfile[0]
    return _parse(path, path.stat().st_mtime)


def cite_link(key: str, refdoc: str) -> addnodes.pending_xref:
    """A parenthetical author–date citation, resolved by sphinxcontrib-bibtex like {cite:p}."""
    return addnodes.pending_xref(
        "", nodes.inline("", key), refdomain="cite", reftype="p", reftarget=key, refdoc=refdoc, refexplicit=False
    )


class work_note(nodes.General, nodes.Element):
    """A margin note beside a passage: the works it refers to. The passage itself is untouched."""


class works_referred(nodes.General, nodes.Element):
    """Placeholder for a reading's list of the works its passages refer to."""


def visit_work_note_html(self: Any, node: work_note) -> None:
    self.body.append(self.starttag(node, "aside", CLASS="margin sidebar work-note"))


def depart_work_note_html(self: Any, node: work_note) -> None:
    self.body.append("</aside>\n")


def skip(self: Any, node: nodes.Element) -> None:
    # In print the reading's own list of works stands for the margin notes (the margin holds the ¶ numbers).
    raise nodes.SkipNode


class WorkNoteDirective(SphinxDirective):
    required_arguments = 2
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        anchor, keys = self.arguments[0], self.arguments[1].split()
        note = work_note(anchor=anchor, keys=keys)
        paragraph = nodes.paragraph("", "Refers to ")
        for index, key in enumerate(keys):
            if index:
                paragraph += nodes.Text("; ")
            paragraph += cite_link(key, self.env.docname)
        note += paragraph
        return [note]


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
        info = guide_data(self.env).readings.get(docname, {})
        cites: dict[str, list[str]] = json.loads(info.get("cites") or "{}")
        by_key: dict[str, list[int]] = {}
        for ref, keys in sorted(cites.items(), key=lambda item: int(item[0])):
            for key in keys:
                by_key.setdefault(key, []).append(int(ref))
        # The Bibliography page (":all:") has sphinxcontrib-bibtex format every entry of refs.bib in
        # this style once per build; formatting them again for each reading would cost as much again.
        citations = self.env.domains["cite"].citations  # type: ignore[attr-defined]
        formatted = {citation.key: citation.formatted_entry for citation in citations}
        entries = bibliography().entries
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
            line += nodes.Text(". Mentioned at ")
            for index, number in enumerate(numbers):
                if index:
                    line += nodes.Text(", ")
                anchor = f"{info['slug']}-{number}"
                line += addnodes.pending_xref(
                    "",
                    nodes.inline("", f"¶\u00a0{number}"),
                    refdomain="std",
                    reftype="ref",
                    reftarget=anchor,
                    refexplicit=True,
                    refdoc=docname,
                )
            line += nodes.Text(".")
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


def setup(app: Sphinx) -> dict[str, Any]:
    register_plugin("pybtex.style.formatting", "guide", GuideStyle)
    for group, name in PLUGINS_IN_USE:
        register_plugin(group, name, find_plugin(group, name), force=True)
    app.connect("config-inited", remember_bibfile)
    app.add_node(work_note, html=(visit_work_note_html, depart_work_note_html), latex=(skip, None), text=(skip, None))
    app.add_node(works_referred)
    app.add_directive("work-note", WorkNoteDirective)
    app.add_directive("works-referred", WorksReferredDirective)
    app.add_post_transform(FillWorksReferred)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
