"""Step 2: text becomes blocks, the units that are numbered as passages.

Every blank-line separated block is one block. A line that opens a list item or comment
("1. ", "• ") also starts a block when the block so far is a list, or when it is indented
deeper than the line before it: a reply captured without a blank line before it is still
its own passage. Each block keeps its indentation and the blank lines before it, which
later steps read as structure.
"""

from __future__ import annotations

from dataclasses import dataclass

from reading_guide.converter.shapes import COMMENT_MARKER


@dataclass(frozen=True)
class Block:
    """A block of a source, before any interpretation."""

    number: int  # 1-based, in source order: the ¶ number
    line: int  # 1-based line of the block's first line in the source
    indent: int  # columns of ASCII indentation on the first line
    gap: int  # blank lines before the block
    lines: tuple[str, ...]  # each line without its ASCII indentation and trailing blanks

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def joined(self) -> str:
        """The lines as one line, for patterns that look at a whole block."""
        return " ".join(self.lines)


def indent_of(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def split_blocks(text: str) -> list[Block]:
    """Split on lines that hold only whitespace; keep each block's indentation and gap."""
    blocks: list[Block] = []
    current: list[str] = []
    start = gap = 0

    def flush() -> None:
        lines = tuple(raw.lstrip(" \t").rstrip(" \t") for raw in current)
        blocks.append(Block(number=len(blocks) + 1, line=start + 1, indent=indent_of(current[0]), gap=gap, lines=lines))

    for index, line in enumerate([*text.split("\n"), ""]):
        if line.strip():
            if current and _opens_item(line, current):
                flush()
                current, gap = [], 0
            if not current:
                start = index
            current.append(line)
            continue
        if current:
            flush()
            current, gap = [], 0
        gap += 1
    return blocks


def _opens_item(line: str, block: list[str]) -> bool:
    if not COMMENT_MARKER.match(line.lstrip(" \t")):
        return False
    return bool(COMMENT_MARKER.match(block[0].lstrip(" \t"))) or indent_of(line) > indent_of(block[-1])
