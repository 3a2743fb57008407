"""The extension's own doctree nodes, in one place.

Nodes in ``WRITTEN`` reach the writers: each has an HTML, a LaTeX and a text visitor
(``html``, ``latex``, ``text``). Nodes in ``PLACEHOLDERS`` are replaced by a post-transform
before any writer sees them, once every page has been read.
"""

from __future__ import annotations

from docutils import nodes


class passage(nodes.General, nodes.Element):
    """One passage of a source: an anchor, a ¶ number, the text."""


class passage_number(nodes.General, nodes.Element):
    """The visible ¶ number; it has no text children, so astext() stays the passage's text."""


class passage_history(nodes.General, nodes.Element):
    """After a passage that changed or went in a later capture: what happened, and the earlier text.
    A sibling of the passage, so that the passage holds only the text as captured."""


class line_break(nodes.Inline, nodes.Element):
    """A line break inside a passage, where the source breaks the line."""


class reader_comment(nodes.General, nodes.Element):
    """One comment of a thread, holding its passages and its replies."""


class captured(nodes.General, nodes.Element):
    """Page furniture, kept for the record: collapsed in HTML, left out of print with a note."""


class destination(nodes.General, nodes.Element):
    """In print, a named PDF destination (and the margin ¶) for a title's or heading's anchor."""


class content_note(nodes.General, nodes.Element):
    """A reading's content note, the first thing under its title."""


class glossary_note(nodes.General, nodes.Element):
    """A margin note beside the passage where a term first appears; the passage is untouched."""


class work_note(nodes.General, nodes.Element):
    """A margin note beside a passage: the works it refers to. The passage itself is untouched."""


class positions(nodes.General, nodes.Element):
    """In print: the positions of a debate's tab-set, every one shown with its label."""


class position(nodes.General, nodes.Element):
    """In print: one position; its first child is the label (a paragraph)."""


# -- Placeholders ----------------------------------------------------------------------------


class readings_table(nodes.General, nodes.Element):
    """The table of every reading."""


class reading_content_note(nodes.General, nodes.Element):
    """A reading's content note, once its passages' notes are known."""


class quotation(nodes.General, nodes.Element):
    """A quoted passage."""


class passage_ref(nodes.Inline, nodes.Element):
    """A link to a passage, with its credit as text."""


class debate_links(nodes.General, nodes.Element):
    """A reading page's list of its quotations in the debates."""


class debate_matrix(nodes.General, nodes.Element):
    """The who-says-what table."""


class works_referred(nodes.General, nodes.Element):
    """A reading's list of the works its passages refer to."""


class at_a_glance(nodes.General, nodes.Element):
    """A reading's length, comments and the positions it takes in the debates."""


class content_notes_index(nodes.General, nodes.Element):
    """Every content note with the readings and passages it is declared for."""


class glossary_appearances(nodes.General, nodes.Element):
    """Where a glossary term first appears in each reading."""


class glossary_index(nodes.General, nodes.Element):
    """The glossary's terms in alphabetical order, each a link to its entry."""


class session_readings(nodes.General, nodes.Element):
    """One session's ¶ ranges with their reading time."""


WRITTEN: tuple[type[nodes.Element], ...] = (
    passage,
    passage_number,
    passage_history,
    line_break,
    reader_comment,
    captured,
    destination,
    content_note,
    glossary_note,
    work_note,
    positions,
    position,
)
PLACEHOLDERS: tuple[type[nodes.Element], ...] = (
    readings_table,
    reading_content_note,
    quotation,
    passage_ref,
    debate_links,
    debate_matrix,
    works_referred,
    at_a_glance,
    content_notes_index,
    glossary_appearances,
    glossary_index,
    session_readings,
)
