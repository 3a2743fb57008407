"""What the guide's Sphinx extension keeps in the build environment, in one typed place.

Everything here is per document (keyed by docname), so a document can be purged and
re-read alone, and parallel readers' findings can be merged back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


@dataclass
class GuideData:
    passages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # reading page -> its passages
    readings: dict[str, dict[str, str]] = field(default_factory=dict)  # reading page -> its metadata
    table_docs: set[str] = field(default_factory=set)  # pages with a readings table
    quotations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # page -> its quotations
    pararefs: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # page -> (anchor, line)
    placeholders: dict[str, set[str]] = field(default_factory=dict)  # page -> {"links", "matrix", ...}
    glossary: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # page -> its glossary terms
    sessions: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)  # page -> (first, last, line)
    # For the current build only: pages read, and readings that lost a quotation.
    reread: set[str] = field(default_factory=set)
    old_quoted: set[str] = field(default_factory=set)

    PER_DOCUMENT = ("passages", "readings", "quotations", "pararefs", "placeholders", "glossary", "sessions")


def guide_data(env: BuildEnvironment) -> GuideData:
    data = getattr(env, "guide_data", None)
    if data is None:
        data = GuideData()
        env.guide_data = data  # type: ignore[attr-defined]
    return data


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
