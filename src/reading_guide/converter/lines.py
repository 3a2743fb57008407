"""The source's lines, each with its indentation, the blank lines before it, and its role.

A role is what one line shows by its shape and the capture's style, before any line is
grouped with others: a byline's parts (a name with a date, a date, a badge), an action line
("Reply • Share ›"), the comments' header, furniture, a quotation's opening, a list item, or
plain text. The segmenter groups lines by their roles, the classifier reads the groups.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from reading_guide.converter.shapes import (
    ACTION_WORDS,
    DATELINE,
    GLUED_DATE,
    LIST_MARKER,
    QUOTE_LINE,
    SEPARATORS,
    SHORT_AGE,
    find_date,
    is_action_line,
    looks_like_name,
)
from reading_guide.converter.shapes import (
    DATE as SHAPE_DATE,
)
from reading_guide.converter.styles import Style
from reading_guide.converter.styles.base import first_match


class Role(enum.Enum):
    TEXT = "text"
    LIST = "list"  # a list item ("- ", "1. ", "• ")
    QUOTE = "quote"  # a quoted line ("> …")
    QUOTE_INTRO = "quote-intro"  # "dale wrote:", "Quote:", "Originally Posted by …"
    ACTION = "action"  # only actions and counts: "Reply", "Like (23)", "14"
    HEADER = "header"  # what heads the comments: "4 thoughts on …"
    FURNITURE = "furniture"  # navigation, forms, footers
    BYLINE = "byline"  # a byline by itself: "Jane says:", "Dai Prosser • 3 years ago"
    DATE = "date"  # a date alone ("June 3, 2021 at 8:47 pm", "3 years ago", "2h")
    EXTRA = "extra"  # a byline's badge or profile line ("Mod", "Posts: 388", "Liked by …")
    META = "meta"  # the post's own byline or dateline ("Posted on … by …", "6 min read")
    CUE = "cue"  # whom a reply answers ("In reply to Jane", "level 2")
    REMOVED = "removed"  # "This comment was deleted."
    SPAM = "spam"


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the source
    text: str  # without the ASCII spaces and tabs that indent it or trail it
    indent: int  # columns of indentation (a tab counts four)
    gap: int  # blank lines before this line
    role: Role = Role.TEXT
    author: str = ""  # for a BYLINE line: the name it gives
    date: str = ""  # for a BYLINE or DATE line: the date as written


def indent_of(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def read_lines(text: str, style: Style) -> list[Line]:
    """The non-blank lines of `text`, each with its role in `style`."""
    found: list[Line] = []
    gap = 0
    # A line's role depends on its text alone, and a long thread repeats its lines ("Reply", "Top", names).
    known: dict[str, tuple[Role, str, str]] = {}
    for number, raw in enumerate(text.split("\n"), 1):
        if not raw.strip():
            gap += 1
            continue
        content = raw.lstrip(" \t").rstrip(" \t")
        if content not in known:
            known[content] = line_role(content, style)
        role, author, date = known[content]
        found.append(Line(number, content, indent_of(raw), gap, role, author, date))
        gap = 0
    # "87 comments" above "Award / Share / Save" is a count in the post's action bar, not the comments' header.
    for index, line in enumerate(found[:-1]):
        if line.role is Role.HEADER and found[index + 1].role is Role.ACTION and not found[index + 1].gap:
            found[index] = Line(line.number, line.text, line.indent, line.gap, Role.ACTION)
    signed = False  # a signature's opening line stands above, with no blank line since
    for index, line in enumerate(found[1:], 1):
        previous = found[index - 1]
        signed = not line.gap and (signed or bool(style.signature.fullmatch(previous.text)))
        if _ends_a_wrapped_sentence(previous, line):
            found[index] = Line(line.number, line.text, line.indent, line.gap)
        elif signed:
            # A poster's signature under "Logged": "Clean date 03/03/2017 • one day at a time" is no byline.
            found[index] = Line(line.number, line.text, line.indent, line.gap, Role.FURNITURE)
        elif previous.role is Role.REMOVED and line.role is Role.TEXT and not line.gap and line.text[0].islower():
            # The rest of a wrapped notice: "This comment was removed by a moderator. Please read the" /
            # "comment guidelines before posting."
            found[index] = Line(line.number, line.text, line.indent, line.gap, Role.REMOVED)
    return found


# Roles that a sentence's last words can take by chance once a paragraph is wrapped ("2013)", "reply.").
_CHANCE_ROLES = (Role.ACTION, Role.DATE, Role.EXTRA, Role.FURNITURE, Role.META)
_CLOSERS = {")": "(", "]": "[", "”": "“", "’": "‘"}


def _ends_a_wrapped_sentence(previous: Line, line: Line) -> bool:
    """A short line that ends a sentence of the text line above it: "…, Feb." over "2013)".

    Action lines, dates and furniture do not end with a full stop or a bracket they never opened,
    so such a line under a long line of text (a wrapped one), at its indentation and with no blank
    line between, is that text's."""
    if line.role not in _CHANCE_ROLES or line.gap or previous.role is not Role.TEXT or line.indent != previous.indent:
        return False
    text = line.text
    if line.role is Role.META and len(text) > 40 and find_date(text):
        return False  # "Posted by timberwolf on Tuesday … from the … dept.": a dated byline, whole
    unopened = any(text.count(closer) > text.count(opener) for closer, opener in _CLOSERS.items())
    return len(previous.text) >= 40 and (unopened or (text.endswith(".") and not text.endswith("...")))


LONG_LINE = 200  # characters


def line_role(text: str, style: Style) -> tuple[Role, str, str]:
    """The role of one line, and the author and date a byline line names."""
    if style.spam.search(text):
        return Role.SPAM, "", ""
    if style.comments_header.fullmatch(text):
        return Role.HEADER, "", ""
    if QUOTE_LINE.match(text):
        return Role.QUOTE, "", ""
    if style.signed_comments:
        signed = _SIGNED.search(text)
        if signed and DATELINE.match(signed.group("date")):
            return Role.TEXT, clean_author(signed.group("author")), signed.group("date")
    if len(text) > LONG_LINE:
        # A paragraph's line: too long for a byline, a date or an action (and the patterns for
        # those are most of the time a converter spends on a long capture). A reply cue may quote
        # a long start of the comment it answers.
        if first_match(style.reply_cue, text):
            return Role.CUE, "", ""
        if style.removed.fullmatch(text):
            return Role.REMOVED, "", ""
        if style.furniture.fullmatch(text) or _navigation(text):
            return Role.FURNITURE, "", ""
        return (Role.LIST if LIST_MARKER.match(text) else Role.TEXT), "", ""
    if first_match(style.reply_cue, text) and not _name_and_date(text):
        return Role.CUE, "", ""
    byline = first_match(style.byline, text)
    if byline:
        date = find_date(text)
        return Role.BYLINE, clean_author(byline.group("author")), date.group(0) if date else ""
    if style.removed.fullmatch(text):
        return Role.REMOVED, "", ""
    if first_match(style.quote_intro, text):
        return Role.QUOTE_INTRO, "", ""
    if text in _LONE_SEPARATORS:
        # "•" alone between a name and a date (a copy of new Reddit puts each on its own line).
        return Role.EXTRA, "", ""
    if not any(ch.isalnum() for ch in text) and style.byline_extra.fullmatch(text):
        return Role.EXTRA, "", ""  # a badge of symbols only: a forum's rank stars ("***")
    if is_action_line(text) or _only_actions(text, style):
        return Role.ACTION, "", ""
    dated = _actions_then_date(text, style)
    if dated:
        return Role.ACTION, "", dated
    date_only = _date_alone(text, style)
    if date_only:
        return Role.DATE, "", date_only
    if style.byline_extra.fullmatch(text):
        return Role.EXTRA, "", ""
    if style.furniture.fullmatch(text) or _navigation(text):
        return Role.FURNITURE, "", ""
    if style.post_meta.fullmatch(text):
        return Role.META, "", ""  # the post's own byline: "By quietkestrel, June 12, 2021", "6 min read"
    named = _name_and_date(text)
    if named:
        return Role.BYLINE, *named
    if LIST_MARKER.match(text):
        return Role.LIST, "", ""
    return Role.TEXT, "", ""


# A one-line comment signed at its end: "… – Tomás Lindqvist Mar 12, 2022 at 22:31" (a dash, the name, the date).
_SIGNED = re.compile(
    r"\S.{4,}?\s[–—]\s(?P<author>[^–—]{1,40}?)\s+(?P<date>(?:\w{3} \d{1,2}(?:, \d{4})?(?: at \d{1,2}:\d{2})?))"
    r"(?:\s*\*?edited\*?)?$"
)
_LONE_SEPARATORS = frozenset("•·|")
_NAV_SEPARATOR = re.compile(r"\s+[|·•]\s+|\s{2,}|\t+")
_CRUMB_SEPARATOR = re.compile(r"\s+[›»>/‹]\s+")
_CRUMB_SIGN = re.compile(r"\s[›»]\s")


def _navigation(text: str) -> bool:
    """A navigation bar ("Home | About | Contact", "Home    Posts    About") or a breadcrumb
    ("Home › Policy › …"): three or more short items, or two or more steps from a short first one."""
    items = [item for item in _NAV_SEPARATOR.split(text) if item.strip()]
    if len(items) >= 3 and all(len(item.split()) <= 4 and not item.rstrip().endswith(".") for item in items):
        return not any(find_date(item) for item in items)  # "Name • 3 years ago • edited" is a byline
    steps = _CRUMB_SEPARATOR.split(text)
    if len(steps) < 2 or find_date(text):
        return False  # "By Corinne Adeyemi / March 14, 2023 / Hostels" is the post's byline
    if len(steps) == 2:  # "News › Health": two short steps, set apart by a sign only breadcrumbs use
        return bool(_CRUMB_SIGN.search(text)) and all(1 <= len(step.split()) <= 3 for step in steps)
    return len(steps) >= 3 and len(steps[0].split()) <= 3


def _only_actions(text: str, style: Style) -> bool:
    words = re.findall(r"[\w']+", text.lower())
    return bool(words) and len(text) <= 60 and all(w in style.actions or w.isdigit() for w in words)


_EDITED = re.compile(r"\s*(?:\(edited\)|\[edited\]|[•·]?\s*edited)?", re.IGNORECASE)
_AROUND = SEPARATORS + "()[]"
# What a count counts ("31 comments", "12 points"), not an action a reader can take.
_COUNTED = frozenset({"comments", "comment", "replies", "likes", "points", "point", "votes", "children", "reactions"})
_LAST_ITEM = re.compile(r"\s*[·•|]\s*(?=[^·•|]*$)")


_TRAILING_EDITED = re.compile(r"\s*[·•|]\s*edited$", re.IGNORECASE)


def _actions_then_date(text: str, style: Style) -> str:
    """The date, when a row of actions ends with it ("Like · Reply · 3y", "Reply · 2 · 5 days ago"):
    a comment's date printed under its text, among its actions (Facebook's comments)."""
    parts = _LAST_ITEM.split(_TRAILING_EDITED.sub("", text), maxsplit=1)
    if len(parts) != 2 or len(text) > 80:
        return ""
    actions, date = parts[0].strip(SEPARATORS + " "), parts[1].strip()
    words = re.findall(r"[\w']+", actions.lower())
    if not any((word in ACTION_WORDS and word not in _COUNTED) or word in style.actions for word in words):
        return ""  # "31 comments • 8 years ago" under another post's title counts, it offers nothing
    if not (is_action_line(actions) or _only_actions(actions, style)):
        return ""
    return date if SHORT_AGE.fullmatch(date) or DATELINE.match(date) else ""


_FILLER = re.compile(
    r"\b(?:at|on|date|edited|updated|posted|gmt|bst|utc|[ecmp][sd]t|cet|cest|aest)\b|\(edited\)|[#\d]+$", re.IGNORECASE
)


def _date_alone(text: str, style: Style) -> str:
    """The date, when the line is a date and nothing but separators, "edited", a post number or a badge
    ("June 3, 2021 at 8:47 pm", "• 3 years ago • edited", "06-12-2021, 10:03 AM #2", "2h")."""
    if DATELINE.match(text):
        return text
    bare = text.strip(SEPARATORS + " \t\u00a0")
    short = SHORT_AGE.match(bare)
    if short and _EDITED.fullmatch(bare[short.end() :]):
        return short.group(0)  # "2h", "3h (Edited)"
    date = find_date(text)
    if date is None:
        return ""
    # "March 11 edited March 11": a second date (the edit's) stands with the first.
    rest = _FILLER.sub(" ", SHAPE_DATE.sub(" ", text[: date.start()] + " " + text[date.end() :]))
    # Brackets around a filler go with it: "2012-11-04 11:20 pm (UTC)", "[edited]".
    rest = " ".join(word.strip(_AROUND) for word in rest.split() if word.strip(_AROUND))
    return date.group(0) if not rest or style.byline_extra.fullmatch(rest) else ""


def _name_and_date(text: str) -> tuple[str, str] | None:
    """(author, date) when the line is a name followed by a date: "Dai Prosser • 3 years ago"."""
    if len(text) > 120:
        return None
    date = find_date(text)
    if date is None or date.start() == 0:
        return None
    glued = _GLUED_DAY.search(text, 0, date.start())
    if glued:
        # A name that runs into its date, as a copy of two links gives it: "Josie Tarrant9 May 2023 at 22:15".
        whole = GLUED_DATE.match(text, glued.start())
        if whole and whole.end() >= date.end():
            date = whole
    before = text[: date.start()].rstrip(SEPARATORS + " \t")
    after = text[date.end() :]
    if len(after.split()) > 8 or re.search(r"[.!?]\s*\w", after):
        return None
    # "Owen <b>not a bot</b> — 8 March 2021": a name set off from the date that ends the line is a name,
    # whatever words it holds.
    set_off = text[: date.start()].rstrip()[-1:] in "—•·|" and not after.strip()
    # "jane commented on Mar 3, 2024", "Dale wrote at 3:14 pm", "Posted by Jane on …".
    before = _VERB.sub("", before).rstrip(SEPARATORS + " ")
    # A name has letters: "1." (a list item's number) and "8 412" (a table's counts) name nobody.
    if (
        not re.search(r"[^\W\d_]{2}", before)
        or not looks_like_name(before)
        or _NOT_A_NAME.fullmatch(before)
        or (_prose(text) and not set_off)
    ):
        return None
    return clean_author(before), date.group(0)


_VERB = re.compile(r"\s*\b(?:(?:posted|commented|wrote|replied)(?:\s+(?:on|at))?|on|at|by)$", re.IGNORECASE)
# Digits that end a name with no space between: a day of the month run into the name before it.
_GLUED_DAY = re.compile(r"(?<=[^\W\d_]|[)}\]])(?:[1-9]|[12]\d|3[01])\s+$")
# What stands before a date in a profile or a sidebar, not a commenter's name: "Created Mar 3, 2020".
_NOT_A_NAME = re.compile(
    r"(?:created|joined|registered|founded|posted|published|updated|last updated|edited|last edited|modified"
    r"|member since|since|started|opened|closed|est\.?)",
    re.IGNORECASE,
)


# Words a sentence has and a name seldom does: a wrapped line of prose ("housing (professionally run)
# and continue today as a") may end in a date word and be as short as a byline.
_PROSE_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "but",
        "or",
        "so",
        "as",
        "of",
        "to",
        "in",
        "is",
        "are",
        "was",
        "were",
        "be",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "my",
        "our",
        "their",
        "his",
        "her",
        "might",
        "would",
        "could",
        "should",
        "will",
        "can",
        "not",
        "no",
    ]
)


def _prose(text: str) -> bool:
    # Not what a name carries in brackets: "Hen (she/her)".
    words = re.findall(r"[\w’']+", re.sub(r"\([^)]*\)", " ", text.lower()))
    return any(mark in text for mark in '“”"') or sum(word in _PROSE_WORDS for word in words) >= 2


_BADGES = re.compile(
    r"\s+(?:post author|author|mod|moderator|admin|staff|op|\[[msa]\]|verified|editor|featured|creator)\b.*$"
    r"|\s*(?:→|➔|↪)\s*.*$|\s+\d[\d,.]*k?\s+points?$|^\[[–-]\]\s*|^u/|^posted by\s+|^post by\s+|^by\s+|^from:\s+",
    re.IGNORECASE,
)


def clean_author(text: str) -> str:
    """A commenter's name as a byline gives it, without badges, reply arrows, scores and prefixes, and
    without the place some sites add ("Landlady_Bev, Wakefield, United Kingdom")."""
    name = text.strip(SEPARATORS + " \t")
    if name.count(", ") >= 2 and "(" not in name:
        name = name.split(", ")[0]
    for _ in range(3):
        name = _BADGES.sub("", name).strip(SEPARATORS + " \t")
    # A score after a one-word handle ("rightsideup@lemmy.world 141 • 3 days ago"); "Deleted member 4471" is a name.
    scored = _SCORED_HANDLE.fullmatch(name)
    if scored:
        name = scored.group(1)
    return name.removeprefix("Blogger ").strip()


_SCORED_HANDLE = re.compile(r"(\S*[_@.]\S*)\s+[+\-−]?\d[\d,.]*k?")
