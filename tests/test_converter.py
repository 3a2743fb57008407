"""The converter on its own: structure, determinism, and what it writes or refuses to write."""

from __future__ import annotations

import contextlib
import io
import shutil
import string
import subprocess
import sys
import tomllib
from itertools import groupby
from pathlib import Path

import pytest

from harness import ROOT, convert, words
from reading_guide.converter.corpus import SourceReading, read_corpus, read_source
from reading_guide.converter.decode import decode
from reading_guide.converter.render import escape_inline

# Reviewed against `tools/convert.py --explain`; run-length coded: kind[:thread][*count].
STRUCTURE = {
    "000_a9cd94bf6c069ee6.txt": "meta title paragraph comment:c1 comment:c2 comment:c3 comment:c4*5",
    "001_65107fb359e1f428.txt": (
        "title paragraph*2 comments-header comment:c1*12 comment:c1.1*11 comment:c2*9 comment:c2.1*7 furniture*11"
    ),
    "002_8ef88bd3e111b80e.txt": (
        "title paragraph heading paragraph*6 heading paragraph*5 quote*3 heading paragraph*3 quote*3 paragraph "
        "quote*2 paragraph*6 meta*2 furniture*3"
    ),
    "003_5c3cbf367a68948b.txt": (
        "title paragraph*2 heading paragraph*2 heading paragraph*2 heading paragraph*3 heading paragraph*4"
    ),
    "004_fd4cb0e37ec218b9.txt": (
        "title paragraph heading quote*3 paragraph*2 comments-header comment:c1*2 comment:c2*5 comment:c2.1*2 furniture"
    ),
}


def outline(reading: SourceReading) -> str:
    items = [p.kind + (f":{p.thread}" if p.thread else "") for p in reading.passages]
    runs = [(kind, len(list(group))) for kind, group in groupby(items)]
    return " ".join(kind if count == 1 else f"{kind}*{count}" for kind, count in runs)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The converter's command line, run in this process (fast, and mutation testing can see it)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = convert(list(args), root=ROOT)
    return subprocess.CompletedProcess(["convert", *args], status, out.getvalue(), err.getvalue())


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    """The README's command, `python tools/convert.py`, as a process of its own."""
    command = [sys.executable, str(ROOT / "tools" / "convert.py"), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    """A scratch copy of sources/ and an empty output folder."""
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    return sources, tmp_path / "readings"


@pytest.mark.parametrize("source", sorted(STRUCTURE))
def test_detected_structure(readings: list[SourceReading], source: str) -> None:
    """Kinds and comment threads detected in each source are the reviewed ones."""
    reading = next(r for r in readings if r.source == source)
    assert outline(reading) == STRUCTURE[source]


def test_removed_comment_is_marked(readings: list[SourceReading]) -> None:
    """The comment that says it was removed is flagged as removed, and only that one."""
    removed = [(r.source, p.thread) for r in readings for p in r.passages if p.removed]
    assert removed == [("000_a9cd94bf6c069ee6.txt", "c3")]


def test_comment_markers_leave_the_text(readings: list[SourceReading]) -> None:
    """A comment's number or bullet becomes its marker; the rest of the block is its text."""
    reading = next(r for r in readings if r.source.startswith("001"))
    reply = next(p for p in reading.passages if p.thread == "c1.1")
    assert (reply.marker, reply.text) == ("•", "Thank you for your comments.")


def test_nothing_of_a_source_is_lost(readings: list[SourceReading]) -> None:
    """Markers and passage texts, in order, are the whole source up to whitespace."""
    for reading in readings:
        source = decode(ROOT / "sources" / reading.source)
        rebuilt = " ".join(f"{p.marker} {p.text}" for p in reading.passages)
        assert words(rebuilt) == words(source)


def test_generated_pages_are_current() -> None:
    """docs/readings/ is what the converter makes of sources/ now (`--check`)."""
    result = run("--check")
    assert result.returncode == 0, result.stderr


def test_output_is_deterministic(project: tuple[Path, Path], tmp_path: Path) -> None:
    """Two runs into two folders write identical bytes."""
    sources, first = project
    second = tmp_path / "again"
    assert convert(["--sources", str(sources), "--output", str(first)]) == 0
    assert convert(["--sources", str(sources), "--output", str(second)]) == 0
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert all((first / n).read_bytes() == (second / n).read_bytes() for n in names)


def test_check_reports_stale_page(project: tuple[Path, Path]) -> None:
    """`--check` exits 1 and names the page when a sidecar change is not yet converted."""
    sources, output = project
    assert run("--sources", str(sources), "--output", str(output)).returncode == 0
    sidecar = sources / "003_5c3cbf367a68948b.toml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("Emergent Divergence", "ED"), encoding="utf-8")
    result = run("--sources", str(sources), "--output", str(output), "--check")
    assert result.returncode == 1
    assert "what-it-looks-like.md: stale" in result.stderr


def pages_as_they_are(output: Path) -> dict[Path, tuple[int, bytes]]:
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in output.iterdir()}


def test_unchanged_pages_are_not_rewritten(project: tuple[Path, Path]) -> None:
    """A second run leaves every page alone: the same modification time and the same bytes."""
    sources, output = project
    convert(["--sources", str(sources), "--output", str(output)])
    before = pages_as_they_are(output)
    result = run("--sources", str(sources), "--output", str(output))
    assert result.returncode == 0 and result.stdout == ""
    assert pages_as_they_are(output) == before


def test_editing_one_source_rewrites_its_page_only(project: tuple[Path, Path]) -> None:
    """After an edit to one source, accepted, its page and register are the only files written."""
    sources, output = project
    convert(["--sources", str(sources), "--output", str(output)])
    before = pages_as_they_are(output)
    source = sources / "002_8ef88bd3e111b80e.txt"
    source.write_text(
        source.read_text(encoding="utf-8").replace("compassion and empathy", "compassion and real empathy", 1), "utf-8"
    )
    result = run("--sources", str(sources), "--output", str(output), "--accept", str(source))
    assert result.returncode == 0
    assert result.stdout.splitlines()[1:] == [f"wrote {output / 'we-need-both.md'}"]
    assert result.stdout.startswith(f"recorded {sources / '002_8ef88bd3e111b80e.anchors.json'}: ")
    after = pages_as_they_are(output)
    assert {p for p in before if after[p] != before[p]} == {output / "we-need-both.md"}


def test_hand_edited_page_is_protected(project: tuple[Path, Path]) -> None:
    """A hand-edited page is refused (exit 1, named), reported by --check, replaced only with --force."""
    sources, output = project
    convert(["--sources", str(sources), "--output", str(output)])
    page = output / "we-need-both.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAn editor's note.\n", encoding="utf-8")
    sidecar = sources / "002_8ef88bd3e111b80e.toml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("We need both", "Both"), encoding="utf-8")
    for args in ((), ("--check",)):
        result = run("--sources", str(sources), "--output", str(output), *args)
        assert result.returncode == 1
        assert "we-need-both.md: edited by hand" in result.stderr
        assert "An editor's note." in page.read_text(encoding="utf-8")
    assert run("--sources", str(sources), "--output", str(output), "--force").returncode == 0
    assert "An editor's note." not in page.read_text(encoding="utf-8")


def test_page_of_removed_source(project: tuple[Path, Path]) -> None:
    """A page whose source is gone is deleted if untouched, kept and reported if edited."""
    sources, output = project
    convert(["--sources", str(sources), "--output", str(output)])
    (sources / "003_5c3cbf367a68948b.txt").unlink()
    (sources / "004_fd4cb0e37ec218b9.txt").unlink()
    edited = output / "goal-not-step.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nnote\n", encoding="utf-8")
    result = run("--sources", str(sources), "--output", str(output))
    assert result.returncode == 1
    assert not (output / "what-it-looks-like.md").exists()
    assert "what-it-looks-like.md (its source is gone)" in result.stdout
    assert edited.exists() and "goal-not-step.md: its source is gone and it was edited by hand" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"caf\xe9 au lait\n", "byte 0xE9 at offset 3 (line 1) is not UTF-8; re-save the file as UTF-8"),
        (b" \n\t\n", "empty or holds only whitespace"),
        (b"PK\x03\x04\x00\x00", "binary file (NUL byte at offset 4)"),
    ],
    ids=["not-utf8", "whitespace-only", "binary"],
)
def test_bad_input_is_a_clear_error(project: tuple[Path, Path], content: bytes, message: str) -> None:
    """Bad bytes: exit 2, one line naming the file and the fault, no traceback, nothing written."""
    sources, output = project
    (sources / "bad.txt").write_bytes(content)
    # As a process of its own, as a user runs it: a traceback would show on stderr.
    result = run_script("--sources", str(sources), "--output", str(output))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(sources / "bad.txt") in result.stderr and message in result.stderr
    assert not output.exists()


@pytest.mark.parametrize(
    ("sidecar", "message"),
    [
        ('[passages.99]\nkind = "quote"\n', "[passages.99] names no passage; the source has ¶ 1 to ¶ 18"),
        ('[passages.3]\nkind = "aside"\n', "[passages.3] 'kind' must be one of title, meta, heading"),
        ('[passages.3]\nstarts = "Nothing like"\n', "should start with 'Nothing like'"),
        ('slug = "Not A Slug"\n', "slug 'Not A Slug' must be lower-case"),
        ('slug = "goal-not-step"\n', "slug 'goal-not-step' differs from 'what-it-looks-like', under which"),
        ("title = [\n", "not valid TOML"),
        ('url = "javascript:alert(1)"\n', "'url' must be an http:// or https:// address"),
        ('author = "A"\nbyline = "B"\n', "unknown field(s) byline"),
        ('content_notes = "overdose"\n', "'content_notes' must be a list of content-note keys"),
        (
            '[passages.5]\ncontent_notes = ["Over Dose"]\n',
            "[passages.5] 'content_notes' must be a list of content-note keys",
        ),
        ("questions = [1, 2]\n", "'questions' must be a list of strings"),
        ("other_side = []\n", "'other_side' must be a string"),
    ],
    ids=[
        "no-such-passage",
        "unknown-kind",
        "wrong-passage",
        "bad-slug",
        "published-slug",
        "bad-toml",
        "bad-url",
        "unknown-field",
        "notes-not-a-list",
        "notes-bad-key",
        "questions-not-text",
        "other-side-not-text",
    ],
)
def test_bad_sidecar_is_a_clear_error(project: tuple[Path, Path], sidecar: str, message: str) -> None:
    """A sidecar that names no passage, an unknown kind or a taken slug stops the run with exit 2."""
    sources, output = project
    (sources / "003_5c3cbf367a68948b.toml").write_text(sidecar, encoding="utf-8")
    result = run("--sources", str(sources), "--output", str(output))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not output.exists()


def test_colliding_anchors_are_a_clear_error(tmp_path: Path) -> None:
    """Two slugs whose anchors would meet ("a" reply c1.1 and "a-c1" ¶ 1) stop the run with exit 2."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "one.txt").write_text("Title one\n\nPost.\n\n\n  1. Comment\n\n    • A reply\n", encoding="utf-8")
    (sources / "one.toml").write_text('slug = "a"\n', encoding="utf-8")
    (sources / "two.txt").write_text("Title two\n", encoding="utf-8")
    (sources / "two.toml").write_text('slug = "a-c1"\n', encoding="utf-8")
    result = run("--sources", str(sources), "--output", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "anchor 'a-c1-1' is also an anchor of one.txt" in result.stderr


def test_faithful_handling_of_awkward_text(tmp_path: Path) -> None:
    """BOM dropped, CRLF normalised, tabs and non-breaking spaces kept inside the text."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "odd name é.txt").write_bytes("\ufeffA title\r\n\r\nOne\ttab and\u00a0nbsp  \r\n".encode())
    reading = read_corpus(sources)[0]
    assert [(p.kind, p.text) for p in reading.passages] == [
        ("title", "A title"),
        ("paragraph", "One\ttab and\u00a0nbsp"),
    ]
    assert reading.slug == "a-title"


def test_explain_lists_every_passage() -> None:
    """`--explain` prints one row per passage with its kind and thread."""
    result = run_script("--explain", "sources/004_fd4cb0e37ec218b9.txt")
    assert result.returncode == 0
    rows = [line for line in result.stdout.splitlines() if line[:4].strip().isdigit()]
    assert len(rows) == 19
    assert rows[16].split()[2:5] == ["comment", "c2.1", "1."]


# Captures in other blogs' formats, as the converter is meant to meet them (tests/unseen/).
UNSEEN = {
    "blogger.txt": (
        "meta title meta paragraph list-item*3 heading paragraph furniture comments-header byline:c1 comment:c1 furniture"
        " byline:c2 comment:c2 furniture*3"
    ),
    "wordpress.txt": (
        "title meta paragraph comments-header byline:c1 comment:c1 furniture byline:c1.1 comment:c1.1 furniture"
        " byline:c2 comment:c2 furniture"
    ),
}


@pytest.mark.parametrize("name", sorted(UNSEEN))
def test_structure_of_other_blog_formats(name: str) -> None:
    """Blogger's "X said..." comments and WordPress replies without a blank line thread correctly."""
    reading = read_source(ROOT / "tests" / "unseen" / name)
    assert outline(reading) == UNSEEN[name]
    source = decode(ROOT / "tests" / "unseen" / name)
    assert words(" ".join(f"{p.marker} {p.text}" for p in reading.passages)) == words(source)


def test_titles_escape_every_ascii_punctuation_character() -> None:
    """A title or heading line is written with every ASCII punctuation character escaped, whatever it means
    to Markdown today; leading and trailing non-ASCII spaces become character references."""
    assert escape_inline(string.punctuation) == "".join("\\" + char for char in string.punctuation)
    assert escape_inline("\u00a0x\u2009") == "&#160;x&#8201;"
    assert escape_inline("é “x” — 中") == "é “x” — 中"


def test_check_with_an_orphan_page_writes_and_deletes_nothing(project: tuple[Path, Path]) -> None:
    """`--check` reports a page whose source is gone (and the stale index) and exits 1, touching no file."""
    sources, output = project
    convert(["--sources", str(sources), "--output", str(output)])
    (sources / "003_5c3cbf367a68948b.txt").unlink()
    before = pages_as_they_are(output)
    result = run("--sources", str(sources), "--output", str(output), "--check")
    assert result.returncode == 1
    assert "what-it-looks-like.md: its source is gone" in result.stderr
    assert "index.md: stale" in result.stderr
    assert result.stdout == ""
    assert pages_as_they_are(output) == before


def test_adding_a_source_copies_it_and_writes_a_starter_sidecar(tmp_path: Path) -> None:
    """`--add` (make add) copies a capture byte for byte, writes a sidecar of comments only (valid TOML that
    sets nothing), prints the explain table; adding it again, or over a name in use, is refused."""
    capture = ROOT / "tests" / "captures" / "disqus" / "the-rounds-peer-workers.txt"
    sources = tmp_path / "sources"
    sources.mkdir()
    result = run("--sources", str(sources), "--add", str(capture))
    assert result.returncode == 0, result.stderr
    added = sources / capture.name
    assert added.read_bytes() == capture.read_bytes()
    sidecar = added.with_suffix(".toml")
    assert tomllib.loads(sidecar.read_text(encoding="utf-8")) == {}
    assert "# slug = " in sidecar.read_text(encoding="utf-8")
    assert "style=disqus" in result.stdout and "byline" in result.stdout and "make html" in result.stdout
    again = run("--sources", str(sources), "--add", str(capture))
    assert again.returncode == 2 and f"already a source, as {added}" in again.stderr
    other = tmp_path / capture.name
    other.write_text("Another capture\n\nwith the same name.\n", encoding="utf-8")
    taken = run("--sources", str(sources), "--add", str(other))
    assert taken.returncode == 2 and f"{added} exists" in taken.stderr
    assert sorted(p.name for p in sources.iterdir()) == sorted([capture.name, sidecar.name])


def test_adding_bad_bytes_copies_nothing(tmp_path: Path) -> None:
    """A capture that is not UTF-8 is refused by --add before anything is copied."""
    capture = tmp_path / "latin1.txt"
    capture.write_bytes("Caf\xe9 society\n".encode("latin-1"))
    sources = tmp_path / "sources"
    sources.mkdir()
    result = run("--sources", str(sources), "--add", str(capture))
    assert result.returncode == 2 and "is not UTF-8" in result.stderr
    assert list(sources.iterdir()) == []


def test_a_capture_with_no_structure_builds_with_a_warning(tmp_path: Path) -> None:
    """A text in which no style, heading, list or comment is recognised converts (paragraphs, nothing dropped)
    with a warning that names the file; the exit status is 0."""
    sources = tmp_path / "sources"
    sources.mkdir()
    text = "a line of lower-case words that goes on without any end mark\n\nand another one like it, and more\n"
    (sources / "plain.txt").write_text(text, encoding="utf-8")
    result = run("--sources", str(sources), "--output", str(tmp_path / "readings"))
    assert result.returncode == 0
    assert (
        f"warning: {sources / 'plain.txt'}: no site's style, heading, list or comment was recognised" in result.stderr
    )
    reading = read_source(sources / "plain.txt")
    assert words(" ".join(p.text for p in reading.passages)) == words(text)
