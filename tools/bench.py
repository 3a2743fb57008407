"""Benchmark the guide's build against a bare Sphinx build of the same text, in one run.

Everything happens in a temporary folder; nothing in the project is touched. Each figure is
the median of --runs runs (wall time), with its ratio to the baseline beside it:

    baseline     bare Sphinx (myst-parser only, default theme) on plain pages of the same text
    full         conversion + HTML build of the guide from scratch
    no-op        conversion + rebuild with nothing changed (and documents re-read)
    one source   conversion + rebuild after editing one source (and documents re-read)
    one debate   rebuild after editing one debate page (and documents re-read)
    pdf          LaTeX build + latexmk of the guide, against a bare latexpdf of the plain pages
    scale        synthetic corpora (new names, shuffled passages) with -j 1 and -j auto:
                 seconds per source and peak memory

Usage::

    python tools/bench.py                       # --runs 5 --scale 100,1000
    python tools/bench.py --runs 3 --scale 100 --no-pdf
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import convert

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SPHINX = [PYTHON, "-m", "sphinx"]
# The same checks as `make html`: nitpicky, warnings are errors.
STRICT = ["-n", "-W", "--keep-going"]
BARE_CONF = """extensions = ["myst_parser"]
smartquotes = False
latex_engine = "xelatex"
latex_elements = {"fontpkg": r"\\setmainfont{TeX Gyre Pagella}", "printindex": ""}
latex_use_xindy = False
latex_documents = [("index", "bare.tex", "Bare", "Bench", "manual")]
"""


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """Run a command; return its wall time and how many documents Sphinx (re-)read, if it says."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.communicate()[0]
    seconds = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"bench: {' '.join(command)} failed:\n{output[-3000:]}")
    reread = 0
    match = re.search(r"updating environment: (?:\[[^]]*\] )?(\d+) added, (\d+) changed", output)
    if match:
        reread = int(match.group(1)) + int(match.group(2))
    return seconds, reread


def peak_memory_mb(command: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds and the largest resident set of the command or any process it waited for."""
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


def plain_pages(readings: list[convert.Reading], docs: Path) -> None:
    """The same text as the guide's reading pages, as plain escaped MyST: the baseline's input."""
    docs.mkdir(parents=True)
    for reading in readings:
        body = [f"# {convert.escape_inline(reading.title)}"]
        body += [" ".join(convert.escape_inline(line) for line in p.text.split("\n")) for p in reading.passages]
        (docs / f"{reading.meta.slug}.md").write_text("\n\n".join(body) + "\n", encoding="utf-8")
    toctree = "\n".join(r.meta.slug for r in readings)
    (docs / "index.md").write_text(f"# Readings\n\n```{{toctree}}\n{toctree}\n```\n", encoding="utf-8")
    (docs / "conf.py").write_text(BARE_CONF, encoding="utf-8")


def guide_project(tmp: Path, sources: Path, *, with_debates: bool = True) -> Path:
    """A copy of the guide's docs/ with readings converted from `sources`; returns the project folder."""
    project = tmp / "project"
    shutil.copytree(sources, project / "sources")
    if with_debates:
        shutil.copytree(ROOT / "docs", project / "docs", ignore=shutil.ignore_patterns("readings"))
    else:
        shutil.copytree(ROOT / "docs" / "_static", project / "docs" / "_static")
        (project / "docs" / "index.md").write_text(
            "# Corpus\n\n```{readings-table}\n```\n\n```{toctree}\nreadings/index\n```\n", encoding="utf-8"
        )
    return project


def make_html(project: Path, *extra: str) -> list[str]:
    """`make html` for a project folder, as one shell command: conversion, then the build."""
    convert_cmd = f"{PYTHON} {ROOT / 'tools' / 'convert.py'} --sources sources --output docs/readings --force"
    build = " ".join([*SPHINX, "-b", "html", *STRICT, *extra, "-c", str(ROOT), "docs", "_build/html"])
    return ["sh", "-c", f"{convert_cmd} >/dev/null && {build}"]


def median(values: list[float]) -> float:
    return statistics.median(values)


def synthetic_corpus(count: int, folder: Path) -> None:
    """`count` sources made from the real ones: a new title each, passages shuffled."""
    random.seed(count)
    texts = [convert.decode(p) for p in sorted((ROOT / "sources").glob("*.txt"))]
    folder.mkdir(parents=True)
    for index in range(count):
        blocks = texts[index % len(texts)].split("\n\n")
        random.shuffle(blocks)
        text = "\n\n".join([f"Synthetic reading {index:04d}", *blocks])
        (folder / f"synthetic_{index:04d}.txt").write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median is shown)")
    parser.add_argument("--scale", default="100,1000", help="synthetic corpus sizes, comma separated ('' for none)")
    parser.add_argument("--scale-runs", type=int, default=5, help="runs per scale figure")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF figures")
    args = parser.parse_args(argv)
    rows: list[tuple[str, float, str, str]] = []  # what, seconds, ratio, remark

    with tempfile.TemporaryDirectory(prefix="guide-bench-") as scratch:
        tmp = Path(scratch)
        readings = convert.read_corpus(ROOT / "sources")
        plain_pages(readings, tmp / "bare")
        bare = []
        for _ in range(args.runs):
            shutil.rmtree(tmp / "bare" / "_build", ignore_errors=True)
            bare.append(timed([*SPHINX, "-b", "html", "-q", ".", "_build/html"], tmp / "bare")[0])
        baseline = median(bare)
        rows.append(("baseline: bare Sphinx + MyST, same text", baseline, "1.00", ""))

        project = guide_project(tmp, ROOT / "sources")
        full = []
        for _ in range(args.runs):
            shutil.rmtree(project / "_build", ignore_errors=True)
            shutil.rmtree(project / "docs" / "readings", ignore_errors=True)
            full.append(timed(make_html(project), project)[0])
        rows.append(("full HTML build (with conversion)", median(full), f"{median(full) / baseline:.2f}", ""))

        def rebuilds(what: str, edited: Path | None, old: str, new: str) -> None:
            """Time `make html` after a fresh edit of `edited` before each run (None: no edit)."""
            text = edited.read_text(encoding="utf-8") if edited else ""
            results = []
            for run in range(args.runs):
                if edited:
                    edited.write_text(text.replace(old, new.format(run=run), 1), encoding="utf-8")
                results.append(timed(make_html(project), project))
            seconds = median([t for t, _ in results])
            rows.append((what, seconds, f"{seconds / baseline:.2f}", f"re-read {max(r for _, r in results)} documents"))

        rebuilds("no-op rebuild", None, "", "")
        source = project / "sources" / "002_8ef88bd3e111b80e.txt"
        rebuilds("rebuild after editing one source", source, "We need both.", "We need both. (edit {run})")
        debate = project / "docs" / "debates" / "peer-work.md"
        rebuilds("rebuild after editing one debate page", debate, "front line.\n", "front line ({run}).\n")

        if not args.no_pdf:
            bare_pdf, guide_pdf = [], []
            latexmk = ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-silent"]
            for _ in range(args.runs):
                shutil.rmtree(tmp / "bare" / "_build", ignore_errors=True)
                start = time.perf_counter()
                timed([*SPHINX, "-b", "latex", "-q", ".", "_build/latex"], tmp / "bare")
                timed([*latexmk, "bare.tex"], tmp / "bare" / "_build" / "latex")
                bare_pdf.append(time.perf_counter() - start)
                shutil.rmtree(project / "_build", ignore_errors=True)
                start = time.perf_counter()
                timed([*SPHINX, "-b", "latex", *STRICT, "-q", "-c", str(ROOT), "docs", "_build/latex"], project)
                timed([*latexmk, "guide.tex"], project / "_build" / "latex")
                guide_pdf.append(time.perf_counter() - start)
            rows.append(("baseline: bare latexpdf, same readings", median(bare_pdf), "1.00", ""))
            rows.append(("full PDF build", median(guide_pdf), f"{median(guide_pdf) / median(bare_pdf):.2f}", ""))

        per_source: dict[tuple[int, str], float] = {}
        for count in [int(c) for c in args.scale.split(",") if c]:
            corpus = tmp / f"scale-{count}"
            synthetic_corpus(count, corpus / "sources")
            scaled = guide_project(corpus, corpus / "sources", with_debates=False)
            for jobs in ("1", "auto"):
                results = []
                for _ in range(args.scale_runs):
                    shutil.rmtree(scaled / "_build", ignore_errors=True)
                    shutil.rmtree(scaled / "docs" / "readings", ignore_errors=True)
                    results.append(peak_memory_mb(make_html(scaled, "-j", jobs), scaled))
                seconds = median([s for s, _ in results])
                per_source[(count, jobs)] = seconds / count
                rows.append(
                    (
                        f"scale: {count} sources, -j {jobs}",
                        seconds,
                        "",
                        f"{seconds / count:.3f} s/source, peak {max(m for _, m in results):.0f} MB",
                    )
                )
        sizes = sorted({c for c, _ in per_source})
        for jobs in ("1", "auto"):
            if len(sizes) >= 2:
                small, large = sizes[0], sizes[-1]
                ratio = per_source[(large, jobs)] / per_source[(small, jobs)]
                rows.append((f"scale: per-source cost {large} vs {small}, -j {jobs}", 0.0, f"{ratio:.2f}", ""))

    print(
        f"Benchmark on {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{args.runs} runs per figure (median), {args.scale_runs} per scale figure"
    )
    print(f"{'what':<48} {'seconds':>8} {'ratio':>6}  remark")
    for what, took, shown_ratio, remark in rows:
        figure = f"{took:>8.2f}" if took else " " * 8
        print(f"{what:<48} {figure} {shown_ratio:>6}  {remark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
