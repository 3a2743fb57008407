"""Convert captured blog posts (plain text) into anchored MyST reading pages.

Usage::

    python -m reading_guide.converter                 # write docs/readings/ from sources/
    python -m reading_guide.converter --check         # exit 1 if docs/readings/ is stale
    python -m reading_guide.converter --explain sources/002_8ef88bd3e111b80e.txt
    python -m reading_guide.converter --force         # overwrite hand-edited generated pages
    python -m reading_guide.converter --accept sources/004_fd4cb0e37ec218b9.txt
                                                      # record that its published passages changed

(``python tools/convert.py`` is the same.) Paths default to the project's folders, found
from the current directory. Each source's published anchors are kept beside it in
``<name>.anchors.json`` (see ``register``). Exit status: 0 done, 1 stale or protected pages or
a capture that changes published passages (until accepted), 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reading_guide.converter.corpus import SourceReading, read_corpus, read_source
from reading_guide.converter.decode import decode
from reading_guide.converter.errors import InputError
from reading_guide.converter.explain import explain
from reading_guide.converter.pages import sync, write_atomically
from reading_guide.schema import KINDS


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
        "--add", type=Path, metavar="CAPTURE", help="copy a capture into the sources, with a starter sidecar"
    )
    parser.add_argument(
        "--accept",
        type=Path,
        action="append",
        default=[],
        metavar="SOURCE",
        help="record that SOURCE's new capture changes or removes published passages (README, 'Captured again')",
    )
    args = parser.parse_args(argv)
    try:
        if args.add:
            return add_source(args.add, args.sources)
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
    for reading in readings:
        for warning in reading.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    accepted = {path.name for path in args.accept}
    unknown = accepted - {reading.source for reading in readings}
    if unknown:
        print(f"error: --accept {', '.join(sorted(unknown))}: not a source in {args.sources}", file=sys.stderr)
        return 2
    undecided = [r for r in readings if r.recapture and r.recapture.undecided and r.source not in accepted]
    for reading in undecided:
        print(undecided_message(args.sources / reading.source, reading), file=sys.stderr)
    if undecided:
        return 1
    return sync(readings, args.output, check=args.check, force=args.force, root=root)


STARTER_SIDECAR = """\
# The sidecar of {name}: verified facts about the reading, and the editors' choices
# (README, "The sidecar"). State only what you have seen stated; leave the rest out.
#
# slug = "{slug}"   # the page's name and the anchors' prefix; fixed once `make html` has run
# short_title = "{title}"
# author = ""
# blog = ""
# date = ""          # as the page gives it
# url = ""           # the page's address, https://…
# content_notes = [] # keys of conf.py's guide_content_notes, e.g. ["overdose"]
# questions = []     # questions for a reading group (MyST)
#
# A passage's kind, thread or byline, by its ¶ number (the table `make add` printed):
# [passages.12]
# starts = "The first words"   # a guard: ¶ 12 must start with these
# kind = "quote"               # one of: {kinds}
# thread = "reply to c2"       # or "new", or "c2" (part of comment 2)
# author = ""                  # a comment's author and date, where its byline does not give them
# date = ""
"""


def add_source(capture: Path, sources: Path) -> int:
    """Copy `capture` into `sources` byte for byte, write a starter sidecar, print what was seen.
    Nothing is overwritten: a source or sidecar of that name, or a source with the same bytes, stops it."""
    decode(capture)  # a capture that cannot be read is refused before anything is copied
    target = sources / f"{capture.stem}.txt"
    sidecar = target.with_suffix(".toml")
    data = capture.read_bytes()
    same = next((p for p in sorted(sources.glob("*.txt")) if p.read_bytes() == data), None)
    if same is not None:
        raise InputError(f"{capture}: already a source, as {same}")
    for path in (target, sidecar):
        if path.exists():
            raise InputError(f"{path} exists; rename the capture (its name becomes the source's) and add it again")
    sources.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    reading = read_source(target)
    starter = STARTER_SIDECAR.format(
        name=target.name,
        slug=reading.slug,
        title=" ".join(reading.title.split()).replace('"', "'"),
        kinds=", ".join(KINDS),
    )
    write_atomically(sidecar, starter)
    print(f"added {target} and a starter sidecar, {sidecar.name}; what the converter saw:\n")
    print(explain(reading))
    for warning in reading.warnings:
        print(f"\nwarning: {warning}")
    print(f"\nCheck the kinds and threads above, set what is wrong in {sidecar}, then run `make html`.")
    return 0


def undecided_message(path: Path, reading: SourceReading) -> str:
    """What a new capture changes in passages already published, and the command that records it."""
    assert reading.recapture is not None
    changes = "\n".join(f"    {line}" for line in reading.recapture.undecided)
    return (
        f"error: {path}: this capture changes passages whose anchors are published; nothing was written.\n"
        f"{changes}\n"
        "  The anchors will stay: a changed passage keeps its ¶ and shows its earlier text, a removed one a note.\n"
        f"  If the source really says this now, record it: make accept SOURCE={path}\n"
        f"  (python tools/convert.py --accept {path}); if not, put the earlier capture back."
    )
