"""Step 6: the sidecar, ``sources/<name>.toml``: verified metadata and editors' overrides.

Everything in it is checked against the rules below before anything is converted, so
a mistake is reported with the sidecar's name and the field, never as a traceback::

    slug = "we-need-both"            # page name and anchor prefix
    short_title = "We need both"
    author = "…"; blog = "…"; date = "2020-09-21"; date_note = "repost"; url = "…"
    bibkey = "…"                     # the reading's refs.bib entry
    content_notes = ["overdose"]     # keys of conf.py's guide_content_notes
    questions = ["…"]; other_side = "…"   # the editors' questions (MyST)
    [passages.23]                    # ¶ 23 of this source (¶ 23a: [passages.23a])
    kind = "quote"                   # one of schema.KINDS
    starts = "The BC Coroners"       # guard: ¶ 23 must start with this
    cites = ["greer2020peer"]        # refs.bib keys of works the passage refers to
    content_notes = ["overdose"]
    thread = "new"                   # a new comment starts here; "reply to c2"; "c2": part of comment 2
    author = "Dale Perkins"          # a comment's author and date, where its byline does not give them
    date = "June 12, 2021"
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reading_guide.converter.classify import Decision
from reading_guide.converter.decode import decode
from reading_guide.converter.errors import InputError
from reading_guide.converter.shapes import COMMENT_MARKER
from reading_guide.converter.split import Block
from reading_guide.schema import COMMENT_KINDS, KINDS, LABEL


@dataclass(frozen=True)
class Rule:
    """What a sidecar value must be: a string or a list of strings, optionally of one pattern."""

    shape: type[str | list[str]]
    pattern: re.Pattern[str] | None = None
    described: str = ""

    def check(self, value: object) -> bool:
        if self.shape is str:
            items = [value] if isinstance(value, str) else None
        else:
            items = value if isinstance(value, list) and all(isinstance(item, str) for item in value) else None
        if items is None:
            return False
        return self.pattern is None or all(self.pattern.match(item) for item in items)

    def requirement(self) -> str:
        return self.described or ("a string" if self.shape is str else "a list of strings")


CONTENT_NOTES = Rule(list, re.compile(r"^[a-z][a-z0-9-]*$"), 'a list of content-note keys such as "overdose"')
READING_RULES = {
    "slug": Rule(str),
    "short_title": Rule(str),
    "author": Rule(str),
    "blog": Rule(str),
    "date": Rule(str),
    "date_note": Rule(str),
    "url": Rule(str, re.compile(r"^https?://\S+$"), "an http:// or https:// address without spaces"),
    "bibkey": Rule(str),
    "content_notes": CONTENT_NOTES,
    "questions": Rule(list),
    "other_side": Rule(str),
}
PASSAGE_RULES = {
    "kind": Rule(str, re.compile(rf"^({'|'.join(map(re.escape, KINDS))})$"), f"one of {', '.join(KINDS)}"),
    "starts": Rule(str),
    "cites": Rule(list, re.compile(r"^[A-Za-z][A-Za-z0-9_:-]*$"), "a list of refs.bib keys"),
    "content_notes": CONTENT_NOTES,
    "thread": Rule(
        str,
        re.compile(r"^(?:new|c\d+(?:\.\d+)*|reply to c\d+(?:\.\d+)*)$"),
        '"new" (a new comment starts here), "reply to c2" (a new reply to comment 2 starts here) or "c2" (part of comment 2)',
    ),
    "author": Rule(str),
    "date": Rule(str),
}


@dataclass(frozen=True)
class PassageOverride:
    """What the editors say of one passage: ``[passages.N]``."""

    kind: str | None = None
    starts: str | None = None
    cites: tuple[str, ...] = ()
    content_notes: tuple[str, ...] = ()
    thread: str | None = None  # "new", "reply to c2", or "c2" (see PASSAGE_RULES)
    author: str | None = None  # the comment's author, where its byline does not give it
    date: str | None = None  # the comment's date, likewise


# Verified facts about the reading; each becomes the field of the same name in schema.Reading.
FACTS = ("slug", "short_title", "author", "blog", "date", "date_note", "url", "bibkey")


@dataclass(frozen=True)
class Sidecar:
    path: Path
    facts: dict[str, str] = field(default_factory=dict)  # FACTS that the sidecar sets
    content_notes: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    other_side: str = ""
    passages: dict[str, PassageOverride] = field(default_factory=dict)  # by ¶ number: "23", "23a"


def read_sidecar(source: Path) -> Sidecar:
    """The sidecar beside `source`, checked; an empty one when there is none."""
    path = source.with_suffix(".toml")
    if not path.exists():
        return Sidecar(path=path)
    try:
        data = tomllib.loads(decode(path))
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"{path}: not valid TOML ({err})") from None
    values = _checked(path, "", data, READING_RULES, allowed_tables=("passages",))
    facts = {name: values.pop(name) for name in FACTS if name in values}
    raw_passages = data.get("passages", {})
    if not isinstance(raw_passages, dict):
        raise InputError(f"{path}: [passages] must be a table of ¶ numbers")
    passages = {}
    for key, raw in raw_passages.items():
        if not LABEL.match(key):
            raise InputError(f"{path}: [passages.{key}] names no passage; a passage is named by its ¶ number")
        if not isinstance(raw, dict):
            raise InputError(f"{path}: [passages.{key}] must be a table")
        passages[key] = PassageOverride(**_checked(path, f"[passages.{key}] ", raw, PASSAGE_RULES))
    return Sidecar(path=path, facts=facts, passages=passages, **values)


def _checked(
    path: Path, where: str, data: dict[str, Any], rules: dict[str, Rule], allowed_tables: tuple[str, ...] = ()
) -> dict[str, Any]:
    """`data` checked against `rules`, lists turned into tuples."""
    unknown = set(data) - set(rules) - set(allowed_tables)
    if unknown:
        allowed = ", ".join((*rules, *allowed_tables))
        raise InputError(f"{path}: {where}unknown field(s) {', '.join(sorted(unknown))}; allowed: {allowed}")
    values: dict[str, Any] = {}
    for name, rule in rules.items():
        if name not in data:
            continue
        if not rule.check(data[name]):
            raise InputError(f"{path}: {where}'{name}' must be {rule.requirement()}, not {data[name]!r}")
        values[name] = tuple(data[name]) if isinstance(data[name], list) else data[name]
    return values


def check_against(sidecar: Sidecar, blocks: list[Block], published: set[str] | None = None) -> list[str]:
    """Every ``[passages.N]`` names a passage of the source, and starts as its guard says.

    `published`: every ¶ number published for the source. An entry for one that this capture no
    longer holds (removed, or about to be) applies to nothing: a warning, not an error, so that
    recording the removal is not blocked by it."""
    by_number = {block.number: block for block in blocks}
    warnings = []
    for number, override in sidecar.passages.items():
        if number not in by_number and number in (published or set()):
            warnings.append(
                f"{sidecar.path}: [passages.{number}] names a passage that is no longer in the source; "
                "it applies to nothing now (delete the entry)"
            )
            continue
        if number not in by_number:
            raise InputError(
                f"{sidecar.path}: [passages.{number}] names no passage; the source has ¶ {blocks[0].number} "
                f"to ¶ {blocks[-1].number} (`convert --explain` lists them)"
            )
        text = by_number[number].text
        starts = override.starts
        # --explain shows a comment's text without its marker; accept the guard either way, and
        # whatever the spaces (a re-capture may wrap the text differently or hold an NBSP for a space).
        flat, wanted = " ".join(text.split()), " ".join((starts or "").split())
        if starts is not None and not (flat.startswith(wanted) or COMMENT_MARKER.sub("", flat, 1).startswith(wanted)):
            raise InputError(
                f"{sidecar.path}: [passages.{number}] should start with {starts!r} "
                f"but ¶ {number} starts with {text[:40]!r}"
            )
    return warnings


def override_kinds(blocks: list[Block], decisions: list[Decision], sidecar: Sidecar) -> list[Decision]:
    """The kinds with the editors' choices applied."""
    chosen = []
    for block, decision in zip(blocks, decisions, strict=True):
        number = block.number
        override = sidecar.passages.get(number)
        kind = override.kind if override else None
        if override and override.thread and not kind and decision.kind not in COMMENT_KINDS:
            kind = "comment"  # a passage the editors put in a comment is a comment's
        chosen.append(Decision(kind, f"the sidecar ([passages.{number}])") if kind else decision)
    return chosen
