"""Step 4: the anchor register numbers the blocks, so that a published anchor never names other text.

Beside each source the converter keeps ``<name>.anchors.json``: the slug and every ¶ number ever
published for it, each with its text, kind, thread and history, and the list of captures. When a
later capture of the source is converted, each block is matched with the passage it was:

1. whole runs of unchanged passages, in order (``difflib``; texts compared with their whitespace,
   line wrapping, NBSPs and a comment's "2." marker set aside);
2. a passage that moved (a site that lists its newest comments first), or one of many equal texts
   ("Reply"), with the first free passage of that text after its neighbour's;
3. a passage edited in place, with the most similar free passage between the same kept neighbours
   (a character-level ratio of at least ``SIMILAR``).

A matched block keeps its ¶ number. A new block after the last kept passage of the text continues
the count (¶ 58, 59 …); one between two kept passages takes the number before it and the next free
letter (¶ 16a, 16b …). No number is ever given twice. Furniture may come and go by itself; a passage
of the text that changed or went away stops the conversion until an editor records it (``accept``),
after which a changed passage shows its earlier text and a removed one a note where it was.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import itertools
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from reading_guide.converter.errors import InputError
from reading_guide.converter.shapes import COMMENT_MARKER
from reading_guide.converter.split import Block
from reading_guide.schema import LABEL, STATUSES, Passage, thread_number

REGISTER_SUFFIX = ".anchors.json"
SIMILAR = 0.75  # an edited passage keeps this much of its text (difflib's ratio), or it is a new one
# A text this frequent ("Reply", "Like") is matched by its neighbours rather than as a landmark.
COMMON = 8
# Candidates tried for each edited passage: enough for a few edits in a row, and matching stays linear.
NEARBY = 8
# Pairs compared when looking for passages that moved and were edited too (a few, in a short source).
MOVED_AND_EDITED = 2500


@dataclass
class Entry:
    """One published ¶ number of a source and what it names."""

    label: str
    text: str
    kind: str = ""
    thread: str | None = None
    since: str = ""  # date of the capture that first held it
    status: str = ""  # one of schema.STATUSES
    earlier: list[tuple[str, str]] = field(default_factory=list)  # (earlier text, date it was replaced)
    removed_in: str = ""


@dataclass(frozen=True)
class Capture:
    """One capture of the source, as recorded: its date, its bytes' digest, what it changed."""

    date: str
    sha256: str
    passages: int
    added: int = 0
    changed: int = 0
    removed: int = 0


@dataclass(frozen=True)
class Register:
    path: Path
    source: str
    slug: str
    captures: tuple[Capture, ...] = ()
    entries: tuple[Entry, ...] = ()

    def active(self) -> list[Entry]:
        return [e for e in self.entries if e.status != "removed"]


def register_path(source: Path) -> Path:
    return source.with_name(source.stem + REGISTER_SUFFIX)


def capture_date() -> str:
    """Today (UTC), or the day of SOURCE_DATE_EPOCH for a reproducible run."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC) if epoch else datetime.datetime.now(datetime.UTC)
    return moment.date().isoformat()


# -- Reading and writing the register ---------------------------------------------------------


def read_register(source: Path) -> Register | None:
    """The register beside `source`, checked; None before the source's first conversion."""
    path = register_path(source)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        register = Register(
            path=path,
            source=str(data["source"]),
            slug=str(data["slug"]),
            captures=tuple(Capture(**capture) for capture in data["captures"]),
            entries=tuple(_entry(raw) for raw in data["passages"]),
        )
    except (ValueError, KeyError, TypeError) as err:
        raise InputError(
            f"{path}: not a register of anchors the converter wrote ({err}); "
            "restore it from version control (it records every anchor published for the source)"
        ) from None
    labels = [entry.label for entry in register.entries]
    duplicates = (
        sorted({label for label in labels if labels.count(label) > 1}) if len(set(labels)) < len(labels) else []
    )
    if duplicates:
        raise InputError(f"{path}: ¶ {', '.join(duplicates)} recorded twice; restore the file from version control")
    return register


def _entry(raw: dict[str, Any]) -> Entry:
    entry = Entry(
        label=str(raw["label"]),
        text=str(raw["text"]),
        kind=str(raw.get("kind", "")),
        thread=raw.get("thread"),
        since=str(raw.get("since", "")),
        status=str(raw.get("status", "")),
        earlier=[(str(text), str(until)) for text, until in raw.get("earlier", [])],
        removed_in=str(raw.get("removed_in", "")),
    )
    if not LABEL.match(entry.label) or entry.status not in STATUSES:
        raise ValueError(f"¶ {entry.label!r} with status {entry.status!r}")
    return entry


def register_text(register: Register) -> str:
    """The register as the file holds it: one passage per line, so a diff shows what a capture did."""
    head = {
        "about": "Every anchor published for this source; written by the converter (README, 'Captured again').",
        "source": register.source,
        "slug": register.slug,
        "captures": [capture.__dict__ for capture in register.captures],
    }
    lines = [json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "passages": [']
    rows = []
    for entry in register.entries:
        row: dict[str, Any] = {"label": entry.label, "kind": entry.kind}
        if entry.thread:
            row["thread"] = entry.thread
        row["since"] = entry.since
        if entry.status:
            row["status"] = entry.status
        if entry.earlier:
            row["earlier"] = entry.earlier
        if entry.removed_in:
            row["removed_in"] = entry.removed_in
        row["text"] = entry.text
        rows.append("  " + json.dumps(row, ensure_ascii=False))
    lines.append(",\n".join(rows))
    lines.append(" ]\n}\n")
    return "\n".join(lines)


# -- Numbering the blocks of a capture -----------------------------------------------------------


def _key(text: str) -> str:
    """What two captures of one passage share: its words, whatever the spaces, wrapping or marker."""
    return " ".join(COMMENT_MARKER.sub("", text, count=1).split())


def match_texts(old: Sequence[str], new: Sequence[str]) -> tuple[list[int | None], set[int]]:
    """For each new text, the index of the old one it continues (or None); and which new ones were edited."""
    old_keys, new_keys = [_key(t) for t in old], [_key(t) for t in new]
    counts = Counter(old_keys) + Counter(new_keys)
    common = {key for key, count in counts.items() if count > COMMON}
    pairs: list[int | None] = [None] * len(new)
    taken = [False] * len(old)
    matcher = SequenceMatcher(common.__contains__, old_keys, new_keys, autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            pairs[block.b + offset], taken[block.a + offset] = block.a + offset, True
    free: dict[str, list[int]] = defaultdict(list)
    for index, key in enumerate(old_keys):
        if not taken[index]:
            free[key].append(index)
    previous = -1
    for index, key in enumerate(new_keys):
        if pairs[index] is None and free.get(key):
            candidates = free[key]
            at = bisect.bisect_right(candidates, previous)
            pairs[index] = candidates.pop(at if at < len(candidates) else 0)
            taken[pairs[index]] = True  # type: ignore[index]
        previous = pairs[index] if pairs[index] is not None else previous  # type: ignore[assignment]
    edited = _match_edited(old_keys, new_keys, pairs, taken)
    edited |= _match_moved_and_edited(old_keys, new_keys, pairs, taken)
    return pairs, edited


def _match_edited(old_keys: list[str], new_keys: list[str], pairs: list[int | None], taken: list[bool]) -> set[int]:
    """Pair each run of unmatched new texts with the most similar free old texts between the same neighbours:
    the most similar pairs first, so that a new passage like an edited one does not take its number."""
    edited: set[int] = set()
    index = 0
    while index < len(new_keys):
        if pairs[index] is not None:
            index += 1
            continue
        start = index
        while index < len(new_keys) and pairs[index] is None:
            index += 1
        low = pairs[start - 1] if start else -1
        high = pairs[index] if index < len(new_keys) else len(old_keys)
        assert low is not None and high is not None
        free = [i for i in range(low + 1, high) if not taken[i]]
        scored = []
        for offset, new_index in enumerate(range(start, index)):
            # Its place in the run, give or take NEARBY: an edit keeps a passage about where it was.
            for old_index in free[max(0, offset - NEARBY) : offset + NEARBY + 1]:
                ratio = _similar(old_keys[old_index], new_keys[new_index], SIMILAR)
                if ratio is not None:
                    scored.append((ratio, new_index, old_index))
        for _, new_index, old_index in sorted(scored, reverse=True):
            if pairs[new_index] is None and not taken[old_index]:
                pairs[new_index], taken[old_index] = old_index, True
                edited.add(new_index)
    return edited


def _similar(old: str, new: str, score: float) -> float | None:
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    if matcher.real_quick_ratio() >= score and matcher.quick_ratio() >= score:
        ratio = matcher.ratio()
        if ratio >= score:
            return ratio
    return None


def _match_moved_and_edited(
    old_keys: list[str], new_keys: list[str], pairs: list[int | None], taken: list[bool]
) -> set[int]:
    """What is left after matching in place: a passage both moved and edited, compared with every free one
    (only while few are left, so that matching stays near-linear)."""
    left = [index for index, pair in enumerate(pairs) if pair is None]
    free = [index for index, used in enumerate(taken) if not used]
    edited: set[int] = set()
    if not left or not free or len(left) * len(free) > MOVED_AND_EDITED:
        return edited
    for new_index in left:
        scored = [(_similar(old_keys[i], new_keys[new_index], SIMILAR), i) for i in free if not taken[i]]
        best = max(((score, i) for score, i in scored if score is not None), default=None)
        if best is not None:
            pairs[new_index], taken[best[1]] = best[1], True
            edited.add(new_index)
    return edited


def _suffixes() -> Iterator[str]:
    """a, b, … z, aa, ab …: the letters of passages added between two published ones."""
    for length in itertools.count(1):
        for letters in itertools.product("abcdefghijklmnopqrstuvwxyz", repeat=length):
            yield "".join(letters)


def _base(label: str) -> str:
    return re.match(r"\d*", label).group(0) or "0"  # type: ignore[union-attr]


def new_labels(kept: list[Entry | None], used: set[str]) -> list[str]:
    """¶ numbers for a capture's blocks: a kept block's own, and new ones never used before."""
    labels = [entry.label if entry else "" for entry in kept]
    used = set(used)
    highest = max((int(_base(label)) for label in used), default=0)
    last_text = max((i for i, entry in enumerate(kept) if entry and entry.kind != "furniture"), default=-1)
    for index, label in enumerate(labels):
        if label:
            continue
        if index > last_text:
            highest += 1
            label = str(highest)
        else:
            base = _base(labels[index - 1]) if index else "0"
            label = next(base + s for s in _suffixes() if base + s not in used)
        labels[index] = label
        used.add(label)
    return labels


@dataclass(frozen=True)
class Numbering:
    """What the register made of a capture: the blocks with their ¶ numbers, and what each kept."""

    blocks: list[Block]
    kept: list[Entry | None]  # for each block, the published passage it continues
    edited: set[int]  # blocks whose text differs from their passage's beyond whitespace
    register: Register | None

    def known_threads(self) -> tuple[dict[str, str], set[str]]:
        """The thread each published ¶ was in, and every thread id ever published."""
        if self.register is None:
            return {}, set()
        by_label = {e.label: e.thread for e in self.register.active() if e.thread}
        return by_label, {e.thread for e in self.register.entries if e.thread}


def number_blocks(blocks: list[Block], register: Register | None) -> Numbering:
    if register is None:
        numbered = [b if b.number == str(i) else replace(b, number=str(i)) for i, b in enumerate(blocks, 1)]
        return Numbering(numbered, [None] * len(blocks), set(), None)
    active = register.active()
    pairs, edited = match_texts([e.text for e in active], [b.text for b in blocks])
    kept = [active[i] if i is not None else None for i in pairs]
    labels = new_labels(kept, {e.label for e in register.entries})
    numbered = [b if b.number == label else replace(b, number=label) for b, label in zip(blocks, labels, strict=True)]
    return Numbering(numbered, kept, edited, register)


# -- What a capture changed ------------------------------------------------------------------------


@dataclass(frozen=True)
class Recapture:
    """A capture compared with the register: the register to write, the passages with their history,
    the removed passages, and what an editor must decide before anything is written."""

    register: Register
    passages: list[Passage]
    removed: list[Passage]
    undecided: list[str]  # one message per changed or removed passage of the text
    changed_register: bool


def compare(
    numbering: Numbering, passages: list[Passage], *, source: Path, slug: str, sha256: str, date: str
) -> Recapture:
    old = numbering.register
    entries: list[Entry] = []
    annotated: list[Passage] = []
    undecided: list[str] = []
    added = changed = 0
    for index, (passage, kept) in enumerate(zip(passages, numbering.kept, strict=True)):
        if kept is None:
            entry = Entry(passage.number, passage.text, passage.kind, passage.thread, since=date)
            added += 1
        else:
            entry = Entry(
                kept.label, passage.text, passage.kind, passage.thread, kept.since, kept.status, list(kept.earlier)
            )
            if index in numbering.edited:
                entry.status, entry.earlier = "changed", [*kept.earlier, (kept.text, date)]
                changed += 1
                if "furniture" not in (kept.kind, passage.kind) and not _only_the_clock(kept, passage):
                    undecided.append(_changed_message(slug, passage, kept.text))
        entries.append(entry)
        annotated.append(_with_history(passage, entry))
    kept_labels = {entry.label for entry in numbering.kept if entry}
    gone = [e for e in (old.active() if old else []) if e.label not in kept_labels]
    for entry in gone:
        if entry.kind != "furniture":
            undecided.append(_removed_message(slug, entry))
    earlier_removed = [e for e in (old.entries if old else ()) if e.status == "removed"]
    removed_now = [replace(e, status="removed", removed_in=date, earlier=list(e.earlier)) for e in gone]
    all_removed = earlier_removed + removed_now
    entries += all_removed
    captures = list(old.captures) if old else []
    if old is None or _rows(old.entries) != _rows(entries) or captures[-1].sha256 != sha256:
        captures.append(Capture(date, sha256, len(passages), added, changed, len(gone)))
    register = Register(register_path(source), source.name, slug, tuple(captures), tuple(entries))
    changed_register = old is None or old.captures != register.captures or _rows(old.entries) != _rows(entries)
    removed = [_removed_passage(e) for e in all_removed]
    return Recapture(register, annotated, removed, undecided, changed_register)


# What a byline says that changes with the day of the capture: numbers (ages, likes, votes) and the
# words of a relative date ("3 years ago" a year later is "4 years ago").
_CLOCK = re.compile(
    r"\d[\d,.]*|\b(?:an?|one|ago|just|now|today|yesterday|edited|"
    r"(?:sec|second|min|minute|hr|hour|day|week|wk|month|mo|year|yr)s?|[smhdwy])\b",
    re.IGNORECASE,
)


def _only_the_clock(kept: Entry, passage: Passage) -> bool:
    """A byline whose new capture differs only in its relative date or its counts: recorded as changed,
    with its earlier text, but no editor's decision is asked for."""
    if not (kept.kind == passage.kind == "byline"):
        return False
    return " ".join(_CLOCK.sub("#", kept.text).split()) == " ".join(_CLOCK.sub("#", passage.text).split())


def _rows(entries: Sequence[Entry]) -> list[tuple[object, ...]]:
    return [(e.label, e.text, e.kind, e.thread, e.status, tuple(e.earlier), e.removed_in) for e in entries]


def _with_history(passage: Passage, entry: Entry) -> Passage:
    return replace(passage, status=entry.status, since=entry.since, earlier=tuple(entry.earlier))


def _removed_passage(entry: Entry) -> Passage:
    return Passage(
        number=entry.label,
        kind=entry.kind or "paragraph",
        text=entry.text,
        thread=entry.thread,
        status="removed",
        since=entry.since,
        earlier=tuple(entry.earlier),
        removed_in=entry.removed_in,
    )


def _where(slug: str, label: str, thread: str | None) -> str:
    place = f", in comment {thread_number(thread)}" if thread else ""
    return f"{slug}-{label} (¶ {label}{place})"


def _shown(text: str, start: int = 0, width: int = 240) -> str:
    flat = " ".join(text.split())
    shown = ("…" if start else "") + flat[start : start + width] + ("…" if len(flat) > start + width else "")
    return json.dumps(shown, ensure_ascii=False)


def _changed_message(slug: str, passage: Passage, earlier: str) -> str:
    was, now = " ".join(earlier.split()), " ".join(passage.text.split())
    # Where the texts part, with some words either side: the change, not the first lines of both.
    start = next((i for i, (a, b) in enumerate(zip(was, now, strict=False)) if a != b), min(len(was), len(now)))
    start = max(0, start - 60)
    return (
        f"{_where(slug, passage.number, passage.thread)} changed:\n"
        f"      was: {_shown(was, start)}\n      now: {_shown(now, start)}"
    )


def _removed_message(slug: str, entry: Entry) -> str:
    return f"{_where(slug, entry.label, entry.thread)} is not in this capture:\n      was: {_shown(entry.text)}"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def history_sentence(register: Register) -> str:
    """The capture history in words, for the reading page: "2026-12-01 (143 passages); again on …"."""
    parts = []
    for number, capture in enumerate(register.captures):
        if not number:
            parts.append(f"{capture.date} ({capture.passages} passages)")
            continue
        changes = [
            f"{count} {what}"
            for count, what in ((capture.added, "added"), (capture.changed, "changed"), (capture.removed, "removed"))
            if count
        ]
        parts.append(f"again on {capture.date}: " + (", ".join(changes) if changes else "the same text"))
    return "; ".join(parts)
