"""The capture styles the converter knows, one module each (see ``base.Style``)."""

from reading_guide.converter.styles import blog
from reading_guide.converter.styles.base import Style

STYLES: tuple[Style, ...] = (blog.STYLE,)

__all__ = ["STYLES", "Style"]
