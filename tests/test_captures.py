"""Captures from many comment systems against their gold structure (tests/captures/README.md).

For each style: at least 95 % of the gold's passages start where the converter starts one, with
the same kind; no comment in a wrong thread; bylines give their author and date. The table of
accuracy per style is printed at the end of the run (conftest's terminal summary).

And a ratchet: the passages the converter gets wrong are exactly those listed in
tests/captures/misses.list, so that no change makes a passage wrong unnoticed (however far above 95 %
its style stays). After an improvement, record the new list:
``.venv/bin/python tests/test_captures.py --record``; it refuses to record a miss that was not there
unless ``--with-new`` is given (a new capture's misses, or a trade the commit explains).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import CAPTURES, accuracy_table, style_score
from reading_guide.converter.recognise import recognise
from reading_guide.converter.styles import GENERIC
from reading_guide.converter.styles import STYLES as STYLES_KNOWN

CAPTURE_FILES = sorted(CAPTURES.rglob("*.txt"))
STYLES = sorted({path.parent.name for path in CAPTURE_FILES})
MISSES = CAPTURES / "misses.list"


def misses() -> list[str]:
    """Every passage of the corpus the converter gets wrong (kind, thread or byline), one line each."""
    scores = [style_score(style) for style in STYLES]
    return sorted(error for score in scores for error in score.kind_errors + score.thread_errors + score.byline_errors)


def test_the_corpus_covers_eight_styles_and_sixteen_captures() -> None:
    """At least 16 captures in at least 8 styles, each 2–10 KB with its gold."""
    assert len(CAPTURE_FILES) >= 16 and len(STYLES) >= 8
    for capture in CAPTURE_FILES:
        assert 2_000 <= capture.stat().st_size <= 10_500, capture
        assert capture.with_suffix(".gold").exists(), capture


@pytest.mark.parametrize("capture", CAPTURE_FILES, ids=[f"{p.parent.name}/{p.stem}" for p in CAPTURE_FILES])
def test_no_other_sites_style_is_recognised(capture: Path) -> None:
    """A capture in a style's folder is read in that style or the generic one, never in another site's."""
    known = {style.name for style in STYLES_KNOWN}
    recognised = recognise(capture.read_text(encoding="utf-8")).name
    assert recognised in {capture.parent.name, GENERIC.name} or capture.parent.name not in known, recognised


@pytest.mark.parametrize("style", STYLES)
def test_kinds_match_the_gold(style: str) -> None:
    """At least 95 % of the gold's passages are found where they start, with their kind."""
    score = style_score(style)
    assert score.kinds_right >= 0.95 * score.passages, "\n".join(score.kind_errors)


@pytest.mark.parametrize("style", STYLES)
def test_every_comment_is_in_its_thread(style: str) -> None:
    """Every byline, comment and quotation in a comment has the gold's thread."""
    assert style_score(style).thread_errors == []


@pytest.mark.parametrize("style", STYLES)
def test_bylines_give_author_and_date(style: str) -> None:
    """A byline's author and date are the ones the gold names, exactly as written."""
    score = style_score(style)
    assert score.bylines_right >= 0.95 * score.bylines, "\n".join(score.byline_errors)


def test_no_passage_the_converter_reads_right_goes_wrong() -> None:
    """The corpus's misses are the recorded ones: one more is a passage gone wrong; one fewer, an improvement
    to record (see the module's docstring)."""
    recorded = MISSES.read_text(encoding="utf-8").splitlines()
    now = misses()
    assert [m for m in now if m not in recorded] == [], "passages the converter read right and now reads wrong"
    assert [m for m in recorded if m not in now] == [], "passages now read right: record them (--record)"


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--record"]:
        now = misses()
        added = sorted(set(now) - set(MISSES.read_text(encoding="utf-8").splitlines()))
        # Recording is how an improvement is kept, and must not be how a regression slips in: a miss that
        # was not there is written only when asked (a new capture's misses, or a trade explained in the commit).
        if added and "--with-new" not in sys.argv:
            print("New misses (not recorded; add --with-new if each is intended):", *added, sep="\n  ")
            sys.exit(1)
        MISSES.write_text("".join(f"{line}\n" for line in now), encoding="utf-8")
        print(f"{MISSES}: {len(now)} misses recorded")
        sys.exit(0)
    for style in sys.argv[1:] or STYLES:  # python tests/test_captures.py [STYLE ...]: every error, then the table
        score = style_score(style)
        print(f"== {style}")
        for error in score.kind_errors + score.thread_errors + score.byline_errors:
            print("  ", error)
    print("\n".join(accuracy_table()))
