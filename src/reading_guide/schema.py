"""The contract between the converter and the Sphinx extension, and nothing else.

The converter writes reading pages from these records; the extension reads them back
from the pages' directives. Both import this module and no module of each other.

- ``KINDS``: what a passage can be.
- ``Passage`` and ``Reading``: typed records of one passage and of a reading's metadata,
  with the directive options that carry them (``*_OPTIONS``, ``to_options``, ``from_options``).
- Anchor and thread ids: ``passage_anchor``, ``comment_anchor``, ``number_of``; a ¶ number is a
  label ("16", or "16a" for a passage a later capture added after ¶ 16: README, "Captured again").
- Counting: ``count_words`` and ``reading_minutes``, so a reading's length is counted one way.
- ``collapse_whitespace``: the only normalisation a comparison of texts may make.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

# What a passage can be (README, "The converter"):
KINDS = (
    "title",  # the post's title
    "meta",  # the blog's name and tagline, the post's byline and date
    "heading",  # a heading inside the post
    "paragraph",  # a paragraph of the post (of the opening post, in a forum)
    "list-item",  # an item of a list in the post
    "quote",  # a quotation: in the post, or in a comment (with the comment's thread)
    "footnote",  # a note at the end of the post that a marker such as [1] refers to
    "comments-header",  # what heads the comments: "4 thoughts on …", "12 Comments"
    "byline",  # a comment's byline: who wrote it and when (with the comment's thread)
    "comment",  # a paragraph of a comment (with the comment's thread)
    "furniture",  # the page's furniture: navigation, share bars, forms, Reply lines, footers
)
# Passages a reader reads as the text itself: not titles, headings, bylines or page furniture.
BODY_KINDS = ("paragraph", "list-item", "quote", "footnote", "comment")
# Kinds shown as MyST headings (sections) rather than through the passage directive.
HEADING_KINDS = ("title", "heading", "comments-header")
# Kinds that belong to a comment when the passage has a thread.
COMMENT_KINDS = ("byline", "comment", "quote")

WORDS_PER_MINUTE = 230


@dataclass(frozen=True)
class Passage:
    """One passage of a source: the unit that has a ¶ number and an anchor."""

    number: str  # the ¶ number: "16", "16a" (a label that never changes once published; see LABEL)
    kind: str  # one of KINDS
    text: str  # the source's text; a comment's opening marker is kept apart in `marker`
    thread: str | None = None  # "c2", "c2.1" ... for the passages of a comment
    marker: str = ""  # the source's "2." or "•" that opened a comment
    line: int = 0  # where the passage starts in the source (1-based); for messages
    removed: bool = False  # the source says this comment was removed
    author: str = ""  # a comment's author, from its byline, on each of the comment's passages
    date: str = ""  # the comment's date as its byline writes it
    cites: tuple[str, ...] = ()  # refs.bib keys of the works the passage refers to (sidecar)
    content_notes: tuple[str, ...] = ()  # content-note keys declared for the passage (sidecar)
    # Its history in the anchor register (README, "Captured again"):
    status: str = ""  # one of STATUSES
    since: str = ""  # the date of the capture that first held it
    earlier: tuple[tuple[str, str], ...] = ()  # a changed passage's earlier texts: (text, date it was replaced)
    removed_in: str = ""  # a removed passage: the date of the capture that no longer held it


# What became of a published passage in later captures: "" as first captured (whitespace aside).
STATUSES = ("", "changed", "removed")


@dataclass(frozen=True)
class Reading:
    """A reading's metadata, as the ``reading`` directive carries it to the extension."""

    source: str  # the source file's name inside sources/
    slug: str  # page name and anchor prefix
    short_title: str = ""
    author: str = ""
    blog: str = ""
    date: str = ""
    date_note: str = ""
    url: str = ""
    bibkey: str = ""
    words: int = 0
    minutes: int = 0
    comments: int = 0
    replies: int = 0
    content_notes: tuple[str, ...] = ()  # declared for the whole reading
    captured: str = ""  # its capture history in words: "2026-12-01 (143 passages); again on …"
    # Each title's and heading's history, which their MyST headings cannot carry: JSON,
    # {"¶": [since, status, [[earlier text, date replaced], …]]}.
    headings: str = ""


# -- Directive options: each record field is one option, its name hyphenated ----------------


def _option_name(name: str) -> str:
    return name.replace("_", "-")


READING_OPTIONS = tuple(_option_name(f.name) for f in fields(Reading))
PASSAGE_OPTIONS = (
    "kind",
    "thread",
    "marker",
    "author",
    "date",
    "cites",
    "content-notes",
    "status",
    "since",
    "earlier",
    "removed-in",
)
COMMENT_OPTIONS = ("thread", "marker", "removed")


def to_options(record: Reading) -> dict[str, str]:
    """The record's fields that are set, as directive option values (lists space-separated)."""
    options: dict[str, str] = {}
    for item in fields(record):
        value = getattr(record, item.name)
        if isinstance(value, tuple):
            value = " ".join(value)
        if value not in ("", None):
            options[_option_name(item.name)] = str(value)
    return options


def reading_from_options(options: Mapping[str, str]) -> Reading:
    """The inverse of `to_options` for a reading; missing options take the field's default.

    Raises ValueError when a required option is missing or a number is not one.
    """
    missing = [name for name in ("source", "slug") if not options.get(name)]
    if missing:
        raise ValueError(f"a reading needs {' and '.join(missing)}")
    values: dict[str, object] = {}
    for item in fields(Reading):
        raw = options.get(_option_name(item.name))
        if raw is None:
            continue
        if item.type == "int":
            values[item.name] = int(raw)
        elif item.type.startswith("tuple"):
            values[item.name] = tuple(raw.split())
        else:
            values[item.name] = raw
    return Reading(**values)  # type: ignore[arg-type]


def words_list(value: str | None) -> tuple[str, ...]:
    """A space-separated option value (keys, markers) as a tuple."""
    return tuple((value or "").split())


# -- Anchors and threads --------------------------------------------------------------------


# A ¶ number: digits, then letters for a passage that a later capture added between two others.
LABEL = re.compile(r"^\d+[a-z]*$")


def passage_anchor(slug: str, number: str) -> str:
    """``we-need-both-16``: ¶ 16 of the reading whose slug is ``we-need-both``."""
    return f"{slug}-{number}"


def comment_anchor(slug: str, thread: str) -> str:
    """``goal-not-step-c2-1``: the whole of comment 2.1 (dots become hyphens)."""
    return f"{slug}-{thread.replace('.', '-')}"


def number_of(anchor: str) -> str | None:
    """The ¶ number at the end of a passage anchor ("16", "16a"), or None."""
    match = re.search(r"-(\d+[a-z]*)$", anchor)
    return match.group(1) if match else None


def thread_number(thread: str) -> str:
    """``c2.1`` -> ``2.1``: the number a comment is shown and cited by."""
    return thread.removeprefix("c")


def thread_sort_key(thread: str | None) -> list[int]:
    """Comments in reading order: the post (no thread) first, then c1, c1.1, c1.2, c2 ..."""
    return [int(part) for part in thread_number(thread).split(".")] if thread else []


def is_reply(thread: str) -> bool:
    return "." in thread


# -- Counting and comparing -------------------------------------------------------------------


def count_words(text: str) -> int:
    return len(text.split())


def reading_minutes(words: int) -> int:
    """Minutes to read `words` at WORDS_PER_MINUTE, at least one."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


# HTML collapses runs of these (space, tab, line feed, form feed, carriage return) and nothing else:
# a non-breaking, thin or zero-width space is a character like any other.
_HTML_WHITESPACE = re.compile(r"[ \t\n\f\r]+")


def collapse_whitespace(text: str) -> str:
    """`text` as HTML shows it: runs of HTML whitespace are one space, none at either end."""
    return _HTML_WHITESPACE.sub(" ", text).strip(" ")


@dataclass(frozen=True)
class Statistics:
    """What a reading holds for a reader: words (post and comments, no furniture), comments, replies."""

    words: int = 0
    comments: int = 0
    replies: int = 0
    minutes: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "minutes", reading_minutes(self.words))


def statistics(passages: tuple[Passage, ...] | list[Passage]) -> Statistics:
    words = sum(count_words(p.text) for p in passages if p.kind not in ("furniture", "title"))
    threads = {p.thread for p in passages if p.thread}
    replies = sum(1 for thread in threads if is_reply(thread))
    return Statistics(words=words, comments=len(threads) - replies, replies=replies)
