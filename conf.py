"""Sphinx configuration for the reading guide to the harm-reduction / recovery debate."""

import os
import uuid
from importlib.metadata import version as installed_version
from pathlib import Path

# -- Project information -------------------------------------------------------------
project = "Harm Reduction and Recovery: A Reading Guide"
author = "The reading guide's editors"
copyright = "2026, the reading guide's editors; the source texts remain their authors'"
language = "en"
# The edition: the package's version (pyproject.toml); the EPUB's metadata needs one.
version = installed_version("harm-reduction-reading-guide")
# The edition's date on the title page and in the EPUB's metadata: the day of the build
# (or SOURCE_DATE_EPOCH's, for a reproducible build).
today_fmt = "%-d %B %Y"
# For the title page and the EPUB: what the guide's own text may be used under (pyproject.toml's licence).
guide_licence = (
    "The guide's own text (introduction, framing, questions, notes) and its code: MIT licence. "
    "The readings remain their authors'; they are reproduced as captured, for study and citation."
)

# -- General configuration -------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "sphinxext.opengraph",
    # The guide's own extension (src/reading_guide/extension), installed with the project.
    "reading_guide.extension",
]
exclude_patterns = ["_build", ".venv"]
# A list of our own: the theme appends its template folders to this value, and Sphinx's default
# list is shared by every build in one process (the tests), where each rebuild would then see a
# changed configuration and rewrite every page. docs/_templates: the page's head and the search page.
templates_path: list[str] = ["docs/_templates"]
# Sources quote straight quotes, "--" and "..." as they were typed; never rewrite them.
smartquotes = False
# Fail loudly on any reference that does not resolve.
nitpicky = True

# -- MyST ----------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence"]
# Source text is escaped or kept out of the parser, but an escape missed by a future
# change must still not turn into live HTML.
myst_disable_syntax = ["html_block", "html_inline"]

# -- Bibliography ----------------------------------------------------------------------
# Resolved against the folder of conf.py (measured with sphinxcontrib-bibtex 2.7).
bibtex_bibfiles = ["refs.bib"]
# plain's layout with titles kept as written (reading_guide.extension.bibliography); the Bibliography
# page's text and order, and the in-text citations, are then the CSL processor's (guide_citation_styles).
bibtex_default_style = "guide"
bibtex_reference_style = "author_year"
bibtex_cite_id = "cite-{key}"

# -- Debates -------------------------------------------------------------------------
# Sync keys of the tab-sets: (short label for the who-says-what matrix, what it stands for).
guide_lens_labels = {
    "harm-reduction": ("HR", "harm reduction first"),
    "recovery": ("Rec", "recovery first"),
    "critical": ("Crit", "critical of both"),
}

# -- The reading-group kit -----------------------------------------------------------
# Content notes that sources' sidecars may declare: key -> (label, what it covers).
guide_content_notes = {
    "overdose": ("overdose deaths", "Deaths from overdose or toxic drugs: death counts, a named person's death."),
    "addiction-in-the-family": (
        "addiction in the family",
        "A relative's account of a family member's addiction and what it did to the family, children included.",
    ),
    "injecting": ("injecting drug use", "Descriptions of injecting drugs."),
    "trauma": ("trauma", "Trauma and traumatic experience, and their part in drug use."),
    "own-addiction": ("a writer's own addiction", "A writer's first-person account of their own addiction."),
    "suicide": ("suicide", "Suicide, self-harm or wanting to die."),
}
# A Hypothesis annotation layer for a private reading group: `make html SPHINXOPTS="-D guide_hypothesis=1"`.
guide_hypothesis = False

# -- Citing: the guide's public address and the citation styles ---------------------------
# Where the guide is published, one setting for every absolute link: citations, exports, the meta tags
# that reference managers read, og:url and the canonical link (html_baseurl and ogp_site_url follow it).
# Set it when building for publication: GUIDE_SITE_URL=https://…/ make html (or -D guide_public_url=…).
# Unset, the cite panel makes each link absolute from where the page is opened.
guide_public_url = os.environ.get("GUIDE_SITE_URL", "")
# The styles of the cite panel: (key, label, official CSL style, CSL locale). The first is the default, used
# for the works lists, the Bibliography page and the in-text citations of the guide's own text.
guide_citation_styles = [
    ("chicago-author-date", "Chicago", "chicago-author-date", "en-US"),  # Chicago Manual of Style, 18th ed.
    ("apa", "APA", "apa", "en-US"),  # APA Style, 7th edition
    ("mla", "MLA", "modern-language-association", "en-US"),  # MLA Handbook, 9th edition
    # Cite Them Right, 12th edition: a British guide, with British quotation marks and punctuation.
    ("harvard", "Harvard", "harvard-cite-them-right", "en-GB"),
]

# -- Open Graph: a shared link previews with the page's title and its opening text -------
ogp_site_name = "Harm Reduction and Recovery: A Reading Guide"
ogp_type = "article"
ogp_enable_meta_description = True
# No generated image cards (they would need matplotlib and a font download).
ogp_social_cards = {"enable": False}

# -- HTML ------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Harm Reduction and Recovery: A Reading Guide"
html_static_path = ["docs/_static"]
html_css_files = ["guide.css"]
# guide.js: the reading controls; guide-search.js is loaded by the search page alone.
html_js_files = ["guide.js"]
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    # Only the current branch of the navigation on each page: with many readings, rendering the
    # whole tree on every page makes the build grow with the square of the number of pages.
    "collapse_navbar": True,
    # The theme's top bar held nothing but a second search box (docs/_templates/layout.html drops it).
    "navbar_persistent": [],
}
# The guide's title (the page's banner), one search box, the navigation; the search page has its own box.
html_sidebars = {
    "**": ["guide-title.html", "search-button-field.html", "sbt-sidebar-nav.html"],
    "search": ["guide-title.html", "sbt-sidebar-nav.html"],
}
html_last_updated_fmt = None
# The guide has no index entries; an empty general index page is rewritten on every build.
html_use_index = False
html_domain_indices = False
# The guide's own search (reading_guide.extension.search) shows passages from its index;
# no page fetches the copied sources any more.
html_copy_source = False
html_show_sourcelink = False


# -- LaTeX / PDF -------------------------------------------------------------------------
# XeLaTeX prints every character of the sources as itself (curly quotes, dashes, NBSP).
latex_engine = "xelatex"
# Readings and Debates are parts; each reading and each debate is a chapter.
latex_toplevel_sectioning = "part"
latex_show_urls = "no"
latex_documents = [("index", "guide.tex", project, author, "manual", True)]
if tags.has("handouts"):  # noqa: F821 (Sphinx provides `tags` to conf.py)
    # `make handouts`: one short document per debate page, titled as the page.
    def _title(page: Path) -> str:
        return next(line[2:] for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("# "))

    latex_toplevel_sectioning = "section"
    latex_documents = [
        (f"debates/{page.stem}", f"handout-{page.stem}.tex", _title(page), project, "howto", False)
        for page in sorted((Path(__file__).parent / "docs" / "debates").glob("*.md"))
        if page.stem != "index"
    ]
latex_elements = {
    "papersize": "a4paper",
    # The book's own headings (readingguide.sty): a chapter opens with its title as written.
    "fncychap": "",
    # A non-breaking space prints as the font's no-break space, so text copied from the PDF keeps it
    # (Sphinx's default prints a space that copies as U+0020); it still never breaks a line.
    "utf8extra": r"\catcode`^^^^00a0\active\protected\def^^^^00a0{\leavevmode\nobreak\char160\relax}",
    # Chapters start on the next page, not the next right-hand page: no blank pages.
    "extraclassoptions": "openany,oneside",
    "pointsize": "11pt",
    # Room in the outer margin for the ¶ numbers.
    "geometry": r"\usepackage[a4paper,inner=24mm,outer=40mm,top=24mm,bottom=26mm,"
    r"marginparwidth=18mm,marginparsep=5mm]{geometry}",
    # No f-ligatures: text copied from the PDF must be the source's letters (ﬀ would not be).
    "fontpkg": r"""
\defaultfontfeatures{Ligatures=NoCommon}
\setmainfont{TeX Gyre Pagella}
\setsansfont{TeX Gyre Heros}
\setmonofont{DejaVu Sans Mono}[Scale=0.85]
""",
    # Sources are quoted exactly: no hyphens added at line ends.
    "preamble": r"""
\hyphenpenalty=10000 \exhyphenpenalty=10000 \sloppy
% Running heads name the reading (the chapter); the page number sits in the foot.
\setlength{\headheight}{14pt}
\ifdefined\chaptermark\renewcommand{\chaptermark}[1]{\markboth{#1}{}}\fi
\fancypagestyle{normal}{\fancyhf{}%
  \fancyhead[L]{\sffamily\small\nouppercase{\leftmark}}%
  \fancyfoot[R]{\sffamily\small\thepage}%
  \renewcommand{\headrulewidth}{0.4pt}\renewcommand{\footrulewidth}{0pt}}
""",
    "printindex": "",
}
# No index is printed: without \makeindex no .idx is written and latexmk runs no makeindex.
latex_elements["makeindex"] = ""
if tags.has("handouts"):  # noqa: F821
    latex_elements["tableofcontents"] = ""
    # No build date on a handout unless asked for: `make handouts DATED=1` (-t dated).
    guide_handout_date = tags.has("dated")  # noqa: F821
    # The running head names the debate, not the handout's last heading.
    latex_elements["preamble"] += r"""
\makeatletter\renewcommand{\sectionmark}[1]{}\AtBeginDocument{\markboth{\@title}{}}\makeatother
"""
else:
    # hyperref writes the PDF's page labels (Title, then i, ii for the contents, 1, 2 for the book) from the previous
    # pass, so contents that grow by a page in the second pass would cost a third; write them in the pass
    # itself. latexmk ignores the page count the kernel records (the extension's speed part), so two passes suffice.
    latex_elements["passoptionstopackages"] = r"\PassOptionsToPackage{pdfpagelabels=false}{hyperref}"
    latex_elements["preamble"] += r"""
\makeatletter
\let\guide@tableofcontents\sphinxtableofcontents
\renewcommand{\sphinxtableofcontents}{%
  \xdef\guide@romanfrom{\the\ReadonlyShipoutCounter}%
  \guide@tableofcontents
  \special{pdf:put @catalog <</PageLabels<</Nums[0<</P(Title)>> \guide@romanfrom\space<</S/r>>
    \the\ReadonlyShipoutCounter\space<</S/D>>]>>>>}%
}
\makeatother
"""
latex_domain_indices = False
# No index is printed, so no need for xindy (one package fewer to install).
latex_use_xindy = False


# -- EPUB: the whole guide for e-readers (`make epub`) ------------------------------------
epub_basename = "guide"
epub_title = project
epub_author = author
epub_publisher = author
epub_copyright = copyright
epub_description = (
    "Blog posts with their readers' comments on harm reduction and recovery, reproduced as captured "
    "with every passage numbered, and the debates, questions, glossary and bibliography of a reading guide."
)
# A stable identifier of the guide (not of an edition): a UUID derived from its title, never invented anew.
# Sphinx writes the same value as the package's identifier and the navigation file's uid, so it must be
# an XML name (no colons, not starting with a digit).
epub_identifier = epub_uid = "reading-guide-" + str(uuid.uuid5(uuid.NAMESPACE_URL, "reading-guide:" + project))
# What the readings' authors gave; Sphinx's default would be "unknown".
epub_contributor = "The authors of the readings"
# The guide's own EPUB theme (reading_guide.extension.epub): Sphinx's epub theme and guide-epub.css.
epub_theme = "guide-epub"
# The web edition's style sheet and script are made for its theme; the EPUB has its own.
epub_css_files: list[str] = []
epub_exclude_files = ["_static/guide.css", "_static/guide.js", "search.html"]
epub_cover = ("_static/epub-cover.svg", "epub-cover.html")
# Links say where they go in the text itself (the readings' "original page"); no list of URLs at the end.
epub_show_urls = "no"
epub_use_index = False
# The contents list every page, the home page's hidden toctree too, with their headings.
epub_tocscope = "includehidden"
epub_tocdepth = 2


def setup(app):
    """Docutils settings that Sphinx has no option for."""

    def forbid_raw_and_includes(app):
        # Whatever a page contains, it must never read files or pass raw markup through.
        app.env.settings.update(raw_enabled=False, file_insertion_enabled=False)

    app.connect("builder-inited", forbid_raw_and_includes)
