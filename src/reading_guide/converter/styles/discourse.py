"""Discourse: a topic's posts in order, "↩ name" or "in reply to name" for a reply to an earlier post."""

from __future__ import annotations

import re

from reading_guide.converter.styles.base import patterns
from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="discourse",
    label="Discourse",
    cues=(
        (re.compile(r"powered by discourse|best viewed with javascript enabled", re.IGNORECASE), 3.0),
        (re.compile(r"^(?:suggested|related) topics$", re.IGNORECASE), 2.0),
        (re.compile(r"^created\b.*\blast reply\b|^\d+\s+(?:views|users|likes|links)$", re.IGNORECASE), 2.0),
        (re.compile(r"^↩|^♥\s*\d+$|^\d+ likes?$", re.IGNORECASE), 1.0),
        (re.compile(r"^(?:created|last reply|views|users|replies|links)$", re.IGNORECASE), 1.0),
        (re.compile(r"^in reply to [a-z0-9_.-]+$"), 1.0),
        (re.compile(r"^\d+ repl(?:y|ies)$", re.IGNORECASE), 0.5),
    ),
    author_format=(
        re.compile(r"(?P<author>[A-Z][^\s]*(?:\s+[A-Z][^\s]*)*)\s+[a-z0-9_.-]+(?:\s.*)?"),  # "Dev Anand dev_a"
        re.compile(r"(?P<author>[\w.-]+)\s+\(.+\)"),  # "jess_outreach (Jess)", as a page without JavaScript shows it
    ),
    # "dev_a:" above the lines it quotes.
    quote_intro=patterns(r"(?P<author>[\w.-]{2,40}):"),
    furniture=re.compile(
        r"created|last reply|\d+\s*(?:replies|views|users|likes|links)|replies|views|users|share|bookmark|flag"
        r"|\d+ repl(?:y|ies)|suggested topics|related topics|powered by discourse.*|closed .*|this topic was .*",
        re.IGNORECASE,
    ),
    opening_post=True,
    flat=True,
)
