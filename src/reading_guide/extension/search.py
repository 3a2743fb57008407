"""The guide's search: every passage and every piece of editorial text, found where it is.

The HTML build writes ``guide-search-index.js`` beside the pages. It is a script, not data to
fetch, so that the search page (``docs/_templates/search.html`` with ``guide-search.js``)
works when the guide is opened from files as well as over HTTP, and only the search page loads it.
For each page, in reading order (the readings, then the other pages in the order of the
contents), it holds the page's address, its title and its blocks; a block is
``[anchor, label, text]``:

- a passage of a reading: its anchor ``<slug>-<N>``, its label ``¶ N`` (and the comment it
  belongs to), its source text with line breaks as spaces;
- a title or heading that is a passage, the same way;
- any other block of text (a paragraph, a list item's paragraph, a term, a table cell): the
  nearest anchor above it (its own, a glossary term's, a tab's, its section's) and the
  nearest heading, term or tab label as its label; consecutive blocks with the same anchor
  and label are one block, their texts joined by a line break.

What only repeats or lists what is found elsewhere is left out: margin notes, comment
headers, quotations' credits, the glossary's lists of first appearances and of terms, a
reading's positions at a glance and its "In the debates", the who-says-what matrix, the
plan's lists of passages.

Like Sphinx's own search index it follows incremental builds: the previous index is read
back, the pages written in this build replace their entries, pages that are gone are
dropped, and a page missing from it (an index deleted by hand) is read from its doctree.
The page text is taken from the resolved doctree in the main process (``doctree-resolved``
runs there even when pages are written in parallel).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx_design.tabs import sd_tab_label

from reading_guide.extension.data import guide_data, ordered_readings
from reading_guide.extension.doctree import pilcrow
from reading_guide.extension.nodes import glossary_note, passage, work_note
from reading_guide.schema import is_reply, thread_number

logger = logging.getLogger(__name__)

INDEX_FILE = "guide-search-index.js"
# Raise when the blocks change shape: an index of another version is read as no index.
INDEX_VERSION = 1
_PREFIX, _SUFFIX = "window.guideSearchIndex = ", ";\n"
# Source line breaks become spaces; every other character (a no-break space, a soft hyphen) stays.
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_SPACES = re.compile(r"[ \t\r\n]+")

Block = list[str]  # [anchor, label, text]
Page = list[Any]  # [address, title, [block, ...]]
# Classes and section ids (suffixes) of what only repeats or lists what is found elsewhere.
_SKIPPED_CLASSES = {
    "comment-header",
    "quotation-credit",
    "glossary-appearances",
    "glossary-index",
    "at-a-glance",
    "debate-matrix-wrapper",
    "session-readings",
}
_SKIPPED_SECTIONS = ("-in-the-debates",)
_SKIPPED = (
    glossary_note,
    work_note,
    addnodes.toctree,
    nodes.Invisible,
    nodes.system_message,
    nodes.raw,
    nodes.comment,
)


@dataclass
class _Pages:
    """What this build found: page name -> its entry in the index."""

    written: dict[str, Page] = field(default_factory=dict)


def _state(builder: Builder) -> _Pages | None:
    found = getattr(builder, "_guide_search_pages", None)
    return found if isinstance(found, _Pages) else None


def _text(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


class _Collector:
    """Walks a resolved page in order, keeping the nearest anchor and label for each block."""

    def __init__(self, passages: dict[str, str]) -> None:
        self.blocks: list[Block] = []
        self.passages = passages  # the page's passages that are titles or headings too: anchor -> number

    def add(self, anchor: str, label: str, text: str) -> None:
        text = _text(text)
        if not (text and anchor):
            return
        if self.blocks and self.blocks[-1][:2] == [anchor, label]:
            self.blocks[-1][2] += "\n" + text
        else:
            self.blocks.append([anchor, label, text])

    def walk(self, node: nodes.Element, anchor: str, label: str) -> None:
        pending: list[str] = []  # text and inline nodes straight inside a container (a table cell)
        for child in node.children:
            if isinstance(child, (nodes.Text, nodes.Inline)):
                pending.append(child.astext())
                continue
            if pending:
                self.add(anchor, label, "".join(pending))
                pending = []
            if not isinstance(child, nodes.Element) or isinstance(child, _SKIPPED):
                continue
            ids: list[str] = child.get("ids", [])
            if _SKIPPED_CLASSES.intersection(child.get("classes", [])) or any(
                i.endswith(_SKIPPED_SECTIONS) for i in ids
            ):
                continue
            if isinstance(child, passage):
                self.add(ids[0], _passage_label(child), _LINE_BREAKS.sub(" ", child["text"]))
                continue
            own = next((i for i in ids if not i.startswith("sd-tab-")), "")
            if isinstance(child, nodes.section):
                title = child.next_node(nodes.title)
                heading = title.astext() if title else ""
                top = isinstance(child.parent, nodes.document)
                as_passage = next((i for i in ids if i in self.passages), None)
                if as_passage:
                    # A title or heading that is a passage: found at its ¶, labelled like one; the guide's
                    # notes under a reading's title are found at the title, as the page.
                    self.add(as_passage, pilcrow(self.passages[as_passage]), heading)
                self.walk(child, as_passage or own or anchor, "" if top else heading)
                continue
            if isinstance(child, nodes.title) and isinstance(node, nodes.section):
                if not self.passages.keys() & set(node["ids"]):
                    self.add(anchor, label, child.astext())
                continue
            if isinstance(child, sd_tab_label):
                # A debate's position: what follows in its tab is found under its label.
                label = child.astext()
                anchor = own or anchor
                self.add(anchor, label, child.astext())
                continue
            if isinstance(child, nodes.definition_list_item):
                term = child.next_node(nodes.term)
                term_anchor = next(iter(term["ids"]), "") if term else ""
                self.walk(child, term_anchor or own or anchor, term.astext() if term else label)
                continue
            if isinstance(child, nodes.TextElement):
                self.add(own or anchor, label, child.astext())
                continue
            self.walk(child, own or anchor, label)
        if pending:
            self.add(anchor, label, "".join(pending))


def _passage_label(node: passage) -> str:
    label = pilcrow(node["number"])
    if node["thread"]:
        label += f", {'reply' if is_reply(node['thread']) else 'comment'} {thread_number(node['thread'])}"
    return label


def page_entry(env: BuildEnvironment, builder: Builder, docname: str, doctree: nodes.document) -> Page:
    """One page's entry: its address, its title and its blocks in page order."""
    title_node = env.titles.get(docname)
    title = title_node.astext() if title_node else docname
    collector = _Collector({p.anchor: p.number for p in guide_data(env).passages.get(docname, [])})
    top = doctree.next_node(nodes.section)
    collector.walk(doctree, top["ids"][0] if top is not None and top["ids"] else "", "")
    return [builder.get_target_uri(docname), title, collector.blocks]


def start_index(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.builder._guide_search_pages = _Pages()  # type: ignore[attr-defined]


def index_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Take a page's text as it is written (in the main process, also when writing in parallel)."""
    pages = _state(app.builder)
    if pages is None or "nosearch" in app.env.metadata.get(docname, {}):
        return
    pages.written[docname] = page_entry(app.env, app.builder, docname, doctree)


def _read_previous(path: Path) -> dict[str, Page]:
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text.removeprefix(_PREFIX).removesuffix(_SUFFIX))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
        return {}
    return {docname: page for docname, page in zip(data.get("docnames", []), data.get("pages", []), strict=False)}


def _contents_order(env: BuildEnvironment) -> list[str]:
    """Pages in the order of the contents: the root page, then each toctree depth first."""
    order: list[str] = []

    def visit(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(env.config.root_doc)
    return order


def write_index(app: Sphinx, exception: Exception | None) -> None:
    """Write guide-search-index.js: this build's pages, the unchanged pages from the previous index."""
    pages = _state(app.builder)
    if exception is not None or pages is None:
        return
    env = app.env
    path = Path(app.outdir) / INDEX_FILE
    previous = _read_previous(path)
    wanted = [d for d in env.all_docs if "nosearch" not in env.metadata.get(d, {})]
    for docname in sorted(set(wanted) - set(pages.written) - set(previous)):
        # Missing from the previous index but not written now: read it from its doctree.
        index_page(app, env.get_and_resolve_doctree(docname, app.builder), docname)
    readings = [docname for docname, _ in ordered_readings(env)]
    order = {d: i for i, d in enumerate(readings + [d for d in _contents_order(env) if d not in readings])}
    docnames = sorted(wanted, key=lambda d: (order.get(d, len(order)), d))
    entries = [pages.written.get(d) or previous[d] for d in docnames]
    text = _PREFIX + json.dumps(
        {"version": INDEX_VERSION, "docnames": docnames, "pages": entries},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    text += _SUFFIX
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", start_index)
    app.connect("doctree-resolved", index_page)
    app.connect("build-finished", write_index)
