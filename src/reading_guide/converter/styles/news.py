"""A news site's comment section (the Guardian's, Viafoura, Coral Talk, OpenWeb): "Comments (214)", Report, Recommend."""

from __future__ import annotations

import re

from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="news",
    label="News sites' comment sections (Guardian-like, Viafoura, Coral Talk, OpenWeb)",
    cues=(
        (re.compile(r"^sign in or create your .* account to join the discussion", re.IGNORECASE), 3.0),
        (re.compile(r"^comments \(\d[\d,]*\)$", re.IGNORECASE), 2.0),
        (
            re.compile(
                r"^(?:oldest|newest|recommendations|picks)(?:\s+(?:oldest|newest|recommendations|picks))+$",
                re.IGNORECASE,
            ),
            2.0,
        ),
        (
            re.compile(r"powered by (?:viafoura|coral|openweb)|^respect \d+$|^show \d+ more replies$", re.IGNORECASE),
            2.0,
        ),
        (re.compile(r"^read our community guidelines$|^view \d+ repl(?:y|ies)$", re.IGNORECASE), 1.0),
        (re.compile(r"^advertisement$|^read more:?", re.IGNORECASE), 1.0),
        (re.compile(r"^by .{3,60} \| published", re.IGNORECASE), 2.0),
    ),
    furniture=re.compile(
        r"recommend\s*\d*|report|republish this story|share on \w+|all comments|featured comments", re.IGNORECASE
    ),
)
