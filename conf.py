"""Sphinx configuration for the reading guide to the harm-reduction / recovery debate."""

import sys
from pathlib import Path

# The guide's own extension lives in tools/ beside the converter that feeds it.
sys.path.insert(0, str(Path(__file__).parent / "tools"))

# -- Project information -------------------------------------------------------------
project = "Harm Reduction and Recovery: A Reading Guide"
author = "The reading guide's editors"
copyright = "2026, the reading guide's editors; the source texts remain their authors'"
language = "en"

# -- General configuration -------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "guide_extension",
]
exclude_patterns = ["_build", ".venv"]
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
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
bibtex_cite_id = "cite-{key}"

# -- Debates -------------------------------------------------------------------------
# Sync keys of the tab-sets: (short label for the who-says-what matrix, what it stands for).
guide_lens_labels = {
    "harm-reduction": ("HR", "harm reduction first"),
    "recovery": ("Rec", "recovery first"),
    "critical": ("Crit", "critical of both"),
}

# -- HTML ------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = "Harm Reduction and Recovery: A Reading Guide"
html_static_path = ["docs/_static"]
html_css_files = ["guide.css"]
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "home_page_in_toc": True,
}
html_last_updated_fmt = None


def setup(app):
    """Docutils settings that Sphinx has no option for."""

    def forbid_raw_and_includes(app):
        # Whatever a page contains, it must never read files or pass raw markup through.
        app.env.settings.update(raw_enabled=False, file_insertion_enabled=False)

    app.connect("builder-inited", forbid_raw_and_includes)
