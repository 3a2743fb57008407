"""WordPress: classic themes ("N thoughts on …", "Name says:", Reply links) and Jetpack on WordPress.com."""

from __future__ import annotations

import re

from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="wordpress",
    label="WordPress (classic themes, Jetpack, WordPress.com)",
    cues=(
        (re.compile(r"^\d+ (?:thoughts?|responses?|replies|comments?) (?:on|to) [“\"]", re.IGNORECASE), 3.0),
        (re.compile(r"^leave a reply(?: cancel reply)?$", re.IGNORECASE), 2.0),
        (re.compile(r"^save my name, email, and website in this browser", re.IGNORECASE), 3.0),
        (re.compile(r"^(?:proudly powered by wordpress|blog at wordpress\.com)", re.IGNORECASE), 3.0),
        (re.compile(r"^.{1,60} says:$", re.IGNORECASE), 1.0),
        (
            re.compile(
                r"^(?:like loading\.\.\.|%d bloggers like this:|fill in your details below or click an icon)",
                re.IGNORECASE,
            ),
            2.0,
        ),
        (re.compile(r"^you are commenting using your wordpress\.com account", re.IGNORECASE), 2.0),
        (re.compile(r"^reply ↓$|^post navigation$", re.IGNORECASE), 1.0),
    ),
    byline_extra=re.compile(r"post author|by post author|your comment is awaiting moderation\..*", re.IGNORECASE),
    furniture=re.compile(r"reply ↓|by post author|(?:post )?author|post date|posted on", re.IGNORECASE),
)
