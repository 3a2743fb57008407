"""What the extension keeps in Sphinx's environment, in one typed store.

Everything kept is per document (keyed by docname), so a document can be purged and
re-read alone, and what parallel readers found can be merged back. ``BuildCache`` holds
what is worked out from the whole store once per build (the passage index, the glossary's
first appearances); it is never pickled with the environment and is emptied whenever
documents have been read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from reading_guide.schema import Passage, Reading


@dataclass(frozen=True)
class Located(Passage):
    """A passage where the guide shows it: its anchor and its page."""

    anchor: str = ""
    docname: str = ""


@dataclass(frozen=True)
class Quotation:
    """A quotation on a debate page, and the position (tab) it is filed under."""

    id: str
    anchor: str  # the passage quoted
    excerpt: str  # empty: the whole passage
    position: str  # the tab's label, or ""
    sync: str  # the tab's sync key, or ""
    line: int | None


@dataclass(frozen=True)
class GlossaryTerm:
    id: str
    name: str
    forms: tuple[str, ...]
    acronyms: tuple[str, ...]


@dataclass(frozen=True)
class SessionRange:
    first: str
    last: str
    line: int


@dataclass
class BuildCache:
    """Worked out once per build from the whole store; see the module's docstring."""

    passage_index: dict[str, Located] | None = None
    first_appearances: dict[str, list[Located]] | None = None
    terms_first_used: dict[str, dict[str, list[str]]] | None = None
    # bibliography.cite's work, by its arguments, and the BibTeX entries it fills in.
    citations: dict[tuple[str, str, str | None, str | None], dict[str, Any]] = field(default_factory=dict)
    bibtex_templates: dict[tuple[str, bool], str] = field(default_factory=dict)
    csl: Any = None  # the CSL processor's answer for this build (csl.Citations)


@dataclass
class GuideData:
    passages: dict[str, list[Located]] = field(default_factory=dict)  # reading page -> its passages
    readings: dict[str, Reading] = field(default_factory=dict)  # reading page -> its metadata
    table_docs: set[str] = field(default_factory=set)  # pages with a readings table
    quotations: dict[str, list[Quotation]] = field(default_factory=dict)  # page -> its quotations
    pararefs: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)  # page -> (anchor, line)
    placeholders: dict[str, set[str]] = field(default_factory=dict)  # page -> {"links", "matrix", ...}
    glossary: dict[str, list[GlossaryTerm]] = field(default_factory=dict)  # page -> its glossary terms
    sessions: dict[str, list[SessionRange]] = field(default_factory=dict)  # page -> its session ranges
    # For the current build only: pages read, and readings that lost a quotation.
    reread: set[str] = field(default_factory=set)
    old_quoted: set[str] = field(default_factory=set)
    cache: BuildCache = field(default_factory=BuildCache)

    PER_DOCUMENT = ("passages", "readings", "quotations", "pararefs", "placeholders", "glossary", "sessions")

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["cache"] = BuildCache()
        return state


def guide_data(env: BuildEnvironment) -> GuideData:
    data = getattr(env, "guide_data", None)
    if data is None:
        data = GuideData()
        env.guide_data = data  # type: ignore[attr-defined]
    return data


def start_build(app: Sphinx) -> None:
    data = guide_data(app.env)
    data.reread, data.old_quoted = set(), set()
    data.cache = BuildCache()


def before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    guide_data(env).reread = set(docnames)


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    data = guide_data(env)
    for name in GuideData.PER_DOCUMENT:
        getattr(data, name).pop(docname, None)
    data.table_docs.discard(docname)


def merge_data(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """Take what parallel readers found in their documents."""
    mine, theirs = guide_data(env), guide_data(other)
    for name in GuideData.PER_DOCUMENT:
        found = getattr(theirs, name)
        getattr(mine, name).update({d: found[d] for d in docnames if d in found})
    mine.table_docs |= theirs.table_docs & docnames
    mine.old_quoted |= theirs.old_quoted


def forget_cache(app: Sphinx, env: BuildEnvironment) -> None:
    # After reading, the store is final until the next build: whole-guide indexes are made once for all pages.
    guide_data(env).cache = BuildCache()


def passage_index(env: BuildEnvironment) -> dict[str, Located]:
    """Anchor -> passage, for every passage of every reading."""
    cache = guide_data(env).cache
    if cache.passage_index is None:
        cache.passage_index = {p.anchor: p for passages in guide_data(env).passages.values() for p in passages}
    return cache.passage_index


def short_title_of(env: BuildEnvironment, docname: str) -> str:
    reading = guide_data(env).readings.get(docname)
    return reading.short_title if reading else docname


def ordered_readings(env: BuildEnvironment) -> list[tuple[str, Reading]]:
    """Reading pages in the order of their source files."""
    return sorted(guide_data(env).readings.items(), key=lambda item: item[1].source)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", start_build)
    app.connect("env-before-read-docs", before_read)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_data)
    app.connect("env-updated", forget_cache)
