"""Shapes of text that every capture style shares: markers, dates, addresses, word counts.

What a particular site or engine writes (its furniture, its bylines) lives in ``styles/``.
"""

from __future__ import annotations

import re

# A number or bullet that opens a list item or a comment: "2. ", "3) ", "• ".
COMMENT_MARKER = re.compile(r"^(\d{1,3}[.)]|[•◦▪‣·*-])[ \t\u00a0]+(?=\S)")
LIST_MARKER = re.compile(r"^(\d{1,3}[.)]|[a-z][.)]|[•◦▪‣·*-])[ \t\u00a0]+(?=\S)", re.IGNORECASE)

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
DATELINE = re.compile(
    rf"^((monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
    rf"((({MONTHS})\.?\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}})|(\d{{1,2}}(st|nd|rd|th)?\s+({MONTHS})\.?,?\s+\d{{4}})"
    rf"|(\d{{4}}-\d{{2}}-\d{{2}})|(\d{{1,2}}/\d{{1,2}}/\d{{2,4}}))"
    rf"(\s+(at\s+)?\d{{1,2}}:\d{{2}}\s*([ap]\.?m\.?)?)?$",
    re.IGNORECASE,
)
URL = re.compile(r"\b(https?://|www\.)\S", re.IGNORECASE)
