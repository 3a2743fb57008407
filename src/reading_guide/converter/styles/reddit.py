"""Reddit, old and new: the submission is the post; "[–] name 14 points 3 years ago", "u/name · 3 yr. ago"."""

from __future__ import annotations

import re

from reading_guide.converter.styles.base import patterns
from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="reddit",
    label="Reddit (old and new)",
    cues=(
        (re.compile(r"^r/\w+$|^posted by u/\w+", re.IGNORECASE), 2.0),
        (re.compile(r"^\[[–-]\]\s*\S+"), 3.0),
        (re.compile(r"^u/\w+.*·\s*\d+\s*\w+\.? ago", re.IGNORECASE), 3.0),
        (re.compile(r"^permalink\s+embed\s+save|^load more comments \(\d+", re.IGNORECASE), 3.0),
        (re.compile(r"^level \d+$|^\d+% upvoted$|^submitted .* by ", re.IGNORECASE), 2.0),
        # New Reddit ("shreddit"): its page's frame.
        (re.compile(r"^go to reddit home$|^reddit, inc\. © \d{4}|^reddit rules$", re.IGNORECASE), 3.0),
        (re.compile(r"^(?:search comments|expand comment search|community info section)$", re.IGNORECASE), 2.0),
    ),
    # "[–]name[S] GP 54 points 2 years ago" (a flair may follow the name); "[+]" when collapsed.
    byline=patterns(
        r"\[[–+-]\]\s*(?P<author>\S+?)(?:\[[msa]\])?(?:\s+\S+){0,3}?\s+(?:[-−]?\d[\d,]*\s+points?|\[score hidden\]).*"
    ),
    comments_header=re.compile(r"all \d[\d,]* comments", re.IGNORECASE),
    flair_under_title=True,
    actions=frozenset(
        {"permalink", "embed", "save", "parent", "report", "give", "award", "reply", "share", "hide", "follow"}
    ),
    furniture=re.compile(
        r"\[\+\]\s*\(\d+ child(?:ren)?\)|load more comments.*|more replies|continue this thread.*|\d+% upvoted|sort by:?.*"
        r"|this post was submitted on .*|\d[\d,.]*k? points? \(\d+% upvoted\)",
        re.IGNORECASE,
    ),
)
