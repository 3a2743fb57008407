"""The excerpt check on its own: exact to the character, whitespace as HTML collapses it, omissions in order."""

from __future__ import annotations

import pytest

from reading_guide.extension.excerpts import OMISSION, excerpt_fits

PASSAGE = "The clinic said “we meet people where they are” and kept its doors open\u00a0every night of the year."


@pytest.mark.parametrize(
    "excerpt",
    [
        PASSAGE,
        "The clinic said\n“we meet  people\twhere they are”",
        f"{OMISSION} kept its doors open\u00a0every night of the year.",
        f"The clinic said “we meet {OMISSION}",
        f"{OMISSION} people where they are {OMISSION}",
        f"The clinic said {OMISSION} every night {OMISSION} year.",
    ],
)
def test_exact_parts_fit(excerpt: str) -> None:
    """Exact parts fit, whatever runs of HTML whitespace they hold."""
    assert excerpt_fits(excerpt, PASSAGE)


@pytest.mark.parametrize(
    "excerpt",
    [
        "the clinic said",
        "The clinic said “we meet people where they are” and kept its doors open\u00a0every night of the decade.",
        f"kept its doors open\u00a0every night {OMISSION} The clinic said",
        "The clinic said “we meet all people where they are”",
        "The clinic said “we meet where they are”",
        'The clinic said "we meet people where they are"',
        "kept its doors open every night",
        f"{OMISSION} of the week.",
        f"The clinic says {OMISSION}",
        f"said {OMISSION} said",
        f"The clinic said “we meet people {OMISSION} people where",
        PASSAGE + " Nobody asked.",
        "The clinic said\u00a0“we",
        "The clinic said\u200b “we",
    ],
)
def test_inexact_excerpts_do_not_fit(excerpt: str) -> None:
    """Case, a changed tail, order around omissions, words, quotes, NBSP, overlapping pieces: each is a difference."""
    assert not excerpt_fits(excerpt, PASSAGE)
