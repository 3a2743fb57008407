"""The converter: captured plain text -> anchored MyST reading pages, as a pipeline.

    decode -> recognise the style -> lines and their roles -> split into blocks -> number them
    (the anchor register) -> classify -> the sidecar's kinds -> thread the comments -> compare
    with the register -> render -> write pages

Each step is one module with plain data (``lines.Line``, ``split.Block``, ``schema.Passage``)
between the steps; ``corpus`` runs them for a source and the folder, ``cli`` is the command line.
A block is numbered by the register, never by its kind: a better classifier or an editor's
override never moves an anchor, and a later capture keeps every published one (``register``).
"""
