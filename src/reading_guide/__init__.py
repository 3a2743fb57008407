"""A reading guide to the harm-reduction / recovery debate, built with Sphinx from captured blog posts.

The package has three layers, each importing only from the layers below it:

- ``schema``: the records, kinds and ids that the two others share (the bottom);
- ``converter``: captured plain text -> MyST reading pages (``python -m reading_guide.converter``);
- ``extension``: the Sphinx extension that turns those pages into the guide (``conf.py`` loads it).
"""
