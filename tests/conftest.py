"""Fixtures: the real guide, built once for the whole test run, and the converter's view of the sources."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings
from playwright.sync_api import Playwright, sync_playwright

from harness import ROOT, Build, accuracy_table, build_site, make_project, scored_styles
from reading_guide.converter.corpus import SourceReading, read_corpus

# Property tests: `make test` runs the "guide" profile (about a minute in all), `make test-deep` the "deep"
# one (about ten minutes). A test that builds Sphinx for every example asks for a sixteenth of max_examples.
settings.register_profile("guide", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=8000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# `make mutants` runs the tests once per mutant: a few examples each is enough to kill a mutant.
settings.register_profile("mutants", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("GUIDE_HYPOTHESIS_PROFILE", "guide"))


@pytest.fixture(scope="session")
def guide(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The real guide, converted from sources/ and built once for the whole test run."""
    tmp = tmp_path_factory.mktemp("guide")
    docs = make_project(tmp, ROOT / "sources")
    return build_site(docs, tmp / "html")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """One Playwright for the run: its sync API cannot be started twice in one thread."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def readings() -> list[SourceReading]:
    return read_corpus(ROOT / "sources")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """After a run that scored the captures: the accuracy per style (tests/captures/README.md)."""
    if scored_styles():
        terminalreporter.section("captures against their gold")
        for row in accuracy_table():
            terminalreporter.write_line(row)
