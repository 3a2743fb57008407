"""Step 6: the comments' passages get thread ids (c1, c1.1 …), markers, authors and dates.

A comment starts at a byline, at a numbered or bulleted block ("2. …", "• …", whose marker
moves to `marker`), or at a removed comment's notice. Whom it answers is read, in order, from:

- indentation, when the capture kept it (its comments do not all start at one indentation):
  a comment answers the nearest comment above it that starts less indented;
- otherwise from a cue its byline carries: a parent's name ("→ Jane", "replying to Jane",
  "↩ jane": the latest earlier comment by that name) or a depth ("level 2");
- otherwise it is a top-level comment, in order: the converter never guesses.

In a forum (a flat style) every post is a top-level comment. A comment's other passages
(its text, its quotations) carry its thread, author and date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from reading_guide.converter.classify import Decision, bylines_trail
from reading_guide.converter.lines import Role, clean_author
from reading_guide.converter.shapes import COMMENT_MARKER
from reading_guide.converter.split import Block
from reading_guide.converter.styles import Style
from reading_guide.converter.styles.base import first_match
from reading_guide.schema import COMMENT_KINDS, Passage, count_words


@dataclass
class _Comment:
    thread: str
    indent: int
    author: str = ""
    date: str = ""
    depth: int = 1
    names: frozenset[str] = frozenset()  # every name the byline gives (a display name and a username)
    text: str = ""  # the comment's first passage of text, for a cue that quotes its start


@dataclass
class _Threads:
    """The comments opened so far, and the thread ids they may take."""

    known: dict[str, str] = field(default_factory=dict)  # ¶ number -> the thread it was published in
    used: set[str] = field(default_factory=set)  # every thread id published or given in this capture
    opened: list[_Comment] = field(default_factory=list)  # every comment, in order
    stack: list[_Comment] = field(default_factory=list)  # the open branch, by indentation
    replying_to: _Comment | None = None  # the comment whose list of replies is open ("Replies")
    highest: dict[str, int] = field(default_factory=dict)  # "c" or "c2." -> the highest number after it

    def __post_init__(self) -> None:
        for thread in self.used:
            self._note(thread)

    def _note(self, thread: str) -> None:
        prefix, _, last = thread.rpartition(".")
        prefix, last = (prefix + ".", last) if prefix else ("c", thread.removeprefix("c"))
        self.highest[prefix] = max(self.highest.get(prefix, 0), int(last))

    def open(
        self, parent: _Comment | None, indent: int, author: str, date: str, names: frozenset[str], labels: list[str]
    ) -> _Comment:
        """A comment opens: it keeps the thread its passages were published in, or takes a new id."""
        recorded = next((self.known[label] for label in labels if label in self.known), None)
        if recorded is not None and all(c.thread != recorded for c in self.opened):
            thread = recorded
        else:
            prefix = f"{parent.thread}." if parent else "c"
            thread = f"{prefix}{self.highest.get(prefix, 0) + 1}"
        self.used.add(thread)
        self._note(thread)
        comment = _Comment(thread, indent, author, date, depth=thread.count(".") + 1, names=names)
        self.opened.append(comment)
        return comment


@dataclass(frozen=True)
class EditorsChoice:
    """What the sidecar says of a passage's comment: its thread ("new", "reply to c2", "c2"), author, date."""

    thread: str | None = None
    author: str | None = None
    date: str | None = None


def thread_comments(
    blocks: list[Block],
    decisions: list[Decision],
    style: Style,
    choices: dict[str, EditorsChoice] | None = None,
    known: tuple[dict[str, str], set[str]] = ({}, set()),
) -> list[Passage]:
    """One passage per block, with its kind and, for a comment's passages, its thread, marker, author, date.
    The editors' `choices` (keyed by ¶ number) win over what the capture shows. `known` gives the
    thread each published ¶ was in and every thread id published (the anchor register): a comment
    keeps its published thread, and a new one never takes an id used before."""
    choices = choices or {}
    # Where comments have bylines, a byline opens each one: a numbered line inside one is a list item.
    bylined = any(d.kind == "byline" for d in decisions)
    starts = [_starts_comment(blocks, decisions, index, bylined) for index in range(len(blocks))]
    if bylines_trail(blocks, 0, style):
        starts = _starts_before_trailing_bylines(blocks, decisions, actions_between=style.bylines_after_text)
    # A one-line comment signed at its end is a comment of its own (StackExchange's comments).
    signed = [decisions[i].kind == "comment" and bool(b.rows[0].author) for i, b in enumerate(blocks)]
    starts = [start or sign for start, sign in zip(starts, signed, strict=True)]
    answer: _Comment | None = None  # the latest comment with a byline of its own, which signed comments answer
    indented = len({blocks[i].indent for i, s in enumerate(starts) if s}) > 1
    threads = _Threads(known=known[0], used=set(known[1]))
    current: _Comment | None = None
    passages: list[Passage] = []
    for index, (block, decision) in enumerate(zip(blocks, decisions, strict=True)):
        passage = Passage(number=block.number, kind=decision.kind, text=block.text, line=block.line)
        if decision.kind not in COMMENT_KINDS or (decision.kind == "quote" and current is None and not starts[index]):
            if decision.kind == "furniture" and not indented:
                _read_reply_list(threads, block, style, current)
            passages.append(passage)
            continue
        choice = choices.get(block.number, EditorsChoice())
        if choice.thread:
            starts[index] = choice.thread == "new" or choice.thread.startswith("reply to ")
        marker = COMMENT_MARKER.match(block.text) if starts[index] and decision.kind != "byline" else None
        chosen = next((c for c in threads.opened if c.thread == choice.thread), None) if choice.thread else None
        if chosen is not None and not starts[index]:
            current = chosen  # the editors put this passage in an earlier comment
        elif starts[index]:
            byline = next((i for i in range(index, len(blocks)) if decisions[i].kind == "byline"), None)
            author, date = _byline_of(blocks[byline], style) if byline is not None else ("", "")
            if signed[index]:
                author, date = block.rows[0].author, block.rows[0].date
            if choice.thread == "new":
                parent = None
            elif choice.thread and choice.thread.startswith("reply to "):
                wanted = choice.thread.removeprefix("reply to ")
                parent = next((c for c in threads.opened if c.thread == wanted), None)
            extent = next((i for i in range(index + 1, len(blocks)) if starts[i]), len(blocks))
            if choice.thread and choice.thread.startswith("reply to "):
                pass
            elif signed[index]:
                parent = _addressed(threads, block.text) or answer
            elif choice.thread != "new":
                opening = next((blocks[i].text for i in range(index, extent) if decisions[i].kind == "comment"), "")
                parent = _parent(threads, block, indented, style, author, opening)
            labels = [b.number for b in blocks[index:extent]]
            current = threads.open(parent, block.indent, author, date, _names(block, author), labels)
            _push(threads, current)
            if not signed[index] and byline is not None:
                answer = current
        elif current is None:
            current = threads.open(None, block.indent, "", "", frozenset(), [block.number])
            _push(threads, current)
        else:
            current = _continued(threads, block)
        if choice.author is not None:
            current.author = choice.author
        if choice.date is not None:
            current.date = choice.date
        text = block.text[marker.end() :] if marker else block.text
        if decision.kind == "comment" and not current.text:
            current.text = " ".join(text.split())
        passages.append(
            Passage(
                number=block.number,
                kind=decision.kind,
                text=text,
                line=block.line,
                marker=marker.group(1) if marker else "",
                thread=current.thread,
                removed=bool(style.removed.fullmatch(text.split("\n")[0])) and count_words(text) <= 12,
                author=current.author,
                date=current.date,
            )
        )
    # An editor's author or date for a comment holds for all its passages, those before the choice too.
    final = {c.thread: (c.author, c.date) for c in threads.opened}
    return [
        replace(p, author=final[p.thread][0], date=final[p.thread][1])
        if p.thread in final and final[p.thread] != (p.author, p.date)
        else p
        for p in passages
    ]


def _starts_before_trailing_bylines(
    blocks: list[Block], decisions: list[Decision], *, actions_between: bool = False
) -> list[bool]:
    """Where bylines follow their text, a comment starts at the first of the text blocks before its byline
    (after the previous comment's actions). With `actions_between`, the comment's own actions stand between
    its text and its byline (StackExchange's "Share / Improve this answer / Follow"), and a signed one-line
    comment above is another comment's."""
    starts = [False] * len(blocks)
    for index, decision in enumerate(decisions):
        if decision.kind != "byline":
            continue
        first = index
        if actions_between:
            while first > 0 and decisions[first - 1].kind == "furniture":
                first -= 1
            if not (first < index and decisions[first - 1].kind in ("comment", "quote")):
                first = index
        # A notice under the text ("Your comment is awaiting moderation.") stands between it and its byline.
        while first > 0 and blocks[first - 1].roles() <= {Role.EXTRA} and decisions[first - 2].kind == "comment":
            first -= 1
        while (
            first > 0
            and decisions[first - 1].kind in ("comment", "quote")
            and not (actions_between and blocks[first - 1].rows[0].author)
        ):
            first -= 1
        starts[first] = True
    return starts


def _starts_comment(blocks: list[Block], decisions: list[Decision], index: int, bylined: bool) -> bool:
    kind = decisions[index].kind
    if kind not in COMMENT_KINDS:
        return False
    block = blocks[index]
    if kind == "byline":
        return True
    previous = next((decisions[i].kind for i in range(index - 1, -1, -1) if decisions[i].kind != "furniture"), "")
    if Role.REMOVED in block.roles():
        return previous != "byline"
    return kind == "comment" and not bylined and bool(COMMENT_MARKER.match(block.text))


SNIPPET = "\x00"  # marks a cue that gives the start of the parent's text rather than its author
PROFILE_DATE = re.compile(r"^(?:joined|join date|member since|registered|account created)\b", re.IGNORECASE)


FROM_ROW = re.compile(r"(?:from|poster|commenter):\s+(?P<author>\S.{0,60})", re.IGNORECASE)


def _byline_of(block: Block, style: Style) -> tuple[str, str]:
    """The author and date a byline gives: the head's own, else a date line's (not a "Joined:" date)."""
    dates = [
        row
        for position, row in enumerate(block.rows)
        if row.date
        and not PROFILE_DATE.match(row.text)
        and not (position and PROFILE_DATE.match(block.rows[position - 1].text))
    ]
    date = next((row.date for row in dates if row.role is Role.BYLINE), dates[0].date if dates else "")
    # A name line above the head ("Tomasz Wierzba" over "Mar 4", "Ewan Calloway" over "·Role·2 days ago")
    # names the author; otherwise the head itself does ("Dai Prosser • 3 years ago").
    head = next((i for i, row in enumerate(block.rows) if row.role is Role.BYLINE), len(block.rows))
    named = next((row.text for row in block.rows[:head] if row.role is Role.TEXT), "")
    # "From: tallowandash" under a subject and a date (Dreamwidth, LiveJournal): the labelled name wins.
    labelled = next((m.group("author") for row in block.rows if (m := FROM_ROW.fullmatch(row.text))), "")
    if labelled:
        named = labelled
    author = clean_author(named) if named else next((row.author for row in block.rows if row.author), "")
    if not author:
        author = clean_author(next((row.text for row in block.rows if row.role is Role.TEXT), ""))
    shown = first_match(style.author_format, author)
    return (shown.group("author") if shown else author), date


def _names(block: Block, author: str) -> frozenset[str]:
    """Every name a reply cue may use for this comment: its author, and each word of its name line."""
    first = next((row.text for row in block.rows if row.role in (Role.TEXT, Role.BYLINE)), "")
    # A handle under the name ("@samo@toot.example.org") is how replies address the commenter.
    handles = [m.group(1) for row in block.rows if (m := HANDLE_ROW.fullmatch(row.text))]
    return frozenset(_name_key(name) for name in [author, first, *first.split(), *handles] if _name_key(name))


def _read_reply_list(threads: _Threads, block: Block, style: Style, current: _Comment | None) -> None:
    """A comment's actions may open the list of its replies ("Replies") or close it ("Reply")."""
    for line in block.lines:
        if style.reply_list_end.fullmatch(line):
            threads.replying_to = None
        if style.reply_list.fullmatch(line) and current is not None:
            threads.replying_to = current


def _parent(
    threads: _Threads, block: Block, indented: bool, style: Style, author: str, opening: str = ""
) -> _Comment | None:
    if style.flat and not _cue(block, style):
        return None
    if threads.replying_to is not None and not indented:
        return threads.replying_to
    if indented:
        while threads.stack and threads.stack[-1].indent >= block.indent:
            threads.stack.pop()
        return threads.stack[-1] if threads.stack else None
    cue = _cue(block, style)
    if cue is None:
        return _addressed(threads, opening)
    name, depth = cue
    if name.startswith(SNIPPET):
        start = " ".join(name.removeprefix(SNIPPET).split())
        return next((c for c in reversed(threads.opened) if c.text.startswith(start)), None)
    if depth:
        return next((c for c in reversed(threads.opened) if c.depth == depth - 1), None) if depth > 1 else None
    wanted = _name_key(name)
    return next((c for c in reversed(threads.opened) if wanted in c.names), None)


# "@samo @ife Agree, …": a comment on a flat thread that opens by naming someone answers that person's
# latest comment (Mastodon, YouTube, StackExchange's comments); the post's author, with no comment yet, is no parent.
MENTION = re.compile(r"@([\w.-]*\w)(?:@[\w.-]+)?(?![\w@])")
HANDLE_ROW = re.compile(r"@([\w.-]*\w)(?:@[\w.-]+)?")


def _addressed(threads: _Threads, opening: str) -> _Comment | None:
    mention = MENTION.match(opening)
    if mention is None:
        return None
    wanted = _name_key(mention.group(1))
    return next((c for c in reversed(threads.opened) if wanted in c.names), None)


def _cue(block: Block, style: Style) -> tuple[str, int] | None:
    """(parent name, depth) from the byline's reply cue, if it has one."""
    for row in block.rows:
        match = first_match(style.reply_cue, row.text)
        if match:
            groups = match.groupdict()
            if groups.get("depth"):
                return "", int(groups["depth"])
            if groups.get("parent"):
                return groups["parent"], 0
            if groups.get("snippet"):
                return SNIPPET + groups["snippet"], 0
    return None


def _name_key(name: str) -> str:
    return re.sub(r"\W+", "", name.lower().removeprefix("@").removeprefix("u/"))


def _push(threads: _Threads, comment: _Comment) -> None:
    while threads.stack and threads.stack[-1].indent >= comment.indent and threads.stack[-1] is not comment:
        threads.stack.pop()
    threads.stack.append(comment)


def _continued(threads: _Threads, block: Block) -> _Comment:
    """The comment an unmarked block continues: the deepest open one that starts less indented than it
    (or, in a flat capture, the last one)."""
    while len(threads.stack) > 1 and threads.stack[-1].indent > block.indent:
        threads.stack.pop()
    return threads.stack[-1]
