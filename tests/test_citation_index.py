"""passages.json against an expectation written by hand, and a thread's order in HTML, PDF and the index."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness import ROOT, Build, build_pdfs, build_site, make_project, normalise

FIXTURE = ROOT / "tests" / "fixtures"
PAGE = "readings/threads.html"
# The reading's BibTeX entry: from its sidecar, as no refs.bib entry names it.
# The day the fixture's capture is recorded (SOURCE_DATE_EPOCH, noon UTC that day).
CAPTURED, CAPTURED_EPOCH = "2026-12-01", "1796126400"
ENTRY = '@misc{{{label},\n    title = "A small thread",\n    howpublished = "Test Blog"{note}\n}}\n'
STYLES = ("chicago-author-date", "apa", "mla", "harvard")
# The reading as each style's guide has it: a blog post with no author and no date, its title first.
# Chicago and MLA set the title in headline capitals within quotation marks, APA as written (sentence
# case); Harvard (Cite Them Right, a British guide) as written within single quotation marks; "n.d.",
# "(n.d.)", "(no date)", and MLA gives no date at all. The blog's name is set in italics (not visible in text).
REFERENCE = {
    "chicago-author-date": "“A Small Thread.” n.d. Test Blog.",
    "apa": "A small thread. (n.d.). Test Blog.",
    "mla": "“A Small Thread.” Test Blog.",
    "harvard": "‘A small thread’ (no date) Test Blog.",
}
# In the text: the title stands for the author, in quotation marks (American punctuation inside them,
# British outside); MLA's paragraph is "par.".
IN_TEXT = {
    "chicago-author-date": "(“A Small Thread,” n.d.{where})",
    "apa": "(“A Small Thread,” n.d.{where})",
    "mla": "(“A Small Thread,”{mla})",
    "harvard": "(‘A small thread’, no date{where})",
}


def in_text(number: int | None) -> dict[str, str]:
    where, mla = (f", para. {number}", f" par. {number}") if number else ("", "")
    return {style: IN_TEXT[style].format(where=where, mla=mla).replace(",”)", "”)") for style in STYLES}


def passage(number: int, kind: str, text: str, thread: str | None = None, marker: str = "") -> dict[str, object]:
    anchor = f"threads-{number}"
    where = f"para. {number}" if thread is None else f"comment {thread[1:]}, para. {number}"
    return {
        "id": anchor,
        "number": str(number),
        "kind": kind,
        "thread": thread,
        "marker": marker,
        "author": "",  # the fixture's comments have no bylines
        "date": "",
        "text": text,
        "status": "",  # as first captured
        "since": CAPTURED,
        "link": f"{PAGE}#{anchor}",
        "item": "threads",
        "citation": in_text(number)["chicago-author-date"],
        "citations": in_text(number),
        "bibtex": ENTRY.format(
            label=f"threads:para{number}", note=f',\n    note = "{where}; reading guide: {PAGE}\\#{anchor}"'
        ),
    }


# Written from tests/fixtures/threads.txt by reading it, not by running the converter.
EXPECTED = {
    "styles": [
        {"key": "chicago-author-date", "label": "Chicago"},
        {"key": "apa", "label": "APA"},
        {"key": "mla", "label": "MLA"},
        {"key": "harvard", "label": "Harvard"},
    ],
    "readings": [
        {
            "source": "threads.txt",
            "slug": "threads",
            "title": "A small thread",
            "page": PAGE,
            "link": PAGE,
            "item": "threads",
            "citation": REFERENCE["chicago-author-date"],
            "citations": REFERENCE,
            "bibtex": ENTRY.format(label="threads", note=""),
            "references": {"threads": REFERENCE},
            "exports": {
                "bibtex": "cite/readings/threads.bib",
                "ris": "cite/readings/threads.ris",
                "csl-json": "cite/readings/threads.json",
            },
            "passages": [
                passage(1, "title", "A small thread"),
                passage(2, "paragraph", "The post says one thing * and <b>keeps</b> its `marks`."),
                passage(3, "comment", "First comment, which gets three replies.", "c1", "1."),
                passage(4, "comment", "First reply.", "c1.1", "•"),
                passage(5, "comment", "A reply to the first reply.", "c1.1.1", "•"),
                passage(6, "comment", "Second reply.", "c1.2", "•"),
                passage(7, "comment", "Third reply.", "c1.3", "•"),
                passage(8, "comment", "Second comment.", "c2", "2."),
            ],
        }
    ],
}
THREADS_IN_ORDER = ["c1", "c1.1", "c1.1.1", "c1.2", "c1.3", "c2"]


@pytest.fixture(scope="module")
def threads(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Path]:
    """The fixture converted and built once as HTML and as a PDF."""
    tmp = tmp_path_factory.mktemp("threads")
    sources = tmp / "sources"
    sources.mkdir()
    for name in ("threads.txt", "threads.toml"):
        shutil.copy(FIXTURE / name, sources / name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", CAPTURED_EPOCH)
        docs = make_project(tmp, sources, whole_guide=False)
    build = build_site(docs, tmp / "html")
    _, (pdf,) = build_pdfs(docs, tmp / "latex")
    return build, pdf


def test_citation_index_is_as_written_by_hand(threads: tuple[Build, Path]) -> None:
    """Every field of passages.json, for a small source, is what a reader of the source expects."""
    build, _ = threads
    assert build.warnings == ""
    assert build.passages() == EXPECTED


def test_replies_keep_their_order_in_html(threads: tuple[Build, Path]) -> None:
    """A comment's three replies and a reply to a reply appear, nested, in the source's order."""
    page = threads[0].article(PAGE)
    shown = [element["data-thread"] for element in page.select(".comment")]
    assert shown == THREADS_IN_ORDER
    nested = {
        c["data-thread"]: [r["data-thread"] for r in c.find_all(class_="comment", recursive=False)]
        for c in page.select(".comment")
    }
    assert nested == {
        "c1": ["c1.1", "c1.2", "c1.3"],
        "c1.1": ["c1.1.1"],
        "c1.1.1": [],
        "c1.2": [],
        "c1.3": [],
        "c2": [],
    }


def test_replies_keep_their_order_in_print(threads: tuple[Build, Path]) -> None:
    """In the PDF the comments' texts follow one another in the source's order."""
    text = normalise(
        subprocess.run(["pdftotext", str(threads[1]), "-"], capture_output=True, text=True, check=True).stdout
    )
    texts = [p["text"] for p in EXPECTED["readings"][0]["passages"][2:]]  # type: ignore[index]
    places = [text.find(str(t)) for t in texts]
    assert -1 not in places and places == sorted(places)
