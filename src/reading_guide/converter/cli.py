"""Convert captured blog posts (plain text) into anchored MyST reading pages.

Usage::

    python -m reading_guide.converter                 # write docs/readings/ from sources/
    python -m reading_guide.converter --check         # exit 1 if docs/readings/ is stale
    python -m reading_guide.converter --explain sources/002_8ef88bd3e111b80e.txt
    python -m reading_guide.converter --force         # overwrite hand-edited generated pages
    python -m reading_guide.converter --record-anchors  # add new anchors to tests/anchors.json

(``python tools/convert.py`` is the same.) Paths default to the project's folders, found
from the current directory. Exit status: 0 done, 1 stale or protected pages, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reading_guide.converter.anchors import record_anchors
from reading_guide.converter.corpus import read_corpus, read_source
from reading_guide.converter.errors import InputError
from reading_guide.converter.explain import explain
from reading_guide.converter.pages import sync


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    """Run the converter; `root` is the project's top folder (default: the current directory)."""
    root = root or Path.cwd()
    parser = argparse.ArgumentParser(prog="convert", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sources", type=Path, default=root / "sources", help="folder of *.txt sources")
    parser.add_argument("--output", type=Path, default=root / "docs" / "readings", help="folder for generated pages")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if any page is stale")
    parser.add_argument("--force", action="store_true", help="overwrite generated pages that were edited by hand")
    parser.add_argument("--explain", type=Path, metavar="SOURCE", help="print the detected structure of one source")
    parser.add_argument(
        "--record-anchors", action="store_true", help="add new anchors to the register, tests/anchors.json"
    )
    args = parser.parse_args(argv)
    try:
        if args.explain:
            print(explain(read_source(args.explain)))
            return 0
        readings = read_corpus(args.sources)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"error: {err.filename}: {err.strerror}", file=sys.stderr)
        return 2
    if args.record_anchors:
        return record_anchors(readings, root / "tests" / "anchors.json")
    return sync(readings, args.output, check=args.check, force=args.force, root=root)
