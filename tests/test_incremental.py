"""Rebuilds cost only what changed: nothing re-read for no change, one page for one source."""

from __future__ import annotations

import shutil
from pathlib import Path

from harness import ROOT, build_site, convert, make_project


def test_rebuilds_read_only_what_changed(tmp_path: Path) -> None:
    """No change re-reads nothing; a changed source re-reads its page, and pages quoting it show the change."""
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    docs = make_project(tmp_path, sources)
    first = build_site(docs, tmp_path / "html")
    assert first.warnings == "" and len(first.reread) > 10

    again = build_site(docs, tmp_path / "html", freshenv=False)
    assert again.warnings == "" and again.reread == []

    sidecar = sources / "002_8ef88bd3e111b80e.toml"
    sidecar.write_text(
        sidecar.read_text(encoding="utf-8").replace('short_title = "We need both"', 'short_title = "Both, edited"'),
        encoding="utf-8",
    )
    assert convert(["--sources", str(sources), "--output", str(docs / "readings")]) == 0
    edited = build_site(docs, tmp_path / "html", freshenv=False)
    assert edited.warnings == ""
    assert edited.reread == ["readings/we-need-both"]
    assert "Both, edited, ¶\u00a032" in edited.article("debates/goal-or-step.html").get_text()
    assert "Both, edited" in edited.article("index.html").select_one("table.readings-table").get_text()
    assert "Both, edited" in edited.article("debates/index.html").select_one("table.debate-matrix").get_text()
    assert "Both, edited" in edited.article("glossary.html").select_one("dl.glossary-entry").get_text()
    assert "Both, edited" in edited.article("content-notes.html").get_text()
    assert "Both, edited" in edited.article("plan.html").get_text()

    # A new glossary term re-reads the glossary alone; the readings it appears in gain a margin note.
    glossary = docs / "glossary.md"
    glossary.write_text(
        glossary.read_text(encoding="utf-8") + "\n:::{glossary-term} Browser tabs\n:forms: tabs\nTest.\n:::\n",
        encoding="utf-8",
    )
    extended = build_site(docs, tmp_path / "html", freshenv=False)
    assert extended.warnings == ""
    assert extended.reread == ["glossary"]
    note = extended.reading("we-need-both").select_one("aside.glossary-note a[href$='#term-browser-tabs']")
    assert note is not None


UNRELATED = ["about.html", "readings/goal-not-step.html", "debates/twelve-step.html"]


def test_editing_a_quoted_passage_rereads_its_reading_only(tmp_path: Path) -> None:
    """An edit to a source's text, accepted, re-reads that reading alone; the debate that quotes the passage
    whole shows the new text and warns that the passage changed, with both texts."""
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    docs = make_project(tmp_path, sources)
    first = build_site(docs, tmp_path / "html")
    assert first.warnings == ""
    written = {page: (first.outdir / page).stat().st_mtime_ns for page in UNRELATED}

    source = sources / "002_8ef88bd3e111b80e.txt"  # its ¶ 28 is quoted whole in the British Columbia debate
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("compassion and empathy", "compassion and real empathy", 1), encoding="utf-8")
    assert convert(["--sources", str(sources), "--output", str(docs / "readings")]) == 1  # a decision to make
    assert convert(["--sources", str(sources), "--output", str(docs / "readings"), "--accept", str(source)]) == 0
    edited = build_site(docs, tmp_path / "html", freshenv=False)
    warned = [line for line in edited.warnings.splitlines() if "WARNING" in line]
    assert len(warned) == 1 and "british-columbia.md" in warned[0]
    assert "quotation of the whole of passage 'we-need-both-28', which changed" in warned[0]
    assert "compassion and empathy" in warned[0] and "compassion and real empathy" in warned[0]
    assert edited.reread == ["readings/we-need-both"]
    quoted = edited.article("debates/british-columbia.html").select_one(
        "#quote-debates-british-columbia-we-need-both-28"
    )
    assert "compassion and real empathy" in quoted.get_text()
    # Pages that neither show nor link to the edited reading are not written again.
    assert {page: (edited.outdir / page).stat().st_mtime_ns for page in UNRELATED} == written
