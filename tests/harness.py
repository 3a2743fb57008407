"""The tests' one build harness: real Sphinx builds of the guide, parsed pages, and the text rules.

Test modules import from here (never from each other); ``conftest.py`` holds the fixtures.
"""

from __future__ import annotations

import io
import json
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
from reading_guide.converter.corpus import SourceReading

ROOT = Path(__file__).resolve().parent.parent
GUIDE_CONTENT_NOTES = Config.read(ROOT, overrides={}, tags=Tags())._raw_config["guide_content_notes"]


def normalise(text: str) -> str:
    """The one honest normalisation: runs of Unicode whitespace are one space."""
    return " ".join(text.split())


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


def make_project(tmp: Path, sources: Path, *, whole_guide: bool = True) -> Path:
    """A copy of docs/ whose readings are converted from `sources`; returns the source folder.

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
    status = convert(["--sources", str(sources), "--output", str(docs / "readings")])
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
        where = f" ({', '.join(f'¶ {n}' for n in numbers)})" if numbers else ""
        parts.append(GUIDE_CONTENT_NOTES[key][0] + where)
    listed = "; ".join(parts[:-1]) + ("; and " if len(parts) > 1 else "") + parts[-1]
    return f"Content note: this reading discusses {listed}."
