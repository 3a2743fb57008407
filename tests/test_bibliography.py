"""refs.bib and citing: valid for pybtex and bibtex, every key used exists, citations built from it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pybtex.database
import pytest

from harness import ROOT, Build, build_site, make_project, margin_notes
from reading_guide.converter.corpus import read_corpus

BIB = pybtex.database.parse_file(str(ROOT / "refs.bib"))
READINGS = read_corpus(ROOT / "sources")
# Works listed on the Bibliography page although no passage or framing cites them: none yet.
LISTED_ON_PURPOSE: dict[str, str] = {}


def cited_keys() -> set[str]:
    """Every refs.bib key the guide uses: cite roles in docs/, sidecar bibkeys and passage cites."""
    keys = set()
    for page in (ROOT / "docs").rglob("*.md"):
        for group in re.findall(r"\{cite:[pt]\}`([^`]+)`", page.read_text(encoding="utf-8")):
            keys |= {key.strip() for key in group.split(",")}
    for reading in READINGS:
        keys.add(reading.record.bibkey)
        for passage in reading.passages:
            keys |= set(passage.cites)
    return keys


def test_pybtex_reads_refs_bib_without_warnings() -> None:
    """pybtex parses refs.bib with no warning (no duplicate keys, no bad syntax)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = pybtex.database.parse_file(str(ROOT / "refs.bib"))
    assert len(data.entries) >= 18


def test_bibtex_reads_refs_bib_without_warnings(tmp_path: Path) -> None:
    """TeX Live's bibtex, on a tiny document citing every key, reports no error and no warning."""
    shutil.copy(ROOT / "refs.bib", tmp_path / "refs.bib")
    (tmp_path / "all.aux").write_text("\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n", encoding="utf-8")
    result = subprocess.run(["bibtex", "all"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
    assert "Warning" not in result.stdout and "error" not in result.stdout.lower()
    assert (tmp_path / "all.bbl").read_text(encoding="utf-8").count("\\bibitem") == len(BIB.entries)


def test_every_cited_key_exists() -> None:
    """Each key used in the guide is an entry of refs.bib."""
    assert cited_keys() - set(BIB.entries) == set()


def test_every_entry_is_cited_or_listed_on_purpose() -> None:
    """No entry sits in refs.bib by accident."""
    assert set(BIB.entries) - cited_keys() - set(LISTED_ON_PURPOSE) == set()


@pytest.mark.parametrize("key", sorted(BIB.entries))
def test_dois_and_urls_are_well_formed(key: str) -> None:
    """A DOI looks like 10.NNNN/...; a URL is http(s) with no spaces."""
    fields = BIB.entries[key].fields
    if "doi" in fields:
        assert re.fullmatch(r"10\.\d{4,9}/\S+", fields["doi"])
    if "url" in fields:
        assert re.fullmatch(r"https?://[^\s{}]+", fields["url"])


def test_bibliography_page_lists_every_entry(guide: Build) -> None:
    """The Bibliography page has one entry per refs.bib key, each at its anchor cite-<key>."""
    page = guide.article("bibliography.html")
    ids = {entry["id"] for entry in page.select("div.citation")}
    assert ids == {"cite-" + key.replace("_", "-").lower() for key in BIB.entries}


def test_reading_lists_its_works_and_margin_notes(guide: Build) -> None:
    """A reading lists the works its passages mention; those passages carry a margin note, text untouched."""
    reading = next(r for r in READINGS if r.slug == "we-need-both")
    page = guide.reading("we-need-both")
    items = page.select("ul.works-referred > li")
    assert len(items) == 3
    notes = page.select("aside.work-note")
    cited = [p.number for p in reading.passages if p.cites]
    assert len(notes) == len(cited)
    for number in cited:
        note = next(a for a in margin_notes(page.find(id=reading.anchor(number))) if "work-note" in a["class"])
        assert note.select("a[href*='bibliography.html']")


def test_citations_carry_the_paragraph(guide: Build) -> None:
    """Every passage in passages.json is cited with its ¶ as the paragraph in every style, and carries its link."""
    paragraph = {"mla": "par. {}"}
    for reading in guide.passages()["readings"]:
        assert reading["citation"] and reading["bibtex"].startswith("@")
        page = guide.article(reading["page"])
        for passage in reading["passages"]:
            for style, text in passage["citations"].items():
                assert paragraph.get(style, "para. {}").format(passage["number"]) in text
            assert passage["link"] == f"{reading['page']}#{passage['id']}"
            assert passage["link"].replace("#", "\\#") in passage["bibtex"]
            element = page.find(id=passage["id"])
            if "passage" in element.get("class", []):
                assert element["data-citation"] == passage["citation"]
                assert json.loads(element["data-cite"])["item"] == passage["item"]


def test_citations_are_built_from_refs_bib(tmp_path: Path) -> None:
    """Change an entry in refs.bib and the citations of its reading change with it."""
    bib = tmp_path / "refs.bib"
    bib.write_text(
        (ROOT / "refs.bib")
        .read_text(encoding="utf-8")
        .replace("howpublished = {Recovery Review (recoveryreview.blog)}", "howpublished = {Recovery Review, edited}"),
        encoding="utf-8",
    )
    docs = make_project(tmp_path, ROOT / "sources")
    build = build_site(docs, tmp_path / "html", confoverrides={"bibtex_bibfiles": [str(bib)]})
    goal = next(r for r in build.passages()["readings"] if r["slug"] == "goal-not-step")
    assert all("recovery review, edited" in text.lower() for text in goal["citations"].values())
    assert "Recovery Review, Edited, June 13" in goal["citations"]["chicago-author-date"]  # a blog's name, title-cased
