"""Forums: phpBB, vBulletin, Invision Community, XenForo and Simple Machines (SMF). Every post after the
first is a comment of its own; a quotation of an earlier post is a quote inside the post, not a reply."""

from __future__ import annotations

import re

from reading_guide.converter.styles.base import patterns
from reading_guide.converter.styles.generic import STYLE as GENERIC

STYLE = GENERIC.extend(
    name="forum",
    label="Forums (phpBB, vBulletin, Invision Community, XenForo, SMF)",
    cues=(
        (re.compile(r"^(?:post )?by .{1,60} » ", re.IGNORECASE), 3.0),
        (re.compile(r"powered by (?:phpbb|vbulletin|invision community|xenforo)", re.IGNORECASE), 3.0),
        (
            re.compile(
                r"^(?:board index|who is online|return to “|jump to$|reply with quote$|posting permissions)",
                re.IGNORECASE,
            ),
            2.0,
        ),
        (re.compile(r"^(?:join date|joined|posts|messages|reaction score):?\s", re.IGNORECASE), 1.0),
        (re.compile(r"^(?:quote:|originally posted by .+)$|^click to expand\.\.\.$", re.IGNORECASE), 2.0),
        (re.compile(r"^(?:recommended posts|share this post|link to post|thread starter)", re.IGNORECASE), 2.0),
        (re.compile(r"^\d+ posts? • page \d+ of \d+|^results \d+ to \d+ of \d+", re.IGNORECASE), 3.0),
        # SMF: "« Reply #3 on: May 19, 2024, 09:18:05 AM »" over each post, "Logged" under it.
        (re.compile(r"^«\s*(?:reply #\d+\s+)?on:\s.*»$", re.IGNORECASE), 3.0),
        (re.compile(r"^author\s+topic:\s|^\d+ members? and \d+ guests? are viewing this", re.IGNORECASE), 3.0),
        (re.compile(r"^smf \d|simple machines|^pages: \[\d+\]", re.IGNORECASE), 3.0),
        (re.compile(r"^(?:logged|view profile)$", re.IGNORECASE), 0.5),
        # Vanilla: the guest's welcome, the frame's "Best Of...", the form's closing line.
        (re.compile(r"^howdy, stranger!|^sign in or register to comment\.?$|^best of\.\.\.$", re.IGNORECASE), 3.0),
    ),
    # "Post by tillyb » Tue Jun 08, 2021 1:27 pm"; phpBB 3.1 and later drop "Post".
    byline=patterns(r"(?:post )?by (?P<author>.{1,60}?) » .*"),
    byline_extra=re.compile(
        r"(?:posts|joined|join date|location|messages|reaction score|reputation|points|thanks)(?::.*|\s*\d[\d,]*)?"
        r"|(?:[\w.-]+ )?members?|site admin|administrator|(?:global )?moderator|registered user|guest|banned|[A-Z]"
        r"|\d[\d,]* posts?|re: .*|#\d+|posted .*"
        # SMF: the rank's stars, "Newbie", "View Profile", and what is left of "« Reply #3 on: … »" by its date.
        r"|[*★☆]{1,12}|newbie|view profile|(?:reply|post) #\d+"
        # Vanilla: the opening post's date line ends with its category, "March 11 in Medication-Assisted Recovery".
        r"|in [A-Z][\w&' -]{1,50}",
        re.IGNORECASE,
    ),
    # "Quote:" opens a quotation (vBulletin); "Quote" alone is a button (Invision, SMF).
    quote_intro=patterns(r"quote:|quote originally posted by .*|.{1,60} said:|.{1,60} wrote: ↑.*"),
    furniture=re.compile(
        r"top|post reply|reply with quote|quick links|faq|board index.*|jump to|who is online|the team"
        r"|delete cookies|all times are utc.*|users browsing this forum:.*|return to .*|\d+ posts? • page .*"
        r"|last edited by .*|click to expand\.\.\.|reactions:.*|share this post|link to post|share on other sites"
        r"|recommended posts|results \d+ to \d+ of \d+|thread:? tools|search this (?:topic|thread)…?|posting permissions.*"
        r"|edited .* by .*|last edited:? .*|the following \d+ users? says? thank you.*|display modes|remember me\??|user ?name|password"
        r"|existing user\? sign in|sign up|browse|guidelines|online users|activity|followers \d+|reply to this topic"
        r"|start new topic|members list|calendar|today's posts|mark forums read|(?:\w+, ){1,}\w+"
        # SMF's frame: the guest's welcome, the board's news, pages, "Go Down", the post's "Logged".
        r"|welcome, guest\..*|did you miss your activation email\??|news: .*|\d+ members? and \d+ guests? are viewing.*"
        r"|pages: .*|go (?:up|down)|print|«?\s*previous next\s*»?|«\s*last edit: .*|logged|jump to:?|=> .*"
        r"|smf \d.*|xhtml(?: rss)?(?: wap2)?"
        # Vanilla's frame.
        r"|howdy, stranger!.*|best of\.\.\.|discussions|categories|recent discussions|sign in(?: or register to comment\.?| · register)"
        r"|quote\s+flag|« previous(?: \d+)* next »",
        re.IGNORECASE,
    ),
    post_meta=re.compile(r"thread starter .*|started by .*", re.IGNORECASE),
    signature=re.compile(r"logged", re.IGNORECASE),
    opening_post=True,
    flat=True,
)
