"""LiveJournal and the journals built on its code (Dreamwidth, InsaneJournal): "(Reply) (Thread) (Link)"
under each comment, "Current Mood:" under the entry, "N comments | Leave a comment" above the comments."""

from __future__ import annotations

import re

from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="livejournal",
    label="LiveJournal and Dreamwidth",
    cues=(
        (re.compile(r"powered by (?:livejournal|dreamwidth)|^no account\? create an account$", re.IGNORECASE), 3.0),
        (
            re.compile(
                r"^\((?:reply|parent|thread|link)\)(?:\s*\((?:reply|parent|thread|link|expand)\))+$", re.IGNORECASE
            ),
            2.0,
        ),
        (re.compile(r"^current (?:mood|music|location):", re.IGNORECASE), 2.0),
        (
            re.compile(
                r"\badd to memories\b|^previous entry\b|^\((?:deleted|screened|frozen) comment\)$", re.IGNORECASE
            ),
            2.0,
        ),
        (re.compile(r"^\d+ comments? \| leave a comment$|^\(anonymous\)$", re.IGNORECASE), 1.0),
    ),
    # The entry's own lines under its text: what the writer was doing, hearing and feeling.
    post_meta=re.compile(r"current (?:mood|music|location):.*|entry tags:.*", re.IGNORECASE),
    furniture=re.compile(
        r"no account\? create an account|.*\badd to memories\b.*|(?:previous|next) entry|page \d+ of \d+|<<.*>>"
        r"|recent entries|friends|profile|memories|(?:expand|collapse)(?: thread)?"
        # Dreamwidth's choice of view over the comments.
        r"|flat\s*\|\s*top-level comments only|threaded\s*\|\s*flat",
        re.IGNORECASE,
    ),
)
