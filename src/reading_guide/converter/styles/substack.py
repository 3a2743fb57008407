"""Substack: a publication's post, "Discussion about this post", "Name / Mar 4" bylines, "Like (4)"."""

from __future__ import annotations

import re

from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="substack",
    label="Substack",
    cues=(
        (re.compile(r"substack is the home for great culture|^subscribesign in$", re.IGNORECASE), 3.0),
        (re.compile(r"^discussion about this post$|^commentsrestacks$", re.IGNORECASE), 3.0),
        (re.compile(r"^expand full comment$|^like \(\d+\)$|^\d+ more comments\.\.\.$", re.IGNORECASE), 2.0),
        (re.compile(r"^ready for more\?$|^thanks for reading .+! subscribe", re.IGNORECASE), 2.0),
    ),
    comments_header=re.compile(r"discussion about this post", re.IGNORECASE),
    furniture=re.compile(
        r"subscribesign in|commentsrestacks|toplatestdiscussions|ready for more\?|restack.*|expand full comment"
        r"|discover more from .*|leave a comment|no posts|\d+ more comments\.\.\.",
        re.IGNORECASE,
    ),
)
