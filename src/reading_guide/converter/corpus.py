"""The pipeline for one source, and for the whole folder of sources.

    decode -> recognise the style -> lines and their roles -> split -> number (the anchor register)
    -> classify -> sidecar kinds -> thread -> compare with the register

``read_corpus`` reads and checks every source before anything is written, so one bad
source or sidecar stops the run with nothing half-written.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from reading_guide.converter.classify import classify
from reading_guide.converter.decode import decode
from reading_guide.converter.errors import InputError
from reading_guide.converter.lines import read_lines
from reading_guide.converter.recognise import recognise
from reading_guide.converter.register import (
    Recapture,
    capture_date,
    compare,
    digest,
    history_sentence,
    number_blocks,
    read_register,
)
from reading_guide.converter.sidecar import Sidecar, check_against, override_kinds, read_sidecar
from reading_guide.converter.split import split_blocks
from reading_guide.converter.styles import GENERIC, Style
from reading_guide.converter.thread import EditorsChoice, thread_comments
from reading_guide.schema import HEADING_KINDS, Passage, Reading, comment_anchor, passage_anchor, statistics

SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# Names the readings index takes for itself (render.render_index).
RESERVED_SLUG = re.compile(r"^(index|part-\d{3})$")


@dataclass(frozen=True)
class SourceReading:
    """One source as the converter understood it: its record, its passages, the editors' questions."""

    source: str  # file name inside sources/
    style: Style
    record: Reading
    passages: tuple[Passage, ...]
    questions: tuple[str, ...] = ()
    other_side: str = ""
    overridden: frozenset[str] = frozenset()  # ¶ numbers the sidecar says something about
    rules: tuple[str, ...] = ()  # for each passage, the rule that decided its kind (--explain)
    removed: tuple[Passage, ...] = ()  # passages an earlier capture had and this one does not
    recapture: Recapture | None = None  # the register to write, and what an editor must decide
    warnings: tuple[str, ...] = ()  # what the converter could not make out (printed, not fatal)
    slug_recorded: bool = False  # the slug comes from the anchor register: published, never changed

    @property
    def slug(self) -> str:
        return self.record.slug

    def anchor(self, number: str) -> str:
        return passage_anchor(self.record.slug, number)

    def comment_anchor(self, thread: str) -> str:
        return comment_anchor(self.record.slug, thread)

    @property
    def title(self) -> str:
        titles = [p.text for p in self.passages if p.kind == "title"]
        return titles[0] if titles else (self.record.short_title or Path(self.source).stem)

    def anchors(self) -> dict[str, str]:
        """Every anchor of this reading with the text it names (a comment: its first passage)."""
        anchors: dict[str, str] = {}
        for passage in (*self.passages, *self.removed):
            anchors[self.anchor(passage.number)] = passage.text
            if passage.thread:
                anchors.setdefault(self.comment_anchor(passage.thread), passage.text)
        return anchors


def slugify(text: str, words: int = 6) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_text)[:words])
    return slug if slug[:1].isalpha() and slug != "index" else f"reading-{slug}".rstrip("-")


def read_source(path: Path) -> SourceReading:
    """Run the pipeline for one source file."""
    if any(unicodedata.category(ch) == "Cc" for ch in path.name):
        raise InputError(f"{path!r}: the file name holds a control character; rename the file")
    sidecar = read_sidecar(path)
    text = decode(path)
    style = recognise(text)
    register = read_register(path)
    numbering = number_blocks(split_blocks(read_lines(text, style)), register)
    blocks = numbering.blocks
    published = {entry.label for entry in register.entries} if register else set()
    warnings = check_against(sidecar, blocks, published)
    decisions = override_kinds(blocks, classify(blocks, style), sidecar)
    choices = {n: EditorsChoice(o.thread, o.author, o.date) for n, o in sidecar.passages.items()}
    threaded = thread_comments(blocks, decisions, style, choices, numbering.known_threads())
    passages = _with_editors_notes(threaded, sidecar)
    titles = [p.text for p in passages if p.kind == "title"]
    slug = _slug(path, sidecar, register.slug if register else None, titles)
    recapture = compare(numbering, passages, source=path, slug=slug, sha256=digest(path), date=capture_date())
    passages = recapture.passages
    counts = statistics(passages)
    facts = sidecar.facts | {"slug": slug}
    facts.setdefault("short_title", titles[0] if titles else path.stem)
    record = Reading(
        source=path.name,
        **facts,
        words=counts.words,
        minutes=counts.minutes,
        comments=counts.comments,
        replies=counts.replies,
        content_notes=sidecar.content_notes,
        captured=history_sentence(recapture.register),
        headings=json.dumps(
            {p.number: [p.since, p.status, [list(e) for e in p.earlier]] for p in passages if p.kind in HEADING_KINDS},
            ensure_ascii=False,
        ),
    )
    return SourceReading(
        source=path.name,
        style=style,
        record=record,
        passages=tuple(passages),
        questions=sidecar.questions,
        other_side=sidecar.other_side,
        overridden=frozenset(sidecar.passages),
        rules=tuple(decision.rule for decision in decisions),
        removed=tuple(recapture.removed),
        recapture=recapture,
        warnings=(*warnings, *_warnings(path, sidecar, style, passages)),
        slug_recorded=register is not None,
    )


def _slug(path: Path, sidecar: Sidecar, recorded: str | None, titles: list[str]) -> str:
    """The reading's slug: as recorded when its anchors were first published, else the sidecar's or the title's."""
    chosen = sidecar.facts.get("slug")
    if chosen and not SLUG.match(chosen):
        raise InputError(f"{sidecar.path}: slug '{chosen}' must be lower-case letters, digits and single hyphens")
    if recorded is not None:
        if chosen and chosen != recorded:
            raise InputError(
                f"{sidecar.path}: slug '{chosen}' differs from '{recorded}', under which the reading's anchors "
                f"were published ({path.stem}.anchors.json); a published slug never changes: set it back"
            )
        return recorded
    slug = chosen or slugify(titles[0] if titles else path.stem)
    if not SLUG.match(slug):
        raise InputError(f"{sidecar.path}: slug '{slug}' must be lower-case letters, digits and single hyphens")
    return slug


def _warnings(path: Path, sidecar: Sidecar, style: Style, passages: list[Passage]) -> tuple[str, ...]:
    """A capture in which nothing but paragraphs (and the first line, as a title) was made out."""
    kinds = {p.kind for p in passages}
    if style is not GENERIC or kinds - {"title", "paragraph", "furniture", "meta"}:
        return ()
    warning = (
        f"{path}: no site's style, heading, list or comment was recognised; it is converted as a title "
        "and paragraphs. "
        f"`convert --explain {path}` shows what was seen; {sidecar.path.name} can set a passage's kind and thread"
    )
    return (warning,)


def _with_editors_notes(passages: list[Passage], sidecar: Sidecar) -> list[Passage]:
    """The works and content notes the sidecar declares for each passage."""
    noted = []
    for passage in passages:
        override = sidecar.passages.get(passage.number)
        if override and (override.cites or override.content_notes):
            if passage.kind in HEADING_KINDS:
                raise InputError(
                    f"{sidecar.path}: [passages.{passage.number}] is a {passage.kind}; "
                    "cites and content_notes belong to the passages of the text"
                )
            passage = replace(passage, cites=override.cites, content_notes=override.content_notes)
        noted.append(passage)
    return noted


def read_corpus(sources: Path) -> list[SourceReading]:
    """Every ``*.txt`` in `sources`, in file-name order, each slug and anchor unique.

    A slug recorded in a register is kept; a new reading whose slug is taken gets the first free
    ``-2``, ``-3`` … after it, so adding a source never changes another's slug."""
    paths = sorted(sources.glob("*.txt"))
    if not paths:
        raise InputError(f"{sources}: no *.txt sources found")
    readings = [read_source(path) for path in paths]
    taken: dict[str, str] = {}
    for reading in (r for r in readings if r.slug_recorded):
        if reading.slug in taken:
            raise InputError(
                f"{sources / reading.source}: slug '{reading.slug}' is recorded for {taken[reading.slug]} too; "
                "two registers of anchors name one slug: restore them from version control"
            )
        taken[reading.slug] = reading.source
    for index, reading in enumerate(readings):
        if reading.slug_recorded:
            continue
        slug = reading.slug
        for number in itertools.count(2):
            if slug not in taken and not RESERVED_SLUG.match(slug):
                break
            slug = f"{reading.slug}-{number}"
        taken[slug] = reading.source
        if slug != reading.slug:
            readings[index] = _renamed(reading, slug)
    owners: dict[str, str] = {}
    for reading in readings:
        for anchor in reading.anchors():
            if anchor in owners:
                raise InputError(
                    f"{sources / reading.source}: anchor '{anchor}' is also an anchor of {owners[anchor]}; "
                    f"set a different 'slug' in {Path(reading.source).with_suffix('.toml')}"
                )
            owners[anchor] = reading.source
    return readings


def _renamed(reading: SourceReading, slug: str) -> SourceReading:
    assert reading.recapture is not None
    recapture = replace(reading.recapture, register=replace(reading.recapture.register, slug=slug))
    return replace(reading, record=replace(reading.record, slug=slug), recapture=recapture)
