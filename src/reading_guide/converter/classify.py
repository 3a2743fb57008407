"""Step 4: give each block a kind (one of ``schema.KINDS``), by its shape and the capture's style."""

from __future__ import annotations

from reading_guide.converter.shapes import COMMENT_MARKER, DATELINE, LIST_MARKER, URL
from reading_guide.converter.split import Block
from reading_guide.converter.styles import Style
from reading_guide.schema import count_words


def classify(blocks: list[Block], style: Style) -> list[str]:
    """The kind of each block, in order."""
    comments_from = _comments_start(blocks, style)
    kinds: list[str] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if _is_furniture(block, style):
            kind = "boilerplate"
        elif index >= comments_from and (
            COMMENT_MARKER.match(block.lines[0]) or style.comment_byline.match(block.lines[0]) or block.indent > 0
        ):
            kind = "comment"
        elif _is_meta(block, style):
            kind = "meta"
        elif index >= comments_from:
            kind = "paragraph"
        elif (
            "title" not in kinds
            and all(k == "meta" for k in kinds)
            and len(block.lines) == 1
            and count_words(block.joined) <= 20
        ):
            kind = "title"
        elif (
            _looks_like_heading(block, style)
            and following is not None
            and not LIST_MARKER.match(following.lines[0])
            and not _looks_like_heading(following, style)
        ):
            kind = "heading"
        elif LIST_MARKER.match(block.lines[0]):
            kind = "list-item"
        elif kinds and kinds[-1] == "paragraph" and blocks[index - 1].lines[-1].endswith(":"):
            kind = "quote"
        else:
            kind = "paragraph"
        kinds.append(kind)
    _mark_trailing_furniture(blocks, kinds)
    return kinds


def _is_furniture(block: Block, style: Style) -> bool:
    joined = block.joined
    return bool(style.furniture.match(joined) or style.comments_header.match(joined) or style.spam.search(joined))


def _is_meta(block: Block, style: Style) -> bool:
    first = block.lines[0]
    return (
        len(block.lines) <= 3
        and count_words(first) <= 12
        and bool(DATELINE.match(first) or style.post_byline.search(first))
    )


def _looks_like_heading(block: Block, style: Style) -> bool:
    line = block.lines[0]
    return (
        len(block.lines) == 1
        and count_words(line) <= 12
        and len(line) <= 100
        and not line.rstrip().endswith((".", ",", ";", ":", "!", "…"))
        and not URL.search(line)
        and not style.reference_line.match(line)
    )


def _comments_start(blocks: list[Block], style: Style) -> int:
    """Index of the first block of the comment threads, or len(blocks) if there are none."""
    for index, block in enumerate(blocks):
        if style.comments_header.match(block.joined):
            return index + 1
    for index, block in enumerate(blocks):
        marker = COMMENT_MARKER.match(block.lines[0])
        # Captures set comment lists apart from the post by indentation and a wider gap.
        if index > 0 and marker and block.indent > 0 and block.gap >= 2:
            return index
    return len(blocks)


def _mark_trailing_furniture(blocks: list[Block], kinds: list[str]) -> None:
    """Short unpunctuated lines after the page's closing furniture are furniture too (spam, widgets)."""
    tail = len(blocks)
    while tail > 0 and (kinds[tail - 1] in ("boilerplate", "meta") or _is_short_fragment(blocks[tail - 1])):
        tail -= 1
    if "boilerplate" not in kinds[tail:]:
        return
    first_furniture = kinds.index("boilerplate", tail)
    for index in range(first_furniture, len(blocks)):
        if kinds[index] not in ("boilerplate", "meta"):
            kinds[index] = "boilerplate"


def _is_short_fragment(block: Block) -> bool:
    text = block.joined
    return block.indent == 0 and count_words(text) <= 4 and not text.endswith((".", "?", "!", "”", '"'))
