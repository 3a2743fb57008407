"""The debates part of the guide's Sphinx extension: quotations that cannot drift.

Loaded by ``guide_extension``; it relies on the passages that extension collects.

``quotation`` directive
    ``{quotation} <passage anchor>`` with an optional excerpt as content. Renders the
    passage (or the excerpt) as a block quote credited to its reading and linked to
    its anchor. The excerpt must be an exact part of the passage after whitespace
    collapsing; ``[…]`` marks an omission, and each piece is checked in order.
    A quotation inside a sphinx-design tab-item is filed under that tab's label as a
    position of the debate page.
``pararef`` role
    ``{pararef}`<passage anchor>``` links to a passage with its credit as the text,
    for example "We need both, ¶ 16".
``debate-links`` directive
    On a reading page: where its passages are quoted in the debates.
``debate-matrix`` directive
    Readings (and commenters quoted) against debates, each cell linking to passages.
    Columns are headed by each debate page's ``short-title`` (front matter); positions
    are shown by the short label of their tab's sync key.

Configuration: ``guide_lens_labels``, a dict from sync key to a short label and what
it stands for (``{"harm-reduction": ("HR", "harm reduction first")}``).

An unknown anchor or an excerpt that is not in its passage is a build warning (an
error under ``-W``) naming the page, the anchor and the excerpt.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from guide_data import guide_data

logger = logging.getLogger(__name__)

OMISSION = "[…]"


class quotation(nodes.General, nodes.Element):
    """Placeholder for a quoted passage; filled in once every page has been read."""


class passage_ref(nodes.Inline, nodes.Element):
    """Placeholder for a link to a passage, with its credit as text."""


class debate_links(nodes.General, nodes.Element):
    """Placeholder for a reading page's list of its quotations in the debates."""


class debate_matrix(nodes.General, nodes.Element):
    """Placeholder for the who-says-what table."""


class positions(nodes.General, nodes.Element):
    """In print: the positions of a tab-set, every one shown with its label."""


class position(nodes.General, nodes.Element):
    """In print: one position; its first child is the label (a paragraph)."""


def visit_positions_latex(self: Any, node: positions) -> None:
    # Two positions stand side by side (paracol); three or more follow one another.
    if len(node.children) == 2:
        self.body.append("\n\\begin{guidepositions}\n")


def depart_positions_latex(self: Any, node: positions) -> None:
    if len(node.children) == 2:
        self.body.append("\n\\end{guidepositions}\n")


def visit_position_latex(self: Any, node: position) -> None:
    if node.parent.index(node) and len(node.parent.children) == 2:
        self.body.append("\n\\switchcolumn\n")
    self.body.append("\n\\begin{guideposition}")


def depart_position_latex(self: Any, node: position) -> None:
    self.body.append("\\end{guideposition}\n")


def visit_plain(self: Any, node: nodes.Element) -> None:
    pass


def depart_plain(self: Any, node: nodes.Element) -> None:
    pass


class TabSetsForPrint(SphinxPostTransform):
    """Replace sphinx-design tab-sets by labelled positions in LaTeX, instead of false subsubsections."""

    default_priority = 6
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for tab_set in list(self.document.findall(_is_tab_set)):
            printed = positions(classes=tab_set.get("classes", []))
            for item in tab_set.children:
                if not _is_tab_item(item):
                    continue
                label, *content = item.children
                entry = position()
                entry += nodes.paragraph("", "", nodes.strong("", label.astext()), classes=["position-label"])
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


def _is_tab_set(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("design_component") == "tab-set"


def _is_tab_item(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and node.get("design_component") == "tab-item"


def normalise(text: str) -> str:
    return " ".join(text.split())


def excerpt_fits(excerpt: str, passage: str) -> bool:
    """True when every piece of the excerpt between omissions occurs in the passage, in order."""
    haystack, start = normalise(passage), 0
    for piece in (normalise(p) for p in excerpt.split(OMISSION)):
        found = haystack.find(piece, start)
        if found < 0:
            return False
        start = found + len(piece)
    return True


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


def init_build(app: Sphinx) -> None:
    _index_cache.clear()
    data = guide_data(app.env)
    data.reread, data.old_quoted = set(), set()


def _position_of(node: nodes.Node) -> tuple[str, str]:
    """The label and sync key of the sphinx-design tab that holds `node`, if any."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.container) and parent.get("design_component") == "tab-item":
            label = parent.children[0]
            return label.astext(), label.get("sync_id", "")
        parent = parent.parent
    return "", ""


def collect(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    quotes = []
    for node in doctree.findall(quotation):
        position, sync = _position_of(node)
        quotes.append(
            {
                "id": node["ids"][0],
                "passage": node["passage"],
                "excerpt": node["excerpt"],
                "position": position,
                "sync": sync,
                "line": node.line,
            }
        )
    refs = [(node["passage"], node.line) for node in doctree.findall(passage_ref)]
    kinds = {name for cls, name in ((debate_links, "links"), (debate_matrix, "matrix")) if any(doctree.findall(cls))}
    data = guide_data(env)
    if quotes:
        data.quotations[docname] = quotes
    if refs:
        data.pararefs[docname] = refs
    if kinds:
        data.placeholders[docname] = kinds


def before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    guide_data(env).reread = set(docnames)


def remember_quoted_readings(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Before a page is purged: readings it quoted must be rewritten to drop its backlinks."""
    index = passage_index(env)
    for quote in guide_data(env).quotations.get(docname, []):
        if quote["passage"] in index:
            guide_data(env).old_quoted.add(index[quote["passage"]]["docname"])


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages that show text or lists from re-read pages; they are rewritten, not re-read."""
    reread: set[str] = guide_data(env).reread
    readings = set(guide_data(env).readings)
    index = passage_index(env)
    changed_readings = reread & readings
    quoting = {d: [q["passage"] for q in qs] for d, qs in guide_data(env).quotations.items()}
    for docname, refs in guide_data(env).pararefs.items():
        quoting.setdefault(docname, []).extend(anchor for anchor, _line in refs)
    rewrite: set[str] = set(guide_data(env).old_quoted)
    for docname, anchors in quoting.items():
        quoted = {index[a]["docname"] for a in anchors if a in index}
        if quoted & changed_readings:
            rewrite.add(docname)
        if docname in reread:
            rewrite |= quoted
    if reread:
        rewrite |= {d for d, kinds in guide_data(env).placeholders.items() if "matrix" in kinds}
    if changed_readings:
        rewrite |= guide_data(env).table_docs
    return sorted(rewrite - reread)


def check(app: Sphinx, env: BuildEnvironment) -> None:
    """Every quotation and passage reference names a passage; every excerpt is part of it."""
    index = passage_index(env)
    for docname in sorted(guide_data(env).quotations):
        for quote in guide_data(env).quotations[docname]:
            entry = index.get(quote["passage"])
            if entry is None:
                logger.warning(
                    "quotation of unknown passage %r (excerpt %r)",
                    quote["passage"],
                    quote["excerpt"],
                    location=(docname, quote["line"]),
                )
            elif quote["excerpt"] and not excerpt_fits(quote["excerpt"], entry["text"]):
                logger.warning(
                    "excerpt %r is not an exact part of passage %r, which reads %r",
                    quote["excerpt"],
                    quote["passage"],
                    entry["text"][:80] + "…",
                    location=(docname, quote["line"]),
                )
    for docname in sorted(guide_data(env).pararefs):
        for anchor, line in guide_data(env).pararefs[docname]:
            if anchor not in index:
                logger.warning("reference to unknown passage %r", anchor, location=(docname, line))


_index_cache: dict[int, dict[str, dict[str, Any]]] = {}


def forget_passage_index(app: Sphinx, env: BuildEnvironment) -> None:
    # After reading, the passages are final until the next build: build the index once for all pages.
    _index_cache.clear()


def passage_index(env: BuildEnvironment) -> dict[str, dict[str, Any]]:
    """Anchor -> passage entry (with its docname and reading info) for every passage in the guide."""
    if id(env) not in _index_cache:
        _index_cache[id(env)] = _build_index(env)
    return _index_cache[id(env)]


def _build_index(env: BuildEnvironment) -> dict[str, dict[str, Any]]:
    index: dict[str, dict[str, Any]] = {}
    for docname, passages in guide_data(env).passages.items():
        info = guide_data(env).readings.get(docname, {})
        for entry in passages:
            index[entry["id"]] = {**entry, "docname": docname, "reading": info.get("short-title", docname)}
    return index


def credit(entry: dict[str, Any], here: str = "") -> str:
    """How the guide names a passage: reading (unless it is on page `here`), comment if any, ¶ number."""
    parts = [] if entry["docname"] == here else [entry["reading"]]
    if entry["thread"]:
        parts.append(f"comment {entry['thread'][1:]}")
    parts.append(f"¶\u00a0{entry['number']}")
    return ", ".join(parts)


# -- Filling the placeholders ----------------------------------------------------------------


def _link_to_label(label: str, text: str, refdoc: str, classes: list[str] | None = None) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "",
        nodes.inline("", text, classes=classes or []),
        refdomain="std",
        reftype="ref",
        reftarget=label,
        refexplicit=True,
        refdoc=refdoc,
    )


def _link_to_doc(docname: str, text: str, refdoc: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "",
        nodes.inline("", text),
        refdomain="std",
        reftype="doc",
        reftarget="/" + docname,
        refexplicit=True,
        refdoc=refdoc,
    )


def _paragraph(*children: nodes.Node, classes: list[str] | None = None) -> nodes.paragraph:
    paragraph = nodes.paragraph(classes=classes or [])
    paragraph.extend(children)
    return paragraph


def debate_order(env: BuildEnvironment) -> list[str]:
    """Debate pages in the order of their toctree, then any others that quote passages."""
    ordered = [d for d in env.toctree_includes.get("debates/index", []) if d in guide_data(env).quotations]
    return ordered + sorted(set(guide_data(env).quotations) - set(ordered))


class FillDebates(SphinxPostTransform):
    """Replace the placeholders before references are resolved, so their links resolve too."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        index = passage_index(self.env)
        docname = self.env.docname
        for node in list(self.document.findall(quotation)):
            node.replace_self(self._quotation(node, index.get(node["passage"])))
        for node in list(self.document.findall(passage_ref)):
            entry = index.get(node["passage"])
            text = credit(entry, docname) if entry else node["passage"]
            node.replace_self(
                _link_to_label(node["passage"], text, docname, ["pararef"]) if entry else nodes.Text(text)
            )
        for node in list(self.document.findall(debate_links)):
            node.replace_self(self._backlinks(index, node["docname"]))
        for node in list(self.document.findall(debate_matrix)):
            node.replace_self(self._matrix(index))

    def _quotation(self, node: quotation, entry: dict[str, Any] | None) -> nodes.Element:
        box = nodes.container(classes=["quotation"], ids=node["ids"])
        if entry is None:
            box += _paragraph(nodes.Text(f"[unknown passage {node['passage']}]"))
            return box
        text = " ".join((node["excerpt"] or entry["text"]).split("\n"))
        # A plain paragraph, not docutils' attribution, whose LaTeX prints "---" as three hyphens.
        source = _paragraph(
            nodes.Text("— "),
            _link_to_label(node["passage"], credit(entry), self.env.docname),
            classes=["quotation-credit"],
        )
        box += nodes.block_quote("", _paragraph(nodes.Text(text), classes=["quotation-text"]), source)
        return box

    def _backlinks(self, index: dict[str, dict[str, Any]], here: str) -> nodes.Element:
        items = nodes.bullet_list(classes=["debate-links"])
        for debate in debate_order(self.env):
            quotes = [
                q for q in guide_data(self.env).quotations[debate] if index.get(q["passage"], {}).get("docname") == here
            ]
            if not quotes:
                continue
            title = self.env.titles[debate].astext()
            line = _paragraph(_link_to_doc(debate, title, here), nodes.Text(": "))
            for number, quote in enumerate(quotes):
                if number:
                    line += nodes.Text(", ")
                label = f"¶\u00a0{index[quote['passage']]['number']}"
                if quote["position"]:
                    label += f" ({quote['position']})"
                line += _link_to_label(quote["id"], label, here)
            items += nodes.list_item("", line)
        if not items.children:
            return _paragraph(nodes.Text("No passage of this reading is quoted in the debates yet."))
        return items

    def _matrix(self, index: dict[str, dict[str, Any]]) -> nodes.Element:
        here, env = self.env.docname, self.env
        debates = debate_order(env)
        readings = guide_data(env).readings
        # One row per reading post and per comment or reply quoted: a reply may take the other side.
        rows: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
        for debate in debates:
            for quote in guide_data(env).quotations[debate]:
                entry = index.get(quote["passage"])
                if entry:
                    rows.setdefault((entry["docname"], entry["thread"] or ""), {}).setdefault(debate, []).append(quote)
        order = {d: readings[d]["source"] for d in readings}
        table = nodes.table(classes=["debate-matrix"])
        group = nodes.tgroup(cols=len(debates) + 1)
        table += group
        group.extend(nodes.colspec(colwidth=1) for _ in range(len(debates) + 1))
        head = nodes.thead()
        head += _row([nodes.Text("Reading")] + [_link_to_doc(d, short_title(env, d), here) for d in debates])
        body = nodes.tbody()
        for (docname, thread), cells in sorted(
            rows.items(), key=lambda r: (order.get(r[0][0], ""), _thread_key(r[0][1]))
        ):
            label: list[nodes.Node] = [_link_to_doc(docname, readings[docname]["short-title"], here)]
            if thread:
                label.append(nodes.Text(f", {'reply' if '.' in thread else 'comment'} {thread[1:]}"))
            body += _row([label] + [self._matrix_cell(cells.get(debate, []), index) for debate in debates])
        group += head
        group += body
        legend = _paragraph(classes=["debate-matrix-legend"])
        for number, (key, (short, meaning)) in enumerate(self.config.guide_lens_labels.items()):
            legend += nodes.Text("; " if number else "Positions: ")
            legend += nodes.abbreviation("", short, explanation=meaning, classes=["lens", f"lens-{key}"])
            legend += nodes.Text(f" {meaning}")
        container = nodes.container(classes=["debate-matrix-wrapper"])
        container += legend
        container += table
        return container

    def _matrix_cell(self, quotes: list[dict[str, Any]], index: dict[str, dict[str, Any]]) -> list[nodes.Node]:
        """The positions taken in one debate, each as a lens badge and its ¶ links."""
        lenses = self.config.guide_lens_labels
        by_position: dict[tuple[str, str], list[str]] = {}
        for quote in quotes:
            by_position.setdefault((quote["position"], quote["sync"]), []).append(quote["passage"])
        content: list[nodes.Node] = []
        for (position, sync), anchors in by_position.items():
            short = lenses.get(sync, (sync or "—", ""))[0]
            badge = nodes.abbreviation("", short, explanation=position, classes=["lens", f"lens-{sync}"])
            content.append(_paragraph(badge, nodes.Text(" ")))
            for number, anchor in enumerate(dict.fromkeys(anchors)):
                if number:
                    content[-1] += nodes.Text(", ")
                content[-1] += _link_to_label(anchor, f"¶\u00a0{index[anchor]['number']}", self.env.docname)
        return content or [nodes.Text("")]


def short_title(env: BuildEnvironment, docname: str) -> str:
    """A page's `short-title` from its front matter, or its title."""
    return str(env.metadata.get(docname, {}).get("short-title") or env.titles[docname].astext())


def _thread_key(thread: str) -> list[int]:
    """Comments in source order: the post (""), c1, c1.1, c2 ..."""
    return [int(part) for part in thread[1:].split(".")] if thread else []


def _row(cells: list[Any]) -> nodes.row:
    row = nodes.row()
    for content in cells:
        entry = nodes.entry()
        items = content if isinstance(content, list) else [content]
        if all(isinstance(item, nodes.paragraph) for item in items):
            entry.extend(items)
        else:
            entry += _paragraph(*items)
        row += entry
    return row


def setup(app: Sphinx) -> dict[str, Any]:
    for node in (quotation, passage_ref, debate_links, debate_matrix):
        # Always replaced by FillDebates before any writer sees them.
        app.add_node(node)
    app.add_config_value("guide_lens_labels", {}, "env", types=[dict], description="sync key -> (short label, meaning)")
    app.add_directive("quotation", QuotationDirective)
    app.add_role("pararef", pararef_role)
    app.add_directive("debate-links", DebateLinksDirective)
    app.add_directive("debate-matrix", DebateMatrixDirective)
    app.add_post_transform(FillDebates)
    app.add_post_transform(TabSetsForPrint)
    app.add_post_transform(QuotationTargetsForPrint)
    for node in (positions, position):
        app.add_node(
            node,
            latex=(visit_positions_latex, depart_positions_latex)
            if node is positions
            else (visit_position_latex, depart_position_latex),
            html=(visit_plain, depart_plain),
            text=(visit_plain, depart_plain),
        )
    app.connect("builder-inited", init_build)
    app.connect("doctree-read", collect)
    app.connect("env-before-read-docs", before_read)
    # Before guide_data's own purge (priority 500) forgets the page's quotations.
    app.connect("env-purge-doc", remember_quoted_readings, priority=400)
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("env-updated", forget_passage_index)
    app.connect("env-check-consistency", check)
    return {"version": "1", "env_version": 3, "parallel_read_safe": True, "parallel_write_safe": True}
