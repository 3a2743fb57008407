"""The contract between the converter and the extension (schema.py), on its own."""

from __future__ import annotations

import pytest

from reading_guide.schema import (
    Passage,
    Reading,
    collapse_whitespace,
    comment_anchor,
    count_words,
    is_reply,
    number_of,
    passage_anchor,
    reading_from_options,
    reading_minutes,
    statistics,
    thread_number,
    thread_sort_key,
    to_options,
    words_list,
)

READING = Reading(
    source="004_x.txt",
    slug="goal-not-step",
    short_title="Goal",
    author="",
    date="2013-02-05",
    words=1234,
    comments=2,
    replies=1,
    content_notes=("overdose", "addiction-in-the-family"),
    captured="2026-12-01 (19 passages)",
    headings='{"1": ["2026-12-01", "", []]}',
)


def test_a_reading_travels_as_directive_options_and_back() -> None:
    """Every field that is set becomes one hyphenated option (lists space-separated, numbers as text);
    empty ones are left out; reading the options back gives the same record."""
    options = to_options(READING)
    assert options["short-title"] == "Goal" and options["words"] == "1234" and "author" not in options
    assert options["content-notes"] == "overdose addiction-in-the-family"
    assert reading_from_options(options) == READING


@pytest.mark.parametrize(
    ("options", "message"),
    [({"slug": "a"}, "a reading needs source"), ({"source": "a.txt"}, "a reading needs slug"), ({}, "source and slug")],
)
def test_a_reading_without_source_or_slug_is_an_error(options: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        reading_from_options(options)


def test_a_number_that_is_not_one_is_an_error() -> None:
    with pytest.raises(ValueError):
        reading_from_options({"source": "a.txt", "slug": "a", "words": "many"})


def test_anchors_and_their_numbers() -> None:
    """¶ labels such as 16 and 16a make passage anchors and come back from them; a comment's anchor
    turns its thread's dots into hyphens."""
    assert passage_anchor("we-need-both", "16") == "we-need-both-16"
    assert number_of("we-need-both-16") == "16" and number_of("goal-not-step-4a") == "4a"
    assert number_of("goal-not-step") is None and number_of("goal-not-step-comments") is None
    assert comment_anchor("goal-not-step", "c2.1") == "goal-not-step-c2-1"


def test_threads() -> None:
    """c2.1 is shown as 2.1, is a reply, and sorts after c2 and before c2.2 and c10."""
    assert thread_number("c2.1") == "2.1" and is_reply("c2.1") and not is_reply("c2")
    threads = ["c10", "c2.2", "c2", None, "c2.1", "c1"]
    assert sorted(threads, key=thread_sort_key) == [None, "c1", "c2", "c2.1", "c2.2", "c10"]


def test_words_and_minutes() -> None:
    """Words are what whitespace separates (an NBSP among them); at 230 a minute, at least one minute."""
    assert count_words("one two\u00a0three\nfour") == 4 and count_words("") == 0
    assert [reading_minutes(n) for n in (0, 1, 230, 231, 460)] == [1, 1, 1, 2, 2]
    assert words_list("  a b  ") == ("a", "b") and words_list(None) == ()


def test_comparing_collapses_only_what_html_collapses() -> None:
    """Runs of space, tab, newline, form feed and return become one space; NBSP and thin spaces stay."""
    assert collapse_whitespace(" a \t\n b\r\n\fc ") == "a b c"
    assert collapse_whitespace("a\u00a0b\u2009c\u200bd") == "a\u00a0b\u2009c\u200bd"


def test_statistics_count_the_text_and_the_comments() -> None:
    """Words of everything but the title and furniture; comments and replies by their threads."""
    passages = [
        Passage("1", "title", "A long title here"),
        Passage("2", "paragraph", "Three words here"),
        Passage("3", "furniture", "Reply Share Like"),
        Passage("4", "byline", "Jane says:", thread="c1"),
        Passage("5", "comment", "Two words", thread="c1"),
        Passage("6", "comment", "One", thread="c1.1"),
        Passage("7", "comment", "Again one", thread="c2"),
    ]
    counts = statistics(passages)
    assert (counts.words, counts.comments, counts.replies, counts.minutes) == (10, 2, 1, 1)
