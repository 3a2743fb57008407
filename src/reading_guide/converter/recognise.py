"""Step 3: recognise the capture's style, by counting the lines that only one style writes."""

from __future__ import annotations

from reading_guide.converter.split import Block
from reading_guide.converter.styles import STYLES, Style


def recognise(blocks: list[Block]) -> Style:
    """The style whose cues the blocks show most often; the first style when none shows any."""
    scores = [(sum(1 for b in blocks for line in b.lines if style.cues.search(line)), style) for style in STYLES]
    best = max(score for score, _ in scores)
    return next(style for score, style in scores if score == best)
