"""A re-captured reading as a reader sees it, in HTML and in print (README, "Captured again").

One copy of 004 captured again (a paragraph, a reply and a comment added, a passage edited, a reply
deleted), the change accepted, built once as HTML and as a PDF; the register's own tests are in
test_register.py.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from harness import ROOT, Build, build_pdfs, build_site, flat, make_project, publish
from reading_guide.converter.corpus import SourceReading
from reading_guide.converter.register import read_register

# -- What a reader sees of a re-captured reading, in HTML and in print ---------------------------------


@pytest.fixture(scope="module")
def recaptured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Path, SourceReading]:
    """004 captured again with a paragraph, a reply and a comment added, ¶ 7 edited and comment 2.1 deleted,
    the change accepted; built once as HTML and as a PDF."""
    tmp = tmp_path_factory.mktemp("recaptured")
    project = publish(tmp, ROOT / "sources" / "004_fd4cb0e37ec218b9.txt")
    lines = project.text.split("\n")
    lines[12] = lines[12].replace("collaboration and integration", "collaboration or integration")
    lines[39:39] = ["  3. A comment added at the end of the thread.", ""]  # above "Comments are closed."
    del lines[34:38]  # comment 2.1: "1. Here, here. …" and its second paragraph
    lines[21:21] = ["", "    1. A reply added under the first comment, weeks later."]
    lines[7:7] = ["", "An update added to the post."]
    project.recapture("\n".join(lines))
    assert project.convert().returncode == 1
    assert project.convert("--accept", str(project.source)).returncode == 0
    docs = make_project(tmp / "site", project.sources, whole_guide=False)
    build = build_site(docs, tmp / "site" / "html")
    _, (pdf,) = build_pdfs(docs, tmp / "site" / "latex")
    return build, pdf, project.reading()


def test_every_published_anchor_resolves_in_html(recaptured: tuple[Build, Path, SourceReading]) -> None:
    """Every ¶ and comment anchor the register holds is an element of the page: kept, added, changed, removed."""
    build, _, _ = recaptured
    page = build.reading("goal-not-step")
    register = read_register(ROOT / "sources" / "004_fd4cb0e37ec218b9.txt")
    assert register is not None
    published = {f"goal-not-step-{e.label}" for e in register.entries}
    published |= {f"goal-not-step-{e.thread.replace('.', '-')}" for e in register.entries if e.thread}
    assert sorted(a for a in published if page.find(id=a) is None) == []
    # This site has no bibliography page (whole_guide=False): the reading's works are not looked up.
    assert [w for w in build.warnings.splitlines() if "WARNING" in w and "bibtex.key_not_found" not in w] == []
    for number in ("4a", "11a", "20"):
        assert page.find(id=f"goal-not-step-{number}").select_one(".passage-number").get_text() == f"¶\u00a0{number}"
    assert page.find(id="goal-not-step-c3").find(id="goal-not-step-20") is not None
    assert page.find(id="goal-not-step-c1-1").find(id="goal-not-step-11a") is not None


def test_a_changed_passage_shows_its_earlier_text(recaptured: tuple[Build, Path, SourceReading]) -> None:
    """¶ 7 shows the new text, says it changed since first captured, and keeps the earlier text one click away."""
    build, _, _ = recaptured
    passage = build.reading("goal-not-step").find(id="goal-not-step-7")
    assert "passage-changed" in passage["class"]
    assert "collaboration or integration" in passage.get_text()
    history = passage.find_next_sibling("details")
    assert "passage-history" in history["class"]
    assert history.summary.get_text().startswith("Changed since first captured")
    assert "collaboration and integration" in history.get_text()


def test_removed_passages_stay_where_links_lead(recaptured: tuple[Build, Path, SourceReading]) -> None:
    """Comment 2.1's passages are in "Removed from the source" with their text as it was and a note that names
    the capture; the comment's own anchor leads there too."""
    build, _, _ = recaptured
    page = build.reading("goal-not-step")
    section = page.find(id="goal-not-step-removed")
    for number in ("17", "18"):
        passage = section.find(id=f"goal-not-step-{number}")
        assert passage is not None and "passage-removed" in passage["class"]
        assert passage.find_next_sibling(class_="passage-history").get_text().startswith("Not in the capture of")
    assert section.find(id="goal-not-step-c2-1") is not None
    assert "Here, here." in section.get_text()


def test_passages_json_and_the_reading_page_tell_the_history(recaptured: tuple[Build, Path, SourceReading]) -> None:
    """passages.json gives each passage its status and since; the reading page lists the captures."""
    build, _, reading = recaptured
    entries = {p["number"]: p for p in build.passages()["readings"][0]["passages"]}
    assert entries["7"]["status"] == "changed" and "collaboration and integration" in entries["7"]["earlier"][0]["text"]
    assert entries["17"]["status"] == "removed" and entries["17"]["removed_in"]
    assert entries["4a"]["status"] == "" and entries["4a"]["since"] and entries["1"]["since"]
    captures = build.reading("goal-not-step").select_one(".reading-captures").get_text()
    assert re.search(r"again on \d{4}-\d\d-\d\d: 3 added, 1 changed, 2 removed", captures), captures
    assert reading.record.captured in captures


def test_every_published_anchor_is_a_named_destination_in_print(recaptured: tuple[Build, Path, SourceReading]) -> None:
    """In the PDF the added, changed and removed passages, and the removed comment, are named destinations;
    the changed passage's earlier text and the removed passages' note print too."""
    _, pdf, _ = recaptured
    destinations = set(PdfReader(pdf).named_destinations)
    wanted = {"goal-not-step-4a", "goal-not-step-7", "goal-not-step-17", "goal-not-step-18", "goal-not-step-c2-1"}
    assert sorted(wanted - destinations) == []
    text = flat(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert "Changed since first captured" in text and "collaboration and integration" in text
    assert "Not in the capture of" in text and "Here, here." in text
