"""The HTML page around the guide's text: what its head says, and repairs to markup others write.

- Every page has a description that summarises it, the same in ``<meta name="description">``
  and in Open Graph's ``og:description``: a page's own ``og:description`` (the debates set
  their question in their front matter), else, for a reading, the first sentences of the
  post's paragraphs, else the first sentences of the page's first paragraph. (sphinxext-opengraph would
  otherwise describe a reading by its content note and dateline.)
- One viewport tag: Sphinx's page template writes one; the one docutils adds to the metatags
  is dropped here, the theme's in ``docs/_templates/layout.html``.
- sphinx-design puts ``aria-controls`` on a tab's ``<label>``, which HTML does not allow on a
  label tied to its radio button (the Nu HTML Checker's only error on the debates).
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_design.tabs import sd_tab_label

from reading_guide.extension.data import guide_data
from reading_guide.schema import BODY_KINDS

# Sentences are added to a description until it is this long, and it is never longer than the limit.
DESCRIPTION_ENOUGH, DESCRIPTION_LIMIT = 110, 200
# A sentence ends at . ! ? or … (and any closing quotes or brackets), before a space and a capital.
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
# Line breaks and runs of spaces become one space; a no-break or thin space stays what it is.
_SPACES = re.compile(r"[ \t\r\n]+")
_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>\s*')


def summary(text: str) -> str:
    """The first whole sentences of a text: enough for DESCRIPTION_ENOUGH characters, never more
    than DESCRIPTION_LIMIT (a first sentence longer than that is cut at a word, with " …")."""
    text = _SPACES.sub(" ", text).strip()
    ends = [match.end() for match in _SENTENCE_END.finditer(text)] + [len(text)]
    chosen = ""
    for end in ends:
        if end > DESCRIPTION_LIMIT:
            break
        chosen = text[:end]
        if end >= DESCRIPTION_ENOUGH:
            break
    return chosen or text[: text.rfind(" ", 0, DESCRIPTION_LIMIT)] + " …"


def _first_paragraph(doctree: nodes.document) -> str:
    """The text of a page's first paragraph of prose: in its body or an admonition, not a title or a note's label."""
    for paragraph in doctree.findall(nodes.paragraph):
        parent = paragraph.parent
        if isinstance(parent, (nodes.section, nodes.admonition, nodes.document)) and paragraph.astext().strip():
            return paragraph.astext()
    return ""


def describe_page(app: Sphinx, doctree: nodes.document) -> None:
    """Set the page's description (``og:description``) unless its front matter gives one."""
    env = app.env
    metadata = env.metadata[env.docname]
    if "og:description" in metadata:
        return
    if env.docname in guide_data(env).readings:
        passages = guide_data(env).passages.get(env.docname, [])
        # The post's first sentences: from its paragraphs (else its body passages of any kind), as many
        # as make enough of a summary (a capture may open with a one-line notice).
        texts = [p.text for p in passages if p.kind == "paragraph"] or [
            p.text for p in passages if p.kind in BODY_KINDS
        ]
        opening = ""
        for text in texts:
            opening = f"{opening} {text}".strip()
            if len(opening) >= DESCRIPTION_ENOUGH:
                break
    else:
        opening = _first_paragraph(doctree)
    if opening:
        metadata["og:description"] = summary(opening)


def write_head(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """One viewport tag, and the page's description as ``<meta name="description">`` too.

    Runs before sphinxext-opengraph, which then leaves the description it would have taken
    from the page's first text alone."""
    if "metatags" not in context:
        return
    context["metatags"] = _VIEWPORT.sub("", context["metatags"])
    description = (context.get("meta") or {}).get("og:description")
    if description:
        context["metatags"] += f'\n<meta name="description" content="{html.escape(description)}" />\n'


class TabLabelsWithoutAriaControls(SphinxPostTransform):
    """Drop ``aria-controls`` from sphinx-design's tab labels (see the module's docstring)."""

    default_priority = 250  # after sphinx-design's TabSetHtmlTransform (200) makes the labels
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for label in self.document.findall(sd_tab_label):
            label.attributes.pop("aria_controls", None)


def setup(app: Sphinx) -> None:
    # After the passages part has collected the page's passages (default priority 500).
    app.connect("doctree-read", describe_page, priority=600)
    # Before sphinxext-opengraph (priority 500) writes its tags.
    app.connect("html-page-context", write_head, priority=400)
    app.add_post_transform(TabLabelsWithoutAriaControls)
