"""What a capture style knows: the furniture, bylines and markers of one kind of site.

A style is data, not code: the classifier and the threader read any style the same way,
so supporting a new site is one new module in this folder with one ``STYLE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NEVER = re.compile(r"(?!)")


@dataclass(frozen=True)
class Style:
    name: str
    # Lines that only this kind of site writes; `recognise` counts them to choose a style.
    cues: re.Pattern[str] = NEVER
    # A whole block that is page furniture (forms, share bars, navigation, footers).
    furniture: re.Pattern[str] = NEVER
    # The line that heads the comments ("4 thoughts on …", "3 comments:").
    comments_header: re.Pattern[str] = NEVER
    # The post's own byline or dateline note ("Posted by …", "About the author").
    post_byline: re.Pattern[str] = NEVER
    # A line naming a commenter that opens a comment ("Jane says:", "Anonymous said...").
    comment_byline: re.Pattern[str] = NEVER
    # A comment that says it was removed ("This comment has been removed by the author.").
    removed: re.Pattern[str] = NEVER
    # A line that introduces a reference rather than heading a section ("See: …").
    reference_line: re.Pattern[str] = NEVER
    # Spam left in a capture (casino and pill advertising).
    spam: re.Pattern[str] = NEVER
