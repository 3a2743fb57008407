"""Ghost: "By … — 6 min read", "Sign up for more like this.", native comments ("Member discussion")."""

from __future__ import annotations

import re

from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="ghost",
    label="Ghost",
    cues=(
        (re.compile(r"^sign up for more like this\.?$|powered by ghost", re.IGNORECASE), 3.0),
        (re.compile(r"^member discussion$|^become a paid member|^upgrade now$", re.IGNORECASE), 2.0),
        (re.compile(r"— \d+ min read$", re.IGNORECASE), 2.0),
        (re.compile(r"^[↓↑] show \d+ (?:more|previous) (?:replies|comments)$", re.IGNORECASE), 2.0),
    ),
    comments_header=re.compile(r"member discussion", re.IGNORECASE),
    furniture=re.compile(
        r"sign up for more like this\.?|members only|upgrade now|become a paid member.*", re.IGNORECASE
    ),
)
