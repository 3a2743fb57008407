"""Step 3: the lines become blocks, the units that are numbered as passages.

Blank lines separate blocks. Within lines that follow one another without a blank line, a
new block also starts:

- at a list item or comment marker ("1. ", "• "), when the block so far is a list or the
  line is indented deeper than the one before (a reply captured without a blank line);
- at a byline (a name with a date, "Jane says:", a date under a name) and after it, so that
  a byline and the comment's first line are two passages;
- at a run of action lines ("Reply", "Like (23)", "• Reply • Share ›") and after it;
- at the comments' header, and after it;
- at a quotation's opening line, at a removed comment's notice, and at each "[2] …" footnote.

Each block keeps its lines with their roles, its indentation and the blank lines before it,
which the later steps read as structure.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from reading_guide.converter.lines import Line, Role
from reading_guide.converter.shapes import COMMENT_MARKER, looks_like_name, looks_like_person

# A footnote's line: "[2] …" (a list of footnotes without blank lines is one passage each).
FOOTNOTE_LINE = re.compile(r"^\[\d{1,3}\]\s")
# A count (a reputation, likes) that a forum shows between a poster's name and the post's date.
COUNT = re.compile(r"[+-]?\d[\d,.]*\s*[kKmM]?")
# Roles that stand in a byline beside its head.
BYLINE_PARTS = (Role.BYLINE, Role.DATE, Role.EXTRA, Role.CUE)
# Roles that always stand apart from the lines around them.
ALONE = (Role.HEADER, Role.REMOVED)


@dataclass(frozen=True)
class Block:
    """A block of a source, before any interpretation."""

    number: str  # the ¶ number: "1", "2" … in source order, until the anchor register numbers it
    rows: tuple[Line, ...]  # its lines, with their roles
    byline: bool = False  # the block is a byline (a name, a date, badges)

    @property
    def line(self) -> int:
        return self.rows[0].number

    @property
    def indent(self) -> int:
        return self.rows[0].indent

    @property
    def gap(self) -> int:
        return self.rows[0].gap

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(row.text for row in self.rows)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def joined(self) -> str:
        """The lines as one line, for patterns that look at a whole block."""
        return " ".join(self.lines)

    def roles(self) -> set[Role]:
        return {row.role for row in self.rows}


def split_blocks(lines: list[Line]) -> list[Block]:
    """Group the lines into blocks (see the module's docstring)."""
    bylines = byline_spans(lines)
    starts = {index for index, line in enumerate(lines) if index == 0 or line.gap or _starts_block(lines, index)}
    for first, last in bylines:
        starts -= set(range(first + 1, last + 1))  # a byline is one passage, whatever its lines are
        starts.add(first)
        if last + 1 < len(lines):
            starts.add(last + 1)
    in_byline = {first for first, _ in bylines}
    edges = [*sorted(starts), len(lines)]
    return [
        Block(number=str(number), rows=tuple(lines[start:end]), byline=start in in_byline)
        for number, (start, end) in enumerate(itertools.pairwise(edges), 1)
    ]


def _starts_block(lines: list[Line], index: int) -> bool:
    line, previous = lines[index], lines[index - 1]
    if COMMENT_MARKER.match(line.text) and (
        line.indent > previous.indent
        or COMMENT_MARKER.match(previous.text)  # the next item of a list
        or COMMENT_MARKER.match(_block_start(lines, index).text)
        or previous.text.endswith(":")  # a list after the line that introduces it
    ):
        return True
    if (line.role is Role.REMOVED and previous.role is Role.CUE) or (
        line.role is Role.DATE and previous.role is Role.REMOVED
    ):
        return False
    if line.role in ALONE or previous.role in ALONE:
        return line.role is not previous.role  # "Member discussion" above "14 comments" heads the comments once
    if FOOTNOTE_LINE.match(line.text) and FOOTNOTE_LINE.match(previous.text):
        return True
    if line.role is Role.FURNITURE and previous.role is Role.TEXT and _menu_under_name(lines, index):
        return True
    if line.role is Role.TEXT and line.author and previous.role is Role.TEXT:
        return True  # one-line comments, each signed at its end: one passage each
    if line.role is Role.META and previous.role is Role.TEXT and not looks_like_person(previous.text):
        return True  # "Posted on … by …" under the title (but "Ifeoma Grant" above "Mar 3 • 6 min read" stays)
    # An action run ends a comment's text, and a comment's text follows it; furniture lines stay together.
    aside = (Role.ACTION, Role.FURNITURE)
    if line.role is Role.ACTION and previous.role not in aside and not _tag_run(lines, index):
        return True
    if previous.role is Role.ACTION and line.role not in aside:
        # A note's number alone above its text ("1" / "D. read this post …") is one footnote.
        return not (previous.text.isdigit() and len(previous.text) <= 3 and (index < 2 or lines[index - 1].gap))
    if line.role is Role.QUOTE_INTRO:
        return previous.role is not Role.QUOTE_INTRO  # "Quote:" above "Originally Posted by …" is one opening
    return line.role is Role.QUOTE and previous.role is not Role.QUOTE


def _menu_under_name(lines: list[Line], index: int) -> bool:
    """A site's name (and tagline) over its menu with no blank line between, first on the page ("The
    Union Rounds" / "Subscribe" / "Sign in"): one to three lines of text, then a menu: furniture, actions
    and short items ("Tags", "Podcast"), most of them furniture."""
    if index > 3 or any(line.role is not Role.TEXT or (line.gap and line is not lines[0]) for line in lines[:index]):
        return False
    end, furnished = index, 1
    while end + 1 < len(lines) and not lines[end + 1].gap:
        end += 1
        if lines[end].role in (Role.FURNITURE, Role.ACTION):
            furnished += 1
        elif lines[end].role is not Role.TEXT or len(lines[end].text.split()) > 3 or lines[end].text.endswith("."):
            return False
    return 2 * furnished > end - index + 1


def _tag_run(lines: list[Line], index: int) -> bool:
    """Two or more one-to-three-word lines before line `index` in its block: tags or a menu, which the
    action lines after them ("Share", "Follow") join, rather than a comment's text that they end."""
    start = index
    while start > 0 and not lines[start].gap:
        start -= 1
    before = lines[start:index]
    return len(before) >= 2 and all(line.role is Role.TEXT and len(line.text.split()) <= 3 for line in before)


def _block_start(lines: list[Line], index: int) -> Line:
    """The first line of the blank-line block that holds line `index`."""
    while index > 0 and not lines[index].gap:
        index -= 1
    return lines[index]


def byline_spans(lines: list[Line]) -> list[tuple[int, int]]:
    """(first, last) line indexes of every byline: a head (a byline line, or a date with a name just above
    or below it) with the name, badge, date and cue lines that touch it above and below. Byline lines are
    heads first, so that a forum's "Post by …" gathers the poster's whole block above it."""
    covered: set[int] = set()
    ends: dict[int, int] = {}  # a covered line -> the last line of its span
    spans: list[tuple[int, int]] = []
    heads = [i for i, line in enumerate(lines) if line.role is Role.BYLINE]
    heads += [  # "level 3" above "Comment removed by moderator", or "Comment deleted" above "Mar 6": a byline
        i
        for i, line in enumerate(lines)
        if line.role is Role.REMOVED
        and (
            (i and not line.gap and lines[i - 1].role is Role.CUE)
            or (i + 1 < len(lines) and not lines[i + 1].gap and lines[i + 1].role is Role.DATE)
        )
    ]
    heads += [i for i, line in enumerate(lines) if line.role is Role.DATE]
    for index in heads:
        if index in covered:
            continue
        top = _byline_top(lines, index)
        named = top < index or lines[index].role in (Role.BYLINE, Role.REMOVED)
        bottom = _byline_bottom(lines, index, named=named)
        # A date is a byline's head when a name stands with it: above it, or just below it.
        if lines[index].role is Role.DATE and not (named or _names_below(lines, index, bottom)):
            continue
        # Spans never overlap: the one that holds `top` (if any) is found by its lines, not by a search.
        top = ends.get(top, top - 1) + 1
        bottom = next((i for i in range(top, bottom + 1) if i in covered), bottom + 1) - 1
        span = set(range(top, bottom + 1))
        if lines[index].role is Role.REMOVED:
            top = index - 1 if index and lines[index - 1].role is Role.CUE and not lines[index].gap else index
        if top <= index <= bottom:
            spans.append((top, bottom))
            covered |= span
            ends.update(dict.fromkeys(span, bottom))
    spans += [(top, bottom) for top, bottom in _names_over_dated_actions(lines) if top not in covered]
    return sorted(spans)


def _names_over_dated_actions(lines: list[Line]) -> list[tuple[int, int]]:
    """Name lines that are a comment's whole byline, its date being among the actions under its text
    ("Maria Lopez" / her text / "Like · Reply · 3y", as Facebook's comments print them): a person's name
    opening a group of lines, text under it, and the group closed by a row of actions that holds a date."""
    found = []
    index = 0
    while index + 2 < len(lines):
        line = lines[index]
        opens = index == 0 or line.gap or lines[index - 1].role is Role.ACTION
        # Badges may stand under the name ("Top fan", "Author"): they belong to the byline.
        first = index + 1
        while first + 1 < len(lines) and not lines[first].gap and lines[first].role is Role.EXTRA:
            first += 1
        under = lines[first]
        # A page's name may hold small words ("Eastside Families for Recovery"); a badge under it says it is a name.
        named = looks_like_person(line.text) or (first > index + 1 and looks_like_name(line.text))
        if not (opens and line.role is under.role is Role.TEXT and not under.gap and named):
            index += 1
            continue
        end = first
        while end < len(lines) and not lines[end].gap and lines[end].role in (Role.TEXT, Role.QUOTE, Role.LIST):
            end += 1
        closed = end < len(lines) and not lines[end].gap and lines[end].role is Role.ACTION and lines[end].date
        if closed and end > first:
            found.append((index, first - 1))
        index = max(end, index + 1)
    return found


def _names_below(lines: list[Line], index: int, bottom: int) -> bool:
    return any(line.role is Role.TEXT for line in lines[index + 1 : bottom + 1])


def _byline_bottom(lines: list[Line], index: int, *, named: bool) -> int:
    """The last line of the byline whose head is line `index`: the date, badge and cue lines touching it
    below; a name line, when the head names nobody ("06-08-2021, 11:02 AM #2" above "bin_end_bev"); and a
    member's title between badges ("Project coordinator")."""
    last = index
    while last + 1 < len(lines) and not lines[last + 1].gap:
        below = lines[last + 1]
        after = lines[last + 2] if last + 2 < len(lines) and not lines[last + 2].gap else None
        if below.role in (Role.DATE, Role.EXTRA, Role.CUE):  # a byline line below is the next comment's
            last += 1
        elif (
            below.role is Role.ACTION
            and COUNT.fullmatch(below.text)
            and after
            and after.role in (Role.DATE, Role.EXTRA)
        ):
            last += 1  # a count in a poster's profile ("Messages" / "1,208" / "Reaction score")
        elif not named and below.role is Role.TEXT and looks_like_name(below.text):
            last, named = last + 1, True
        elif (
            named and below.role is Role.TEXT and len(below.text.split()) <= 3 and after and after.role in BYLINE_PARTS
        ):
            last += 1
        elif named and after is None and lines[index].role is Role.DATE and _flair(lines, last + 1):
            last += 1
            break
        else:
            break
    return last


def _flair(lines: list[Line], index: int) -> bool:
    """A commenter's flair or title under the date line, last in the byline's lines ("School nurse",
    "Stickied comment"), or a poster's handle: one to three words, capitalised, no sentence, with the comment's text after a blank
    line (a short comment under its date is followed by the actions or the next byline instead)."""
    line = lines[index]
    handle = " " not in line.text and bool(re.search(r"[_\d@/]", line.text))  # "fernhill_mum_of_3"
    if line.role is not Role.TEXT or len(line.text.split()) > 3 or not (line.text[0].isupper() or handle):
        return False
    if any(mark in line.text for mark in '.,;:!?…"“”'):
        return False
    following = lines[index + 1] if index + 1 < len(lines) else None
    return following is not None and following.role is Role.TEXT and len(following.text.split()) > 3


def _byline_top(lines: list[Line], index: int) -> int:
    """The first line of the byline whose head is line `index`: the badge and cue lines touching it above
    ("Members", "Posts: 388", "level 2") and, above them, the name line; counts between a name and the
    head ("41", a reputation) only when the name is there. `index` itself when nothing above belongs."""
    # A forum post's subject line stands between the poster's badges and the head ("Post by …", or the
    # date alone: "« on: May 18, 2024, 09:14:22 PM »"); under a date, only if a name stands above the badges.
    if _subject_above(lines, index):
        top = _named_top(lines, index - 1, index)
        if top is not None or lines[index].role is Role.BYLINE:
            return top if top is not None else _badges_top(lines, index)
    top = _named_top(lines, index, index)
    return top if top is not None else _badges_top(lines, index)


def _subject_above(lines: list[Line], index: int) -> bool:
    return (
        lines[index].role in (Role.BYLINE, Role.DATE)
        and index >= 2
        and not lines[index].gap
        and not lines[index - 1].gap
        and lines[index - 1].role is Role.TEXT
        and lines[index - 2].role is Role.EXTRA
    )


def _named_top(lines: list[Line], first: int, index: int) -> int | None:
    """The name line above the badges, cues and counts that touch line `first` from above (and a cue above
    the name), or None when no name stands there."""
    while (
        first > 0 and not lines[first].gap and lines[first - 1].role in (Role.EXTRA, Role.CUE, Role.ACTION, Role.DATE)
    ):
        first -= 1
    while first < index and lines[first].role is Role.ACTION:
        first += 1  # counts are a byline's only below a name
    above = first - 1
    named = (
        above >= 0 and not lines[first].gap and lines[above].role is Role.TEXT and looks_like_name(lines[above].text)
    )
    if named and all(line.role is not Role.ACTION or COUNT.fullmatch(line.text) for line in lines[above + 1 : index]):
        if _ranked(lines, above, first, index) or _handle_under_name(lines, above):
            above -= 1
        # Above the name, a cue may stand ("level 2" in a copy of Reddit).
        while above > 0 and not lines[above].gap and lines[above - 1].role in (Role.CUE, Role.EXTRA):
            above -= 1
        return above
    return None


def _ranked(lines: list[Line], above: int, first: int, index: int) -> bool:
    """Whether line `above`, over a poster's badges, is the title a forum gives its member ("Old Timer",
    "Recovery Coach") under the name: the line before it opens the group, a name, and two badges follow."""
    if above < 1 or lines[above].gap or len(lines[above].text.split()) > 3:
        return False
    name = lines[above - 1]
    badges = sum(1 for line in lines[first:index] if line.role is Role.EXTRA)
    return name.role is Role.TEXT and (name.gap > 0 or above == 1) and looks_like_name(name.text) and badges >= 2


def _handle_under_name(lines: list[Line], above: int) -> bool:
    """A display name over the handle ("Jane Doe" / "@jane@mastodon.social"): both name the commenter."""
    return (
        above >= 1
        and lines[above].text.startswith("@")
        and not lines[above].gap
        and lines[above - 1].role is Role.TEXT
        and looks_like_name(lines[above - 1].text)
    )


def _badges_top(lines: list[Line], index: int) -> int:
    """Without a name above, only the badges and cues touching the head belong to it."""
    first = index
    while first > 0 and not lines[first].gap and lines[first - 1].role in (Role.EXTRA, Role.CUE):
        first -= 1
    return first
