"""Benchmark the guide's build against bare Sphinx builds of the same text, all in one run.

Everything happens in a temporary folder; nothing in the project is touched. Each figure is
the median wall time of --runs runs, with its ratio to the baseline beside it:

    baseline       bare Sphinx (myst-parser only, the default theme) on the readings' text,
                   one plain page per reading
    same text      bare Sphinx on plain pages holding the text of every page of the guide
                   (readings, debates, the kit), and the same with the guide's theme: they
                   show what the number of pages and the theme cost before any work of ours
    full           conversion + HTML build of the guide from scratch, with `make html`'s -j
    no-op          conversion + rebuild with nothing changed
    one source     conversion + rebuild after a later capture of a source adds a paragraph after a
                   passage that a debate quotes (an edit would wait for `make accept`)
    one debate     rebuild after editing one debate page
    pdf            LaTeX build + latexmk of the guide, against a bare latexpdf of the readings
    epub           EPUB build of the guide (``make epub``), against the baseline
    scale          the five sources and synthetic ones made from them (new names, shuffled
                   passages) up to 100 and 1000, the whole guide built with -j 1, -j auto and
                   `make html`'s -j: seconds per source and peak memory
    converter      the converter alone (issues 15 and 16): a generated 2 MB forum thread read
                   in full, and a later capture of a 1000-passage source matched with the
                   register of its first (comments added, a reply and a paragraph inserted,
                   one passage edited)

Rebuilds also show how many documents Sphinx read again and how many pages it wrote.
The table ends with the targets of issues 8 and 17, each met or missed.

Usage::

    python tools/bench.py                        # --runs 5 --scale 100,1000 --jobs <cores + 1>
    python tools/bench.py --runs 3 --scale 100 --no-pdf
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import runpy
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sphinx
from sphinx.util.tags import Tags

from reading_guide.converter.corpus import SourceReading, read_corpus, read_source
from reading_guide.converter.decode import decode
from reading_guide.converter.register import register_path, register_text
from reading_guide.converter.render import escape_inline

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SPHINX = [PYTHON, "-m", "sphinx"]
# The same checks as `make html`: nitpicky, warnings are errors.
STRICT = ["-n", "-W", "--keep-going"]
LATEXMK = ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-silent"]
BARE_CONF = """extensions = ["myst_parser"]
smartquotes = False
latex_engine = "xelatex"
latex_elements = {"fontpkg": r"\\setmainfont{TeX Gyre Pagella}", "printindex": ""}
latex_use_xindy = False
latex_documents = [("index", "bare.tex", "Bare", "Bench", "manual")]
"""
# A body passage that a debate quotes whole: the edit must show on the debate page too.
EDITED_SOURCE, EDITED_PASSAGE = "002_8ef88bd3e111b80e.txt", "28"


@dataclass
class Timing:
    seconds: float
    reread: int = 0  # documents Sphinx read again
    written: int = 0  # HTML pages written (new or changed)
    passes: int = 0  # XeLaTeX passes latexmk ran


def html_pages(folder: Path) -> dict[Path, int]:
    """The pages in an HTML output folder with their modification times (the search page, which
    every build writes, left out)."""
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*.html") if p.name != "search.html"}


def timed(command: list[str], cwd: Path) -> Timing:
    """Run a command; its wall time, and what Sphinx and latexmk say they did."""
    pages = html_pages(cwd / "_build" / "html")
    start = time.perf_counter()
    process = subprocess.run(command, check=False, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"bench: {' '.join(command)} failed:\n{process.stdout[-3000:]}")
    output = process.stdout
    reread = re.search(r"updating environment: (?:\[[^]]*\] )?(\d+) added, (\d+) changed", output)
    return Timing(
        seconds,
        reread=int(reread.group(1)) + int(reread.group(2)) if reread else 0,
        written=sum(1 for page, mtime in html_pages(cwd / "_build" / "html").items() if pages.get(page) != mtime),
        passes=len(re.findall(r"Run number \d+ of rule 'xelatex'", output)),
    )


def repeat(runs: int, prepare: Callable[[int], None], *steps: tuple[list[str], Path]) -> Timing:
    """Median over `runs` of the steps run one after another, each run after `prepare(run)`."""
    results = []
    for run in range(runs):
        prepare(run)
        parts = [timed(command, cwd) for command, cwd in steps]
        results.append(
            Timing(
                sum(p.seconds for p in parts),
                max(p.reread for p in parts),
                max(p.written for p in parts),
                max(p.passes for p in parts),
            )
        )
    median = statistics.median(r.seconds for r in results)
    return Timing(median, max(r.reread for r in results), max(r.written for r in results), results[0].passes)


def clean(*folders: Path) -> Callable[[int], None]:
    """A `prepare` for `repeat` that removes the folders before each run: a build from scratch."""

    def remove(run: int) -> None:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)

    return remove


def peak_memory(command: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds, and the largest resident set (MB) of the command or any process it waited for."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter();"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT);"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024);"
        "sys.exit(r.returncode)"
    )
    result = subprocess.run([PYTHON, "-c", probe, *command], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"bench: {' '.join(command)} failed")
    seconds, memory = result.stdout.split()
    return float(seconds), float(memory)


# -- Projects -------------------------------------------------------------------------------


def guide_project(folder: Path, sources: Path) -> Path:
    """The guide's docs/ (its readings to be converted from `sources`) in `folder`; returns `folder`."""
    shutil.copytree(sources, folder / "sources")
    shutil.copytree(ROOT / "docs", folder / "docs", ignore=shutil.ignore_patterns("readings"))
    return folder


def make_html(*extra: str) -> list[str]:
    """`make html` in a guide project, as one shell command: conversion, then the build."""
    convert_cmd = f"{PYTHON} {ROOT / 'tools' / 'convert.py'} --sources sources --output docs/readings"
    build = " ".join([*SPHINX, "-b", "html", *STRICT, *extra, "-c", str(ROOT), "docs", "_build/html"])
    return ["sh", "-c", f"{convert_cmd} >/dev/null && {build}"]


def plain_page(text: str) -> str:
    """A page of Sphinx's text output as plain MyST: a heading per underlined line, a paragraph per block."""
    blocks = [block.strip("\n") for block in text.split("\n\n") if block.strip()]
    page = []
    for index, block in enumerate(blocks):
        lines = block.splitlines()
        underlined = len(lines) == 2 and len(set(lines[1])) == 1 and lines[1][0] in "*=-~"
        heading = escape_inline(lines[0]) if underlined else ""
        if heading:
            page.append(("# " if index == 0 else "## ") + heading)
        else:
            page.append(" ".join(escape_inline(line.strip()) for line in lines))
    return "\n\n".join(page) + "\n"


def bare_project(folder: Path, pages: dict[str, str], conf: str) -> Path:
    """Plain MyST pages (docname -> text) under one flat contents list, built by bare Sphinx."""
    for docname, text in pages.items():
        path = folder / f"{docname}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    toctree = "\n".join(sorted(pages))
    (folder / "index.md").write_text(f"# Contents\n\n```{{toctree}}\n{toctree}\n```\n", encoding="utf-8")
    (folder / "conf.py").write_text(conf, encoding="utf-8")
    return folder


def readings_pages(readings: list[SourceReading]) -> dict[str, str]:
    """The baseline's pages: each reading's title and passages as plain, escaped MyST."""
    pages = {}
    for reading in readings:
        body = [f"# {escape_inline(reading.title)}"]
        body += [" ".join(escape_inline(line) for line in p.text.split("\n")) for p in reading.passages]
        pages[reading.slug] = "\n\n".join(body) + "\n"
    return pages


def every_page_text(project: Path) -> dict[str, str]:
    """The text of every page of the guide, from Sphinx's text builder (not timed)."""
    timed(make_html(), project)
    timed([*SPHINX, "-b", "text", "-q", "-c", str(ROOT), "docs", "_build/text"], project)
    text = project / "_build" / "text"
    pages = {p.relative_to(text).with_suffix("").as_posix(): p.read_text(encoding="utf-8") for p in text.rglob("*.txt")}
    return {docname: plain_page(page) for docname, page in pages.items() if docname != "index"}


def themed_conf() -> str:
    """The bare configuration with the guide's HTML theme and theme options, read from conf.py."""
    conf = runpy.run_path(str(ROOT / "conf.py"), init_globals={"tags": Tags()})
    return BARE_CONF + f"html_theme = {conf['html_theme']!r}\nhtml_theme_options = {conf['html_theme_options']!r}\n"


def synthetic_corpus(count: int, folder: Path) -> None:
    """The five sources (with their sidecars, so that the debates and the plan find their passages)
    and `count - 5` made from them: a new title each, passages shuffled."""
    random.seed(count)
    real = sorted((ROOT / "sources").glob("*.txt"))
    folder.mkdir(parents=True)
    for source in real:
        shutil.copy(source, folder)
        shutil.copy(source.with_suffix(".toml"), folder)
    texts = [decode(p) for p in real]
    for index in range(count - len(real)):
        blocks = texts[index % len(texts)].split("\n\n")
        random.shuffle(blocks)
        text = "\n\n".join([f"Synthetic reading {index:04d}", *blocks])
        (folder / f"synthetic_{index:04d}.txt").write_text(text, encoding="utf-8")


FORUM_TEXT = (
    "methadone clinic pharmacy take-home doses supervised daily weekly pick-up nurse prescriber review "
    "overdose naloxone kit training service waiting list peer worker group meeting council funding housing "
    "we they it was is not but because after before every many some often never again the a of to and in"
)
FORUM_WORDS = FORUM_TEXT.split()


def forum_thread(size: int) -> str:
    """A phpBB thread of about `size` characters: a board's header, then posts, each with its poster's
    block, a "Post by NAME » DATE" line, paragraphs, now and then a quotation of an earlier post."""
    rng = random.Random(size)
    head = "Recovery Road Forums\n\nBoard index ‹ Treatment ‹ Opioid substitution\n\n"
    parts = [head + "A generated thread for the benchmark\n\nPost Reply\n"]
    length, number = 0, 0
    while length < size:
        number += 1
        name = f"member_{rng.randrange(400):03d}"
        paragraphs = [
            " ".join(rng.choice(FORUM_WORDS) for _ in range(rng.randint(12, 80))).capitalize() + "."
            for _ in range(rng.randint(1, 4))
        ]
        quote = f"{name} wrote:\n    {paragraphs[0][:120]}\n\n" if number > 1 and rng.random() < 0.2 else ""
        post = (
            f"\n{name}\nPosts: {rng.randrange(2000)}\nRe: A generated thread for the benchmark\n"
            f"Post by {name} » {rng.randint(1, 28)} Jun 2021, {rng.randint(10, 23)}:{rng.randint(10, 59)}\n"
            + quote
            + "\n\n".join(paragraphs)
            + "\n\nTop\n"
        )
        parts.append(post)
        length += len(post)
    return "".join(parts)


@dataclass
class ConverterTiming:
    seconds: float
    remark: str


def converter_timing(folder: Path, text: str, runs: int) -> ConverterTiming:
    """The converter's pipeline on one source (read_source: decode to passages), the median of `runs`."""
    folder.mkdir(parents=True)
    source = folder / "thread.txt"
    source.write_text(text, encoding="utf-8")
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        reading = read_source(source)
        seconds.append(time.perf_counter() - started)
    remark = f"{len(text) / 1e6:.1f} MB, {len(reading.passages)} passages, {reading.record.comments} posts"
    return ConverterTiming(statistics.median(seconds), remark)


def recapture_timing(folder: Path, runs: int) -> ConverterTiming:
    """A source of about 1000 passages converted once (its register written), then captured again."""
    folder.mkdir(parents=True)
    source = folder / "long.txt"
    rng = random.Random(1000)
    blocks = ["A long post and its comments", *(f"A paragraph of the post, number {i}: " for i in range(200))]
    blocks = [b + " ".join(rng.choice(FORUM_WORDS) for _ in range(30)) + "." for b in blocks]
    for number in range(1, 201):
        blocks += [
            f"Reader {number} says:",
            *(f"{number}-{k} " + " ".join(rng.choice(FORUM_WORDS) for _ in range(25)) + "." for k in range(3)),
            "Reply",
        ]
    source.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    first = read_source(source)
    assert first.recapture is not None
    register_path(source).write_text(register_text(first.recapture.register), encoding="utf-8")
    later = [*blocks[:50], "A paragraph added to the post.", *blocks[50:]]
    later[120] = later[120].replace(" the ", " a ", 1)
    later += ["Reader 201 says:", "A comment added after the first capture.", "Reply"]
    source.write_text("\n\n".join(later) + "\n", encoding="utf-8")
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        reading = read_source(source)
        seconds.append(time.perf_counter() - started)
    assert reading.recapture is not None and len(reading.recapture.undecided) == 1
    remark = f"{len(first.passages)} passages first, {len(reading.passages)} now; matching and all"
    return ConverterTiming(statistics.median(seconds), remark)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown CPU",
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.node()}: {cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; "
        f"Python {platform.python_version()}, Sphinx {sphinx.__version__}"
    )


# -- The run ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (the median is shown)")
    parser.add_argument("--scale", default="100,1000", help="synthetic corpus sizes, comma separated ('' for none)")
    parser.add_argument("--scale-runs", type=int, help="runs per scale figure (default: --runs)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF figures")
    parser.add_argument(
        "--jobs", default=str((os.cpu_count() or 1) + 1), help="-j of `make html` (the Makefile's JOBS)"
    )
    args = parser.parse_args(argv)
    runs, scale_runs = args.runs, args.scale_runs or args.runs
    rows: list[tuple[str, float, str, str]] = []  # what, seconds, ratio, remark
    targets: list[tuple[str, bool]] = []

    with tempfile.TemporaryDirectory(prefix="guide-bench-") as scratch:
        tmp = Path(scratch)
        guide = guide_project(tmp / "guide", ROOT / "sources")
        readings = read_corpus(guide / "sources")
        same_text = every_page_text(guide_project(tmp / "text", ROOT / "sources"))

        bare = bare_project(tmp / "bare", readings_pages(readings), BARE_CONF)
        html = [*SPHINX, "-b", "html", "-q", ".", "_build/html"]
        baseline = repeat(runs, clean(bare / "_build"), (html, bare)).seconds
        rows.append(
            ("baseline: bare Sphinx + MyST, the readings' text", baseline, "1.00", f"{len(readings) + 1} pages")
        )
        for label, conf in (("default theme", BARE_CONF), ("the guide's theme", themed_conf())):
            project = bare_project(tmp / f"same-text-{len(rows)}", same_text, conf)
            took = repeat(runs, clean(project / "_build"), (html, project)).seconds
            rows.append(
                (f"bare, every page's text, {label}", took, f"{took / baseline:.2f}", f"{len(same_text) + 1} pages")
            )

        make = ("-j", args.jobs)  # as `make html` builds
        full = repeat(runs, clean(guide / "_build", guide / "docs" / "readings"), (make_html(*make), guide))
        rows.append(("full HTML build (with conversion)", full.seconds, f"{full.seconds / baseline:.2f}", ""))
        targets.append(("full HTML build at most 1.5 times the baseline", full.seconds <= 1.5 * baseline))

        def rebuild(what: str, edited: Path | None, change: Callable[[str, int], str]) -> Timing:
            original = edited.read_text(encoding="utf-8") if edited else ""

            def edit(run: int) -> None:
                if edited:
                    changed = change(original, run)
                    if changed == original:
                        raise SystemExit(f"bench: the edit of {edited.name} for {what!r} changes nothing")
                    edited.write_text(changed, encoding="utf-8")

            result = repeat(runs, edit, (make_html(*make), guide))
            remark = f"re-read {result.reread}, wrote {result.written} pages"
            rows.append((what, result.seconds, f"{result.seconds / baseline:.2f}", remark))
            return result

        noop = rebuild("no-op rebuild", None, lambda text, run: text)
        targets.append(("no-op: nothing re-read, under 1.5 s", noop.reread == 0 and noop.seconds < 1.5))
        edited = next(r for r in readings if r.source == EDITED_SOURCE)
        passage = next(p for p in edited.passages if p.number == EDITED_PASSAGE)
        # Each run a later capture with one more paragraph: run 2's must still hold run 1's, or it is a removal.
        one = rebuild(
            f"rebuild after a re-capture of one source (after ¶ {EDITED_PASSAGE})",
            guide / "sources" / EDITED_SOURCE,
            lambda text, run: text.replace(
                passage.text, passage.text + "".join(f"\n\nAdded in capture {i}." for i in range(run + 1)), 1
            ),
        )
        targets.append(("editing one source re-reads at most 3 documents", one.reread <= 3))
        rebuild(
            "rebuild after editing one debate page",
            guide / "docs" / "debates" / "peer-work.md",
            lambda text, run: text.replace("front line.\n", f"front line ({run}).\n", 1),
        )

        if not args.no_pdf:
            latex = [*SPHINX, "-b", "latex", "-q", ".", "_build/latex"]
            bare_pdf = repeat(
                runs, clean(bare / "_build"), (latex, bare), ([*LATEXMK, "bare.tex"], bare / "_build/latex")
            )
            guide_latex = [*SPHINX, "-b", "latex", *STRICT, *make, "-q", "-c", str(ROOT), "docs", "_build/latex"]
            book = repeat(
                runs, clean(guide / "_build"), (guide_latex, guide), ([*LATEXMK, "guide.tex"], guide / "_build/latex")
            )
            rows.append(
                ("baseline: bare latexpdf, the readings", bare_pdf.seconds, "1.00", f"{bare_pdf.passes} passes")
            )
            ratio = book.seconds / bare_pdf.seconds
            rows.append(("full PDF build", book.seconds, f"{ratio:.2f}", f"{book.passes} XeLaTeX passes"))
            targets.append(("PDF at most 1.5 times a bare latexpdf of the readings (issue 17)", ratio <= 1.5))

        guide_epub = [*SPHINX, "-b", "epub", *STRICT, *make, "-q", "-c", str(ROOT), "-d", "_build/doctrees-epub"]
        epub = repeat(runs, clean(guide / "_build"), ([*guide_epub, "docs", "_build/epub"], guide))
        rows.append(("full EPUB build", epub.seconds, f"{epub.seconds / baseline:.2f}", ""))

        forum = converter_timing(tmp / "forum", forum_thread(2_000_000), runs)
        rows.append(("converter: a generated 2 MB forum thread", forum.seconds, "", forum.remark))
        targets.append(("a 2 MB forum thread converts in under 2 s (issue 15)", forum.seconds < 2))
        recapture = recapture_timing(tmp / "recapture", runs)
        rows.append(("converter: re-capture of a 1000-passage source", recapture.seconds, "", recapture.remark))
        targets.append(("re-capturing a 1000-passage source takes under 1 s (issue 16)", recapture.seconds < 1))

        per_source: dict[tuple[int, str], float] = {}
        for count in [int(c) for c in args.scale.split(",") if c]:
            synthetic_corpus(count, tmp / f"sources-{count}")
            corpus = guide_project(tmp / f"scale-{count}", tmp / f"sources-{count}")
            for jobs in dict.fromkeys(("1", "auto", args.jobs)):
                results = []
                for _ in range(scale_runs):
                    shutil.rmtree(corpus / "_build", ignore_errors=True)
                    shutil.rmtree(corpus / "docs" / "readings", ignore_errors=True)
                    results.append(peak_memory(make_html("-j", jobs), corpus))
                seconds = statistics.median(s for s, _ in results)
                per_source[(count, jobs)] = seconds / count
                remark = f"{seconds / count:.3f} s/source, peak {max(m for _, m in results):.0f} MB"
                label = f"-j {jobs}" + (" (make html)" if jobs == args.jobs else "")
                rows.append((f"scale: {count} sources, {label}", seconds, "", remark))
        sizes = sorted({count for count, _ in per_source})
        if len(sizes) >= 2:
            small, large = sizes[0], sizes[-1]
            for jobs in ("1", "auto"):
                growth = per_source[(large, jobs)] / per_source[(small, jobs)]
                rows.append((f"scale: per-source cost, {large} vs {small}, -j {jobs}", 0.0, f"{growth:.2f}", ""))
                targets.append(
                    (f"{large} sources at most 1.2 times the per-source cost of {small}, -j {jobs}", growth <= 1.2)
                )
        for count in sizes:
            targets.append(
                (f"-j auto faster than -j 1 at {count} sources", per_source[(count, "auto")] < per_source[(count, "1")])
            )

    print(f"Benchmark on {machine()}")
    print(f"{runs} runs per figure (median), {scale_runs} per scale figure")
    print(f"{'what':<52} {'seconds':>8} {'ratio':>6}  remark")
    for what, took, shown_ratio, remark in rows:
        figure = f"{took:>8.2f}" if took else " " * 8
        print(f"{what:<52} {figure} {shown_ratio:>6}  {remark}")
    print("targets:")
    for target, met in targets:
        print(f"  {'met   ' if met else 'MISSED'} {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
