"""Blogs as the five known sources show them: Blogger, WordPress.com and a bare site's copy."""

from __future__ import annotations

import re

from reading_guide.converter.styles.base import Style

STYLE = Style(
    name="blog",
    comments_header=re.compile(
        r"^(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(thoughts?|comments?|responses?|replies|reactions?)"
        r"(\s+(on|to)\b.*)?:?$|^(comments?|responses?|replies|discussion)\s*(\(\d+\))?:?$",
        re.IGNORECASE,
    ),
    post_byline=re.compile(
        r"^(posted|written|published)\s+(by|on)\b|^by\s+\S+(\s+\S+){0,3}$|^about the author\b"
        r"|\boriginally\s+(posted|published|appeared)\b",
        re.IGNORECASE,
    ),
    furniture=re.compile(
        r"^("
        r"leave a (reply|comment)|post a comment|cancel reply|post comment|reply|report( this comment)?"
        r"|fill in your details below.*|you are commenting using your .* account\..*"
        r"|\S+(\.\S+)? (logo|photo|picture|avatar)|connecting to %s|notify me of .*"
        r"|comments are closed\.?|comments? (are|is) (now )?closed\.?"
        r"|share( this( post)?)?:?|like this:?|like loading\.{3}|loading\.{3}|related( posts)?:?"
        r"|click to (share|email|print) .*|share on \S+|email this|print this|permalink"
        r"|((newer|older) posts?|home)(\s+((newer|older) posts?|home))*|subscribe to:? .*"
        r"|this entry was posted in .*|filed under:? .*"
        r"|tags?: .*|categories: .*|if you have any questions, please contact us here\.?"
        r"|[-–—_*=~·•.]+"
        r")$",
        re.IGNORECASE,
    ),
    # Blogger's "Anonymous said...", WordPress's "Jane says:": a commenter's name opens a comment.
    comment_byline=re.compile(r"^\S.{0,60}?\s(said|says|wrote|writes)\s?(\.\.\.|…|:)?$", re.IGNORECASE),
    removed=re.compile(r"\b(comment|post|message)\b.*\b(has been|was)\s+(removed|deleted)\b", re.IGNORECASE),
    reference_line=re.compile(r"^(see|see also|cf\.?|via|source|h/t|read more|related)\s*:", re.IGNORECASE),
    spam=re.compile(r"\b(situs|slot\s*(gacor|online|\d+)|judi|togel|casino online|viagra|cialis)\b", re.IGNORECASE),
)
