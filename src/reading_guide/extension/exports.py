"""Exports: BibTeX, RIS and CSL-JSON files for each reading, each refs.bib entry and the whole guide.

The HTML build writes them beside the pages, under ``cite/``:

- ``cite/readings/<slug>.{bib,ris,json}``: a reading and its comments that have a byline;
- ``cite/entries/<key>.{bib,ris,json}``: one refs.bib entry (the Bibliography page links each);
- ``cite/guide.{bib,ris,json}``: every entry and every item the guide cites.

BibTeX is refs.bib's entry as pybtex writes it (or the guide's own @misc for an item it makes),
RIS is written by rispy and CSL-JSON is the processor's item, so all three say the same facts.

``guide-exports`` directive
    The links to the whole guide's files (on the Bibliography page). Readings link their own,
    and each entry of the Bibliography page its own. None of these are in the EPUB or the PDF.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from reading_guide.extension.bibliography import item_bibtex
from reading_guide.extension.csl import citations, passage_item, reading_item
from reading_guide.extension.data import guide_data, ordered_readings

FORMATS = (("bibtex", "BibTeX", ".bib"), ("ris", "RIS", ".ris"), ("csl-json", "CSL-JSON", ".json"))
# The web pages only: the EPUB and the PDF hold no files to download.
ONLY_WEB = "html and not epub"


def export_path(kind: str, name: str, suffix: str) -> str:
    """Where an export is, from the top of the HTML: kind "readings", "entries" or "" (the whole guide)."""
    return posixpath.join("cite", kind, f"{name}{suffix}") if kind else f"cite/{name}{suffix}"


def export_links(here: str, kind: str, name: str, lead: str = "") -> nodes.inline:
    """Links to one set of exports ("BibTeX · RIS · CSL-JSON"), relative to the page `here`."""
    line = nodes.inline(classes=["guide-exports"])
    if lead:
        line += nodes.Text(lead)
    for index, (_, label, suffix) in enumerate(FORMATS):
        if index:
            line += nodes.Text(" · ")
        target = posixpath.relpath(export_path(kind, name, suffix), posixpath.dirname(here) or ".")
        line += nodes.reference("", label, refuri=target, classes=["guide-export"])
    return line


def web_only(*children: nodes.Node) -> addnodes.only:
    """Children for the web pages only."""
    only = addnodes.only(expr=ONLY_WEB)
    only.extend(children)
    return only


def reading_items(env: BuildEnvironment, docname: str) -> list[str]:
    """The items a reading's page cites: the reading, then its comments that a byline names."""
    reading = guide_data(env).readings[docname]
    found = [reading_item(reading)]
    for passage in guide_data(env).passages.get(docname, []):
        item = passage_item(reading, passage)
        if item not in found:
            found.append(item)
    return found


def exports_of(env: BuildEnvironment, items: list[str]) -> dict[str, str]:
    """The items' BibTeX, RIS and CSL-JSON, each as one file's text."""
    found = citations(env)
    return {
        "bibtex": "\n".join(item_bibtex(env, item) for item in items),
        "ris": "".join(found.ris(item) for item in items),
        "csl-json": json.dumps([found.csl_json(item) for item in items], ensure_ascii=False, indent=1) + "\n",
    }


def write_exports(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.name == "epub":
        return
    env = app.env
    found = citations(env)
    files: dict[tuple[str, str], list[str]] = {}
    everything: list[str] = []
    for docname, reading in ordered_readings(env):
        items = reading_items(env, docname)
        files[("readings", reading.slug)] = items
        everything += [item for item in items if item not in everything]
    for key in found.order:
        files[("entries", key)] = [key]
        if key not in everything:
            everything.append(key)
    files[("", "guide")] = everything
    for (kind, name), items in files.items():
        for format_, text in exports_of(env, items).items():
            suffix = next(s for f, _, s in FORMATS if f == format_)
            path = Path(app.outdir) / export_path(kind, name, suffix)
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")


class EntryExports(SphinxPostTransform):
    """On the web, each entry of the Bibliography page ends with its own exports."""

    default_priority = 7  # after the entries are set by the style (bibliography.BibliographyByTheStyle)
    builders = ("html", "dirhtml", "singlehtml")  # not the EPUB, which holds no files to download

    def run(self, **kwargs: Any) -> None:
        keys = {citation.citation_id: citation.key for citation in self.env.domains["cite"].citations}  # type: ignore[attr-defined]
        for entry in self.document.findall(nodes.citation):
            key = next((keys[i] for i in entry["ids"] if i in keys), None)
            text = next((child for child in entry.children if isinstance(child, nodes.paragraph)), None)
            if key and text is not None and "author-date" in entry["classes"]:
                text += nodes.Text(" ")
                text += export_links(self.env.docname, "entries", key)


class GuideExportsDirective(SphinxDirective):
    """The whole guide's exports (the Bibliography page)."""

    def run(self) -> list[nodes.Node]:
        lead = "Every entry, with the readings' comments that have a byline, to download: "
        return [web_only(nodes.paragraph("", "", export_links(self.env.docname, "", "guide", lead)))]


def setup(app: Sphinx) -> None:
    app.add_directive("guide-exports", GuideExportsDirective)
    app.add_post_transform(EntryExports)
    app.connect("build-finished", write_exports)
