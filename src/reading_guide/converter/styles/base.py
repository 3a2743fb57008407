"""What a capture style knows: the furniture, bylines and markers of one kind of site.

A style is data, not code: the segmenter, the classifier and the threader read any style the
same way, so supporting a new site is one new module in this folder with one ``STYLE``, made
with ``GENERIC.extend(...)`` (generic.py): a site's patterns are added to the shapes every
site shares, never put in their place.

Every pattern here must match a whole line (``fullmatch``, case-insensitive). Patterns that
name a commenter have a group ``author``, and those that name whom a reply answers a group
``parent``: they are kept as tuples (``first_match``), since one regex cannot name two groups alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

NEVER = re.compile(r"(?!)")


def either(*patterns: re.Pattern[str] | str) -> re.Pattern[str]:
    """One pattern that matches where any of `patterns` matches (each kept whole), case-insensitive."""
    sources = [p.pattern if isinstance(p, re.Pattern) else p for p in patterns]
    sources = [s for s in sources if s and s != NEVER.pattern]
    return re.compile("|".join(f"(?:{s})" for s in sources), re.IGNORECASE) if sources else NEVER


def patterns(*sources: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(source, re.IGNORECASE) for source in sources)


def first_match(candidates: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    """The first of `candidates` that matches the whole of `text`."""
    return next((m for m in (p.fullmatch(text) for p in candidates) if m), None)


@dataclass(frozen=True)
class Style:
    name: str  # a module name: "wordpress"
    label: str  # for people: "WordPress (classic themes and Jetpack)"
    # Lines that only this kind of site writes, each with its weight; `recognise` adds them up.
    cues: tuple[tuple[re.Pattern[str], float], ...] = ()
    # A line that is page furniture: navigation, share bars, forms, footers.
    furniture: re.Pattern[str] = NEVER
    # Words that name an action on a comment ("Reply", "Report"), beyond shapes.ACTION_WORDS.
    actions: frozenset[str] = frozenset()
    # The line that heads the comments ("4 thoughts on …", "12 Comments").
    comments_header: re.Pattern[str] = NEVER
    # A line that is a byline by itself ("Jane says:", "Dai Prosser • 3 years ago"); group `author`.
    byline: tuple[re.Pattern[str], ...] = ()
    # Lines that stand in a byline beside the name and date: badges, post counts, "Liked by …".
    byline_extra: re.Pattern[str] = NEVER
    # How the site writes a commenter's name beside other names, when it does ("Dev Anand dev_a":
    # the display name, then the username); group `author` is the name a reader is shown first.
    author_format: tuple[re.Pattern[str], ...] = ()
    # A line in a byline that says whom the comment answers; group `parent` (a name) or `depth` (1, 2 …).
    reply_cue: tuple[re.Pattern[str], ...] = ()
    # A line that opens a quotation inside a comment ("dale wrote:", "Quote:", "Originally Posted by …").
    quote_intro: tuple[re.Pattern[str], ...] = ()
    # A line among a comment's actions that opens the list of its replies ("Replies", classic Blogger
    # flattened), and the action line that closes that list ("Reply"): the comments between reply to it.
    reply_list: re.Pattern[str] = NEVER
    reply_list_end: re.Pattern[str] = NEVER
    # A comment that says it was removed ("This comment was deleted.").
    removed: re.Pattern[str] = NEVER
    # The post's own byline or dateline ("Posted by …", "6 min read").
    post_meta: re.Pattern[str] = NEVER
    # Forums: every post after the first is a top-level comment; a quotation is not a reply.
    flat: bool = False
    # The first byline on the page is the post's own (forums, Reddit, Discourse): its text is the post.
    opening_post: bool = False
    # A short line just under the post's title is its flair or tag ("Discussion", "Family & Friends"),
    # not a heading (Reddit).
    flair_under_title: bool = False
    # The comment's date stands after its text (classic Blogger): a date line after text is furniture.
    date_after_text: bool = False
    # Each byline follows its comment's text (after its actions): StackExchange's answers.
    bylines_after_text: bool = False
    # Comments of one line each, signed at their end: "text – user Mar 12, 2022 at 22:31" (StackExchange).
    signed_comments: bool = False
    # A line that closes a post and opens its poster's signature ("Logged" in SMF): the lines under it,
    # up to the next blank line, are the signature (furniture), whatever they say.
    signature: re.Pattern[str] = NEVER
    # Spam left in a capture (casino and pill advertising).
    spam: re.Pattern[str] = NEVER
    # A line that introduces a reference rather than heading a section ("See: …").
    reference_line: re.Pattern[str] = NEVER
    extra: dict[str, object] = field(default_factory=dict)

    def extend(self, **changes: object) -> Style:
        """This style with `changes`: patterns are added to this style's (either), sets united, flags set."""
        values: dict[str, object] = {}
        for item in fields(self):
            if item.name not in changes:
                values[item.name] = getattr(self, item.name)
                continue
            mine, theirs = getattr(self, item.name), changes[item.name]
            if isinstance(mine, re.Pattern):
                values[item.name] = either(mine, theirs)  # type: ignore[arg-type]
            elif isinstance(mine, frozenset):
                values[item.name] = mine | frozenset(theirs)  # type: ignore[call-overload]
            elif isinstance(mine, tuple):
                values[item.name] = mine + tuple(theirs)  # type: ignore[arg-type]
            else:
                values[item.name] = theirs
        return Style(**values)  # type: ignore[arg-type]
