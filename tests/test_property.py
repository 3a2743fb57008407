"""Property: any text full of Markdown, MyST and HTML syntax comes out of the real build verbatim."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from harness import build_site, make_project, normalise, shown_text, words
from reading_guide.converter.corpus import SourceReading, read_corpus

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


def convert_text(tmp: Path, text: str) -> tuple[Path, SourceReading]:
    """`text` saved as a source and converted; the generated page and the converter's reading."""
    (tmp / "sources").mkdir()
    (tmp / "sources" / "generated.txt").write_text(text, encoding="utf-8")
    docs = make_project(tmp, tmp / "sources", whole_guide=False)
    return docs / "readings", read_corpus(tmp / "sources")[0]


MYST = create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)


def passage_fences(markdown: str) -> dict[str, str]:
    """Anchor -> the content MyST hands to each passage directive (after its options), in comments and
    captured furniture too, as MyST parses the page."""
    found = {}
    for token in MYST.parse(markdown):
        if token.type != "fence":
            continue
        name, *arguments = token.info.split()
        body = token.content.split("\n---\n", 1)[1] if token.content.startswith("---\n") else token.content
        if name == "{passage}":
            found[arguments[0]] = body.removesuffix("\n")
        elif name in ("{comment}", "{captured}"):
            found |= passage_fences(body)
    return found


@given(SOURCE)
def test_any_text_becomes_passages_that_myst_reads_back_exactly(text: str) -> None:
    """The converter keeps every character of the text in its passages, numbers them 1, 2, 3 ..., and the
    MyST page it writes hands each passage's text back to the directive unchanged (no fence or option eaten)."""
    with tempfile.TemporaryDirectory() as scratch:
        readings, reading = convert_text(Path(scratch), text)
        rebuilt = " ".join(f"{p.marker} {p.text}" for p in reading.passages)
        assert words(rebuilt) == words(text), "the converter lost or added text"
        assert [p.number for p in reading.passages] == [str(n) for n in range(1, len(reading.passages) + 1)]
        page = (readings / f"{reading.slug}.md").read_text(encoding="utf-8")
        fences = passage_fences(page)
        for passage in reading.passages:
            if passage.kind not in ("title", "heading"):
                assert fences[reading.anchor(passage.number)] == passage.text


@settings(max_examples=max(10, settings.default.max_examples // 16))
@given(SOURCE)
def test_any_text_renders_verbatim(text: str) -> None:
    """Converted and built with the real configuration, every passage is found verbatim, nothing else runs."""
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        readings, reading = convert_text(tmp, text)
        build = build_site(readings.parent, tmp / "html")
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
