"""Hostile and awkward sources through the real converter and build: text stays text, nothing runs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from harness import ROOT, Build, build_site, make_project, normalise, shown_text, words
from reading_guide.converter.corpus import SourceReading, read_corpus
from reading_guide.converter.pages import write_atomically
from reading_guide.converter.render import escape_inline

HOSTILE = ROOT / "tests" / "hostile"
# Text that would appear if a source managed to include a file.
LEAKS = ["root:x:0:0", "forbid_raw_and_includes", Path("/etc/hostname").read_text().strip() or "no-hostname"]


def build_corpus(tmp: Path, sources: Path) -> tuple[Build, list[SourceReading]]:
    docs = make_project(tmp, sources, whole_guide=False)
    return build_site(docs, tmp / "html"), read_corpus(sources)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, list[SourceReading]]:
    tmp = tmp_path_factory.mktemp("hostile")
    shutil.copytree(HOSTILE, tmp / "sources")
    return build_corpus(tmp, tmp / "sources")


def test_hostile_build_is_clean(hostile: tuple[Build, list[SourceReading]]) -> None:
    """Hostile sources build without a single warning, and every passage can still be cited."""
    build, readings = hostile
    assert build.warnings == ""
    assert len(readings) == len(list(HOSTILE.glob("*.txt")))
    for reading in build.passages()["readings"]:
        assert all(p["citation"] and p["bibtex"].startswith("@misc{") for p in reading["passages"])


def test_hostile_text_is_verbatim(hostile: tuple[Build, list[SourceReading]]) -> None:
    """Every hostile passage is shown as exactly its text at its anchor."""
    build, readings = hostile
    for reading in readings:
        page = build.reading(reading.slug)
        for passage in reading.passages:
            element = page.find(id=reading.anchor(passage.number))
            assert element is not None and normalise(shown_text(element)) == normalise(passage.text), passage


def test_nothing_from_a_source_becomes_markup(hostile: tuple[Build, list[SourceReading]]) -> None:
    """No script, image, frame, style or event attribute reaches a page; entities stay as typed."""
    build, readings = hostile
    for reading in readings:
        page = build.reading(reading.slug)
        assert page.find_all(["script", "img", "iframe", "style", "svg", "b", "div"], class_=False) == []
        assert [a for tag in page.find_all(True) for a in tag.attrs if a.startswith("on")] == []
        assert page.find_all(href=lambda h: h and h.strip().lower().startswith("javascript")) == []
        assert page.find_all(["pre", "code", "math", "table", "ul", "ol", "hr"], class_=False) == []
    html = next(r for r in readings if r.source == "html-and-links.txt")
    text = (build.outdir / f"readings/{html.slug}.html").read_text(encoding="utf-8")
    assert "&amp;amp; &amp;lt;b&amp;gt; &amp;#60;script&amp;#62;" in text


def test_no_file_is_read_because_of_a_source(hostile: tuple[Build, list[SourceReading]]) -> None:
    """Nothing of /etc/passwd, /etc/hostname or conf.py appears anywhere in the output."""
    build, _ = hostile
    for page in build.outdir.rglob("*"):
        if page.is_file() and page.suffix in {".html", ".json", ".js", ".txt"}:
            content = page.read_text(encoding="utf-8", errors="replace")
            assert not [leak for leak in LEAKS if leak in content], page


def test_hostile_structure(hostile: tuple[Build, list[SourceReading]]) -> None:
    """Markup-looking lines do not change the structure: comments still thread, headings stay text."""
    _, readings = hostile
    html = next(r for r in readings if r.source == "html-and-links.txt")
    assert [(p.kind, p.thread) for p in html.passages][-2:] == [("comment", "c1"), ("comment", "c1.1")]
    assert html.title.startswith("<script>")


AWKWARD = {
    "a post with spaces é.txt": (
        "\ufeffAwkward\u00a0but faithful: עברית, 中文, emoji 😀, cafe\u0301\r\n\r\n"
        "Tabs\tinside, trailing spaces   \r\nand a non-breaking\u00a0space.\r\n\r\n"
        + "A very long line " * 800
        + "\r\n\r\nمرحبا بالعالم — right to left, then 日本語のテキスト.\r\n"
    ),
    "ünïcödé.txt": "Second reading\n\n\u00a0\u00a0Indented by non-breaking spaces.\n",
}


def test_awkward_sources_are_faithful(tmp_path: Path) -> None:
    """BOM, CRLF, tabs, NBSP, long lines, RTL, CJK, emoji, accents and odd file names all build verbatim."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for name, text in AWKWARD.items():
        (sources / name).write_bytes(text.encode("utf-8"))
    build, readings = build_corpus(tmp_path, sources)
    assert build.warnings == ""
    for reading in readings:
        source = (sources / reading.source).read_text(encoding="utf-8-sig")
        assert words(" ".join(p.text for p in reading.passages)) == words(source)
        page = build.reading(reading.slug)
        for passage in reading.passages:
            assert normalise(shown_text(page.find(id=reading.anchor(passage.number)))) == normalise(passage.text)
    first = readings[0].passages
    assert first[0].text.startswith("Awkward\u00a0but") and "\r" not in first[1].text
    assert first[1].text == "Tabs\tinside, trailing spaces\nand a non-breaking\u00a0space."
    assert readings[1].passages[1].text == "\u00a0\u00a0Indented by non-breaking spaces."


def test_failed_write_leaves_the_old_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the final rename fails, the old page is intact and no temporary file is left behind."""
    page = tmp_path / "page.md"
    page.write_text("old content\n", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(page, "new content\n")
    assert page.read_text(encoding="utf-8") == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]


def test_configuration_forbids_includes_and_raw(tmp_path: Path) -> None:
    """Defence in depth: even a hand-written page cannot include files or pass raw HTML through."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(
        "# Page\n\n```{include} /etc/passwd\n```\n\n```{eval-rst}\n.. raw:: html\n\n   <script>x</script>\n```\n\n"
        "<script>y</script>\n",
        encoding="utf-8",
    )
    build = build_site(docs, tmp_path / "html")
    assert 'Directive "include" disabled' in build.warnings and '"raw" directive disabled' in build.warnings
    page = build.article("index.html")
    assert page.find_all("script") == [] and "root:x:0:0" not in page.get_text()


TITLES = "titles.txt"


def test_hostile_titles_headings_and_sidecar_values_are_exact(hostile: tuple[Build, list[SourceReading]]) -> None:
    """A title, a heading and the sidecar's values full of Markdown, MyST and HTML syntax are shown as typed."""
    build, readings = hostile
    reading = next(r for r in readings if r.source == TITLES)
    page = build.reading(reading.slug)
    title = next(p for p in reading.passages if p.kind == "title")
    heading = next(p for p in reading.passages if p.kind == "heading")
    assert normalise(shown_text(page.find(id=reading.anchor(title.number)))) == title.text
    assert title.text.startswith("**Bold** title, <b>tags</b>, $x$, {role}`x`, (x)=")
    assert page.find(id=reading.anchor(title.number)).find("h1") is not None
    assert normalise(shown_text(page.find(id=reading.anchor(heading.number)))) == heading.text
    assert page.find(id=reading.anchor(heading.number)).find("h2") is not None
    info = normalise(page.select_one(".reading-info p").get_text())
    assert info == f"By {reading.record.author} · {reading.record.blog} · source file {TITLES}"
    table = build.article("index.html").select_one("table.readings-table")
    assert reading.record.short_title in [normalise(td.get_text()) for td in table.select("td")]
    for passage in reading.passages:
        element = page.find(id=reading.anchor(passage.number))
        shown = element.find(["h1", "h2"]) if element.name == "section" else element
        assert shown.find_all(["strong", "em", "code", "b", "i", "math", "a"], class_=False) == []
    index = next(r for r in build.passages()["readings"] if r["source"] == TITLES)
    assert index["title"] == title.text


def test_titles_stay_text_even_where_markdown_allows_html(hostile: tuple[Build, list[SourceReading]]) -> None:
    """Each title and heading the converter writes is text to any CommonMark parser, raw HTML allowed:
    the guide's configuration turns HTML off, but the escaping must not depend on it."""
    _, readings = hostile
    parser = MarkdownIt("commonmark")
    for reading in readings:
        for passage in (p for p in reading.passages if p.kind in ("title", "heading")):
            line = "# " + escape_inline(passage.text)
            html = BeautifulSoup(parser.render(line), "lxml").body
            assert [tag.name for tag in html.find_all(True)] == ["h1"], line
            assert html.h1.get_text() == passage.text
