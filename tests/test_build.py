"""The built HTML guide: every passage verbatim at its anchor, the structure visible, zero warnings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness import ROOT, Build, build_site, make_project, normalise, shown_text
from reading_guide.converter.corpus import SourceReading, read_corpus
from reading_guide.schema import WORDS_PER_MINUTE, Passage, statistics

READINGS = read_corpus(ROOT / "sources")
PASSAGES = [(r, p) for r in READINGS for p in r.passages]


def test_build_has_no_warnings(guide: Build) -> None:
    """The guide builds nitpicky with not one warning."""
    assert guide.warnings == ""


@pytest.mark.parametrize(("reading", "passage"), PASSAGES, ids=[r.anchor(p.number) for r, p in PASSAGES])
def test_passage_is_verbatim_at_its_anchor(guide: Build, reading: SourceReading, passage: Passage) -> None:
    """The element with the passage's anchor shows exactly the passage's text."""
    element = guide.reading(reading.slug).find(id=reading.anchor(passage.number))
    assert element is not None
    assert normalise(shown_text(element)) == normalise(passage.text)


@pytest.mark.parametrize("reading", READINGS, ids=[r.slug for r in READINGS])
def test_passages_in_source_order(guide: Build, reading: SourceReading) -> None:
    """The post and its comments appear in source order; furniture, in order, at the end."""
    page = guide.reading(reading.slug)
    wanted = {reading.anchor(p.number) for p in reading.passages}
    shown = [e["id"] for e in page.find_all(id=True) if e["id"] in wanted]
    text = [reading.anchor(p.number) for p in reading.passages if p.kind != "furniture"]
    furniture = [reading.anchor(p.number) for p in reading.passages if p.kind == "furniture"]
    assert shown == text + furniture


@pytest.mark.parametrize("reading", READINGS, ids=[r.slug for r in READINGS])
def test_structure_is_visible(guide: Build, reading: SourceReading) -> None:
    """Title as h1, headings as h2 in the page's contents, comments nested as threads."""
    soup = guide.soup(f"readings/{reading.slug}.html")
    page = guide.reading(reading.slug)
    title = next(p for p in reading.passages if p.kind == "title")
    assert page.find(id=reading.anchor(title.number)).find("h1") is not None
    for passage in reading.passages:
        number = page.find(id=reading.anchor(passage.number)).select_one(".passage-number")
        assert number["href"] == f"#{reading.anchor(passage.number)}"
        assert " ".join(number.get_text().split()) == f"¶ {passage.number}"
    page_toc = {a["href"] for a in soup.select("#jb-print-toc a[href^='#']")}
    for heading in (p for p in reading.passages if p.kind == "heading"):
        assert page.find(id=reading.anchor(heading.number)).find("h2") is not None
        assert f"#{reading.anchor(heading.number)}" in page_toc
    for passage in (p for p in reading.passages if p.kind == "comment"):
        element = page.find(id=reading.anchor(passage.number))
        comment = element.find_parent(class_="comment")
        assert comment["data-thread"] == passage.thread
        parent = comment.find_parent(class_="comment")
        assert (parent["data-thread"] if parent else None) == (
            passage.thread.rsplit(".", 1)[0] if "." in passage.thread else None
        )
    if any(p.thread for p in reading.passages):
        # The comments' section is in the page's contents, by its anchor or by its header's ¶ anchor.
        section = page.find(id=reading.slug + "-comments")
        section_ids = {f"#{i}" for i in section.get("ids", [section["id"]])} if section else set()
        header = next((p for p in reading.passages if p.kind == "comments-header"), None)
        if header is not None:
            section_ids.add(f"#{reading.anchor(header.number)}")
            assert page.find(id=reading.anchor(header.number)).find("h2") is not None
        assert section_ids & page_toc


def test_removed_comment_is_shown_as_removed(guide: Build) -> None:
    """The removed comment keeps its text and is labelled as removed."""
    page = guide.article("readings/beyond-harm-reduction.html")
    removed = page.select(".comment-removed")
    assert [c["data-thread"] for c in removed] == ["c3"]
    assert removed[0].select_one(".comment-status").get_text() == "removed"


def test_bullet_marker_is_kept_as_label(guide: Build) -> None:
    """A reply marked with a bullet in the source says so in its header."""
    page = guide.article("readings/harm-of-harm-reduction.html")
    header = page.find(id="harm-of-harm-reduction-c1-1").select_one(".comment-header")
    assert normalise(header.get_text()) == "Reply 1.1 (marked “•” in the source)"


@pytest.mark.parametrize("reading", READINGS, ids=[r.slug for r in READINGS])
def test_furniture_is_collapsed_as_captured(guide: Build, reading: SourceReading) -> None:
    """Page furniture sits in a closed, labelled details element under "As captured"."""
    page = guide.reading(reading.slug)
    furniture = [reading.anchor(p.number) for p in reading.passages if p.kind == "furniture"]
    details = page.select("details.captured")
    if not furniture:
        assert details == []
        return
    assert len(details) == 1 and not details[0].has_attr("open")
    assert "Page furniture as captured" in details[0].summary.get_text()
    assert [e["id"] for e in details[0].select(".passage")] == furniture


def test_citation_index(guide: Build) -> None:
    """passages.json lists every passage of every reading, as the converter split them."""
    index = guide.passages()
    assert [r["source"] for r in index["readings"]] == [r.source for r in READINGS]
    for entry, reading in zip(index["readings"], READINGS, strict=True):
        assert entry["slug"] == reading.slug and entry["title"] == reading.title
        assert entry["page"] == f"readings/{reading.slug}.html"
        assert [(p["id"], p["number"], p["kind"], p["thread"], p["text"]) for p in entry["passages"]] == [
            (reading.anchor(p.number), p.number, p.kind, p.thread, p.text) for p in reading.passages
        ]
        page = guide.article(entry["page"])
        assert all(page.find(id=p["id"]) is not None for p in entry["passages"])


def test_published_anchors_keep_their_text(guide: Build) -> None:
    """Every anchor recorded in tests/anchors.json still exists and still names the same text."""
    recorded = json.loads((ROOT / "tests" / "anchors.json").read_text(encoding="utf-8"))
    pages = {r.slug: guide.reading(r.slug) for r in READINGS}
    broken = []
    for anchor, text in recorded.items():
        page = next((p for slug, p in pages.items() if anchor.startswith(slug + "-")), None)
        element = page.find(id=anchor) if page else None
        if element is not None and "comment" in element.get("class", []):
            element = element.select_one(".passage")
        if element is None or normalise(shown_text(element)) != normalise(text):
            broken.append(anchor)
    assert broken == []


def test_home_page_lists_the_readings(guide: Build) -> None:
    """The home page's table has one row per reading with words, time and comments."""
    rows = guide.article("index.html").select("table.readings-table tbody tr")
    cells = [[normalise(td.get_text()) for td in row.find_all("td")] for row in rows]
    assert [c[0] for c in cells] == [r.record.short_title for r in READINGS]
    for row, reading in zip(cells, READINGS, strict=True):
        counts = statistics(reading.passages)
        words, comments, replies = counts.words, counts.comments, counts.replies
        assert row[3:] == [str(words), f"{-(-words // WORDS_PER_MINUTE)} min", f"{comments} + {replies}"]
    assert "Content note" in guide.article("index.html").get_text()


def published_files(outdir: Path) -> dict[str, bytes]:
    """Every file a build publishes (not Sphinx's own .doctrees and .buildinfo)."""
    return {
        p.relative_to(outdir).as_posix(): p.read_bytes()
        for p in outdir.rglob("*")
        if p.is_file() and ".doctrees" not in p.parts and p.name != ".buildinfo"
    }


def test_parallel_build_matches(guide: Build, tmp_path: Path) -> None:
    """A -j 2 build is clean too and publishes exactly the same files as -j 1 (parallel-safe extension)."""
    docs = make_project(tmp_path, ROOT / "sources")
    parallel = build_site(docs, tmp_path / "html", parallel=2)
    assert parallel.warnings == ""
    serial, concurrent = published_files(guide.outdir), published_files(parallel.outdir)
    assert sorted(serial) == sorted(concurrent)
    assert [name for name in serial if serial[name] != concurrent[name]] == []


def test_duplicate_anchor_across_pages_warns(tmp_path: Path) -> None:
    """Two pages that claim the same anchor make the build warn (an error under -W)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n```{toctree}\na\nb\n```\n", encoding="utf-8")
    for name in "ab":
        (docs / f"{name}.md").write_text(
            f'# Page {name}\n\n```{{reading}}\n---\nsource: "{name}.txt"\nslug: "same"\n---\n```\n\n'
            "```{passage} same-2\n---\nkind: paragraph\n---\nText.\n```\n",
            encoding="utf-8",
        )
    result = build_site(docs, tmp_path / "html")
    assert "passage anchor 'same-2' is used in a and b" in result.warnings
