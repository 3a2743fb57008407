"""Medium: "N min read", claps, "Responses (12)", "Name / Mar 3, 2024" bylines."""

from __future__ import annotations

import re

from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="medium",
    label="Medium",
    cues=(
        (re.compile(r"^open in app$|^member-only story$|^top highlight$", re.IGNORECASE), 2.0),
        (re.compile(r"^responses \(\d+\)$|^see more responses$", re.IGNORECASE), 3.0),
        (re.compile(r"^help\s+status\s+about\s+careers", re.IGNORECASE), 3.0),
        (re.compile(r"^\d+ min read\s*·", re.IGNORECASE), 2.0),
        (re.compile(r"^written by .+$|^more from .+$", re.IGNORECASE), 1.0),
    ),
    furniture=re.compile(
        r"top highlight|member-only story|written by .*|help\s+status\s+about.*|\d+(?:\.\d)?k?", re.IGNORECASE
    ),
)
