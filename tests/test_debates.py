"""The debates through the real build: positions, exact quotations, the matrix, backlinks."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from harness import ROOT, Build, build_site, normalise
from reading_guide.extension.excerpts import OMISSION

DEBATES = sorted(p.stem for p in (ROOT / "docs" / "debates").glob("*.md") if p.stem != "index")


@pytest.fixture(scope="module")
def passages(guide: Build) -> dict[str, dict]:
    """Anchor -> passage entry (with its page) from the published citation index."""
    return {p["id"]: {**p, "page": r["page"]} for r in guide.passages()["readings"] for p in r["passages"]}


def target(page: str, href: str) -> tuple[str, str]:
    """The page path and fragment an href on `page` points to."""
    url = urlparse(urljoin("http://guide/" + page, href))
    return url.path.lstrip("/"), url.fragment


def test_there_are_at_least_six_debates() -> None:
    """The Debates part has six or more pages."""
    assert len(DEBATES) >= 6


@pytest.mark.parametrize("debate", DEBATES)
def test_positions_side_by_side(guide: Build, debate: str) -> None:
    """One lens-synced tab-set with two or more positions, each with two or more quotations."""
    page = guide.article(f"debates/{debate}.html")
    tab_sets = page.select(".sd-tab-set.debate")
    assert len(tab_sets) == 1
    labels = tab_sets[0].select(":scope > label")
    contents = tab_sets[0].select(":scope > .sd-tab-content")
    assert len(labels) == len(contents) >= 2
    assert {label["data-sync-group"] for label in labels} == {"lens"}
    for content in contents:
        assert len(content.select(".quotation")) >= 2
    assert page.select_one(".editorial") is not None


@pytest.mark.parametrize("debate", DEBATES)
def test_quotations_are_exact(guide: Build, passages: dict[str, dict], debate: str) -> None:
    """Every quotation is an exact part of the passage it links to (whitespace collapsed only)."""
    page_path = f"debates/{debate}.html"
    for quote in guide.article(page_path).select(".quotation"):
        page, anchor = target(page_path, quote.select_one(".quotation-credit a")["href"])
        passage = passages[anchor]
        assert page == passage["page"]
        text = normalise(passage["text"])
        for piece in quote.select_one(".quotation-text").get_text().split(OMISSION):
            assert normalise(piece) in text


@pytest.mark.parametrize("debate", DEBATES)
def test_questions_send_readers_to_both_sides(guide: Build, passages: dict[str, dict], debate: str) -> None:
    """Three or more questions, whose links reach passages quoted under at least two positions."""
    page = guide.article(f"debates/{debate}.html")
    questions = page.select("section#questions ol > li")
    assert len(questions) >= 3
    positions = {}
    for content, label in zip(page.select(".sd-tab-content"), page.select(".sd-tab-label"), strict=True):
        for link in content.select(".quotation-credit a"):
            positions.setdefault(target(f"debates/{debate}.html", link["href"])[1], set()).add(label.get_text())
    linked = [target(f"debates/{debate}.html", a["href"])[1] for q in questions for a in q.select("a.reference")]
    assert all(anchor in passages for anchor in linked)
    assert len(set().union(*(positions.get(anchor, set()) for anchor in linked))) >= 2


def test_every_reading_is_quoted(guide: Build, passages: dict[str, dict]) -> None:
    """Each reading has at least one passage quoted in the debates."""
    quoted = set()
    for debate in DEBATES:
        for link in guide.article(f"debates/{debate}.html").select(".quotation .quotation-credit a"):
            quoted.add(passages[target(f"debates/{debate}.html", link["href"])[1]]["page"])
    assert quoted == {r["page"] for r in guide.passages()["readings"]}


def test_matrix_links_resolve(guide: Build) -> None:
    """Every link in the who-says-what matrix leads to an existing page and element."""
    matrix = guide.article("debates/index.html").select_one("table.debate-matrix")
    links = matrix.select("a[href]")
    assert len(matrix.select("tbody tr")) >= 5 and len(links) > 20
    for link in links:
        page, fragment = target("debates/index.html", link["href"])
        assert (guide.outdir / page).exists()
        if fragment:
            assert guide.article(page).find(id=fragment) is not None, link["href"]


def test_backlinks_list_every_quotation(guide: Build, passages: dict[str, dict]) -> None:
    """Each reading's "In the debates" list links to exactly the quotations of its passages."""
    expected: dict[str, set[str]] = {}
    for debate in DEBATES:
        for quote in guide.article(f"debates/{debate}.html").select(".quotation"):
            anchor = target(f"debates/{debate}.html", quote.select_one(".quotation-credit a")["href"])[1]
            expected.setdefault(passages[anchor]["page"], set()).add(f"debates/{debate}.html#{quote['id']}")
    for reading in guide.passages()["readings"]:
        links = guide.article(reading["page"]).select("ul.debate-links a[href*='#quote-']")
        shown = {f"{page}#{fragment}" for page, fragment in (target(reading["page"], a["href"]) for a in links)}
        assert shown == expected[reading["page"]]


def tiny_site(tmp_path: Path, passage_text: str, debate: str) -> Path:
    """A site with one reading (slug "tiny", one passage "tiny-2") and one debate page."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n```{toctree}\nreading\ndebate\n```\n", encoding="utf-8")
    (docs / "reading.md").write_text(
        '# Tiny\n\n```{reading}\n---\nsource: "tiny.txt"\nslug: "tiny"\nshort-title: "Tiny"\n---\n```\n\n'
        f"```{{passage}} tiny-2\n---\nkind: paragraph\n---\n{passage_text}\n```\n",
        encoding="utf-8",
    )
    (docs / "debate.md").write_text(debate, encoding="utf-8")
    return docs


@pytest.mark.parametrize(
    ("quotation", "message"),
    [
        ("```{quotation} tiny-99\n```", "quotation of unknown passage 'tiny-99'"),
        (
            "```{quotation} tiny-2\nwords that are not there\n```",
            "excerpt 'words that are not there' is not an exact part",
        ),
        (
            "```{quotation} tiny-2\nOne […] missing\n```",
            "excerpt 'One […] missing' is not an exact part of passage 'tiny-2'",
        ),
        ("See {pararef}`tiny-7`.", "reference to unknown passage 'tiny-7'"),
    ],
    ids=["unknown-passage", "changed-excerpt", "omission-piece", "unknown-pararef"],
)
def test_bad_quotation_fails_the_build(tmp_path: Path, quotation: str, message: str) -> None:
    """An unknown anchor or an excerpt not in its passage is a warning naming both."""
    docs = tiny_site(tmp_path, "One two three four.", f"# Debate\n\n{quotation}\n")
    build = build_site(docs, tmp_path / "html")
    assert message in build.warnings
    assert "debate.md" in build.warnings


def test_good_excerpt_with_omission_passes(tmp_path: Path) -> None:
    """Pieces around an omission are checked in order and pass when each is in the passage."""
    docs = tiny_site(tmp_path, "One two  three four.", "# Debate\n\n```{quotation} tiny-2\nOne […] three four.\n```\n")
    build = build_site(docs, tmp_path / "html")
    assert build.warnings == ""
    assert build.article("debate.html").select_one(".quotation-text").get_text() == "One […] three four."
