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


# Two passages of a tiny reading; the first has curly quotes and a non-breaking space ("open every").
TINY = {
    "tiny-2": "The clinic said “we meet people where they are” and kept its doors open\u00a0every night of the year.",
    "tiny-3": "Nobody asked the neighbours.",
}
# Excerpts that are not exact parts of tiny-2: each must fail the build, its message showing both texts.
WRONG = {
    "wrong-case": "the clinic said",
    "changed-tail": "The clinic said “we meet people where they are” and kept its doors open\u00a0every night of the decade.",
    "swapped-pieces": "kept its doors open\u00a0every night […] The clinic said",
    "extra-word": "The clinic said “we meet all people where they are”",
    "missing-word": "The clinic said “we meet where they are”",
    "straight-quotes": 'The clinic said "we meet people where they are"',
    "space-for-nbsp": "kept its doors open every night",
    "across-passages": "every night of the year. Nobody asked the neighbours.",
    "omission-first-wrong": "[…] kept its doors open\u00a0every night of the week.",
    "omission-last-wrong": "The clinic says […]",
    "omission-both-wrong": "[…] people where they were […]",
    "omission-middle-wrong": "The clinic said […] every day of the year.",
}
# Excerpts that are exact parts (whitespace as HTML collapses it): they pass and render as written.
RIGHT = {
    "whole": TINY["tiny-2"],
    "line-break-for-space": "The clinic said\n“we meet people where they are”",
    "omission-first": "[…] kept its doors open\u00a0every night of the year.",
    "omission-last": "The clinic said “we meet […]",
    "omission-both": "[…] people where they are […]",
    "omission-middle": "The clinic said […] every night of the year.",
}


# Passages a later capture changed and removed (README, "Captured again"), with the texts they had.
CHANGED = ("tiny-4", "The council voted to keep the site open.", "The council voted to close the site.")
REMOVED = ("tiny-5", "A comment the site later deleted.")
RECAPTURED = f"""```{{passage}} {CHANGED[0]}
---
kind: paragraph
status: changed
since: "2026-12-01"
earlier: '[["{CHANGED[2]}", "2026-12-03"]]'
---
{CHANGED[1]}
```

```{{passage}} {REMOVED[0]}
---
kind: paragraph
status: removed
since: "2026-12-01"
removed-in: "2026-12-03"
---
{REMOVED[1]}
```
"""


def tiny_site(tmp_path: Path, debate: str) -> Path:
    """A site with one reading (slug "tiny", passages "tiny-2" and "tiny-3", as TINY, and the re-captured
    passages "tiny-4" and "tiny-5") and one debate page."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n```{toctree}\nreading\ndebate\n```\n", encoding="utf-8")
    passages = "".join(
        f"```{{passage}} {anchor}\n---\nkind: paragraph\n---\n{text}\n```\n\n" for anchor, text in TINY.items()
    )
    (docs / "reading.md").write_text(
        '# Tiny\n\n```{reading}\n---\nsource: "tiny.txt"\nslug: "tiny"\nshort-title: "Tiny"\n---\n```\n\n'
        + passages
        + RECAPTURED,
        encoding="utf-8",
    )
    (docs / "debate.md").write_text(debate, encoding="utf-8")
    return docs


def quotation_block(anchor: str, excerpt: str) -> str:
    return f"```{{quotation}} {anchor}\n{excerpt}\n```\n\n"


@pytest.fixture(scope="module")
def quoting(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, dict[str, int]]:
    """One build of a debate page holding every excerpt of WRONG and RIGHT; the line each quotation starts on."""
    tmp = tmp_path_factory.mktemp("quoting")
    page, lines = "# Debate\n\n", {}
    for name, excerpt in {**WRONG, **RIGHT}.items():
        lines[name] = page.count("\n") + 1
        page += quotation_block("tiny-2", excerpt)
    page += "See {pararef}`tiny-7`.\n\n" + quotation_block("tiny-99", "Anything.")
    for name, (anchor, excerpt) in RECAPTURED_QUOTES.items():
        lines[name] = page.count("\n") + 1
        page += quotation_block(anchor, excerpt)
    return build_site(tiny_site(tmp, page), tmp / "html"), lines


# Quotations of passages that a later capture changed or removed: each fails the build, with both texts.
RECAPTURED_QUOTES = {
    "earlier-words": (CHANGED[0], "voted to close the site"),
    "whole-of-changed": (CHANGED[0], ""),
    "of-removed": (REMOVED[0], ""),
}


@pytest.mark.parametrize("name", RECAPTURED_QUOTES)
def test_quoting_a_recaptured_passage_fails_the_build(quoting: tuple[Build, dict[str, int]], name: str) -> None:
    """A quotation of a passage that changed (its earlier words, or the whole of it) or was removed is a
    warning at its line that shows the text as it was and as it is."""
    build, lines = quoting
    found = [w for w in build.warnings.splitlines() if f"debate.md:{lines[name]}:" in w]
    assert len(found) == 1, build.warnings
    if name == "of-removed":
        assert "removed from the source" in found[0] and repr(REMOVED[1]) in found[0]
    else:
        assert repr(CHANGED[1]) in found[0] and (
            repr(CHANGED[2]) in found[0] or "until the capture of 2026-12-03" in found[0]
        )


@pytest.mark.parametrize("name", WRONG)
def test_inexact_excerpt_fails_the_build(quoting: tuple[Build, dict[str, int]], name: str) -> None:
    """An excerpt that is not an exact part of its passage is a warning at its line, showing both texts."""
    build, lines = quoting
    found = [w for w in build.warnings.splitlines() if f"debate.md:{lines[name]}:" in w]
    assert len(found) == 1, build.warnings
    assert "is not an exact part of passage 'tiny-2'" in found[0]
    assert repr(WRONG[name]) in found[0] and repr(TINY["tiny-2"]) in found[0]


@pytest.mark.parametrize("name", RIGHT)
def test_exact_excerpt_passes_and_renders_as_written(quoting: tuple[Build, dict[str, int]], name: str) -> None:
    """An exact excerpt (omissions and HTML whitespace allowed) raises no warning and is shown as written."""
    build, lines = quoting
    assert f"debate.md:{lines[name]}:" not in build.warnings
    shown = [normalise(q.get_text()) for q in build.article("debate.html").select(".quotation-text")]
    assert normalise(RIGHT[name]) in shown


def test_unknown_anchors_fail_the_build(quoting: tuple[Build, dict[str, int]]) -> None:
    """A quotation or {pararef} of a passage that does not exist is a warning naming the anchor and the page."""
    warnings = quoting[0].warnings
    assert "quotation of unknown passage 'tiny-99'" in warnings
    assert "reference to unknown passage 'tiny-7'" in warnings
    warned = [line for line in warnings.splitlines() if "WARNING" in line]
    assert len(warned) == len(WRONG) + len(RECAPTURED_QUOTES) + 2
    assert all("debate.md" in line for line in warned)
