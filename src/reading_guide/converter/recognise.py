"""Step 2: recognise the capture's style, by counting the lines that only one kind of site writes.

Each style's cues are weighed (a line that only Disqus writes counts more than one many sites
write); the style with the highest score wins if it reaches MIN_SCORE, otherwise the capture is
read with the generic style alone. A style's own patterns are used only once it is recognised,
so they never fire on another style's text.
"""

from __future__ import annotations

from collections import Counter

from reading_guide.converter.styles import GENERIC, STYLES, Style

MIN_SCORE = 3.0
# A site shows what it is in its first lines as well as in all: a long thread is judged by these.
SAMPLE = 4000


def scores(text: str) -> list[tuple[float, Style]]:
    """Every style's score for `text` (its first SAMPLE lines), highest first."""
    # Each distinct line is looked at once ("Reply", "Top", "Share" come back under every comment).
    lines = Counter([line.strip() for line in text.split("\n") if line.strip()][:SAMPLE])
    found = [
        (sum(times * w for line, times in lines.items() for pattern, w in style.cues if pattern.search(line)), style)
        for style in STYLES
    ]
    return sorted(found, key=lambda item: -item[0])


def recognise(text: str) -> Style:
    """The style whose cues `text` shows most, or the generic style when none shows enough."""
    best, style = scores(text)[0]
    return style if best >= MIN_SCORE else GENERIC
