"""Shapes of text that every capture style shares: markers, dates, counts, actions, names.

What one kind of site writes (its furniture, its bylines) lives in ``styles/``; these are
the shapes that any page copied from the web shows, whatever wrote it.
"""

from __future__ import annotations

import re

# A number or bullet that opens a list item or a comment: "2. ", "3) ", "• ".
COMMENT_MARKER = re.compile(r"^(\d{1,3}[.)]|[•◦▪‣·*-])[ \t\u00a0]+(?=\S)")
# Letters mark a list only in lower case: "D. got his first dose" begins with an initial.
LIST_MARKER = re.compile(r"^(\d{1,3}[.)]|[a-z][.)]|[•◦▪‣·*–-])[ \t\u00a0]+(?=\S)")
URL = re.compile(r"\b(https?://|www\.)\S", re.IGNORECASE)
QUOTE_LINE = re.compile(r"^>")

# -- Dates, as bylines and datelines write them ----------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:\d{4}|'\d{2})"
_TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\.?)?|\d{1,2}\s*[ap]\.?m\.?"
_ABSOLUTE = (
    rf"{_WEEKDAY}?(?:{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?|{_DAY}\s+{_MONTH},?(?:\s+{_YEAR})?|{_MONTH},?\s+{_YEAR})"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
)
_RELATIVE = (
    r"(?:\d+|an?|one)\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|mos?|years?|yrs?"
    r"|[smhdwy])\.?\s+ago|just now"
    r"|(?:yesterday|today)(?:,?\s+(?:at\s+)?(?:" + _TIME + r"))?"
)
# The zone a time may be given in: "11:20 pm (UTC)", "14:05 BST".
_ZONE = r"utc|gmt|bst|cet|cest|aest|[ecmp][sd]t"
# A date with its time ("June 3, 2021 at 8:47 pm", "Tue Jun 08, 2021 1:27 pm", "06-12-2021, 03:14 PM").
_DATE_BODY = (
    rf"(?:(?:{_ABSOLUTE})(?:,?\s+(?:at\s+|@\s*)?(?:{_TIME})(?:\s+(?:\((?:{_ZONE})\)|(?:{_ZONE})))?)?|{_RELATIVE})"
    r"(?: \(edited\))?(?![\w/'’])"
)
DATE = re.compile(rf"(?<![\w/]){_DATE_BODY}", re.IGNORECASE)
# The same, where a name runs into it with no space between ("Josie Tarrant9 May 2023 at 22:15").
GLUED_DATE = re.compile(_DATE_BODY, re.IGNORECASE)
# Dates that only a byline writes, alone or after a separator: "2h", "5d", "3 yr. ago".
SHORT_AGE = re.compile(r"(?<![\w.])\d{1,3}\s?(?:s|m|min|h|hr|d|w|mo|y|yr)\.?(?![\w])", re.IGNORECASE)
DATELINE = re.compile(rf"^(?:{DATE.pattern})$", re.IGNORECASE)

# Separators that sites put between a name, a date and a role: "Name • 3 years ago", "Name · OP".
SEPARATORS = "•·|«»→–—-,:"


def find_date(text: str) -> re.Match[str] | None:
    """The first date in `text`, absolute or relative."""
    return DATE.search(text)


# -- Counts and actions: what a comment system prints around a comment ------------------------

# Words that only name an action on a comment or post, or its count.
ACTION_WORDS = {
    "reply", "replies", "like", "likes", "liked", "unlike", "share", "report", "flag", "delete", "edit",
    "permalink", "embed", "save", "parent", "hide", "award", "give", "upvote", "downvote", "vote", "votes",
    "recommend", "recommended", "quote", "top", "collapse", "expand", "tweet", "link", "respect", "dislike",
    "pick", "thanks", "points", "point", "root", "favorite", "children", "child", "replydelete", "mute",
    "helpful", "agree", "disagree", "rating", "restack", "restacks", "comment", "comments", "reactions",
    "thread", "download", "insightful", "informative", "funny", "interesting", "awesome",
}  # fmt: skip
_COUNT = re.compile(r"^[+\-−]?\d[\d,.]*\s*[kKmM]?$")
_ACTION_TOKEN = re.compile(r"[\w']+|\d[\d,.]*[kKmM]?")


_LIKED_BY_COUNT = re.compile(r"^liked by \d[\d,]* (?:person|people|others?)$", re.IGNORECASE)


def is_action_line(text: str) -> bool:
    """A line that holds only actions and counts: "Reply", "• Reply • Share ›", "Like (23)", "14", "△ ▽"."""
    if _LIKED_BY_COUNT.match(text):
        return True
    if re.match(r"\d{1,3}[.)]\s", text):
        return False  # "1. Comment" is a numbered comment, whatever it says
    words = _ACTION_TOKEN.findall(text.lower())
    if len(text) > 80 or len(words) > 12:
        return False
    if not words:
        # Only symbols: vote arrows, hearts, separators.
        return bool(text.strip()) and not any(ch.isalnum() for ch in text)
    return all(word in ACTION_WORDS or _COUNT.match(word) for word in words)


# -- Names -----------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?;:]\s*$")


def looks_like_name(text: str) -> bool:
    """A line short enough to be a commenter's name or handle (a byline's first line), not a sentence."""
    words = text.split()
    if not 1 <= len(words) <= 8 or len(text) > 60:
        return False
    if LIST_MARKER.match(text) or QUOTE_LINE.match(text) or URL.search(text):
        return False
    # "Sam O." and "Dr. G. Farrant" end with a full stop; a sentence ends with a word and a full stop.
    return not _SENTENCE_END.search(text) or bool(re.search(r"(?:^|\s)\w{1,3}\.$", text))


_FUNCTION_WORDS = {
    "a",
    "an",
    "the",
    "is",
    "are",
    "was",
    "not",
    "of",
    "to",
    "in",
    "on",
    "and",
    "or",
    "for",
    "with",
    "why",
}


def looks_like_person(text: str) -> bool:
    """A person's name or handle: one to four words, each capitalised or a handle ("Ifeoma Grant",
    "peerlead_mo"), none of them a function word: "Safe supply is not a slogan" is a title."""
    words = text.split()
    if not 1 <= len(words) <= 4 or not looks_like_name(text):
        return False
    return all(
        word.lower() not in _FUNCTION_WORDS
        and (word[:1].isupper() or not word[:1].isalpha() or "_" in word or len(words) == 1)
        for word in words
    )
