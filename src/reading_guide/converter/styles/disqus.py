"""Disqus: "Name • 3 years ago" bylines, "Name → Parent" for a reply, "• Reply • Share ›"."""

from __future__ import annotations

import re

from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="disqus",
    label="Disqus",
    cues=(
        (re.compile(r"powered by disqus|^or sign up with disqus|^log in with$", re.IGNORECASE), 3.0),
        (re.compile(r"^[•·]?\s*reply\s*[•·]\s*share\s*›$", re.IGNORECASE), 3.0),
        (re.compile(r"^.{1,60}\s→\s.{1,60}\s•\s.{1,30}$"), 2.0),
        (re.compile(r"^sort by (?:best|newest|oldest)$", re.IGNORECASE), 1.0),
        (re.compile(r"^△\s*▽|^this comment was deleted\.$", re.IGNORECASE), 2.0),
        (re.compile(r"^join the discussion…$|^do not sell my data$", re.IGNORECASE), 2.0),
    ),
    furniture=re.compile(
        r"also on .*|add disqus to your site.*|recommend\s*\d*|login|guest|log in with|name"
        r"|or sign up with disqus\s*\??|share ›|\d+ comments?",
        re.IGNORECASE,
    ),
)
