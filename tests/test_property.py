"""Property: any text full of Markdown, MyST and HTML syntax comes out of the real build verbatim."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness import build_site, make_project, normalise, shown_text, words
from reading_guide.converter.corpus import read_corpus

# Line openers and fragments that mean something to Markdown, MyST, docutils or a browser.
SYNTAX = [
    "# ",
    "## ",
    "* ",
    "- ",
    "+ ",
    "1. ",
    "2) ",
    "> ",
    "    ",
    "\t",
    "```",
    "~~~",
    ":::",
    "::::{note}",
    "```{include} /etc/passwd",
    "{eval-rst}",
    ".. raw:: html",
    ".. include:: /etc/hostname",
    "{download}`x`",
    "{ref}`y`",
    "{{ project }}",
    "(label)=",
    "% comment",
    "$x$",
    "$$",
    "+++",
    "===",
    "---",
    "| a | b |",
    "|---|",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[link](javascript:alert(1))",
    "<!-- hidden -->",
    "&amp;",
    "&#60;",
    "\\",
    "**bold**",
    "_em_",
    "`code`",
    "<https://example.org>",
    "[^1]",
    "[^1]: note",
    ":key: value",
    "•",
    "—",
    "…",
]
ALPHABET = st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\n\r") | st.sampled_from(
    list("#*_`~-+=|>:{}()[]<>$%&;!\\/'\".,0123456789 \t\u00a0\u200b“”‘’–—…é中ע😀\u0301")
)
LINE = (
    st.lists(st.sampled_from(SYNTAX) | st.text(ALPHABET, min_size=1, max_size=12), min_size=1, max_size=6)
    .map("".join)
    .filter(str.strip)
)
BLOCK = st.tuples(st.sampled_from(["", "  ", "    ", "\t"]), st.lists(LINE, min_size=1, max_size=3))
SOURCE = st.lists(st.tuples(st.sampled_from(["\n\n", "\n\n\n", "\n \n"]), BLOCK), min_size=1, max_size=8).map(
    lambda blocks: "".join(gap + "\n".join(indent + line for line in lines) for gap, (indent, lines) in blocks)
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SOURCE)
def test_any_text_renders_verbatim(text: str) -> None:
    """Converted and built with the real configuration, every passage is found verbatim, nothing else runs."""
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        (tmp / "sources").mkdir()
        (tmp / "sources" / "generated.txt").write_text(text, encoding="utf-8")
        docs = make_project(tmp, tmp / "sources", whole_guide=False)
        reading = read_corpus(tmp / "sources")[0]
        rebuilt = " ".join(f"{p.marker} {p.text}" for p in reading.passages)
        assert words(rebuilt) == words(text), "the converter lost or added text"

        build = build_site(docs, tmp / "html")
        assert build.warnings == ""
        page = build.reading(reading.slug)
        for passage in reading.passages:
            element = page.find(id=reading.anchor(passage.number))
            assert element is not None, passage
            assert normalise(shown_text(element)) == normalise(passage.text)
        assert page.find_all(["script", "img", "iframe", "style"]) == []
        assert not any(k.startswith("on") for tag in page.find_all(True) for k in tag.attrs)
        assert not page.find_all("a", href=lambda href: href and href.lower().startswith("javascript:"))
        assert "root:" not in page.get_text()
