"""Compare two builds of the guide: is what a reader gets the same?

    python tools/compare_builds.py BEFORE AFTER

BEFORE and AFTER are `_build` folders (each with html/ and, optionally, pdf/guide.pdf).
Checks that passages.json is byte-identical, that every page's main content is identical
(the <main> element: the theme's navigation and the page's own build stamp are left out),
and that the PDF's text is identical (pdftotext). Prints one line per check and exits 1 on
any difference, naming it. Used to show that a restructuring changed nothing a reader sees.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup


def main_content(page: Path) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    main = soup.find("main")
    return str(main if main is not None else soup)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def compare(before: Path, after: Path) -> list[str]:
    differences = []
    old_index, new_index = before / "html" / "passages.json", after / "html" / "passages.json"
    same = old_index.read_bytes() == new_index.read_bytes()
    print(f"passages.json: {'byte-identical' if same else 'DIFFERENT'} ({new_index.stat().st_size} bytes)")
    if not same:
        differences.append("passages.json")
    old_pages = {p.relative_to(before / "html") for p in (before / "html").rglob("*.html")}
    new_pages = {p.relative_to(after / "html") for p in (after / "html").rglob("*.html")}
    for missing in sorted(old_pages ^ new_pages):
        differences.append(f"only in one build: {missing}")
    changed = [
        str(page)
        for page in sorted(old_pages & new_pages)
        if main_content(before / "html" / page) != main_content(after / "html" / page)
    ]
    print(
        f"pages: {len(old_pages & new_pages)} compared, main content identical in {len(old_pages & new_pages) - len(changed)}"
    )
    differences += [f"main content differs: {page}" for page in changed]
    old_pdf, new_pdf = before / "pdf" / "guide.pdf", after / "pdf" / "guide.pdf"
    if old_pdf.exists() and new_pdf.exists():
        same_pdf = pdf_text(old_pdf) == pdf_text(new_pdf)
        print(f"guide.pdf: text {'identical' if same_pdf else 'DIFFERENT'}")
        if not same_pdf:
            differences.append("guide.pdf text")
    return differences


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    found = compare(Path(sys.argv[1]), Path(sys.argv[2]))
    for difference in found:
        print(f"  {difference}")
    sys.exit(1 if found else 0)
