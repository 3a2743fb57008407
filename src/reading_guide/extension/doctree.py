"""Small builders of doctree nodes that every part of the extension uses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docutils import nodes
from sphinx import addnodes

Cell = nodes.Node | Sequence[nodes.Node]


def paragraph(*children: nodes.Node, classes: list[str] | None = None) -> nodes.paragraph:
    node = nodes.paragraph(classes=classes or [])
    node.extend(children)
    return node


def link_to_label(label: str, text: str, refdoc: str, classes: list[str] | None = None) -> addnodes.pending_xref:
    """A link to a label (a passage anchor, a quotation, a glossary term), resolved when pages are written."""
    return addnodes.pending_xref(
        "",
        nodes.inline("", text, classes=classes or []),
        refdomain="std",
        reftype="ref",
        reftarget=label,
        refexplicit=True,
        refdoc=refdoc,
    )


def link_to_doc(docname: str, text: str, refdoc: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "",
        nodes.inline("", text),
        refdomain="std",
        reftype="doc",
        reftarget="/" + docname,
        refexplicit=True,
        refdoc=refdoc,
    )


def pilcrow(number: object) -> str:
    """How a ¶ number is written: "¶ 16", the space non-breaking."""
    return f"¶\u00a0{number}"


def append_links(
    line: nodes.Element,
    links: Iterable[tuple[str, str]],
    refdoc: str,
    *,
    opening: str = "",
    separator: str = ", ",
    closing: str = "",
) -> None:
    """Append links to labels ``(label, text)``, separated, between `opening` and `closing`; nothing if none."""
    links = list(links)
    for index, (label, text) in enumerate(links):
        line += nodes.Text(separator if index else opening)
        line += link_to_label(label, text, refdoc)
    if links and closing:
        line += nodes.Text(closing)


def table(
    headers: Sequence[Cell], widths: Sequence[int], rows: Iterable[Sequence[Cell]], classes: list[str]
) -> nodes.table:
    """A table whose cells are nodes, lists of nodes, or paragraphs."""
    node = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(widths))
    node += group
    group.extend(nodes.colspec(colwidth=width) for width in widths)
    head = nodes.thead()
    head += _row(headers)
    body = nodes.tbody()
    body.extend(_row(cells) for cells in rows)
    group += head
    group += body
    return node


def _row(cells: Sequence[Cell]) -> nodes.row:
    row = nodes.row()
    for content in cells:
        entry = nodes.entry()
        items = [content] if isinstance(content, nodes.Node) else list(content)
        if all(isinstance(item, nodes.paragraph) for item in items):
            entry.extend(items)
        else:
            entry += paragraph(*items)
        row += entry
    return row
