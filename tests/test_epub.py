"""The EPUB for e-readers: built once with Sphinx's epub builder, checked by epubcheck, then read as XHTML."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from harness import ROOT, make_project, normalise, run_sphinx
from reading_guide.converter.corpus import read_corpus

READINGS = read_corpus(ROOT / "sources")
DEBATES = sorted(p.stem for p in (ROOT / "docs" / "debates").glob("*.md") if p.stem != "index")
EPUBCHECK = Path("/usr/share/java/epubcheck.jar")  # Debian's epubcheck (make system-packages)
XHTML = "{http://www.w3.org/1999/xhtml}"


class Epub:
    """The built EPUB: its warnings, its path, and its files parsed as XML."""

    def __init__(self, warnings: str, path: Path) -> None:
        self.warnings, self.path = warnings, path
        self.zip = zipfile.ZipFile(path)

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    def text(self, name: str) -> str:
        """What a reader sees of a page's body, whitespace as HTML collapses it."""
        body = self.xml(name).find(f"{XHTML}body")
        assert body is not None
        return normalise(" ".join(body.itertext()))


@pytest.fixture(scope="module")
def epub(tmp_path_factory: pytest.TempPathFactory) -> Epub:
    """The whole guide as an EPUB 3, built once."""
    tmp = tmp_path_factory.mktemp("epub")
    warnings, _ = run_sphinx(make_project(tmp, ROOT / "sources"), tmp / "epub", "epub", doctreedir=tmp / "doctrees")
    return Epub(warnings, tmp / "epub" / "guide.epub")


def test_epub_build_is_clean(epub: Epub) -> None:
    """The EPUB builder warns about nothing."""
    assert epub.warnings == ""


def test_epubcheck_reports_nothing(epub: Epub) -> None:
    """epubcheck finds no fatal error, no error, no warning (and no note) in the EPUB."""
    result = subprocess.run(
        ["java", "-jar", str(EPUBCHECK), str(epub.path)], check=False, capture_output=True, text=True
    )
    assert "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0


def test_metadata(epub: Epub) -> None:
    """The package names the guide's title, language, a stable identifier and a date; the cover image is
    declared, and the cover page opens the book."""
    opf = epub.zip.read("content.opf").decode()
    assert "<dc:title>Harm Reduction and Recovery: A Reading Guide</dc:title>" in opf
    assert "<dc:language>en</dc:language>" in opf
    assert re.search(r'<dc:identifier id="(reading-guide-[0-9a-f-]{36})">\1</dc:identifier>', opf)
    assert re.search(r"<dc:date>\d{4}-\d\d-\d\dT", opf)
    cover = re.search(r'<meta name="cover" content="([^"]+)"/>', opf)
    assert cover and f'<item id="{cover.group(1)}" href="_static/epub-cover.svg" media-type="image/svg+xml"' in opf
    spine = [item.get("idref") for item in epub.xml("content.opf").iter("{*}itemref")]
    manifest = {item.get("id"): item.get("href") for item in epub.xml("content.opf").iter("{*}item")}
    assert manifest[spine[0]] == "epub-cover.xhtml"
    assert "unknown" not in opf


@pytest.mark.parametrize("reading", READINGS, ids=[r.slug for r in READINGS])
def test_every_passage_is_an_element_with_its_anchor(epub: Epub, reading: object) -> None:
    """Every passage and comment of a reading is an element whose id is its anchor, its text verbatim."""
    page = f"readings/{reading.slug}.xhtml"  # type: ignore[attr-defined]
    ids = {element.get("id") for element in epub.xml(page).iter() if element.get("id")}
    wanted = {reading.anchor(p.number) for p in reading.passages}  # type: ignore[attr-defined]
    wanted |= {reading.comment_anchor(p.thread) for p in reading.passages if p.thread}  # type: ignore[attr-defined]
    assert wanted - ids == set()
    text = epub.text(page)
    for passage in reading.passages:  # type: ignore[attr-defined]
        assert normalise(passage.text) in text, passage.number


@pytest.mark.parametrize("debate", DEBATES)
def test_debates_show_each_position_under_its_label(epub: Epub, debate: str) -> None:
    """A debate shows every position, one after another under its label: no tabs, no form controls."""
    page = f"debates/{debate}.xhtml"
    source = (ROOT / "docs" / "debates" / f"{debate}.md").read_text(encoding="utf-8")
    labels = re.findall(r"^:::\{tab-item\} (.+)$", source, re.MULTILINE)
    root = epub.xml(page)
    shown = [normalise("".join(p.itertext())) for p in root.iter(f"{XHTML}p") if "position-label" in p.get("class", "")]
    assert shown == [normalise(label) for label in labels]
    assert not list(root.iter(f"{XHTML}input")) and not list(root.iter(f"{XHTML}script"))


def test_the_kit_is_in_the_book(epub: Epub) -> None:
    """Content notes, glossary and bibliography are pages of the EPUB, in its reading order and contents."""
    spine = [item.get("idref") for item in epub.xml("content.opf").iter("{*}itemref")]
    manifest = {item.get("id"): item.get("href") for item in epub.xml("content.opf").iter("{*}item")}
    order = [manifest[idref] for idref in spine]
    for page in ("content-notes.xhtml", "glossary.xhtml", "bibliography.xhtml"):
        assert page in order
    nav = epub.zip.read("nav.xhtml").decode()
    assert all(f'href="readings/{r.slug}.xhtml"' in nav for r in READINGS)
    assert "Harm reduction" in epub.text("glossary.xhtml")
    assert "Content note" in epub.text(f"readings/{READINGS[0].slug}.xhtml")


def test_no_web_only_files(epub: Epub) -> None:
    """The EPUB holds none of the web's scripts, style sheet, downloads or citation index."""
    names = epub.zip.namelist()
    assert not [n for n in names if n.endswith((".js", ".json", ".pdf", "guide.css"))]
    assert "guide.pdf" not in epub.zip.read("index.xhtml").decode()
