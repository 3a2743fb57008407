"""Tumblr: a reblog chain, each reblogger's text under "handle:"; the notes (likes, reblogs) and tags after it.

The first handle is the post's own writer (its byline); each later one opens a reblog, a comment on the
chain. A reblog that opens with "@handle" answers that reblogger's (the threader's shared rule).
"""

from __future__ import annotations

import re

from reading_guide.converter.styles.base import patterns
from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="tumblr",
    label="Tumblr (a post and its reblog chain)",
    cues=(
        (re.compile(r"^powered by tumblr$", re.IGNORECASE), 3.0),
        (re.compile(r"^\S+ reblogged this from \S+(?: and added:)?$", re.IGNORECASE), 2.0),
        (re.compile(r"^\d[\d,]* notes$|^show more notes$", re.IGNORECASE), 1.0),
    ),
    # "needle-exchange-nan:" alone on its line: a handle is lower case, letters, digits and hyphens.
    byline=patterns(r"(?-i:(?P<author>[a-z0-9]+(?:-[a-z0-9]+)*)):"),
    furniture=re.compile(
        r"#.*|source: \S+|\d[\d,]* notes|\S+ (?:liked|reblogged) this(?: from \S+)?(?: and added:)?"
        r"|show more notes|theme by .*|ask me anything|submit|archive|theme|← previous|next →",
        re.IGNORECASE,
    ),
    opening_post=True,
)
