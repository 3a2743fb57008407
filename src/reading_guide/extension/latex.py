"""How the extension's nodes are written in LaTeX, with the macros of ``readingguide.sty``; the book's layout.

``GuideLaTeXTranslator`` is Sphinx's LaTeX translator with what the book needs on top:

- a top-level page that holds no other page (Introduction, Glossary ...) is a chapter, its
  headings sections; one that holds pages (Readings, Debates) is a part, its pages chapters
  (``BookStructure`` marks which);
- a title's or heading's ¶ number stands in the margin beside it (``\\guideheadingnumber``),
  while the contents and running heads get the title alone;
- long words with slashes or dots (addresses in the readings, blogs' names) may break after them,
  which adds no character to the text a reader copies;
- the title page (title, the readings' authors and blogs, editors, edition, licence, how to cite)
  and the colophon, from conf.py and the readings' metadata.

Tables of the guide's own (the readings table, the who-says-what matrix) get their columns set on
purpose (``TableColumnsForPrint``). Page furniture is left out of print with a note, and each of
its anchors is a named destination at that note.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sphinx
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.latex import LaTeXTranslator

from reading_guide.extension import nodes as guide
from reading_guide.extension.data import guide_data, ordered_readings

Visitor = Callable[[LaTeXTranslator, Any], None]
PACKAGE = Path(__file__).with_name("readingguide.sty")
# A run of 16 or more characters without a space that holds a slash or a dot: an address, a file or a
# domain name. It may break after each slash or dot (and after "?", "&", "=" and "_").
_LONG_WORD = re.compile(r"\S{16,}")
_BREAK_AFTER = re.compile(r"(?<=[/.?&=_])(?=[^\s}])")


def _breakable(text: str) -> str:
    """`text` (LaTeX) with break points after the slashes and dots of its long words; no character added."""
    return _LONG_WORD.sub(lambda word: _BREAK_AFTER.sub(r"\\allowbreak{}", word.group(0)), text)


class GuideLaTeXTranslator(LaTeXTranslator):
    """Sphinx's LaTeX translator with the book's sectioning, heading numbers and front and back matter."""

    def __init__(self, document: nodes.document, *args: Any, **kwargs: Any) -> None:
        super().__init__(document, *args, **kwargs)
        if self.theme.name == "manual" and guide_data(self.builder.env).readings:
            self.elements["maketitle"] = _title_page(self)
            self.elements["atendofbody"] = _colophon(self)
        elif self.theme.name == "howto" and not self.config.guide_handout_date:
            # A handout goes to a meeting on any day: no build date unless asked for.
            self.elements["date"] = ""

    def visit_section(self, node: nodes.Element) -> None:
        super().visit_section(node)
        self.sectionlevel += node.get("guide_shift", 0)

    def depart_section(self, node: nodes.Element) -> None:
        self.sectionlevel -= node.get("guide_shift", 0)
        super().depart_section(node)

    def visit_title(self, node: nodes.Element) -> None:
        section = node.parent
        heading = section.get("guide_heading") if isinstance(section, nodes.section) else None
        if not heading or self.this_is_the_title:
            super().visit_title(node)
            return
        anchor, number = heading
        # The contents, running heads and bookmarks take the short form: the title alone.
        short = self.encode(node.astext())
        name = self.sectionnames[min(self.sectionlevel, len(self.sectionnames) - 1)]
        self.body.append(f"\\{name}[{short}]{{\\guideheadingnumber{{{number}}}\\hypertarget{{{anchor}}}{{}}")
        self.context.append("}" + "\n" + self.hypertarget_to(section))
        self.in_title = 1

    def visit_Text(self, node: nodes.Text) -> None:
        text = self.encode(node.astext())
        # Not in titles: they are also written to the bookmarks, where a break point is not allowed.
        self.body.append(text if self.in_title else _breakable(text))

    def visit_abbreviation(self, node: nodes.Element) -> None:
        if "lens" in node.get("classes", []):
            # A position's short label: the legend above the matrix spells each out once already.
            self.body.append(r"\sphinxstyleabbreviation{")
            self.context.append("}")
            return
        super().visit_abbreviation(node)


def _readings_facts(self: LaTeXTranslator) -> list[tuple[str, str]]:
    """(title, "author · blog · year") of each reading, as their metadata states them."""
    env = self.builder.env
    facts = []
    for docname, reading in ordered_readings(env):
        passages = guide_data(env).passages.get(docname, [])
        title = next((p.text for p in passages if p.kind == "title"), reading.short_title)
        who = [value for value in (reading.author, reading.blog, reading.date[:4]) if value]
        facts.append((" ".join(title.split()), " · ".join(who)))
    return facts


def _in_sentence(name: str) -> str:
    """A name that starts with "The" as it reads inside a sentence: "the reading guide's editors"."""
    return "the" + name[3:] if name.startswith("The ") else name


def _title_page(self: LaTeXTranslator) -> str:
    config = self.config
    title, _, subtitle = config.project.partition(": ")
    date = self.elements["date"]
    readings = "".join(
        f"\\item[] {{\\bfseries {self.encode(title_)}}}\\\\{{\\small {self.encode(who)}}}\n"
        for title_, who in _readings_facts(self)
    )
    cite = (
        f"{self.encode(config.author)}, eds. {self.encode(date[-4:])}. "
        f"\\emph{{{self.encode(config.project)}}}. Edition of {self.encode(date)}."
    )
    return (
        "\\guidetitlepage{%\n"
        f"{{\\fontsize{{30}}{{34}}\\selectfont\\bfseries {self.encode(title)}\\par}}\\medskip\n"
        f"{{\\LARGE {self.encode(subtitle)}\\par}}\\vspace{{10mm}}\n"
        f"{{\\large The readings\\par}}\n"
        "\\begin{list}{}{\\leftmargin=0pt\\itemsep=4pt\\topsep=4pt}\n"
        f"{readings}\\end{{list}}\\vfill\n"
        f"{{\\large Edited by {self.encode(_in_sentence(config.author))}\\par}}\\smallskip\n"
        f"Edition of {self.encode(date)}\\par\\vspace{{8mm}}\n"
        "{\\small\\rmfamily\n"
        f"\\noindent\\textsf{{Licence.}} {self.encode(config.guide_licence)}\\par\\smallskip\n"
        f"\\noindent\\textsf{{How to cite this guide.}} {cite} "
        "Cite a passage by its reading and its ¶\u00a0number, which are the same in print, "
        "on the web and in the EPUB.\\par}\n"
        "}\n"
    )


def _colophon(self: LaTeXTranslator) -> str:
    fonts = re.findall(r"\\set(?:main|sans|mono)font\{([^}]+)\}", self.config.latex_elements.get("fontpkg", ""))
    set_in = f", set in {', '.join(fonts[:-1])} and {fonts[-1]}" if len(fonts) > 1 else ""
    text = (
        f"Typeset with XeLaTeX from the guide's sources by Sphinx {sphinx.__version__} "
        f"and the guide's own extension{set_in}. "
        "The readings are printed as they were captured: no word is hyphenated at a line end, "
        "no letters are joined in ligatures, and quotation marks, dashes and non-breaking spaces "
        "are their authors' own. Page furniture captured with the posts (comment forms, sharing links) "
        "is left out of print with a note where it stood; the web edition keeps it."
    )
    return f"\\guidecolophon{{{self.encode(text)}}}\n"


# -- The extension's nodes -------------------------------------------------------------------------


def visit_passage(self: LaTeXTranslator, node: guide.passage) -> None:
    if node["kind"] == "quote":
        self.body.append("\n\\begin{quote}")
    elif node["kind"] == "byline":
        self.body.append("\n\\begin{guidebyline}")


def depart_passage(self: LaTeXTranslator, node: guide.passage) -> None:
    if node["kind"] == "quote":
        self.body.append("\\end{quote}")
    elif node["kind"] == "byline":
        self.body.append("\\end{guidebyline}")
    self.body.append("\n")


def _named_destination(self: LaTeXTranslator, anchor: str) -> str:
    # hyperref names only section destinations; \hypertarget makes the anchor a named destination,
    # and Sphinx's own label lets other pages of the book link to it.
    return f"\\hypertarget{{{anchor}}}{{}}{self.hypertarget(anchor, anchor=False)}"


def visit_passage_number(self: LaTeXTranslator, node: guide.passage_number) -> None:
    self.body.append(f"{_named_destination(self, node['anchor'])}\\guidepassagenumber{{{node['number']}}}")
    raise nodes.SkipNode


def visit_destination(self: LaTeXTranslator, node: guide.destination) -> None:
    self.body.append(f"\\hypertarget{{{node['anchor']}}}{{}}\\guidepassagenumber{{{node['number']}}}")
    raise nodes.SkipNode


def visit_passage_history(self: LaTeXTranslator, node: guide.passage_history) -> None:
    self.body.append(f"\n\\begin{{guidehistory}}{{{self.encode(node['summary'])}}}\n")


def depart_passage_history(self: LaTeXTranslator, node: guide.passage_history) -> None:
    self.body.append("\\end{guidehistory}\n")


def visit_line_break(self: LaTeXTranslator, node: guide.line_break) -> None:
    self.body.append("\\newline{}")
    raise nodes.SkipNode


def visit_comment(self: LaTeXTranslator, node: guide.reader_comment) -> None:
    self.body.append(f"\n\\begin{{guidecomment}}{_named_destination(self, node['ids'][0])}")


def depart_comment(self: LaTeXTranslator, node: guide.reader_comment) -> None:
    self.body.append("\\end{guidecomment}\n")


def visit_captured(self: LaTeXTranslator, node: guide.captured) -> None:
    # Each left-out passage (and comment) keeps its anchor as a named destination here, at the note,
    # so that guide.pdf#nameddest=<anchor> still opens where it stood.
    anchors = [anchor for element in node.findall(nodes.Element, include_self=False) for anchor in element["ids"]]
    targets = "".join(_named_destination(self, anchor) for anchor in dict.fromkeys(anchors))
    self.body.append(
        f"\n\\guideleftout{{{targets}Left out of print: {node['count']} passages of page furniture "
        "(comment forms, sharing links and the like); the HTML guide keeps them.}\n"
    )
    raise nodes.SkipNode


def visit_content_note(self: LaTeXTranslator, node: guide.content_note) -> None:
    self.body.append("\n\\par\\noindent{\\small\\itshape ")


def depart_content_note(self: LaTeXTranslator, node: guide.content_note) -> None:
    self.body.append("}\\par\\medskip\n")


def visit_positions(self: LaTeXTranslator, node: guide.positions) -> None:
    # Two positions stand side by side (paracol); three or more follow one another.
    if len(node.children) == 2:
        self.body.append("\n\\begin{guidepositions}\n")


def depart_positions(self: LaTeXTranslator, node: guide.positions) -> None:
    if len(node.children) == 2:
        self.body.append("\n\\end{guidepositions}\n")


def visit_position(self: LaTeXTranslator, node: guide.position) -> None:
    if node.parent.index(node) and len(node.parent.children) == 2:
        self.body.append("\n\\switchcolumn\n")
    self.body.append("\n\\begin{guideposition}")


def depart_position(self: LaTeXTranslator, node: guide.position) -> None:
    self.body.append("\\end{guideposition}\n")


def _skip(self: LaTeXTranslator, node: nodes.Element) -> None:
    # Margin notes: in print the margin holds the ¶ numbers; the reading's list of works and the
    # glossary's list of first appearances stand for them.
    raise nodes.SkipNode


VISITORS: dict[type[nodes.Element], tuple[Visitor, Visitor | None]] = {
    guide.passage: (visit_passage, depart_passage),
    guide.passage_number: (visit_passage_number, None),
    guide.passage_history: (visit_passage_history, depart_passage_history),
    guide.line_break: (visit_line_break, None),
    guide.reader_comment: (visit_comment, depart_comment),
    guide.captured: (visit_captured, None),
    guide.destination: (visit_destination, None),
    guide.content_note: (visit_content_note, depart_content_note),
    guide.glossary_note: (_skip, None),
    guide.work_note: (_skip, None),
    guide.positions: (visit_positions, depart_positions),
    guide.position: (visit_position, depart_position),
}


# -- The book's structure and tables -----------------------------------------------------------------


class BookStructure(SphinxPostTransform):
    """The book's parts and chapters, so that no page is wasted on a heading.

    A top-level page that holds no other page is a chapter, its headings sections. A page that
    holds others is a part: its own headings (the debates' "Who says what") become sections printed
    with its opening text, before its chapters, instead of a chapter after the last one.
    """

    default_priority = 6
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        root = self.document.next_node(nodes.section)
        for start in root.children if root is not None else ():
            if not isinstance(start, addnodes.start_of_file):
                continue
            section = next((child for child in start.children if isinstance(child, nodes.section)), None)
            if section is None:
                continue
            # The part's pages stand in its toctree's wrapper, a child of its section.
            holders = [child for child in section.children if any(child.findall(addnodes.start_of_file))]
            if not holders:
                section["guide_shift"] = 1
                continue
            for own in [child for child in section.children if isinstance(child, nodes.section)]:
                if own not in holders:
                    section.remove(own)
                    own["guide_shift"] = 1
                    section.insert(section.index(holders[0]), own)


class FurnitureSectionsForPrint(SphinxPostTransform):
    """A reading's "As captured" heading over a one-line note is not worth a heading in print: the note stays."""

    default_priority = 6
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for section in list(self.document.findall(nodes.section)):
            body = [child for child in section.children if not isinstance(child, (nodes.title, nodes.target))]
            if body and all(isinstance(child, guide.captured) for child in body):
                # The heading's anchor stays: the target before it ("(<slug>-as-captured)=") labels the note.
                section.replace_self(body)


# Column specifications, as fractions of the line: every column wraps, in a smaller size.
_CELL = r">{\small\guideraggedcells}"
_MATRIX_CELL = r">{\footnotesize\guideraggedcells}"


class TableColumnsForPrint(SphinxPostTransform):
    """The readings table and the who-says-what matrix fit the text width, their columns set on purpose."""

    default_priority = 7
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(nodes.table)):
            classes: list[str] = table.get("classes", [])
            columns = sum(1 for _ in table.findall(nodes.colspec))
            if "readings-table" in classes and columns == 6:
                widths = (0.24, 0.23, 0.15, 0.11, 0.12, 0.15)
                spec = "".join(f"{_CELL}\\Y{{{width}}}" for width in widths)
            elif "debate-matrix" in classes:
                # The debates' columns are narrow: their heads are turned on their side, and the space
                # between columns is halved (\guidenarrowcolumns, set just before the table).
                first, rest = 0.22, 0.78 / max(1, columns - 1)
                spec = f"{_MATRIX_CELL}\\Y{{{first}}}" + f"{_MATRIX_CELL}\\Y{{{rest:.4f}}}" * (columns - 1)
                for entry in list(table.findall(nodes.entry))[1:columns]:
                    if entry.parent.parent.tagname == "thead" and isinstance(entry[0], nodes.paragraph):
                        paragraph = entry[0]
                        paragraph.insert(0, nodes.raw("", r"\guideturned{", format="latex"))
                        paragraph.append(nodes.raw("", "}", format="latex"))
            else:
                continue
            table.parent.insert(table.parent.index(table), addnodes.tabular_col_spec(spec=spec))
            if "debate-matrix" in classes:
                table.parent.insert(table.parent.index(table), nodes.raw("", "\\guidenarrowcolumns\n", format="latex"))


class HeadingNumbersForPrint(SphinxPostTransform):
    """A title or heading that is a passage: its anchor and ¶ number go with the heading (see the translator)."""

    default_priority = 7
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(guide.destination)):
            section = node.parent
            if isinstance(section, nodes.section):
                section["guide_heading"] = (node["anchor"], node["number"])
                section.remove(node)


def use_translator(app: Sphinx) -> None:
    """The book's translator, registered for LaTeX builds only: the HTML theme (pydata's) wraps whatever
    translators are registered, and would then leave the HTML translator unwrapped."""
    if app.builder.name == "latex":
        app.set_translator("latex", GuideLaTeXTranslator, override=True)


def install_package(app: Sphinx, exception: Exception | None) -> None:
    """Put readingguide.sty beside the .tex files, where XeLaTeX looks for it."""
    if exception is None and app.builder.format == "latex":
        shutil.copyfile(PACKAGE, Path(app.outdir) / PACKAGE.name)


def setup(app: Sphinx) -> None:
    app.add_config_value("guide_licence", "", "env", types=[str], description="the guide's licence, for the title page")
    app.add_config_value(
        "guide_handout_date", False, "env", types=[bool], description="print the build date on handouts"
    )
    app.add_latex_package(PACKAGE.stem)
    app.connect("builder-inited", use_translator)
    app.add_post_transform(BookStructure)
    app.add_post_transform(FurnitureSectionsForPrint)
    app.add_post_transform(TableColumnsForPrint)
    app.add_post_transform(HeadingNumbersForPrint)
    app.connect("build-finished", install_package)
