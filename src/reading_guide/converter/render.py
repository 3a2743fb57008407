"""Step 7: a reading becomes its MyST page (and the readings index pages).

Passage text is never given to the Markdown parser: body passages travel as the raw
content of a ``passage`` directive whose options always come first in a ``---`` block
(so a source line such as ``:key: value`` or ``---`` stays text), and titles and headings
are backslash-escaped, so ``#``, ``*``, ``<script>`` or ``{directive}`` in a source stay text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from reading_guide.converter.corpus import SourceReading
from reading_guide.schema import HEADING_KINDS, Passage, comment_anchor, passage_anchor, to_options

ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
READINGS_PER_PART = 50


def escape_inline(text: str) -> str:
    """Make one line of text literal Markdown: escape every ASCII punctuation character.

    Leading and trailing Unicode spaces (which Markdown would strip) become character
    references so that they survive too.
    """
    escaped = ASCII_PUNCTUATION.sub(r"\\\1", text)
    core = escaped.strip()
    start = escaped.index(core[0]) if core else len(escaped)
    lead, tail = escaped[:start], escaped[start + len(core) :]
    return "".join(f"&#{ord(c)};" for c in lead) + core + "".join(f"&#{ord(c)};" for c in tail)


def directive(name: str, arguments: str = "", options: dict[str, str] | None = None, body: str = "") -> str:
    """A backtick-fenced directive, its fence longer than any backtick run that opens a line of its body.

    Options, when given, are a ``---`` block of JSON strings (which MyST reads as YAML strings).
    """
    runs = [len(m.group(0)) for m in re.finditer(r"^[ \t]*(`+)", body, re.MULTILINE)]
    ticks = "`" * max([3] + [run + 1 for run in runs])
    head = f"{ticks}{{{name}}} {arguments}".rstrip() + "\n"
    if options:
        lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in options.items()]
        head += "---\n" + "\n".join(lines) + "\n---\n"
    return head + (f"{body}\n" if body else "") + f"{ticks}\n"


def _passage(reading: SourceReading, passage: Passage) -> str:
    options = {
        "kind": passage.kind,
        "thread": passage.thread or "",
        "marker": passage.marker,
        "author": passage.author,
        "date": passage.date,
        "cites": " ".join(passage.cites),
        "content-notes": " ".join(passage.content_notes),
        "status": passage.status,
        "since": passage.since,
        "earlier": json.dumps([list(e) for e in passage.earlier], ensure_ascii=False) if passage.earlier else "",
        "removed-in": passage.removed_in,
    }
    anchor = passage_anchor(reading.record.slug, passage.number)
    return directive("passage", anchor, {k: v for k, v in options.items() if v}, passage.text)


def _heading(reading: SourceReading, passage: Passage, level: int) -> str:
    return f"({passage_anchor(reading.record.slug, passage.number)})=\n{'#' * level} {escape_inline(passage.text)}\n"


@dataclass(frozen=True)
class _Comments:
    """The comments of a reading: each thread's own passages and its replies, in the capture's order."""

    own: dict[str, list[Passage]]
    replies: dict[str, list[str]]

    @classmethod
    def of(cls, passages: tuple[Passage, ...]) -> _Comments:
        own: dict[str, list[Passage]] = {}
        replies: dict[str, dict[str, None]] = {}
        for passage in passages:
            if not passage.thread:
                continue
            own.setdefault(passage.thread, []).append(passage)
            parts = passage.thread.split(".")
            # Every level above it too: a reply whose parent has no passage here still shows under it.
            for depth in range(1, len(parts)):
                replies.setdefault(".".join(parts[:depth]), {})[".".join(parts[: depth + 1])] = None
        return cls(own, {thread: list(children) for thread, children in replies.items()})


def _comment_tree(reading: SourceReading, comments: _Comments, thread: str) -> str:
    """One comment with its passages, then its replies (each a comment tree), in reading order."""
    own = comments.own.get(thread, [])
    body = "\n".join(_passage(reading, p) for p in own)
    body += "".join("\n" + _comment_tree(reading, comments, reply) for reply in comments.replies.get(thread, []))
    first = own[0] if own else Passage(number="0", kind="comment", text="")
    options = {"thread": thread, "marker": first.marker} | ({"removed": ""} if first.removed else {})
    return directive("comment", comment_anchor(reading.record.slug, thread), options, "\n" + body)


def _removed(reading: SourceReading) -> str:
    """Passages that a later capture no longer holds, as they were: their anchors keep resolving here."""
    slug = reading.record.slug
    shown = {".".join(p.thread.split(".")[:n]) for p in reading.passages if p.thread for n in range(1, 9)}
    intro = (
        "An earlier capture of the source held these passages; the latest does not. "
        "They are kept as they were, so that their anchors still lead to them.\n"
    )
    parts = [f"({slug}-removed)=\n## Removed from the source\n", intro]
    gone: dict[str, list[Passage]] = {}  # comments that went whole: their anchors lead here
    for passage in reading.removed:
        if passage.thread and passage.thread not in shown:
            if passage.thread not in gone:
                gone[passage.thread] = []
                parts.append(passage.thread)  # a placeholder for the comment, filled below
            gone[passage.thread].append(passage)
        else:
            parts.append(_passage(reading, passage))
    for thread, passages in gone.items():
        body = "\n" + "\n".join(_passage(reading, p) for p in passages)
        parts[parts.index(thread)] = directive("comment", comment_anchor(slug, thread), {"thread": thread}, body)
    return "\n".join(parts)


def _questions(reading: SourceReading) -> str:
    """The editors' questions, written in MyST by them (never source text), as a numbered list."""
    questions = list(reading.questions)
    if reading.other_side:
        questions.append("**Take the other side.** " + reading.other_side)
    body = "\n".join(f"{number}. {' '.join(q.split())}" for number, q in enumerate(questions, 1))
    heading = f"({reading.record.slug}-questions)=\n## Questions for discussion\n"
    return heading + "\n" + directive("reading-questions", body=body)


def render(reading: SourceReading) -> str:
    """The MyST page for one reading, without the generated-file header."""
    slug = reading.record.slug
    passages = list(reading.passages)
    parts: list[str] = []
    info = directive("reading", options=to_options(reading.record))
    title = next((p for p in passages if p.kind == "title"), None)
    if title is None:
        parts += [f"# {escape_inline(reading.title)}\n", info]
    in_comments = False
    comments = _Comments.of(reading.passages)
    trees: set[str] = set()
    for passage in passages:
        if passage.kind == "furniture":
            continue
        if passage is title:
            parts += [_heading(reading, passage, 1), info]
        elif passage.kind == "comments-header" and not in_comments:
            # The page's own header ("4 thoughts on …") heads the comments, with the comments' anchor too.
            parts.append(f"({slug}-comments)=\n" + _heading(reading, passage, 2))
            in_comments = True
        elif passage.kind in HEADING_KINDS:  # a second title or header, set by an override, is a heading
            parts.append(_heading(reading, passage, 2))
        elif passage.thread:
            if not in_comments:
                parts.append(f"({slug}-comments)=\n## Comments\n")
                in_comments = True
            top = passage.thread.split(".")[0]
            if top not in trees:
                trees.add(top)
                parts.append(_comment_tree(reading, comments, top))
        else:
            parts.append(_passage(reading, passage))
    if reading.removed:
        parts.append(_removed(reading))
    if reading.questions or reading.other_side:
        parts.append(_questions(reading))
    if any(p.cites for p in passages):
        parts.append(f"({slug}-works)=\n## Works referred to in this reading\n\n" + directive("works-referred"))
    parts.append(f"({slug}-in-the-debates)=\n## In the debates\n\n" + directive("debate-links"))
    furniture = [p for p in passages if p.kind == "furniture"]
    if furniture:
        parts.append(f"({slug}-as-captured)=\n## As captured\n")
        parts.append(directive("captured", body="\n".join(_passage(reading, p) for p in furniture)))
    return "\n".join(parts)


def render_index(readings: list[SourceReading]) -> dict[str, str]:
    """The readings index page, and for a large corpus part pages of READINGS_PER_PART readings.

    Parts keep the navigation that every page shows short (see conf.py, collapse_navbar).
    """
    intro = "The source texts, one page each, in the order of their files in `sources/`.\n\n"
    table = directive("readings-table") + "\n"
    if len(readings) <= READINGS_PER_PART:
        entries = "\n".join(r.record.slug for r in readings)
        return {"index": f"# Readings\n\n{intro}{table}```{{toctree}}\n:maxdepth: 1\n:hidden:\n\n{entries}\n```\n"}
    pages: dict[str, str] = {}
    for start in range(0, len(readings), READINGS_PER_PART):
        part = readings[start : start + READINGS_PER_PART]
        name = f"part-{start // READINGS_PER_PART + 1:03d}"
        entries = "\n".join(r.record.slug for r in part)
        title = f"Readings {start + 1}–{start + len(part)}"
        pages[name] = f"# {title}\n\n```{{toctree}}\n:maxdepth: 1\n\n{entries}\n```\n"
    parts = "\n".join(pages)
    pages["index"] = f"# Readings\n\n{intro}{table}```{{toctree}}\n:maxdepth: 1\n:hidden:\n\n{parts}\n```\n"
    return pages
