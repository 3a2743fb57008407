"""The reading-group kit, through real builds: plan, questions, glossary, content notes, at a glance."""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup

from harness import (
    GUIDE_CONTENT_NOTES,
    ROOT,
    Build,
    build_site,
    declared_notes,
    expected_note,
    make_project,
    margin_notes,
    normalise,
    shown_text,
)
from reading_guide.converter.corpus import SourceReading, read_corpus
from reading_guide.schema import reading_minutes, statistics

READINGS = read_corpus(ROOT / "sources")
KIT_PAGES = ["introduction.html", "plan.html", "glossary.html", "content-notes.html"]


def internal_links(build: Build, page: str, scope: BeautifulSoup) -> list[tuple[str, str]]:
    """(target page, fragment) of every link in `scope` that points at an anchor in the guide."""
    links = []
    for link in scope.select("a[href*='#']"):
        href = link["href"]
        if href.startswith(("http:", "https:")):
            continue
        target, fragment = href.split("#", 1)
        resolved = (build.outdir / page).parent / target if target else build.outdir / page
        links.append((str(resolved.resolve().relative_to(build.outdir.resolve())), fragment))
    return links


def passage_text(build: Build) -> dict[str, str]:
    return {p["id"]: p["text"] for r in build.passages()["readings"] for p in r["passages"]}


def test_kit_pages_are_in_the_guide(guide: Build) -> None:
    """The kit's pages are built and listed in the navigation; the build has no warnings."""
    assert guide.warnings == ""
    navigation = guide.soup("index.html").select_one("nav.bd-links").get_text()
    for title in ("Introduction", "A plan for five sessions", "Glossary", "Content notes"):
        assert title in navigation


def test_introduction_is_short_editorial_and_cites(guide: Build) -> None:
    page = guide.article("introduction.html")
    assert page.select_one(".editorial")
    assert len(page.get_text().split()) < 1000
    assert len(page.select("a[href*='bibliography.html#cite-']")) >= 3


@pytest.mark.parametrize("page", ["plan.html", "glossary.html", "content-notes.html", "introduction.html"])
def test_kit_references_resolve_to_passages(guide: Build, page: str) -> None:
    """Every ¶ link on a kit page leads to an element with that id on the page it names."""
    links = internal_links(guide, page, guide.article(page))
    passages = passage_text(guide)
    to_passages = [(target, fragment) for target, fragment in links if fragment in passages]
    assert to_passages, f"{page} links to no passage"
    for target, fragment in links:
        assert guide.soup(target).find(id=fragment), f"{page}: link to {target}#{fragment} leads nowhere"


@pytest.mark.parametrize("reading", READINGS, ids=[r.slug for r in READINGS])
def test_reading_has_questions_that_point_at_passages(guide: Build, reading: SourceReading) -> None:
    """Three or more questions, each pointing at a ¶ of the guide, one asking to take the other side."""
    box = guide.reading(reading.slug).select_one(".reading-questions")
    questions = box.select("ol > li")
    assert len(questions) >= 3
    assert sum("Take the other side" in q.get_text() for q in questions) == 1
    passages = passage_text(guide)
    page = f"readings/{reading.slug}.html"
    for question in questions:
        links = [(t, f) for t, f in internal_links(guide, page, question) if f in passages]
        assert links, f"question without a ¶ reference: {question.get_text()[:60]}"
        for target, fragment in links:
            assert guide.soup(target).find(id=fragment)


def glossary_terms() -> list[dict[str, list[str] | str]]:
    """The terms as docs/glossary.md declares them, read here without the extension's help."""
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    terms = []
    for match in re.finditer(r"^:::\{glossary-term\} (.+)\n((?::\w+:.*\n)*)", text, re.MULTILINE):
        options = dict(re.findall(r"^:(\w+): (.*)$", match.group(2), re.MULTILINE))
        forms = [f.strip() for f in options.get("forms", match.group(1)).split(";")]
        terms.append({"name": match.group(1), "forms": forms, "acronyms": options.get("acronyms", "").split()})
    return terms


def uses_term(text: str, term: dict) -> bool:
    flat = " ".join(text.replace("-", " ").split()).lower()
    for form in term["forms"]:
        stem = " ".join(form.rstrip("*").replace("-", " ").split()).lower()
        if re.search(rf"\b{re.escape(stem)}" + ("" if form.endswith("*") else r"\b"), flat):
            return True
    return any(re.search(rf"\b{re.escape(a)}\b", text) for a in term["acronyms"])


def test_glossary_covers_the_newcomers_terms() -> None:
    names = " ".join(str(t["name"]).lower() for t in glossary_terms())
    for needed in (
        "harm reduction",
        "recovery",
        "abstinence-based treatment",
        "twelve-step",
        "motivational interviewing",
        "opioid agonist treatment",
        "methadone",
        "buprenorphine",
        "naloxone",
        "safe supply",
        "decriminalisation",
        "people who use drugs",
        "peer worker",
        "drug user union",
        "medicalisation",
        "trauma-informed practice",
        "neurodiversity",
        "prohibition",
    ):
        assert needed in names


@pytest.mark.parametrize("term", glossary_terms(), ids=lambda t: str(t["name"]))
def test_glossary_first_appearances(guide: Build, term: dict) -> None:
    """Each "first appears" link leads to a passage that uses the term, with no earlier body passage
    using it, and that passage carries a margin note linking back to the term."""
    entry = next(
        dl for dl in guide.article("glossary.html").select("dl.glossary-entry") if dl.dt.get_text() == term["name"]
    )
    term_id = entry.dt["id"]
    links = internal_links(guide, "glossary.html", entry.select_one(".glossary-appearances"))
    by_reading = {r["page"]: r for r in guide.passages()["readings"]}
    seen_readings = set()
    for target, fragment in links:
        reading = by_reading[target]
        assert reading["page"] not in seen_readings
        seen_readings.add(reading["page"])
        body = [p for p in reading["passages"] if p["kind"] in ("paragraph", "list-item", "quote", "comment")]
        first = next(p for p in body if uses_term(p["text"], term))
        assert first["id"] == fragment, f"{term['name']}: first used in {first['id']}, not {fragment}"
        notes = margin_notes(guide.soup(target).find(id=fragment))
        assert any(n.select(f"a[href$='glossary.html#{term_id}']") for n in notes)
    # A reading that uses the term is listed.
    for reading in guide.passages()["readings"]:
        body = [p for p in reading["passages"] if p["kind"] in ("paragraph", "list-item", "quote", "comment")]
        if any(uses_term(p["text"], term) for p in body):
            assert reading["page"] in seen_readings


def test_glossary_notes_leave_passages_untouched(guide: Build) -> None:
    """A margin note is beside the passage, never inside it: each passage's text is still the source's."""
    passages = passage_text(guide)
    for reading in READINGS:
        page = guide.reading(reading.slug)
        for note in page.select("aside.glossary-note"):
            assert note.find_parent(class_="passage") is None
        for element in page.select(".passage"):
            assert normalise(shown_text(element)) == normalise(passages[element["id"]])


@pytest.mark.parametrize("reading", READINGS, ids=[r.slug for r in READINGS])
def test_content_note_comes_first_on_the_reading(guide: Build, reading: SourceReading) -> None:
    page = guide.reading(reading.slug)
    note = page.select_one(".reading-content-note")
    assert normalise(note.get_text()).startswith(expected_note(reading))
    first_passage = page.select_one(".passage:not(.passage-meta)")
    assert note.find_next(class_="passage-" + first_passage["class"][1].removeprefix("passage-")) is first_passage
    for numbers in declared_notes(reading).values():
        for number in numbers:
            assert note.select_one(f"a[href='#{reading.anchor(number)}']")


def test_content_notes_index_lists_every_declaration(guide: Build) -> None:
    page = guide.article("content-notes.html")
    assert any(declared_notes(r) for r in READINGS)
    for key, (label, _description) in GUIDE_CONTENT_NOTES.items():
        definition = page.find(id=f"content-note-{key}").find_next_sibling("dd")
        assert label.capitalize() == page.find(id=f"content-note-{key}").get_text()
        declaring = [r for r in READINGS if key in declared_notes(r)]
        text = normalise(definition.get_text())
        for reading in declaring:
            assert definition.select_one(f"a[href$='readings/{reading.slug}.html']")
            for number in declared_notes(reading)[key]:
                assert definition.select_one(f"a[href$='readings/{reading.slug}.html#{reading.anchor(number)}']")
        if not declaring:
            assert "Not declared for any reading" in text


@pytest.mark.parametrize("reading", READINGS, ids=[r.slug for r in READINGS])
def test_reading_at_a_glance(guide: Build, reading: SourceReading) -> None:
    """Length, time, comments and replies from the source; positions from the debates' quotations."""
    counts = statistics(reading.passages)
    words, comments, replies = counts.words, counts.comments, counts.replies
    glance = guide.reading(reading.slug).select_one(".at-a-glance")
    text = normalise(glance.get_text())
    assert f"{words:,} words, about {reading_minutes(words)} min to read" in text
    assert f"{comments} comment" in text and f"{replies} repl" in text
    quoted = set()
    for debate in (ROOT / "docs" / "debates").glob("*.md"):
        for anchor in re.findall(r"^```\{quotation\} (\S+)", debate.read_text(encoding="utf-8"), re.MULTILINE):
            if anchor.rsplit("-", 1)[0] == reading.slug:
                quoted.add((debate.stem, anchor))
    for debate, anchor in quoted:
        item = next(li for li in glance.select("li") if li.select_one(f"a[href$='debates/{debate}.html']"))
        assert item.select_one(f"a[href='#{anchor}']")
    assert len(glance.select("li")) == len({d for d, _ in quoted})


def session_minutes(build: Build) -> list[str]:
    return [normalise(s.get_text()) for s in build.article("plan.html").select(".session-time")]


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A copy of the guide with one source made longer, an unknown content note, a backwards
    session range, and the Hypothesis switch on."""
    tmp = tmp_path_factory.mktemp("edited")
    sources = tmp / "sources"
    shutil.copytree(ROOT / "sources", sources)
    source = sources / "002_8ef88bd3e111b80e.txt"
    first = "This post shares a few loosely connected tabs that have been open in my browser for a couple weeks."
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(first, first + " more" * 460, 1), encoding="utf-8")
    sidecar = sources / "000_a9cd94bf6c069ee6.toml"
    sidecar.write_text(
        sidecar.read_text(encoding="utf-8").replace("content_notes = []", 'content_notes = ["no-such-note"]'),
        encoding="utf-8",
    )
    docs = make_project(tmp, sources, accept=True)
    plan = docs / "plan.md"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "beyond-harm-reduction-1 beyond-harm-reduction-3", "beyond-harm-reduction-3 beyond-harm-reduction-1"
        ),
        encoding="utf-8",
    )
    return build_site(docs, tmp / "html", confoverrides={"guide_hypothesis": True})


def test_counts_follow_the_source(guide: Build, edited: Build) -> None:
    """Lengthen a source in a copy: its words, reading time, table row and session time all change."""
    before = normalise(guide.reading("we-need-both").select_one(".at-a-glance").get_text())
    after = normalise(edited.reading("we-need-both").select_one(".at-a-glance").get_text())
    words = statistics(next(r for r in READINGS if r.slug == "we-need-both").passages).words
    assert f"{words:,} words, about {reading_minutes(words)} min" in before
    assert f"{words + 460:,} words, about {reading_minutes(words + 460)} min" in after
    old_sessions, new_sessions = session_minutes(guide), session_minutes(edited)
    changed = [i for i, (old, new) in enumerate(zip(old_sessions, new_sessions, strict=True)) if old != new]
    # Session 4 reads all of We need both; session 5 reads ¶ 31–34 only, which did not change.
    # (Session 1 changed too: its range was turned backwards, see test_bad_kit_data_is_reported_by_name.)
    assert changed == [0, 3]
    old = int(re.search(r"\(([\d,]+) words\)", old_sessions[3]).group(1).replace(",", ""))
    new = int(re.search(r"\(([\d,]+) words\)", new_sessions[3]).group(1).replace(",", ""))
    assert new - old == 460


def test_bad_kit_data_is_reported_by_name(edited: Build) -> None:
    """An unknown content note names the sidecar; a backwards session range names the plan's line."""
    warnings = [line for line in edited.warnings.splitlines() if "WARNING" in line]
    assert len(warnings) == 2, edited.warnings
    assert any("sources/000_a9cd94bf6c069ee6.toml declares content note 'no-such-note'" in w for w in warnings)
    assert any("plan.md" in w and "must run forwards" in w for w in warnings)


def test_hypothesis_is_off_by_default_and_one_setting_away(guide: Build, edited: Build) -> None:
    hypothesis = "script[src='https://hypothes.is/embed.js']"
    for page in ("index.html", "readings/we-need-both.html", "glossary.html"):
        assert guide.soup(page).select_one(hypothesis) is None
        assert edited.soup(page).select_one(hypothesis) is not None
