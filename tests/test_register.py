"""Anchors that survive a re-capture: each source's register of published anchors (README, "Captured again").

Every scenario runs on copies of the five sources (with the registers the repository publishes)
and of captures in other sites' styles, converted once to publish their anchors, then captured
again with the change. Additive changes (a, b, c, f, g) just work; a changed or removed passage
of the text (d, e) stops the conversion, naming it, until `--accept` records it.
"""

from __future__ import annotations

import json
import random
import re
import textwrap
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness import ROOT, Project, flat, publish
from reading_guide.converter.corpus import SourceReading, read_source
from reading_guide.converter.register import match_texts, new_labels, read_register, register_path, register_text
from reading_guide.schema import LABEL

REAL = sorted((ROOT / "sources").glob("*.txt"))
OWN = [
    ROOT / "tests" / "captures" / path
    for path in (
        "wordpress/twentysixteen-school-naloxone.txt",
        "wordpress/wpcom-jetpack-safe-supply-flat.txt",
        "disqus/the-rounds-peer-workers.txt",
        "forum/phpbb-takehome-methadone.txt",
        "reddit/old-supervised-dosing.txt",
        "blogger/threaded-peer-work-kept.txt",
        "discourse/discourse-peer-pay.txt",
        "news/northern-ledger-injection-room.txt",
        "medium/harm-and-hope-naloxone-van.txt",
        "ghost/three-arguments.txt",
        "substack/fourteen-weeks.txt",
    )
]
CAPTURES = REAL + OWN
IDS = [path.stem for path in CAPTURES]


def published_anchors(project: Project) -> dict[str, str]:
    return project.reading().anchors()


def assert_anchors_kept(before: dict[str, str], after: dict[str, str]) -> None:
    """Every published anchor still exists and names the same text, whitespace aside."""
    lost = sorted(anchor for anchor in before if anchor not in after)
    moved = sorted(anchor for anchor in before if anchor in after and flat(after[anchor]) != flat(before[anchor]))
    assert (lost, moved) == ([], [])


def lines_of(reading: SourceReading, kinds: tuple[str, ...], top_level: bool | None = None) -> list[int]:
    """0-based line index where each passage of these kinds starts (of top-level comments only, if asked)."""
    return [
        p.line - 1
        for p in reading.passages
        if p.kind in kinds and (top_level is None or (p.thread is not None and ("." not in p.thread) == top_level))
    ]


def indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


# -- The changes: each takes the capture's text and its reading, and returns the new capture ------------


def append_comment(text: str, reading: SourceReading) -> str:
    """(a) A comment added after the last one: its byline copied, a new text under it."""
    lines = text.split("\n")
    last = max(p.line - 1 + p.text.count("\n") for p in reading.passages if p.thread)
    comment = next(p for p in reversed(reading.passages) if p.kind == "comment")
    byline = next((p for p in reversed(reading.passages) if p.kind == "byline"), None)
    marker = f"{int(comment.marker.rstrip('.)')) + 1}. " if comment.marker[:1].isdigit() else ""
    pad = indent_of(lines[comment.line - 1])
    added = [""] + ([*lines[byline.line - 1 : byline.line + byline.text.count("\n")], ""] if byline else [])
    added.append(f"{pad}{marker}A comment written after the first capture: the meeting moved to Thursdays.")
    return "\n".join(lines[: last + 1] + added + lines[last + 1 :])


def insert_reply(text: str, reading: SourceReading) -> str:
    """(b) A reply inserted under the first comment, deeper than it, before the comments that follow."""
    lines = text.split("\n")
    first = next(p for p in reading.passages if p.kind == "comment")
    end = first.line - 1 + first.text.count("\n")
    pad = indent_of(lines[first.line - 1]) + "    "
    reply = ["", f"{pad}@someone A reply added later, between two published comments: I agree with the first part."]
    return "\n".join(lines[: end + 1] + reply + lines[end + 1 :])


def add_paragraph(text: str, reading: SourceReading) -> str:
    """(c) A paragraph added to the post, after its first paragraph."""
    lines = text.split("\n")
    first = next(p for p in reading.passages if p.kind in ("paragraph", "quote", "list-item") and not p.thread)
    end = first.line - 1 + first.text.count("\n")
    paragraph = ["", "Update, a week later: the service has since published its figures for the year."]
    return "\n".join(lines[: end + 1] + paragraph + lines[end + 1 :])


def rewrap(text: str, reading: SourceReading) -> str:
    """(f) Long lines of the post and comments wrapped at 60 columns, their indentation kept."""
    starts = set(lines_of(reading, ("paragraph", "comment")))
    lines = text.split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        if index in starts and len(line) > 90:
            pad = indent_of(line)
            out += textwrap.wrap(line.strip(), 60, initial_indent=pad, subsequent_indent=pad, break_on_hyphens=False)
        else:
            out.append(line)
    return "\n".join(out)


def crlf_bom_nbsp(text: str, reading: SourceReading) -> str:
    """(f) The same text saved with a BOM and CRLF line ends, an NBSP for a space in each long paragraph."""
    starts = set(lines_of(reading, ("paragraph", "comment")))
    lines = [
        re.sub(r"(\w) (\w)", "\\1\u00a0\\2", line, count=1) if i in starts and len(line) > 60 else line
        for i, line in enumerate(text.split("\n"))
    ]
    return "\ufeff" + "\r\n".join(lines)


def newest_first(text: str, reading: SourceReading) -> str:
    """(g) The site lists its top-level comments newest first: their blocks of lines in reverse order."""
    lines = text.split("\n")
    starts = []
    for passage in reading.passages:
        if passage.thread and "." not in passage.thread and passage.thread not in (t for t, _ in starts):
            starts.append((passage.thread, passage.line - 1))
    ends = [start for _, start in starts[1:]]
    last_thread = starts[-1][0]
    ends.append(
        1
        + max(
            p.line - 1 + p.text.count("\n")
            for p in reading.passages
            if p.thread and (p.thread == last_thread or p.thread.startswith(last_thread + "."))
        )
    )
    spans = [lines[start:end] for (_, start), end in zip(starts, ends, strict=True)]
    spans = [[*span, ""] if span[-1].strip() else span for span in spans]
    return "\n".join(lines[: starts[0][1]] + [line for span in reversed(spans) for line in span] + lines[ends[-1] :])


ADDITIVE: dict[str, Callable[[str, SourceReading], str]] = {
    "a-comment-appended": append_comment,
    "b-reply-inserted": insert_reply,
    "c-paragraph-added": add_paragraph,
    "f-rewrapped": rewrap,
    "f-crlf-bom-nbsp": crlf_bom_nbsp,
    "g-newest-first": newest_first,
}


# Threads each capture has: the changes to comments apply where there are comments (two, to reorder them).
THREADS = {path: len({p.thread for p in read_source(path).passages if p.thread}) for path in CAPTURES}
NEEDS = {"a-comment-appended": 1, "b-reply-inserted": 1, "g-newest-first": 2}
COMBINATIONS = [
    pytest.param(capture, change, id=f"{capture.stem}-{change}")
    for capture in CAPTURES
    for change in ADDITIVE
    if THREADS[capture] >= NEEDS.get(change, 0)
]


@pytest.mark.parametrize(("capture", "change"), COMBINATIONS)
def test_additive_recapture_just_works(tmp_path: Path, capture: Path, change: str) -> None:
    """Comments appended, a reply inserted, a paragraph added, other wrapping/CRLF/BOM/NBSP, newest first:
    the conversion goes through with no step, every published anchor keeps its text, new passages get
    numbers never used before, and the register records the capture."""
    project = publish(tmp_path, capture)
    before, register = published_anchors(project), read_register(project.source)
    assert register is not None
    project.recapture(ADDITIVE[change](project.text, project.reading()))
    result = project.convert()
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr
    after = project.reading()
    assert_anchors_kept(before, after.anchors())
    new = [p.number for p in after.passages if p.number not in {e.label for e in register.entries}]
    if change.startswith(("a-", "b-", "c-")):
        assert new, "the added text got no passage of its own"
    assert all(LABEL.match(label) for label in new)
    recorded = read_register(project.source)
    assert recorded is not None and len(recorded.captures) == len(register.captures) + 1
    assert len({e.label for e in recorded.entries}) == len(recorded.entries)


def test_inserted_passages_are_numbered_after_the_one_before_them(tmp_path: Path) -> None:
    """A paragraph added after ¶ 4 is ¶ 4a, a reply inside comment 1 is ¶ 11a in thread c1.1, a comment
    at the end continues the count (¶ 20, comment 3): the issue's own example, on 004."""
    project = publish(tmp_path, ROOT / "sources" / "004_fd4cb0e37ec218b9.txt")
    # Inserted from the last line up, so that each index is the first capture's.
    lines = project.text.split("\n")
    lines[38:38] = ["", "  3. A comment added at the end of the thread."]
    lines[21:21] = ["", "    1. A reply added under the first comment, weeks later."]
    lines[7:7] = ["", "An update added to the post."]
    project.recapture("\n".join(lines))
    result = project.convert()
    assert result.returncode == 0, result.stderr
    shown = {p.number: (p.kind, p.thread, p.text) for p in project.reading().passages}
    assert shown["4a"] == ("paragraph", None, "An update added to the post.")
    assert shown["11a"] == ("comment", "c1.1", "A reply added under the first comment, weeks later.")
    assert shown["20"] == ("comment", "c3", "A comment added at the end of the thread.")
    assert shown["19"][0] == "furniture"  # "Comments are closed." keeps its number after the new comment
    # The sidecar's overrides follow their passages: ¶ 4 to ¶ 6 are still the quotations it says they are.
    assert [shown[n][0] for n in ("4", "5", "6")] == ["quote"] * 3


def test_a_second_recapture_never_reuses_a_number(tmp_path: Path) -> None:
    """Numbers given to added passages, and to removed ones, are never given again."""
    project = publish(tmp_path, ROOT / "sources" / "004_fd4cb0e37ec218b9.txt")
    lines = project.text.split("\n")
    lines[7:7] = ["", "An update added to the post."]
    project.recapture("\n".join(lines))
    assert project.convert().returncode == 0
    project.recapture(project.text.replace("\nAn update added to the post.\n", "\n", 1))
    assert project.convert("--accept", str(project.source)).returncode == 0
    lines = project.text.split("\n")
    lines[7:7] = ["", "Another update, in its place."]
    project.recapture("\n".join(lines))
    assert project.convert().returncode == 0
    numbers = {p.number: p.text for p in project.reading().passages}
    assert numbers["4b"] == "Another update, in its place."
    assert "4a" not in numbers and project.reading().anchors()["goal-not-step-4a"] == "An update added to the post."


# -- (d) and (e): nothing changes silently ---------------------------------------------------------------


def edit_a_passage(text: str, reading: SourceReading) -> tuple[str, str]:
    """(d) A typo fixed inside the longest passage of the text: the capture, and that passage's ¶."""
    longest = max(
        (p for p in reading.passages if p.kind in ("paragraph", "comment", "quote")), key=lambda p: len(p.text)
    )
    word = max(re.findall(r"[A-Za-z]{6,}", longest.text), key=len)
    lines = text.split("\n")
    span = range(longest.line - 1, longest.line + longest.text.count("\n"))
    index = next(i for i in span if word in lines[i])
    lines[index] = lines[index].replace(word, word[:2] + word[3:], 1)
    return "\n".join(lines), longest.number


def remove_a_comment(text: str, reading: SourceReading) -> tuple[str, list[str]]:
    """(e) The first top-level comment deleted with its replies: the capture, and its passages' ¶."""
    first = next(p.thread for p in reading.passages if p.thread)
    assert first is not None
    subtree = [p for p in reading.passages if p.thread and (p.thread == first or p.thread.startswith(first + "."))]
    later = [p for p in reading.passages if p.thread and p.line > subtree[-1].line and p not in subtree]
    start = subtree[0].line - 1
    end = later[0].line - 1 if later else subtree[-1].line + subtree[-1].text.count("\n")
    lines = text.split("\n")
    return "\n".join(lines[:start] + lines[end:]), [p.number for p in subtree]


@pytest.mark.parametrize("capture", CAPTURES, ids=IDS)
def test_an_edited_passage_stops_until_accepted(tmp_path: Path, capture: Path) -> None:
    """(d) A typo fixed in one passage: exit 1 and nothing written, the message names the source, the
    anchor, the old and the new text, and the command; after --accept the passage keeps its ¶, says it
    changed, and keeps the earlier text."""
    project = publish(tmp_path, capture)
    before, files = published_anchors(project), project.files()
    recapture, number = edit_a_passage(project.text, project.reading())
    project.recapture(recapture)
    files[project.source] = project.source.read_bytes()
    stopped = project.convert()
    assert stopped.returncode == 1
    slug = project.reading().slug
    assert str(project.source) in stopped.stderr and f"{slug}-{number} (¶ {number}" in stopped.stderr
    assert "was: " in stopped.stderr and "now: " in stopped.stderr
    assert f"make accept SOURCE={project.source}" in stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert project.files() == files, "something was written"
    assert project.convert("--accept", str(project.source)).returncode == 0
    after = project.reading()
    changed = next(p for p in after.passages if p.number == number)
    assert changed.status == "changed" and flat(changed.earlier[0][0]) == flat(before[f"{slug}-{number}"])
    assert [p.number for p in after.passages if p.status] == [number]
    assert_anchors_kept({a: t for a, t in before.items() if a != f"{slug}-{number}"}, after.anchors())
    assert project.convert().returncode == 0  # recorded: the next run goes through


@pytest.mark.parametrize("capture", [c for c in CAPTURES if THREADS[c]], ids=[c.stem for c in CAPTURES if THREADS[c]])
def test_a_removed_comment_stops_until_accepted(tmp_path: Path, capture: Path) -> None:
    """(e) A comment deleted: exit 1 naming each of its passages; after --accept they are removed
    passages whose anchors (and the comment's) still name their text, and new numbers skip them."""
    project = publish(tmp_path, capture)
    before, files = published_anchors(project), project.files()
    project_before = project.reading()
    recapture, numbers = remove_a_comment(project.text, project_before)
    project.recapture(recapture)
    files[project.source] = project.source.read_bytes()
    stopped = project.convert()
    assert stopped.returncode == 1 and project.files() == files
    slug = project.reading().slug
    text_numbers = [n for n in numbers if f"{slug}-{n} (¶ {n}" in stopped.stderr]
    assert text_numbers and "is not in this capture" in stopped.stderr
    assert project.convert("--accept", str(project.source)).returncode == 0
    after = project.reading()
    assert set(text_numbers) <= {p.number for p in after.removed}
    assert all(p.status == "removed" and p.removed_in for p in after.removed)
    was = {p.number: p for p in project_before.passages}
    assert all(
        (p.kind, p.since, p.thread) == (was[p.number].kind, was[p.number].since, was[p.number].thread)
        for p in after.removed
    )
    assert_anchors_kept(before, after.anchors())


def test_accept_names_a_known_source(tmp_path: Path) -> None:
    """--accept with a file that is not a source is a clear error (exit 2)."""
    project = publish(tmp_path, ROOT / "sources" / "003_5c3cbf367a68948b.txt")
    result = project.convert("--accept", str(tmp_path / "nothing.txt"))
    assert result.returncode == 2 and "nothing.txt: not a source" in result.stderr


def test_check_reports_an_unrecorded_capture(tmp_path: Path) -> None:
    """--check writes nothing and exits 1 while a new capture's anchors are not recorded."""
    project = publish(tmp_path, ROOT / "sources" / "003_5c3cbf367a68948b.txt")
    project.recapture(add_paragraph(project.text, project.reading()))
    files = project.files()
    result = project.convert("--check")
    assert result.returncode == 1 and "anchors.json: stale" in result.stderr
    assert project.files() == files


def test_a_broken_register_is_a_clear_error(tmp_path: Path) -> None:
    """A register that is not the converter's (hand-edited, truncated) stops the run with exit 2."""
    project = publish(tmp_path, ROOT / "sources" / "003_5c3cbf367a68948b.txt")
    path = register_path(project.source)
    path.write_text(path.read_text(encoding="utf-8")[:200], encoding="utf-8")
    result = project.convert()
    assert result.returncode == 2 and f"{path}: not a register of anchors" in result.stderr


# -- Slugs: distinct by themselves, never changed once published -----------------------------------------


def test_two_captures_with_one_title_get_distinct_slugs_and_keep_them(tmp_path: Path) -> None:
    """Two captures with the same title get `title` and `title-2`; a third added later, whose name sorts
    first, takes `title-3` and leaves the others' slugs (recorded in their registers) alone."""
    sources = tmp_path / "sources"
    sources.mkdir()
    post = "Same title here\n\nA paragraph of the post, long enough to be one.\n"
    (sources / "b.txt").write_text(post, encoding="utf-8")
    (sources / "c.txt").write_text(post + "\nAnother paragraph.\n", encoding="utf-8")
    project = Project(sources, tmp_path / "readings", sources / "b.txt")
    assert project.convert().returncode == 0
    (sources / "a.txt").write_text(post + "\nA third paragraph.\n", encoding="utf-8")
    assert project.convert().returncode == 0
    slugs = {json.loads(register_path(sources / n).read_text(encoding="utf-8"))["slug"] for n in ("a.txt",)}
    assert slugs == {"same-title-here-3"}
    assert sorted(p.name for p in (tmp_path / "readings").glob("same-*.md")) == [
        "same-title-here-2.md",
        "same-title-here-3.md",
        "same-title-here.md",
    ]
    assert json.loads(register_path(sources / "b.txt").read_text(encoding="utf-8"))["slug"] == "same-title-here"


# -- Matching, on its own ----------------------------------------------------------------------------------


def test_matching_is_by_text_not_position() -> None:
    """Kept texts pair with their old selves wherever they moved; an edited one pairs in its place."""
    old = ["Title", "One two three four five six.", "Reply", "Seven eight nine ten.", "Reply"]
    new = ["Title", "Seven eight nine ten.", "Reply", "One two three four five SIX.", "Reply", "New words."]
    pairs, edited = match_texts(old, new)
    assert pairs == [0, 3, 4, 1, 2, None] or pairs == [0, 3, 2, 1, 4, None]
    assert edited == {3}


def test_new_numbers() -> None:
    """Between published passages: the number before and a letter; after the last passage of the text
    (furniture aside): the count goes on; a letter never given twice."""
    from reading_guide.converter.register import Entry

    kept = [Entry("1", "a"), None, Entry("2", "b"), None, None, Entry("3", "Reply", kind="furniture"), None]
    assert new_labels(kept, {"1", "2", "3", "1a"}) == ["1", "1b", "2", "4", "5", "3", "6"]
    # Past z: two letters, never a letter given before.
    used = {"1", "2"} | {f"1{letter}" for letter in "abcdefghijklmnopqrstuvwxyz"}
    assert new_labels([Entry("1", "a"), None, None, Entry("2", "b")], used) == ["1", "1aa", "1ab", "2"]


def test_an_edited_then_removed_passage_keeps_its_history(tmp_path: Path) -> None:
    """A passage edited in one capture and gone in the next is a removed passage with its kind, the date
    it was first captured, every earlier text and the capture that removed it; the register is UTF-8 as
    written (curly quotes, ¶), so that its changes read in a diff."""
    source = tmp_path / "post.txt"
    first = "The council’s “pilot” ran for a year and the clinic kept every record of it."
    second = first.replace("a year", "two years")
    third = "Nobody at the meeting asked what the nurses thought of the waiting list."
    source.write_text(_capture([first, third]), encoding="utf-8")
    published = _record(source)
    source.write_text(_capture([second, third]), encoding="utf-8")
    _record(source)
    source.write_text(_capture([third]), encoding="utf-8")
    removed = _record(source).removed
    assert [p.number for p in removed] == ["2"]
    gone, was = removed[0], published.passages[1]
    assert (gone.kind, gone.since, gone.text, gone.status) == (was.kind, was.since, second, "removed")
    assert [flat(text) for text, _ in gone.earlier] == [first] and gone.removed_in
    written = register_path(source).read_text(encoding="utf-8")
    assert "“pilot”" in written and "\\u201c" not in written


def test_the_stop_message_shows_where_the_texts_part(tmp_path: Path) -> None:
    """A long passage edited in its middle: the message shows both texts from a little before the change,
    each cut with an ellipsis where it is cut, its characters as written."""
    source = tmp_path / "post.txt"
    words = " ".join(f"{VOCABULARY[i % len(VOCABULARY)]}" for i in range(90))
    before = f"“Quoted” {words} the waiting list was long {words}."
    after = before.replace("was long", "was short")
    source.write_text(_capture([before]), encoding="utf-8")
    _record(source)
    source.write_text(_capture([after]), encoding="utf-8")
    reading = read_source(source)
    assert reading.recapture is not None
    [message] = reading.recapture.undecided
    was = re.search(r'was: "(.*)"', message).group(1)  # type: ignore[union-attr]
    now = re.search(r'now: "(.*)"', message).group(1)  # type: ignore[union-attr]
    part = before.index("was long") + len("was ")
    assert was.startswith("…" + before[part - 60 : part]) and now.startswith("…" + after[part - 60 : part])
    assert was.endswith("…") and now.endswith("…") and "long" in was and "short" in now
    # A short passage is shown whole: no ellipsis, its characters as written.
    source.write_text(_capture(["“Short” and kept."]), encoding="utf-8")
    _record(tmp_path.joinpath("post.txt"))
    source.write_text(_capture(["“Short” and changed."]), encoding="utf-8")
    [message] = read_source(source).recapture.undecided  # type: ignore[union-attr]
    assert 'was: "“Short” and kept."' in message and 'now: "“Short” and changed."' in message


# -- The property: any history of captures keeps every anchor -------------------------------------------

VOCABULARY = [
    "the",
    "service",
    "people",
    "harm",
    "drug",
    "policy",
    "group",
    "meeting",
    "reading",
    "reduction",
    "recovery",
    "year",
    "methadone",
    "naloxone",
    "peer",
    "worker",
    "family",
    "council",
    "funding",
    "evidence",
    "abstinence",
    "treatment",
    "clinic",
    "needle",
    "exchange",
    "overdose",
    "city",
    "program",
    "outreach",
    "housing",
    "support",
    "trust",
    "stigma",
    "dose",
    "supply",
    "choice",
    "risk",
    "safety",
    "research",
    "nurse",
    "volunteer",
    "we",
    "they",
    "it",
    "was",
    "is",
    "not",
    "but",
    "because",
    "after",
    "before",
    "every",
    "many",
    "some",
    "few",
    "often",
    "never",
    "always",
    "again",
]


@st.composite
def sentences(draw: st.DrawFn) -> str:
    """A sentence of 8 to 30 words drawn from the vocabulary: prose, so two differ as paragraphs do."""
    words = draw(st.lists(st.sampled_from(VOCABULARY), min_size=8, max_size=30))
    return " ".join(words).capitalize() + "."


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[str], list[list[tuple[str, int, str]]]]:
    """A post of paragraphs, then captures that insert, delete, edit (a word) or re-wrap paragraphs."""
    first = draw(st.lists(sentences(), min_size=3, max_size=14, unique=True))
    first = [text for index, text in enumerate(first) if not _near_copy(text, first[:index])]
    step = st.lists(
        st.tuples(st.sampled_from(["insert", "delete", "edit", "rewrap"]), st.integers(0, 100), sentences()),
        min_size=1,
        max_size=5,
    )
    return first, draw(st.lists(step, min_size=1, max_size=4))


def _capture(paragraphs: list[str]) -> str:
    return "A post about the reading group\n\n" + "\n\n".join(paragraphs) + "\n"


def _record(source: Path) -> SourceReading:
    """The converter's pipeline and, as --accept does, the capture recorded in the register (no pages)."""
    reading = read_source(source)
    assert reading.recapture is not None
    if reading.recapture.changed_register:
        register = reading.recapture.register
        register.path.write_text(register_text(register), encoding="utf-8")
    return reading


def _near_copy(text: str, others: list[str]) -> bool:
    """A paragraph much like another of the post: matching by text cannot tell two such apart, and
    posts do not hold them, so the history leaves them out."""
    return any(SequenceMatcher(None, flat(text), flat(other), autojunk=False).ratio() >= 0.6 for other in others)


@settings(max_examples=max(10, settings.default.max_examples // 8))
@given(histories())
def test_any_history_of_captures_keeps_every_anchor(tmp_path_factory: pytest.TempPathFactory, history) -> None:  # type: ignore[no-untyped-def]
    """Random insertions, deletions, one-word edits and re-wrappings over several captures: a paragraph
    that survives keeps its number (edited or re-wrapped, it is the same passage), no number is given
    twice, and every number ever published still names its text (a removed one its last text)."""
    source = tmp_path_factory.mktemp("history") / "post.txt"
    paragraphs, steps = history
    tracked = list(enumerate(paragraphs))  # (id, text): a paragraph is followed by its id through the captures
    source.write_text(_capture(paragraphs), encoding="utf-8")
    reading = _record(source)
    number_of = {i: p.number for (i, _), p in zip(tracked, reading.passages[1:], strict=True)}
    published = reading.anchors()
    given_out = {p.number for p in reading.passages}
    counter = len(tracked)
    for step in steps:
        for action, where, sentence in step:
            at = where % (len(tracked) + (action == "insert"))
            texts = [t for _, t in tracked]
            if action == "insert" and not _near_copy(sentence, texts):
                tracked.insert(at, (counter, sentence))
                counter += 1
            elif action == "delete" and len(tracked) > 1:
                tracked.pop(at)
            elif action == "edit" and tracked:
                i, text = tracked[at]
                changed = re.sub(r"\w+\.$", "edited.", text)
                if not _near_copy(changed, texts[:at] + texts[at + 1 :]):
                    tracked[at] = (i, changed)
            elif action == "rewrap" and tracked:
                i, text = tracked[at]
                width = random.Random(where).randint(20, 50)
                tracked[at] = (i, "\n".join(textwrap.wrap(" ".join(text.split()), width)))
        source.write_text(_capture([t for _, t in tracked]), encoding="utf-8")
        reading = _record(source)
        by_text = {flat(p.text): p.number for p in reading.passages}
        for i, text in tracked:
            if i in number_of:
                assert by_text[flat(text)] == number_of[i], f"paragraph {i} lost its number"
            number_of.setdefault(i, by_text[flat(text)])
        anchors = reading.anchors()
        assert [a for a in published if a not in anchors] == [], "a published anchor no longer resolves"
        numbers = [p.number for p in (*reading.passages, *reading.removed)]
        assert len(numbers) == len(set(numbers))
        fresh = {p.number for p in reading.passages} - given_out
        assert not fresh & {anchor.rsplit("-", 1)[1] for anchor in published}, "a number was given twice"
        given_out |= fresh
        published |= anchors


def test_a_byline_whose_relative_date_moved_on_needs_no_decision(tmp_path: Path) -> None:
    """Captured a year later, "3 years ago" reads "4 years ago" and the likes went up: the byline is recorded
    as changed (its earlier text kept) without stopping; a byline that names someone else still stops."""
    capture = ROOT / "tests" / "captures" / "disqus" / "the-rounds-peer-workers.txt"
    project = publish(tmp_path, capture)
    byline = next(p for p in project.reading().passages if p.kind == "byline" and re.search(r"\d", p.text))
    aged = re.sub(r"\d+", lambda m: str(int(m.group(0)) + 1), byline.text, count=1)
    project.recapture(project.text.replace(byline.text, aged, 1))
    result = project.convert()
    assert result.returncode == 0, result.stderr
    kept = next(p for p in project.reading().passages if p.number == byline.number)
    assert kept.status == "changed" and kept.text == aged and kept.earlier[0][0] == byline.text
    renamed = aged.replace(byline.author, "Somebody Else", 1)
    project.recapture(project.text.replace(aged, renamed, 1))
    assert project.convert().returncode == 1


def test_a_recaptured_readings_page(tmp_path: Path) -> None:
    """The MyST page of 004 after ¶ 7 was edited and reply 2.1 deleted (accepted): ¶ 7 carries its status,
    since and earlier text; the removed passages stand, as they were, in "Removed from the source" (after the
    comments, before the questions) inside reply 2.1's own comment block, so that its anchor leads there."""
    project = publish(tmp_path, ROOT / "sources" / "004_fd4cb0e37ec218b9.txt")
    lines = project.text.split("\n")
    lines[12] = lines[12].replace("collaboration and integration", "collaboration or integration")
    del lines[34:38]
    project.recapture("\n".join(lines))
    stopped = project.convert()
    assert "goal-not-step-7 (¶ 7) changed:" in stopped.stderr
    # The message shows where the texts part, not their first words.
    assert 'was: "It makes it hard to imagine collaboration and integration.' in stopped.stderr
    assert 'now: "It makes it hard to imagine collaboration or integration.' in stopped.stderr
    assert 'goal-not-step-17 (¶ 17, in comment 2.1) is not in this capture:\n      was: "Here, here.' in stopped.stderr
    assert project.convert("--accept", str(project.source)).returncode == 0
    page = (project.output / "goal-not-step.md").read_text(encoding="utf-8")
    date = project.reading().passages[0].since
    changed = page[page.index("```{passage} goal-not-step-7\n") :].split("\n```\n")[0]
    assert 'status: "changed"' in changed and f'since: "{date}"' in changed
    earlier = json.loads(json.loads(re.search(r"^earlier: (.*)$", changed, re.MULTILINE).group(1)))  # type: ignore[union-attr]
    assert earlier == [[lines[12].replace("or integration", "and integration"), date]]
    removed = page[page.index("(goal-not-step-removed)=\n## Removed from the source\n") :]
    # The section says what it is, then reply 2.1's own block (its thread given) opens on its first passage.
    assert removed.startswith(
        "(goal-not-step-removed)=\n## Removed from the source\n\n"
        "An earlier capture of the source held these passages; the latest does not. They are kept as they were, "
        'so that their anchors still lead to them.\n\n````{comment} goal-not-step-c2-1\n---\nthread: "c2.1"\n---\n\n'
        "```{passage} goal-not-step-17\n"
    )
    assert page.index("## Removed from the source") > page.index("{comment} goal-not-step-c2\n") > 0
    assert removed.index("## Removed") < removed.index("## Questions for discussion")
    block = removed[removed.index("{comment} goal-not-step-c2-1\n") :]
    assert 'thread: "c2.1"' in block.split("\n---\n")[0] + block.split("\n---\n")[1]
    for number, start in (("17", "Here, here."), ("18", "I shared this")):
        passage = block[block.index(f"{{passage}} goal-not-step-{number}\n") :].split("\n```")[0]
        assert 'status: "removed"' in passage and f'removed-in: "{date}"' in passage and 'kind: "comment"' in passage
        assert passage.split("---\n")[-1].startswith(start)
    assert block.index("goal-not-step-17") < block.index("goal-not-step-18") < block.index("## Questions")
