"""The capture styles the converter knows, one module each; ``generic`` is the fallback (see ``base.Style``)."""

from reading_guide.converter.styles import (
    blogger,
    discourse,
    disqus,
    forum,
    generic,
    ghost,
    hackernews,
    livejournal,
    medium,
    news,
    reddit,
    stackexchange,
    substack,
    tumblr,
    wordpress,
)
from reading_guide.converter.styles.base import Style

GENERIC = generic.STYLE
STYLES: tuple[Style, ...] = tuple(
    module.STYLE
    for module in (
        wordpress,
        blogger,
        disqus,
        discourse,
        forum,
        substack,
        medium,
        ghost,
        reddit,
        news,
        hackernews,
        livejournal,
        tumblr,
        stackexchange,
    )
)

__all__ = ["GENERIC", "STYLES", "Style"]
