"""The tests' one build harness: real Sphinx builds of the guide, parsed pages, and the text rules.

Test modules import from here (never from each other); ``conftest.py`` holds the fixtures.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.docutils import docutils_namespace, patch_docutils
from sphinx.util.tags import Tags

from reading_guide.converter.cli import main as convert
from reading_guide.converter.corpus import SourceReading, read_source
from reading_guide.converter.register import register_path

ROOT = Path(__file__).resolve().parent.parent
GUIDE_CONTENT_NOTES = Config.read(ROOT, overrides={}, tags=Tags())._raw_config["guide_content_notes"]


# What HTML collapses: space, tab, line feed, form feed, carriage return. Nothing else: a
# non-breaking, thin or zero-width space, a soft hyphen, is a character like any other.
# How the guide writes a ¶ number's mark: "¶ 16", the space non-breaking.
PILCROW = "¶\u00a0"
HTML_WHITESPACE = re.compile(r"[ \t\n\f\r]+")


def normalise(text: str) -> str:
    """The one honest normalisation: the text as HTML shows it (runs of HTML whitespace are one space)."""
    return HTML_WHITESPACE.sub(" ", text).strip(" ")


def words(text: str) -> list[str]:
    """The text split where HTML would break it, for comparing what a conversion kept."""
    return [word for word in HTML_WHITESPACE.split(text) if word]


def shown_text(element: Tag) -> str:
    """The text a reader sees in a passage element, without the ¶ link or heading permalink."""
    if element.name == "section":
        found = element.find(["h1", "h2", "h3"])
        assert isinstance(found, Tag)
        element = found
    clone = BeautifulSoup(str(element), "lxml")
    for extra in clone.select(".passage-number, a.headerlink"):
        extra.decompose()
    return clone.get_text()


@dataclass
class Build:
    """A finished HTML build: its output folder and every warning it printed."""

    outdir: Path
    warnings: str
    reread: list[str] = field(default_factory=list)  # documents Sphinx read (again) in this build
    _parsed: dict[str, BeautifulSoup] = field(default_factory=dict, repr=False)

    def soup(self, path: str) -> BeautifulSoup:
        """One whole page, parsed (cached: tests look at the same pages many times)."""
        if path not in self._parsed:
            self._parsed[path] = BeautifulSoup((self.outdir / path).read_text(encoding="utf-8"), "lxml")
        return self._parsed[path]

    def article(self, path: str) -> BeautifulSoup:
        """The article of one page: its content without the theme's navigation."""
        soup = self.soup(path)
        return soup.find("article") or soup

    def reading(self, slug: str) -> BeautifulSoup:
        return self.article(f"readings/{slug}.html")

    def passages(self) -> dict:
        return json.loads((self.outdir / "passages.json").read_text(encoding="utf-8"))


def margin_notes(passage: Tag) -> list[Tag]:
    """The margin notes of a passage: asides just before it, where they float level with it."""
    notes = []
    sibling = passage.find_previous_sibling()
    while sibling is not None and sibling.name == "aside":
        notes.append(sibling)
        sibling = sibling.find_previous_sibling()
    return notes


def run_sphinx(
    srcdir: Path,
    outdir: Path,
    buildername: str,
    *,
    parallel: int = 1,
    freshenv: bool = True,
    confoverrides: dict | None = None,
    tags: tuple[str, ...] = (),
    doctreedir: Path | None = None,
) -> tuple[str, list[str]]:
    """One Sphinx build with the project's conf.py, nitpicky; returns its warnings and the documents it read.

    The doctrees go to `outdir`/.doctrees unless `doctreedir` is given (the EPUB must hold only its own files).
    """
    warnings = io.StringIO()
    reread: list[str] = []
    # As sphinx-build does: each app gets its own docutils registry, so apps in one process do not clash.
    with patch_docutils(ROOT), docutils_namespace():
        app = Sphinx(
            srcdir=srcdir,
            confdir=ROOT,
            outdir=outdir,
            doctreedir=doctreedir or outdir / ".doctrees",
            buildername=buildername,
            status=None,
            warning=warnings,
            freshenv=freshenv,
            confoverrides={"nitpicky": True, **(confoverrides or {})},
            parallel=parallel,
            tags=list(tags),
        )
        app.connect("env-before-read-docs", lambda app, env, docnames: reread.extend(docnames))
        app.build()
    return warnings.getvalue(), sorted(reread)


def build_site(
    srcdir: Path, outdir: Path, *, parallel: int = 1, freshenv: bool = True, confoverrides: dict | None = None
) -> Build:
    """Build the HTML, collecting warnings instead of stopping."""
    warnings, reread = run_sphinx(
        srcdir, outdir, "html", parallel=parallel, freshenv=freshenv, confoverrides=confoverrides
    )
    return Build(outdir=outdir, warnings=warnings, reread=reread)


def make_project(tmp: Path, sources: Path, *, whole_guide: bool = True, accept: bool = False) -> Path:
    """A copy of docs/ whose readings are converted from `sources`; returns the source folder.

    `accept`: sources edited for a test are recorded as new captures, changed passages and all
    (as `make accept` does), where the conversion would otherwise stop and ask.

    For other corpora than sources/ (`whole_guide=False`) the debates, which quote the real
    readings, are left out and a bare home page lists the readings.
    """
    docs = tmp / "docs"
    if whole_guide:
        shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("readings"))
    else:
        shutil.copytree(ROOT / "docs" / "_static", docs / "_static")
        (docs / "index.md").write_text(
            "# Test corpus\n\n```{readings-table}\n```\n\n```{toctree}\nreadings/index\n```\n", encoding="utf-8"
        )
    # A copy: converting writes each source's register of anchors beside it, never into the repository.
    copied = tmp / "sources"
    if copied != sources:
        shutil.copytree(sources, copied)
    accepted = [arg for path in sorted(copied.glob("*.txt")) for arg in ("--accept", str(path))] if accept else []
    status = convert(["--sources", str(copied), "--output", str(docs / "readings"), *accepted])
    assert status == 0
    return docs


def build_pdfs(srcdir: Path, outdir: Path, *, tags: tuple[str, ...] = ()) -> tuple[str, list[Path]]:
    """Sphinx's LaTeX builder, then latexmk with XeLaTeX on every .tex; returns warnings and PDFs.

    What latexmk printed is kept beside each PDF as `<name>.latexmk.out` (it names every pass it ran).
    """
    warnings, _ = run_sphinx(srcdir, outdir, "latex", tags=tags)
    pdfs = []
    for tex in sorted(outdir.glob("*.tex")):
        latexmk = subprocess.run(
            ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-silent", tex.name],
            cwd=outdir,
            check=True,
            capture_output=True,
            text=True,
        )
        tex.with_suffix(".latexmk.out").write_text(latexmk.stdout + latexmk.stderr, encoding="utf-8")
        pdfs.append(tex.with_suffix(".pdf"))
    return warnings, pdfs


def declared_notes(reading: SourceReading) -> dict[str, list[int]]:
    notes: dict[str, list[int]] = {key: [] for key in reading.record.content_notes}
    for passage in reading.passages:
        for key in passage.content_notes:
            notes.setdefault(key, []).append(passage.number)
    return notes


def expected_note(reading: SourceReading) -> str:
    notes = declared_notes(reading)
    if not notes:
        return "Content note: none declared for this reading."
    parts = []
    for key, numbers in notes.items():
        where = f" ({', '.join(PILCROW + str(n) for n in numbers)})" if numbers else ""
        parts.append(GUIDE_CONTENT_NOTES[key][0] + where)
    listed = "; ".join(parts[:-1]) + ("; and " if len(parts) > 1 else "") + parts[-1]
    return f"Content note: this reading discusses {listed}."


# -- Captures with gold structure (tests/captures/README.md) -------------------------------------------

CAPTURES = ROOT / "tests" / "captures"


@dataclass(frozen=True)
class GoldPassage:
    """One passage as the gold file says: where it starts, its kind and thread, a byline's author and date."""

    line: int
    kind: str
    thread: str | None
    author: str | None = None
    date: str | None = None


def read_gold(capture: Path) -> list[GoldPassage]:
    """The gold beside a capture, each entry placed at the first line after the previous one that starts
    (indentation aside) with its `starts`."""
    lines = capture.read_text(encoding="utf-8").removeprefix("\ufeff").splitlines()
    placed, at = [], 0
    for raw in capture.with_suffix(".gold").read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        entry = json.loads(raw)
        at = next(i for i in range(at, len(lines)) if lines[i].lstrip(" \t").startswith(entry["starts"])) + 1
        thread = None if entry["thread"] == "-" else entry["thread"]
        placed.append(GoldPassage(at, entry["kind"], thread, entry.get("author"), entry.get("date")))
    return placed


@dataclass
class CaptureScore:
    """How a converted capture compares with its gold."""

    passages: int = 0  # gold passages
    kinds_right: int = 0  # gold passages that the converter starts at the same line, with the same kind
    thread_errors: list[str] = field(default_factory=list)
    kind_errors: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # passages the converter starts where the gold has none
    byline_errors: list[str] = field(default_factory=list)
    bylines: int = 0  # gold bylines with an author
    bylines_right: int = 0  # ... whose author and date the converter found

    def add(self, other: CaptureScore) -> None:
        self.passages += other.passages
        self.kinds_right += other.kinds_right
        self.thread_errors += other.thread_errors
        self.kind_errors += other.kind_errors
        self.extra += other.extra
        self.byline_errors += other.byline_errors
        self.bylines += other.bylines
        self.bylines_right += other.bylines_right


def score_capture(reading: SourceReading, gold: list[GoldPassage]) -> CaptureScore:
    """Compare the converter's passages of a capture with the gold, line by line."""
    at_line = {p.line: p for p in reading.passages}
    score = CaptureScore(passages=len(gold))
    for entry in gold:
        passage = at_line.get(entry.line)
        where = f"{reading.source}:{entry.line}"
        if passage is not None and passage.kind == entry.kind:
            score.kinds_right += 1
        else:
            found = f"{passage.kind}" if passage else "no passage starts here"
            score.kind_errors.append(f"{where} gold {entry.kind}, converter {found}")
        if entry.kind in ("byline", "comment") or entry.thread:
            thread = passage.thread if passage else "?"
            if thread != entry.thread:
                score.thread_errors.append(f"{where} {entry.kind} gold {entry.thread}, converter {thread}")
        if entry.kind == "byline" and entry.author is not None:
            score.bylines += 1
            if passage and passage.author == entry.author and passage.date == (entry.date or ""):
                score.bylines_right += 1
            else:
                found = f"{passage.author!r} {passage.date!r}" if passage else "none"
                score.byline_errors.append(f"{where} byline gold {entry.author!r} {entry.date!r}, converter {found}")
    gold_lines = {entry.line for entry in gold}
    score.extra = [f"{reading.source}:{p.line} {p.kind}" for p in reading.passages if p.line not in gold_lines]
    return score


# The styles scored in this run, for its summary. Scores are not kept between tests: each test runs the
# converter itself, so that mutation testing sees which tests exercise which code.
_SCORED: set[str] = set()


def capture_files() -> list[Path]:
    return sorted(CAPTURES.rglob("*.txt"))


def style_score(style: str) -> CaptureScore:
    """All the captures of one style, converted and compared with their gold."""
    total = CaptureScore()
    for capture in (p for p in capture_files() if p.parent.name == style):
        total.add(score_capture(read_source(capture), read_gold(capture)))
    _SCORED.add(style)
    return total


def accuracy_table() -> list[str]:
    """One row per style: captures, passages, kinds right, thread errors, bylines right."""
    rows = [f"{'style':<11} {'captures':>8} {'passages':>8} {'kinds':>7} {'threads':>8} {'bylines':>8}"]
    for style in sorted({p.parent.name for p in capture_files()}):
        score = style_score(style)
        count = sum(1 for p in capture_files() if p.parent.name == style)
        kinds = score.kinds_right / score.passages if score.passages else 1.0
        bylines = score.bylines_right / score.bylines if score.bylines else 1.0
        rows.append(
            f"{style:<11} {count:>8} {score.passages:>8} {kinds:>7.1%} {len(score.thread_errors):>8} {bylines:>8.1%}"
        )
    return rows


def scored_styles() -> list[str]:
    """The styles scored in this run (by test_captures), for the run's summary."""
    return sorted(_SCORED)


# -- Captures published once, to be captured again (tests of the anchor register) ----------------------


def flat(text: str) -> str:
    """A text with its whitespace set aside (line wrapping, NBSPs): what a re-capture may change freely."""
    return " ".join(text.split())


@dataclass
class Project:
    """A copy of one source in its own sources folder, converted once: its anchors are published."""

    sources: Path
    output: Path
    source: Path

    def convert(self, *extra: str) -> subprocess.CompletedProcess[str]:
        args = ["--sources", str(self.sources), "--output", str(self.output), *extra]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = convert(args, root=ROOT)
        return subprocess.CompletedProcess(["convert", *args], status, out.getvalue(), err.getvalue())

    def reading(self) -> SourceReading:
        return read_source(self.source)

    @property
    def text(self) -> str:
        return self.source.read_text(encoding="utf-8")

    def recapture(self, text: str) -> None:
        self.source.write_text(text, encoding="utf-8", newline="")

    def files(self) -> dict[Path, bytes]:
        return {path: path.read_bytes() for folder in (self.sources, self.output) for path in folder.iterdir()}


def publish(tmp: Path, capture: Path) -> Project:
    sources = tmp / "sources"
    sources.mkdir()
    # A real source comes with its sidecar and its register: the anchors the guide has published.
    for sibling in (capture, capture.with_suffix(".toml"), register_path(capture)):
        if sibling.exists():
            shutil.copy(sibling, sources / sibling.name)
    project = Project(sources, tmp / "readings", sources / capture.name)
    result = project.convert()
    assert result.returncode == 0, result.stderr
    return project
