"""Hacker News: "name 2 days ago | parent | next [–]" bylines, "reply" links, the item's points line."""

from __future__ import annotations

import re

from reading_guide.converter.styles.base import patterns
from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="hackernews",
    label="Hacker News",
    cues=(
        (re.compile(r"^\d+ points? by \S+ .* ago", re.IGNORECASE), 3.0),
        (re.compile(r"\|\s*(?:parent|root|next|prev)\b.*\[[–-]\]$", re.IGNORECASE), 3.0),
        (re.compile(r"^hacker news\b|^guidelines \| faq", re.IGNORECASE), 3.0),
    ),
    byline=patterns(r"(?P<author>\S+) (?:\d+|an?) \w+ ago(?: \|.*)?"),
    # The item's own line under its title: "312 points by p_anand 1 day ago | hide | past | favorite | 146 comments".
    post_meta=re.compile(r"\d+ points? by \S+ .*", re.IGNORECASE),
)
