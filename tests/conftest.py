"""Fixtures: the real guide, built once for the whole test run, and the converter's view of the sources."""

from __future__ import annotations

import pytest

from harness import ROOT, Build, build_site, make_project
from reading_guide.converter.corpus import SourceReading, read_corpus


@pytest.fixture(scope="session")
def guide(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real guide, converted from sources/ and built once for the whole test run."""
    tmp = tmp_path_factory.mktemp("guide")
    docs = make_project(tmp, ROOT / "sources")
    return build_site(docs, tmp / "html")


@pytest.fixture(scope="session")
def readings() -> list[SourceReading]:
    return read_corpus(ROOT / "sources")
