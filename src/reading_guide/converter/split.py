"""Step 3: the lines become blocks, the units that are numbered as passages.

Blank lines separate blocks. Within lines that follow one another without a blank line, a
new block also starts:

- at a list item or comment marker ("1. ", "• "), when the block so far is a list or the
  line is indented deeper than the one before (a reply captured without a blank line);
- at a byline (a name with a date, "Jane says:", a date under a name) and after it, so that
  a byline and the comment's first line are two passages;
- at a run of action lines ("Reply", "Like (23)", "• Reply • Share ›") and after it;
- at the comments' header, and after it;
- at a quotation's opening line, at a removed comment's notice, and at each "[2] …" footnote.

Each block keeps its lines with their roles, its indentation and the blank lines before it,
which the later steps read as structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reading_guide.converter.lines import Line, Role
from reading_guide.converter.shapes import COMMENT_MARKER, looks_like_name

# A footnote's line: "[2] …" (a list of footnotes without blank lines is one passage each).
FOOTNOTE_LINE = re.compile(r"^\[\d{1,3}\]\s")
# Roles that stand in a byline beside its head.
BYLINE_PARTS = (Role.BYLINE, Role.DATE, Role.EXTRA, Role.CUE)
# Roles that always stand apart from the lines around them.
ALONE = (Role.HEADER, Role.REMOVED)


@dataclass(frozen=True)
class Block:
    """A block of a source, before any interpretation."""

    number: int  # 1-based, in source order: the ¶ number
    rows: tuple[Line, ...]  # its lines, with their roles
    byline: bool = False  # the block is a byline (a name, a date, badges)

    @property
    def line(self) -> int:
        return self.rows[0].number

    @property
    def indent(self) -> int:
        return self.rows[0].indent

    @property
    def gap(self) -> int:
        return self.rows[0].gap

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(row.text for row in self.rows)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def joined(self) -> str:
        """The lines as one line, for patterns that look at a whole block."""
        return " ".join(self.lines)

    def roles(self) -> set[Role]:
        return {row.role for row in self.rows}


def split_blocks(lines: list[Line]) -> list[Block]:
    """Group the lines into blocks (see the module's docstring)."""
    bylines = byline_spans(lines)
    starts = {index for index, line in enumerate(lines) if index == 0 or line.gap or _starts_block(lines, index)}
    for first, last in bylines:
        starts.add(first)
        if last + 1 < len(lines):
            starts.add(last + 1)
    in_byline = {first for first, _ in bylines}
    edges = sorted(starts) + [len(lines)]
    return [
        Block(number=number, rows=tuple(lines[start:end]), byline=start in in_byline)
        for number, (start, end) in enumerate(zip(edges, edges[1:], strict=False), 1)
    ]


def _starts_block(lines: list[Line], index: int) -> bool:
    line, previous = lines[index], lines[index - 1]
    if COMMENT_MARKER.match(line.text) and (
        line.indent > previous.indent or COMMENT_MARKER.match(_block_start(lines, index).text)
    ):
        return True
    if line.role in ALONE or previous.role in ALONE:
        return True
    if FOOTNOTE_LINE.match(line.text) and FOOTNOTE_LINE.match(previous.text):
        return True
    # An action run ends a comment's text, and a comment's text follows it; furniture lines stay together.
    aside = (Role.ACTION, Role.FURNITURE)
    if line.role is Role.ACTION and previous.role not in aside:
        return True
    if previous.role is Role.ACTION and line.role not in aside:
        return True
    return line.role is Role.QUOTE_INTRO or (line.role is Role.QUOTE and previous.role is not Role.QUOTE)


def _block_start(lines: list[Line], index: int) -> Line:
    """The first line of the blank-line block that holds line `index`."""
    while index > 0 and not lines[index].gap:
        index -= 1
    return lines[index]


def byline_spans(lines: list[Line]) -> list[tuple[int, int]]:
    """(first, last) line indexes of every byline: a head (a byline line, or a date with a name line
    just above it) with the badge, date and cue lines that touch it above and below."""
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.role is Role.BYLINE or (line.role is Role.DATE and _name_above(lines, index)):
            first = index - 1 if line.role is Role.DATE else index
            while first > 0 and not lines[first].gap and lines[first - 1].role in (Role.EXTRA, Role.CUE):
                first -= 1
            last = index
            while last + 1 < len(lines) and not lines[last + 1].gap and lines[last + 1].role in BYLINE_PARTS:
                last += 1
            if spans and first <= spans[-1][1]:
                first = spans[-1][1] + 1
            spans.append((first, last))
            index = last + 1
            continue
        index += 1
    return spans


def _name_above(lines: list[Line], index: int) -> bool:
    """A date line whose line above, touching it, is a name: the two are a byline."""
    if index == 0 or lines[index].gap:
        return False
    above = lines[index - 1]
    return above.role in (Role.TEXT, Role.EXTRA) and looks_like_name(above.text)
