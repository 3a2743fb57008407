"""Whether a quotation's excerpt is an exact part of its passage.

The excerpt must match the passage character for character, except that runs of HTML
whitespace count as one space (``schema.collapse_whitespace``); ``[…]`` marks an omission,
and the pieces around it must occur in the passage in the excerpt's order.
"""

from __future__ import annotations

from reading_guide.schema import collapse_whitespace

OMISSION = "[…]"


def excerpt_fits(excerpt: str, passage: str) -> bool:
    """True when every piece of the excerpt between omissions occurs in the passage, in order."""
    haystack, start = collapse_whitespace(passage), 0
    for piece in (collapse_whitespace(p) for p in excerpt.split(OMISSION)):
        found = haystack.find(piece, start)
        if found < 0:
            return False
        start = found + len(piece)
    return True
