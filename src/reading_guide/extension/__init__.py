"""The reading guide's Sphinx extension: ``extensions = ["reading_guide.extension"]`` in conf.py.

It turns the pages that ``reading_guide.converter`` writes into the guide, in parts that are
set up in this order, each in its own module:

- ``data``: what is kept in the environment, per document, and merged from parallel readers;
- ``csl``: the CSL processor (citeproc-js in Node.js) that renders every citation, once per build;
- ``bibliography``: citations of readings and passages, works referred to, the Bibliography page;
- ``passages``: passages, comments and captured furniture, each passage at its anchor;
- ``readings``: each reading's metadata, the readings table, ``passages.json``;
- ``exports``: BibTeX, RIS and CSL-JSON files of each reading, each entry and the whole guide;
- ``metadata``: the public address, and the meta tags and JSON-LD that reference managers read;
- ``debates``: checked quotations, passage references, backlinks, the who-says-what matrix;
- ``kit``: content notes, the reading at a glance, questions, the reading plan;
- ``glossary``: terms, their first appearances, margin notes;
- ``latex``: the book's layout, the translator and the ``readingguide.sty`` macros;
- ``epub``: what the EPUB needs beyond the HTML (positions in order, its own theme);
- ``screen``: the HTML page's head (one viewport, a description per page), repairs to others' markup;
- ``search``: the search index of every passage and block of text (``guide-search-index.js``);
- ``speed``: what keeps builds fast.

Node classes are in ``nodes``; their visitors in ``html``, ``latex`` and ``text``; shared
node builders in ``doctree``; the excerpt check in ``excerpts``. The converter's pages and
this extension share only ``reading_guide.schema``.

Configuration values: ``guide_lens_labels`` (sync key -> (short label, meaning)),
``guide_content_notes`` (key -> (label, description)), ``guide_hypothesis`` (bool),
``guide_citation_styles`` ((key, label, CSL style) each, the default first), ``guide_public_url`` (str).
It needs sphinxcontrib-bibtex (set up here if conf.py does not list it) for refs.bib.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from reading_guide.extension import (
    bibliography,
    csl,
    data,
    debates,
    epub,
    exports,
    glossary,
    html,
    kit,
    latex,
    metadata,
    nodes,
    passages,
    readings,
    screen,
    search,
    speed,
    text,
)

# Raise when what the environment keeps changes shape: older environments are then rebuilt.
ENV_VERSION = 5
PARTS = (
    data,
    csl,
    bibliography,
    passages,
    readings,
    exports,
    metadata,
    debates,
    kit,
    glossary,
    latex,
    epub,
    screen,
    search,
    speed,
)


def _add_nodes(app: Sphinx) -> None:
    for node in nodes.WRITTEN:
        app.add_node(node, html=html.VISITORS[node], latex=latex.VISITORS[node], text=text.VISITORS[node])
    for node in nodes.PLACEHOLDERS:
        app.add_node(node)  # always replaced by a post-transform before any writer sees it


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    _add_nodes(app)
    for part in PARTS:
        part.setup(app)
    return {"version": "1", "env_version": ENV_VERSION, "parallel_read_safe": True, "parallel_write_safe": True}
