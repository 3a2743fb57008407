"""Whether a quotation's excerpt is an exact part of its passage.

The excerpt must match the passage character for character, except that runs of HTML
whitespace count as one space (``schema.collapse_whitespace``); ``[…]`` marks an omission,
and the pieces around it must occur in the passage in the excerpt's order.
"""

from __future__ import annotations

OMISSION = "[…]"


def excerpt_fits(excerpt: str, passage: str) -> bool:
    """True when every piece of the excerpt between omissions occurs in the passage, in order."""
    haystack, start = " ".join(passage.split()), 0
    for piece in (" ".join(p.split()) for p in excerpt.split(OMISSION)):
        found = haystack.find(piece, start)
        if found < 0:
            return False
        start = found + len(piece)
    return True
