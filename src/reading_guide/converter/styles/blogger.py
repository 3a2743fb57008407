"""Blogger: classic comments ("Name said...", the time after the text) and threaded ones ("Replies")."""

from __future__ import annotations

import re

from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="blogger",
    label="Blogger (classic and threaded comments)",
    cues=(
        (re.compile(r"^.{1,60} said\.\.\.$", re.IGNORECASE), 2.0),
        (re.compile(r"^post a comment$", re.IGNORECASE), 2.0),
        (re.compile(r"^newer post\s*older post\s*home$", re.IGNORECASE), 3.0),
        (re.compile(r"^subscribe to: post comments \(atom\)$", re.IGNORECASE), 3.0),
        (re.compile(r"^(?:replydelete|replies)$", re.IGNORECASE), 2.0),
        (re.compile(r"^\d+ comments?:$", re.IGNORECASE), 2.0),
        (re.compile(r"powered by blogger", re.IGNORECASE), 3.0),
        (re.compile(r"^email thisblogthis!", re.IGNORECASE), 3.0),
    ),
    actions=frozenset({"replydelete", "delete", "replies"}),
    furniture=re.compile(r"email thisblogthis!.*|get link|other apps|report abuse|labels:.*", re.IGNORECASE),
    reply_list=re.compile(r"replies", re.IGNORECASE),
    reply_list_end=re.compile(r"reply", re.IGNORECASE),
    # Classic Blogger prints the comment's time after its text.
    date_after_text=True,
)
