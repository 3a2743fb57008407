"""Discourse: a topic's posts in order, "↩ name" or "in reply to name" for a reply to an earlier post."""

from __future__ import annotations

import re

from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="discourse",
    label="Discourse",
    cues=(
        (re.compile(r"powered by discourse|best viewed with javascript enabled", re.I), 3.0),
        (re.compile(r"^(?:suggested|related) topics$", re.I), 2.0),
        (re.compile(r"^created\b.*\blast reply\b|^\d+\s+(?:replies|views|users|likes|links)$", re.I), 2.0),
        (re.compile(r"^↩|^♥\s*\d+$|^\d+ likes?$", re.I), 1.0),
    ),
    opening_post=True,
    flat=True,
)
