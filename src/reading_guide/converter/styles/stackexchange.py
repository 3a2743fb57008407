"""Stack Exchange (Stack Overflow and its sister sites): a question, its answers, and one-line comments.

An answer's byline ("answered Mar 13, 2022 at 8:15", the name, the reputation) follows its text and
its actions ("Share", "Improve this answer", "Follow"); the comments under a question or an answer are
one line each, signed at their end ("… – Tomás Lindqvist Mar 12, 2022 at 22:31"), and answer it.
"""

from __future__ import annotations

import re

from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="stackexchange",
    label="Stack Exchange (questions, answers and their comments)",
    cues=(
        (re.compile(r"^improve this (?:answer|question)$|^stack exchange network$", re.IGNORECASE), 3.0),
        (re.compile(r"^not the answer you're looking for\?", re.IGNORECASE), 3.0),
        (re.compile(r"^add a comment$|^show \d+ more comments?$|^post your answer$", re.IGNORECASE), 1.0),
    ),
    furniture=re.compile(
        r"ask question|improve this (?:answer|question)|add a comment|show \d+ more comments?|your answer"
        r"|post your answer|by clicking \"post your answer\".*|not the answer you're looking for\?.*"
        r"|highest score \(default\)|sorted by:|questions|unanswered|users|tags|tour|help|chat|feedback"
        r"|[+\-−]?\d[\d,]*|viewed [\d.,k]+ times|modified .*|site design / logo ©.*|stack exchange network",
        re.IGNORECASE,
    ),
    # "answered Mar 13, 2022 at 8:15" heads the answer's byline; "5,812 2 19 41" is the answerer's reputation.
    byline_extra=re.compile(r"\d[\d,.]*k?(?: \d+){0,3}|answered|asked|edited", re.IGNORECASE),
    comments_header=re.compile(r"\d[\d,]* answers?", re.IGNORECASE),
    # The rows of links under a question or an answer, and under its comments.
    actions=frozenset(
        {"ask", "question", "improve", "this", "answer", "follow", "add", "a", "comment", "comments", "show", "more"}
    ),
    post_meta=re.compile(r"(?:asked|edited) .*", re.IGNORECASE),
    bylines_after_text=True,
    signed_comments=True,
)
