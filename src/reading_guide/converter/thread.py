"""Step 5: comment passages get thread ids (c1, c1.1 ...) from their markers and indentation.

A marked block (a number, a bullet, or a "Name said..." line, which stays in the text)
opens a comment; it replies to the nearest open comment whose marker is indented less.
An unmarked block continues the deepest open comment whose marker is indented less than
the block (or the last comment, for flat captures).
"""

from __future__ import annotations

from reading_guide.converter.shapes import COMMENT_MARKER
from reading_guide.converter.split import Block
from reading_guide.converter.styles import Style
from reading_guide.schema import Passage, count_words


def thread_comments(blocks: list[Block], kinds: list[str], style: Style) -> list[Passage]:
    """One passage per block, with the kind given and, for comments, a thread and marker."""
    open_comments: list[tuple[int, str, int]] = []  # (marker indent, thread id, replies so far)
    top_level = 0
    passages: list[Passage] = []
    for block, kind in zip(blocks, kinds, strict=True):
        passage = Passage(number=block.number, kind=kind, text=block.text, line=block.line)
        if kind != "comment":
            passages.append(passage)
            continue
        marker = COMMENT_MARKER.match(passage.text)
        byline = style.comment_byline.match(block.lines[0])
        if marker or byline or not open_comments:
            while open_comments and open_comments[-1][0] >= block.indent:
                open_comments.pop()
            if open_comments:
                parent_indent, parent, replies = open_comments[-1]
                open_comments[-1] = (parent_indent, parent, replies + 1)
                thread = f"{parent}.{replies + 1}"
            else:
                top_level += 1
                thread = f"c{top_level}"
            open_comments.append((block.indent, thread, 0))
            text = passage.text[marker.end() :] if marker else passage.text
            passages.append(
                Passage(
                    number=passage.number,
                    kind=kind,
                    text=text,
                    line=passage.line,
                    marker=marker.group(1) if marker else "",
                    thread=thread,
                    removed=bool(style.removed.search(text)) and count_words(text) <= 12,
                )
            )
            continue
        while len(open_comments) > 1 and open_comments[-1][0] >= block.indent:
            open_comments.pop()
        passages.append(
            Passage(number=passage.number, kind=kind, text=passage.text, line=passage.line, thread=open_comments[-1][1])
        )
    return passages
