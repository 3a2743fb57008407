"""The PDF for reading groups: the .tex first, then the compiled book and the handouts."""

from __future__ import annotations

import datetime
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader
from sphinx.util.i18n import format_date

from harness import ROOT, Build, build_pdfs, expected_note, make_project, normalise
from reading_guide.converter.corpus import SourceReading, read_corpus
from reading_guide.schema import Passage

READINGS = read_corpus(ROOT / "sources")
PRINTED = [(r, p) for r in READINGS for p in r.passages if p.kind != "furniture"]
DEBATES = sorted(p.stem for p in (ROOT / "docs" / "debates").glob("*.md") if p.stem != "index")
# The text block of the page (conf.py's geometry): running heads, feet and margin ¶ numbers fall outside.
TEXT_BLOCK = ["-x", "60", "-y", "62", "-W", "430", "-H", "722"]


def printed(text: str) -> str:
    """`text` as it comes out of the PDF: pdftotext gives a space for a non-breaking space (README, PDF)."""
    return normalise(text.replace("\u00a0", " "))


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[Path]]:
    """The handouts, one PDF per debate (`-t handouts`): LaTeX warnings and the PDFs."""
    tmp = tmp_path_factory.mktemp("handouts")
    return build_pdfs(make_project(tmp, ROOT / "sources"), tmp / "latex", tags=("handouts",))


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, str]:
    """The whole guide as one PDF: LaTeX warnings, the PDF, and its text block as text."""
    tmp = tmp_path_factory.mktemp("book")
    warnings, pdfs = build_pdfs(make_project(tmp, ROOT / "sources"), tmp / "latex")
    (pdf,) = pdfs
    text = subprocess.run(["pdftotext", *TEXT_BLOCK, str(pdf), "-"], check=True, capture_output=True, text=True)
    return warnings, pdf, text.stdout


def test_latex_build_is_clean(book: tuple[str, Path, str]) -> None:
    """The LaTeX builder warns about nothing, and LaTeX resolves every reference."""
    warnings, pdf, _ = book
    assert warnings == ""
    log = pdf.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert not re.findall(r"LaTeX Warning: (Hyper )?[Rr]eference .* undefined", log)


def test_book_takes_two_xelatex_passes(book: tuple[str, Path, str]) -> None:
    """Cross-references need a second XeLaTeX pass and nothing needs a third; no index is made."""
    latexmk = book[1].with_suffix(".latexmk.out").read_text(encoding="utf-8")
    assert re.findall(r"Run number (\d+) of rule 'xelatex'", latexmk) == ["1", "2"]
    assert "makeindex" not in latexmk


def test_page_labels_are_the_printed_page_numbers(book: tuple[str, Path, str]) -> None:
    """A PDF viewer shows the number printed in each page's foot (i, ii for the contents, then 1, 2 ...),
    the title page is "Title", and no two pages share a label."""
    pdf = book[1]
    labels = PdfReader(pdf).page_labels
    feet = subprocess.run(
        ["pdftotext", "-x", "0", "-y", "780", "-W", "595", "-H", "62", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\f")
    in_feet = [foot.split()[-1] if foot.split() else None for foot in feet[: len(labels)]]
    numbered = [(label, number) for label, number in zip(labels, in_feet, strict=True) if number]
    assert len(numbered) == len(labels) - 1  # the title page has no number
    assert [label for label, _ in numbered] == [number for _, number in numbered]
    assert labels[0] == "Title" and labels[1] == "i" and "1" in labels[2:4]
    assert len(set(labels)) == len(labels)


def test_tex_has_no_false_headings(book: tuple[str, Path, str]) -> None:
    """Tab labels are not turned into unnumbered subsubsections; two positions go into columns."""
    _, pdf, _ = book
    tex = pdf.with_suffix(".tex").read_text(encoding="utf-8")
    assert "\\subsubsection*" not in tex
    assert tex.count("\\begin{guidepositions}") == sum(
        1
        for d in DEBATES
        if (ROOT / "docs" / "debates" / f"{d}.md").read_text(encoding="utf-8").count(":::{tab-item}") == 2
    )


@pytest.mark.parametrize(("reading", "passage"), PRINTED, ids=[r.anchor(p.number) for r, p in PRINTED])
def test_passage_is_verbatim_in_pdf(book: tuple[str, Path, str], reading: SourceReading, passage: Passage) -> None:
    """Every passage that is not furniture is in the PDF's text exactly, up to whitespace."""
    assert printed(passage.text) in printed(book[2])


def test_no_ligature_glyphs(book: tuple[str, Path, str]) -> None:
    """The text has no ligature characters (ﬁ, ﬂ ...) that would change what a reader copies."""
    assert not re.findall("[\ufb00-\ufb06]", book[2])


def test_every_anchor_is_a_named_destination(book: tuple[str, Path, str]) -> None:
    """guide.pdf#nameddest=<anchor> opens every passage and every comment, furniture's at its one-line note."""
    destinations = set(PdfReader(book[1]).named_destinations)
    wanted = {r.anchor(p.number) for r in READINGS for p in r.passages}
    wanted |= {r.comment_anchor(p.thread) for r in READINGS for p in r.passages if p.thread}
    assert wanted - destinations == set()


def test_furniture_destinations_open_at_the_note(book: tuple[str, Path, str]) -> None:
    """A furniture passage's named destination is on the page of the note that says it was left out."""
    reader = PdfReader(book[1])
    destinations = reader.named_destinations
    for reading in READINGS:
        furniture = [p for p in reading.passages if p.kind == "furniture"]
        if not furniture:
            continue
        page = reader.get_destination_page_number(destinations[reading.anchor(furniture[-1].number)])
        assert "Left out of print" in reader.pages[page].extract_text(), reading.slug


def test_every_position_is_printed_with_its_label(book: tuple[str, Path, str]) -> None:
    """Both (or all) positions of each debate are in the book, each under its label."""
    text = printed(book[2])
    for debate in DEBATES:
        source = (ROOT / "docs" / "debates" / f"{debate}.md").read_text(encoding="utf-8")
        labels = re.findall(r"^:::\{tab-item\} (.+)$", source, re.MULTILINE)
        assert len(labels) >= 2
        assert all(printed(label) in text for label in labels), debate


def test_furniture_is_left_out_with_a_note(book: tuple[str, Path, str]) -> None:
    """Page furniture is not printed; a line says how much was left out and that the HTML keeps it."""
    text = printed(book[2])
    assert "Comments are closed." not in text and "situs slot777" not in text
    assert "Left out of print: 11 passages of page furniture" in text


def test_handouts_build(handouts: tuple[str, list[Path]]) -> None:
    """`-t handouts` gives one short PDF per debate, each with both positions and its questions."""
    warnings, pdfs = handouts
    assert warnings == ""
    assert sorted(p.stem for p in pdfs) == [f"handout-{d}" for d in DEBATES]
    for pdf in pdfs:
        reader = PdfReader(pdf)
        assert len(reader.pages) <= 4
        text = printed(" ".join(page.extract_text() for page in reader.pages))
        assert "Questions" in text and "Editors' framing" in text


def test_handouts_print_no_build_date(handouts: tuple[str, list[Path]]) -> None:
    """A handout does not print the day it was built (unless built with `-t dated`)."""
    today = format_date("%-d %B %Y", language="en")
    for pdf in handouts[1]:
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert today not in text and str(datetime.date.today().year) not in text, pdf.name


def test_handouts_keep_each_quotation_with_its_credit(handouts: tuple[str, list[Path]]) -> None:
    """No page of a handout starts with a quotation's credit ("— Reading, ¶ N") parted from its quotation."""
    for pdf in handouts[1]:
        pages = subprocess.run(
            ["pdftotext", "-layout", *TEXT_BLOCK, str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout.split("\f")
        for number, page in enumerate(pages[1:], start=2):
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            assert not (lines and lines[0].startswith("—")), f"{pdf.name}, page {number}: {lines[0]}"


def test_bibliography_prints_in_the_order_of_the_web_page(book: tuple[str, Path, str], guide: Build) -> None:
    """The book's bibliography is author-date, unnumbered, in the same order as the Bibliography page."""
    tex = next(book[1].parent.glob("guide.tex")).read_text(encoding="utf-8")
    printed_order = re.findall(r"\\bibitem\[[^]]*\]\{bibliography:(cite-[^}]+)\}", tex)
    web_order = [entry["id"] for entry in guide.article("bibliography.html").select("div.citation")]
    assert printed_order == web_order and len(web_order) > 10
    text = normalise(book[2])
    assert "Australian Injecting & Illicit Drug Users League (AIVL). 2012." in text
    assert not re.search(r"\[\d+\] (Australian|CBC|HM Government)", text)


def test_handouts_end_with_their_sources(handouts: tuple[str, list[Path]]) -> None:
    """A handout ends with "Sources": the default style's reference of each reading it quotes, and no other."""
    pdf = next(p for p in handouts[1] if p.stem == "handout-peer-work")
    text = " ".join(printed(" ".join(page.extract_text() for page in PdfReader(pdf).pages)).split())
    sources = text.rpartition("Sources")[2]
    assert sources.count("•") == 2
    assert "Drug User Rights Action Network (D.U.R.A.N.). 2013. “Beyond Harm Reduction" in sources
    assert "“Harm Reduction AND Recovery. We Need Both.” 2020." in sources


@pytest.mark.parametrize("debate", DEBATES)
def test_debate_pages_link_to_their_handout(guide: Build, debate: str) -> None:
    """Each debate page links to its handout, and the home page to every debate's."""
    wanted = f"handout-{debate}.pdf"
    assert guide.article(f"debates/{debate}.html").select(f'a[href="../handouts/{wanted}"]')
    assert guide.article("index.html").select(f'a[href="handouts/{wanted}"]')


# -- Nothing sticks out, no paper is wasted --------------------------------------------------------

OVERFULL = re.compile(r"^Overfull \\[hv]box \(([\d.]+)pt too (?:wide|high)\)", re.MULTILINE)


def overfull(log: Path) -> list[float]:
    """The overfull boxes LaTeX reported in a log, by how far they stick out (points), over 1 pt."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return [float(points) for points in OVERFULL.findall(text) if float(points) > 1]


def test_nothing_sticks_out_of_the_book(book: tuple[str, Path, str]) -> None:
    """The book's LaTeX log reports no box more than 1 pt too wide or too high: tables, URLs, headings fit."""
    assert overfull(book[1].with_suffix(".log")) == []


def test_nothing_sticks_out_of_a_handout(handouts: tuple[str, list[Path]]) -> None:
    """No handout's LaTeX log reports a box more than 1 pt too wide or too high."""
    assert {pdf.name: overfull(pdf.with_suffix(".log")) for pdf in handouts[1]} == {pdf.name: [] for pdf in handouts[1]}


def test_guide_tables_have_their_columns_set(book: tuple[str, Path, str]) -> None:
    """The readings table and the who-says-what matrix have column widths set on purpose (not tabulary's guess)."""
    tex = book[1].with_suffix(".tex").read_text(encoding="utf-8")
    assert "\\begin{tabulary}" not in tex
    assert tex.count("\\guideraggedcells}\\Y{") == 6 + 1 + len(DEBATES)


def used_height(pdf: Path) -> list[float]:
    """For each page, the share of the text block's height that its words cover, from top to bottom word."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True).stdout
    tree = etree.fromstring(xhtml, etree.XMLParser(recover=True))
    shares = []
    for page in tree.iter("{*}page"):
        ys = [
            (float(word.get("yMin")), float(word.get("yMax")))
            for word in page.iter("{*}word")
            if float(word.get("yMin")) >= TEXT_TOP
            and float(word.get("yMax")) <= TEXT_BOTTOM
            and float(word.get("xMin")) < TEXT_RIGHT
        ]
        top, bottom = (min(y for y, _ in ys), max(y for _, y in ys)) if ys else (0.0, 0.0)
        shares.append((bottom - top) / (TEXT_BOTTOM - TEXT_TOP))
    return shares


# conf.py's geometry: the text block, in points from the page's top left (the ¶ margin is right of it).
TEXT_TOP, TEXT_BOTTOM, TEXT_RIGHT = 66.0, 772.0, 485.0


TOC_ENTRY = re.compile(r"^\\contentsline \{(part|chapter)\}.*\{([^{}]*)\}\{[^{}]*\}%?$", re.MULTILINE)


def openings(pdf: Path, labels: list[str]) -> dict[int, str]:
    """Page (0-based) -> "part" or "chapter", where one starts, from LaTeX's contents file."""
    entries = TOC_ENTRY.findall(pdf.with_suffix(".toc").read_text(encoding="utf-8"))
    return {labels.index(label): kind for kind, label in entries}


def test_no_page_is_wasted(book: tuple[str, Path, str]) -> None:
    """Every page is at least a third full, except the title page, the contents and a chapter's last page
    (a part's first page is not exempt: a part is a heading over its own text, never a page of its own)."""
    pdf = book[1]
    labels = PdfReader(pdf).page_labels
    starts = openings(pdf, labels)
    last_pages = {page - 1 for page in starts} | {len(labels) - 1}
    exempt = {number for number, label in enumerate(labels) if not label.isdigit()}
    exempt |= last_pages - {page for page, kind in starts.items() if kind == "part"}
    wasted = [
        (labels[number], round(share, 2))
        for number, share in enumerate(used_height(pdf))
        if share < 1 / 3 and number not in exempt
    ]
    assert wasted == []
    assert len(starts) > 10  # the contents file was read


def test_title_page_and_colophon(book: tuple[str, Path, str]) -> None:
    """The title page names the guide, every reading's author and blog, the editors, the edition, the licence
    and how to cite the guide; the book ends with a colophon."""
    reader = PdfReader(book[1])
    title = normalise(reader.pages[0].extract_text())
    assert "Harm Reduction and Recovery" in title and "A Reading Guide" in title
    for reading in READINGS:
        for fact in (reading.record.author, reading.record.blog):
            assert not fact or normalise(fact) in title, fact
    assert "Edited by the reading guide's editors" in title
    assert "Edition of" in title and "Licence." in title and "How to cite this guide." in title
    assert "Colophon" in reader.pages[-1].extract_text()


def test_non_breaking_spaces_survive_a_copy(book: tuple[str, Path, str]) -> None:
    """Text copied from the PDF keeps the sources' non-breaking spaces: every NBSP-joined pair of a printed
    passage is in the PDF's text layer (as pypdf reads it) with its NBSP (poppler's pdftotext turns it into a space)."""
    text = " ".join(page.extract_text() for page in PdfReader(book[1]).pages)
    pairs = {
        match.group(0)
        for _, passage in PRINTED
        for match in re.finditer(r"[^\s\u00a0]+\u00a0[^\s\u00a0]+", passage.text)
    }
    assert len(pairs) > 10
    assert sorted(pair for pair in pairs if pair not in text) == []


@pytest.mark.parametrize("reading", READINGS, ids=[r.slug for r in READINGS])
def test_content_note_opens_each_chapter(book: tuple[str, Path, str], reading: SourceReading) -> None:
    """Each reading's content note (or "none declared") is printed before its first passage."""
    text = printed(book[2])
    first = next(
        p for p in reading.passages if p.kind not in ("title", "meta", "heading", "comments-header", "furniture")
    )
    at = text.index(printed(first.text))
    assert printed(expected_note(reading)) in text[max(0, at - 1500) : at]


def test_glossary_is_printed_with_its_index(book: tuple[str, Path, str]) -> None:
    """The glossary chapter opens with its A–Z list of terms and gives each term's first ¶."""
    text = printed(book[2])
    assert "Terms: Abstinence-based treatment · Blood-borne viruses" in text
    assert "First appears in: Beyond Harm Reduction, ¶ 3" in text


# -- Each passage at its own place: in its reading's chapter, its ¶ in the margin beside its first line --

# conf.py's geometry: the text block runs from 68 pt to 482 pt across and from 68 pt to 770 pt down;
# the ¶ numbers stand right of it, the running head above it, the page number below it.
MARGIN_X, TOP, BOTTOM = 485, 66, 772
LEVEL = 4.0  # points: a ¶ number and its passage's first line share a baseline, give or take this


@dataclass(frozen=True)
class Word:
    page: int
    x: float
    y: float
    text: str


def words_on_pages(pdf: Path) -> list[Word]:
    """Every word of the PDF with its page and position (pdftotext -bbox), in reading order."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True).stdout
    tree = etree.fromstring(xhtml, etree.XMLParser(recover=True))
    found = []
    for number, page in enumerate(tree.iter("{*}page")):
        for word in page.iter("{*}word"):
            found.append(Word(number, float(word.get("xMin")), float(word.get("yMin")), word.text or ""))
    return found


def chapters(pdf: Path) -> dict[str, range]:
    """Title -> pages (0-based) of each chapter of the book, from the PDF's outline."""
    reader = PdfReader(pdf)
    starts = [
        (item.title, reader.get_destination_page_number(item))
        for part in reader.outline
        if isinstance(part, list)
        for item in part
        if not isinstance(item, list)
    ]
    ends = [page for _, page in starts[1:]] + [len(reader.pages)]
    return {title: range(start, max(start + 1, end)) for (title, start), end in zip(starts, ends, strict=True)}


@pytest.fixture(scope="module")
def placed(book: tuple[str, Path, str]) -> tuple[list[Word], dict[str, range]]:
    return words_on_pages(book[1]), chapters(book[1])


def find_passage(body: list[Word], passage: Passage, after: int) -> int:
    """Index in `body` where the passage's first words stand, searching from `after`."""
    wanted = printed(passage.text).split()[:8]
    tokens = [word.text for word in body]
    for index in range(after, len(tokens) - len(wanted) + 1):
        if tokens[index : index + len(wanted)] == wanted:
            return index
    return -1


def misplaced_passages(placed: tuple[list[Word], dict[str, range]], reading: SourceReading) -> list[tuple[int, object]]:
    """The printed passages of a reading that are not in its chapter in source order, or whose margin
    does not show their own ¶ number level with their first line: (¶, what was found instead)."""
    words, by_title = placed
    pages = by_title[reading.title]
    inside = [w for w in words if w.page in pages and TOP <= w.y <= BOTTOM]
    body = [w for w in inside if w.x < MARGIN_X]
    margin: dict[tuple[int, float], str] = {}
    for word in (w for w in inside if w.x >= MARGIN_X):
        margin[word.page, word.y] = margin.get((word.page, word.y), "") + word.text
    at, misplaced = 0, []
    for passage in (p for p in reading.passages if p.kind != "furniture"):
        # A title opens its chapter even when a dateline before it in the source prints under it.
        found = find_passage(body, passage, 0 if passage.kind == "title" else at)
        if found < 0:
            misplaced.append((passage.number, "not in its chapter, in order"))
            continue
        first = body[found]
        if passage.kind != "title":
            at = found + 1
        beside = [text for (page, y), text in margin.items() if page == first.page and abs(y - first.y) <= LEVEL]
        if beside != [f"¶{passage.number}"]:
            misplaced.append((passage.number, beside))
    return misplaced


@pytest.mark.parametrize("reading", READINGS, ids=[r.slug for r in READINGS])
def test_each_passage_prints_in_its_chapter_with_its_number_beside_it(
    placed: tuple[list[Word], dict[str, range]], reading: SourceReading
) -> None:
    """Every printed passage of the text is in its own reading's chapter (not only in a debate quoting it),
    in source order, and the margin beside its first line shows its own ¶ number."""
    headings = {p.number for p in reading.passages if p.kind in ("title", "heading", "comments-header")}
    assert [m for m in misplaced_passages(placed, reading) if m[0] not in headings] == []


@pytest.mark.parametrize("reading", READINGS, ids=[r.slug for r in READINGS])
def test_titles_and_headings_print_as_written_with_their_number_beside_them(
    placed: tuple[list[Word], dict[str, range]], reading: SourceReading
) -> None:
    """A reading's title and headings print as written (not in capitals), each with its ¶ level with it."""
    headings = {p.number for p in reading.passages if p.kind in ("title", "heading", "comments-header")}
    assert [m for m in misplaced_passages(placed, reading) if m[0] in headings] == []
