"""The converter: captured plain text -> anchored MyST reading pages, as a pipeline.

    decode -> split -> recognise -> classify -> sidecar -> thread -> render -> pages

Each step is one module with plain data (``split.Block``, ``schema.Passage``) between the
steps; ``corpus`` runs them for a source, ``cli`` is the command line. Every blank-line
separated block of a source is one passage, numbered 1, 2, 3 ... in source order; the
number is the reader-visible ¶ and the anchor is ``<slug>-<number>``. Numbering never
depends on classification, so a better classifier or an editor's override never moves an
anchor to other text.
"""
