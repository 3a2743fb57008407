"""The debates part: quotations that cannot drift, links to passages, backlinks, the matrix.

``quotation`` directive
    ``{quotation} <passage anchor>`` with an optional excerpt as content. Renders the
    passage (or the excerpt) as a block quote credited to its reading and linked to its
    anchor. The excerpt must be an exact part of the passage (``excerpts``). A quotation
    inside a sphinx-design tab-item is filed under that tab's label as a position.
``pararef`` role
    ``{pararef}`<passage anchor>``` links to a passage with its credit as the text,
    for example "We need both, ¶ 16".
``debate-links`` directive
    On a reading page: where its passages are quoted in the debates.
``debate-matrix`` directive
    Readings (and commenters quoted) against debates, each cell linking to passages.
    Columns are headed by each debate page's ``short-title`` (front matter); positions
    are shown by the short label of their tab's sync key (``guide_lens_labels``).

An unknown anchor or an excerpt that is not in its passage is a build warning (an error
under ``-W``) naming the page, the anchor, the excerpt and the passage's text.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from reading_guide.extension.data import Located, Quotation, guide_data, passage_index, short_title_of
from reading_guide.extension.doctree import append_links, link_to_doc, link_to_label, paragraph, pilcrow, table
from reading_guide.extension.excerpts import excerpt_fits
from reading_guide.extension.nodes import debate_links, debate_matrix, passage_ref, position, positions, quotation
from reading_guide.schema import is_reply, thread_number, thread_sort_key

logger = logging.getLogger(__name__)


# -- Directives and role --------------------------------------------------------------------


class QuotationDirective(SphinxDirective):
    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        anchor = self.arguments[0]
        # Unique across the guide (backlinks and the PDF need that): page, passage, and a count.
        base = f"quote-{self.env.docname.replace('/', '-')}-{anchor}"
        qid, count = base, 1
        while qid in self.state.document.ids:
            count += 1
            qid = f"{base}-{count}"
        node = quotation(passage=anchor, excerpt="\n".join(self.content).strip())
        node["ids"], node["names"] = [qid], [qid]
        self.state.document.note_explicit_target(node, node)
        self.set_source_info(node)
        return [node]


def pararef_role(
    name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    node = passage_ref(passage=text.strip())
    node.line = lineno
    return [node], []


class DebateLinksDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        # The page is recorded because LaTeX resolves all pages as one tree.
        return [debate_links(docname=self.env.docname)]


class DebateMatrixDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        return [debate_matrix()]


# -- Collecting, checking, keeping dependents fresh --------------------------------------------


def _position_of(node: nodes.Node) -> tuple[str, str]:
    """The label and sync key of the sphinx-design tab that holds `node`, if any."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.container) and _is_tab_item(parent):
            label = parent.children[0]
            sync = label.get("sync_id", "") if isinstance(label, nodes.Element) else ""
            return label.astext(), str(sync)
        parent = parent.parent
    return "", ""


def collect(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    quotes = []
    for node in doctree.findall(quotation):
        label, sync = _position_of(node)
        quotes.append(Quotation(node["ids"][0], node["passage"], node["excerpt"], label, sync, node.line))
    refs = [(node["passage"], node.line) for node in doctree.findall(passage_ref)]
    kinds = {name for cls, name in ((debate_links, "links"), (debate_matrix, "matrix")) if any(doctree.findall(cls))}
    data = guide_data(app.env)
    if quotes:
        data.quotations[docname] = quotes
    if refs:
        data.pararefs[docname] = refs
    if kinds:
        data.placeholders[docname] = kinds


def remember_quoted_readings(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Before a page is purged: readings it quoted must be rewritten to drop its backlinks."""
    index = passage_index(env)
    for quote in guide_data(env).quotations.get(docname, []):
        if quote.anchor in index:
            guide_data(env).old_quoted.add(index[quote.anchor].docname)


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages that show text or lists from re-read pages; they are rewritten, not re-read."""
    data = guide_data(env)
    index = passage_index(env)
    changed_readings = data.reread & set(data.readings)
    quoting = {d: [q.anchor for q in qs] for d, qs in data.quotations.items()}
    for docname, refs in data.pararefs.items():
        quoting.setdefault(docname, []).extend(anchor for anchor, _line in refs)
    rewrite: set[str] = set(data.old_quoted)
    for docname, anchors in quoting.items():
        quoted = {index[a].docname for a in anchors if a in index}
        if quoted & changed_readings:
            rewrite.add(docname)
        if docname in data.reread:
            rewrite |= quoted
    if data.reread:
        rewrite |= {d for d, kinds in data.placeholders.items() if "matrix" in kinds}
    if changed_readings:
        rewrite |= data.table_docs
    return sorted(rewrite - data.reread)


def check(app: Sphinx, env: BuildEnvironment) -> None:
    """Every quotation and passage reference names a passage; every excerpt is part of it."""
    index = passage_index(env)
    for docname in sorted(guide_data(env).quotations):
        for quote in guide_data(env).quotations[docname]:
            entry = index.get(quote.anchor)
            if entry is None:
                logger.warning(
                    "quotation of unknown passage %r (excerpt %r)",
                    quote.anchor,
                    quote.excerpt,
                    location=(docname, quote.line),
                )
            elif entry.status == "removed":
                logger.warning(
                    "quotation of passage %r, which the capture of %s removed from the source (it read %r)",
                    quote.anchor,
                    entry.removed_in,
                    entry.text,
                    location=(docname, quote.line),
                )
            elif entry.status == "changed" and not quote.excerpt:
                # A whole-passage quotation would change its words silently: the editors write the ones they mean.
                logger.warning(
                    "quotation of the whole of passage %r, which changed since first captured: it read %r "
                    "and now reads %r; write the words you quote as the quotation's text",
                    quote.anchor,
                    entry.earlier[-1][0],
                    entry.text,
                    location=(docname, quote.line),
                )
            elif quote.excerpt and not excerpt_fits(quote.excerpt, entry.text):
                earlier = next((until for text, until in entry.earlier if excerpt_fits(quote.excerpt, text)), "")
                logger.warning(
                    "excerpt %r is not an exact part of passage %r, which reads %r%s",
                    quote.excerpt,
                    quote.anchor,
                    entry.text,
                    f" (it was part of the passage's text until the capture of {earlier})" if earlier else "",
                    location=(docname, quote.line),
                )
    for docname in sorted(guide_data(env).pararefs):
        for anchor, line in guide_data(env).pararefs[docname]:
            if anchor not in index:
                logger.warning("reference to unknown passage %r", anchor, location=(docname, line))


def credit(entry: Located, env: BuildEnvironment, here: str = "") -> str:
    """How the guide names a passage: reading (unless it is on page `here`), comment if any, ¶ number."""
    parts = [] if entry.docname == here else [short_title_of(env, entry.docname)]
    if entry.thread:
        parts.append(f"comment {thread_number(entry.thread)}")
    parts.append(pilcrow(entry.number))
    return ", ".join(parts)


def debate_order(env: BuildEnvironment) -> list[str]:
    """Debate pages in the order of their toctree, then any others that quote passages."""
    quoting = guide_data(env).quotations
    ordered = [d for d in env.toctree_includes.get("debates/index", []) if d in quoting]
    return ordered + sorted(set(quoting) - set(ordered))


def short_title(env: BuildEnvironment, docname: str) -> str:
    """A page's `short-title` from its front matter, or its title."""
    return str(env.metadata.get(docname, {}).get("short-title") or env.titles[docname].astext())


# -- Filling the placeholders ----------------------------------------------------------------


class FillDebates(SphinxPostTransform):
    """Replace the placeholders before references are resolved, so their links resolve too."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        index = passage_index(self.env)
        docname = self.env.docname
        for quote in list(self.document.findall(quotation)):
            quote.replace_self(self._quotation(quote, index.get(quote["passage"])))
        for ref in list(self.document.findall(passage_ref)):
            entry = index.get(ref["passage"])
            if entry:
                ref.replace_self(link_to_label(ref["passage"], credit(entry, self.env, docname), docname, ["pararef"]))
            else:
                ref.replace_self(nodes.Text(ref["passage"]))
        for links in list(self.document.findall(debate_links)):
            links.replace_self(self._backlinks(index, links["docname"]))
        for matrix in list(self.document.findall(debate_matrix)):
            matrix.replace_self(self._matrix(index))

    def _quotation(self, node: quotation, entry: Located | None) -> nodes.Element:
        box = nodes.container(classes=["quotation"], ids=node["ids"])
        if entry is None:
            box += paragraph(nodes.Text(f"[unknown passage {node['passage']}]"))
            return box
        text = " ".join((node["excerpt"] or entry.text).split("\n"))
        # A plain paragraph, not docutils' attribution, whose LaTeX prints "---" as three hyphens.
        source = paragraph(
            nodes.Text("— "),
            link_to_label(node["passage"], credit(entry, self.env), self.env.docname),
            classes=["quotation-credit"],
        )
        box += nodes.block_quote("", paragraph(nodes.Text(text), classes=["quotation-text"]), source)
        return box

    def _backlinks(self, index: dict[str, Located], here: str) -> nodes.Element:
        items = nodes.bullet_list(classes=["debate-links"])
        for debate in debate_order(self.env):
            quotes = [
                q
                for q in guide_data(self.env).quotations[debate]
                if q.anchor in index and index[q.anchor].docname == here
            ]
            if not quotes:
                continue
            line = paragraph(link_to_doc(debate, self.env.titles[debate].astext(), here), nodes.Text(": "))
            links = []
            for quote in quotes:
                label = pilcrow(index[quote.anchor].number)
                links.append((quote.id, f"{label} ({quote.position})" if quote.position else label))
            append_links(line, links, here)
            items += nodes.list_item("", line)
        if not items.children:
            return paragraph(nodes.Text("No passage of this reading is quoted in the debates yet."))
        return items

    def _matrix(self, index: dict[str, Located]) -> nodes.Element:
        here, env = self.env.docname, self.env
        debates = debate_order(env)
        readings = guide_data(env).readings
        # One row per reading post and per comment or reply quoted: a reply may take the other side.
        rows: dict[tuple[str, str], dict[str, list[Quotation]]] = {}
        for debate in debates:
            for quote in guide_data(env).quotations[debate]:
                entry = index.get(quote.anchor)
                if entry:
                    rows.setdefault((entry.docname, entry.thread or ""), {}).setdefault(debate, []).append(quote)
        order = {d: readings[d].source for d in readings}
        body = []
        for (docname, thread), cells in sorted(
            rows.items(), key=lambda r: (order.get(r[0][0], ""), thread_sort_key(r[0][1] or None))
        ):
            label: list[nodes.Node] = [link_to_doc(docname, readings[docname].short_title, here)]
            if thread:
                label.append(nodes.Text(f", {'reply' if is_reply(thread) else 'comment'} {thread_number(thread)}"))
            body.append([label] + [self._matrix_cell(cells.get(debate, []), index) for debate in debates])
        headers: list[nodes.Node] = [nodes.Text("Reading")]
        headers += [link_to_doc(d, short_title(env, d), here) for d in debates]
        grid = table(headers, [1] * (len(debates) + 1), body, ["debate-matrix"])
        legend = paragraph(classes=["debate-matrix-legend"])
        for number, (key, (short, meaning)) in enumerate(self.config.guide_lens_labels.items()):
            legend += nodes.Text("; " if number else "Positions: ")
            legend += nodes.abbreviation("", short, explanation=meaning, classes=["lens", f"lens-{key}"])
            legend += nodes.Text(f" {meaning}")
        container = nodes.container(classes=["debate-matrix-wrapper"])
        container += legend
        container += grid
        return container

    def _matrix_cell(self, quotes: list[Quotation], index: dict[str, Located]) -> list[nodes.Node]:
        """The positions taken in one debate, each as a lens badge and its ¶ links."""
        lenses = self.config.guide_lens_labels
        by_position: dict[tuple[str, str], list[str]] = {}
        for quote in quotes:
            by_position.setdefault((quote.position, quote.sync), []).append(quote.anchor)
        content: list[nodes.Node] = []
        for (label, sync), anchors in by_position.items():
            short = lenses.get(sync, (sync or "—", ""))[0]
            badge = nodes.abbreviation("", short, explanation=label, classes=["lens", f"lens-{sync}"])
            line = paragraph(badge, nodes.Text(" "))
            append_links(line, [(a, pilcrow(index[a].number)) for a in dict.fromkeys(anchors)], self.env.docname)
            content.append(line)
        return content or [nodes.Text("")]


# -- Print ------------------------------------------------------------------------------------


def _is_tab_set(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("design_component") == "tab-set"


def _is_tab_item(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("design_component") == "tab-item"


class TabSetsForPrint(SphinxPostTransform):
    """Replace sphinx-design tab-sets by labelled positions in LaTeX, instead of false subsubsections."""

    default_priority = 6
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for tab_set in [node for node in self.document.findall(nodes.container) if _is_tab_set(node)]:
            printed = positions(classes=tab_set.get("classes", []))
            for item in tab_set.children:
                if not _is_tab_item(item):
                    continue
                label, *content = item.children
                entry = position()
                entry += paragraph(nodes.strong("", label.astext()), classes=["position-label"])
                for part in content:
                    entry.extend(part.children if isinstance(part, nodes.container) else [part])
                printed += entry
            tab_set.replace_self(printed)


class QuotationTargetsForPrint(SphinxPostTransform):
    """LaTeX labels targets, not containers: give each quotation a target that backlinks can land on."""

    default_priority = 7
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for box in self.document.findall(nodes.container):
            if "quotation" in box["classes"] and box["ids"]:
                box.insert(0, nodes.target("", "", ids=box["ids"]))


def setup(app: Sphinx) -> None:
    app.add_config_value("guide_lens_labels", {}, "env", types=[dict], description="sync key -> (short label, meaning)")
    app.add_directive("quotation", QuotationDirective)
    app.add_role("pararef", pararef_role)
    app.add_directive("debate-links", DebateLinksDirective)
    app.add_directive("debate-matrix", DebateMatrixDirective)
    app.add_post_transform(FillDebates)
    app.add_post_transform(TabSetsForPrint)
    app.add_post_transform(QuotationTargetsForPrint)
    app.connect("doctree-read", collect)
    # Before the store's own purge (priority 500) forgets the page's quotations.
    app.connect("env-purge-doc", remember_quoted_readings, priority=400)
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("env-check-consistency", check)
