"""Step 4: give each block a kind (one of ``schema.KINDS``), by its lines' roles and where it stands.

The page is read in three parts. Before the title: the site's name and tagline (meta) and its
navigation (furniture). The post: from the title to where the comments start, with its
headings, lists, quotations, footnotes, its own byline and date (meta) and furniture. The
comments: from their header (or, without one, from the first byline after the post's text),
where a byline opens a comment, its text follows, and action lines and forms are furniture.
Furniture at the end of the page (forms, footers, spam) is furniture whatever it says.

``classify`` returns each block's kind and the rule that decided it, which ``--explain`` shows.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from reading_guide.converter.lines import Role
from reading_guide.converter.shapes import (
    COMMENT_MARKER,
    LIST_MARKER,
    URL,
    find_date,
    looks_like_name,
    looks_like_person,
)
from reading_guide.converter.split import Block
from reading_guide.converter.styles import Style
from reading_guide.converter.styles.base import first_match
from reading_guide.schema import count_words

# The rule a forum or mail program draws above a signature: "__________________", "-- ".
SIGNATURE_RULE = re.compile(r"_{3,}|-{2}|-{3,}")
# A footnote: "[1] …", "1 ↵ …", "^1 …", "1. … ↩︎".
FOOTNOTE = re.compile(r"^(?:\[\d{1,3}\]|\^\d{1,3}|\d{1,3}$|\d{1,3}[.)]\s.*↩)")
NOTES_HEADING = re.compile(r"^(?:foot)?notes?:?$|^references:?$|^sources:?$|^endnotes:?$", re.IGNORECASE)
QUOTED_TITLE = re.compile(r"[“\"‘'«](.+)[”\"’'»]\s*$")


@dataclass(frozen=True)
class Decision:
    kind: str
    rule: str  # which rule decided, for --explain


def classify(blocks: list[Block], style: Style) -> list[Decision]:
    """The kind of each block, in order, with the rule that decided it."""
    decided: list[Decision | None] = [_by_lines(block, style) for block in blocks]
    _choose_header(blocks, decided)
    title = _title(blocks, decided, style)
    _drop_header_under_title(blocks, decided, title)
    comments_from = _comments_start(blocks, decided, style, title)
    page = _Page.of(blocks)
    for index, block in enumerate(blocks):
        if decided[index] is not None:
            continue
        if title is not None and index == title:
            decided[index] = Decision("title", "title: the post's title")
        elif title is not None and index < title:
            if block.byline:
                decided[index] = Decision("meta", "the post's byline, above its title")
            elif _menu(block) or _mostly_furniture(block) or _short_lines(block):
                decided[index] = Decision("furniture", "a menu: short lines before the title")
            else:
                decided[index] = Decision("meta", "before the title: the site's name or tagline")
        elif index >= comments_from:
            decided[index] = _in_comments(
                blocks, index, style, opened=_comment_opened(blocks, decided, comments_from, index)
            )
        else:
            decided[index] = _in_post(blocks, index, decided, style, title, page)
    kinds = [d for d in decided if d is not None]
    if bylines_trail(blocks, comments_from, style):
        for index in range(max(comments_from, 1), len(blocks)):
            if kinds[index].kind == "byline" and kinds[index - 1].rule == "spam":
                kinds[index] = Decision("furniture", "the byline under spam (bylines follow their text here)")
    _mark_trailing_furniture(blocks, kinds, comments_from, style)
    _mark_footnotes(blocks, kinds, comments_from)
    return kinds


# -- What a block's lines say by themselves ------------------------------------------------------


def _by_lines(block: Block, style: Style) -> Decision | None:
    roles = block.roles()
    if Role.HEADER in roles:
        return Decision("comments-header", "the comments' header")
    if roles <= {Role.SPAM, Role.FURNITURE, Role.ACTION} and Role.SPAM in roles:
        return Decision("furniture", "spam")
    if roles == {Role.ACTION}:
        return Decision("furniture", "action line (Reply, Like, a count)")
    if roles <= {Role.FURNITURE, Role.ACTION}:
        return Decision("furniture", "page furniture")
    if len(block.rows) > 1 and block.lines[0].isdigit() and len(block.lines[0]) <= 3:
        return None  # "1" above its note's text: a footnote, for the post's rules to find
    if len(block.rows) > 1 and SIGNATURE_RULE.fullmatch(block.lines[0]):
        return Decision("furniture", "a signature, under its rule")
    furnished = sum(1 for row in block.rows if row.role in (Role.FURNITURE, Role.ACTION))
    # A footer's own sentence ("x.social is one of many independent servers …") is furniture by its line.
    short = all(count_words(row.text) <= 10 for row in block.rows if row.role is not Role.FURNITURE)
    if len(block.rows) > 1 and short and 2 * furnished >= len(block.rows) and Role.META not in roles:
        return Decision("furniture", "page furniture (mostly)")
    # A line of text alone was already looked at whole for furniture and spam (lines.line_role).
    alone = len(block.rows) == 1 and block.rows[0].role in (Role.TEXT, Role.LIST)
    if not alone and (style.furniture.fullmatch(block.joined) or style.spam.search(block.joined)):
        return Decision("furniture", "page furniture")
    if _cards(block):
        return Decision("furniture", "cards of other posts, under “Related”")
    if _tags(block):
        return Decision("furniture", "a list of tags or categories")
    return None


def _cards(block: Block) -> bool:
    """ "Related" (or "More from …") over the headlines of other posts, one a line, with no blank between."""
    return (
        len(block.rows) > 1
        and block.rows[0].role is Role.FURNITURE
        and bool(OTHER_POSTS.match(block.lines[0]))
        and all(count_words(line) <= 16 and not line.endswith((".", ":")) for line in block.lines[1:])
    )


def _mostly_furniture(block: Block) -> bool:
    furnished = sum(1 for row in block.rows if row.role in (Role.FURNITURE, Role.ACTION))
    return 2 * furnished >= len(block.rows)


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$|^#\w+$")


def _tags(block: Block) -> bool:
    """Two or more short lines, half of them slugs ("residential-rehab", "#peerwork"): tags."""
    lines = block.lines
    if len(lines) < 2 or not all(count_words(line) <= 3 and not line.endswith((".", ":", "!", "?")) for line in lines):
        return False
    return 2 * sum(1 for line in lines if _SLUG.match(line)) >= len(lines)


def _short_lines(block: Block) -> bool:
    """Two or more lines of one to three words: navigation or section labels, not a site's name and tagline
    (nor a site's name twice, as its logo's text and its name)."""
    return len(set(block.lines)) >= 2 and all(count_words(line) <= 3 for line in block.lines)


def _menu(block: Block) -> bool:
    """Four or more short lines without sentences: a site's menu."""
    return len(block.lines) >= 4 and all(
        count_words(line) <= 4 and not line.endswith((".", "!", "?")) for line in block.lines
    )


def _is_body_paragraph(block: Block) -> bool:
    """A paragraph of running text: a long line, or sentences (a site's name and tagline are neither)."""
    if block.byline or not block.roles() <= {Role.TEXT, Role.LIST, Role.QUOTE}:
        return False
    longest = max(count_words(line) for line in block.lines)
    if count_words(block.joined) < 8 * len(block.lines):
        return False  # short lines: a sidebar, a menu, a list of rules
    return longest >= 16 or (
        count_words(block.joined) >= 12 and block.joined.rstrip().endswith((".", "!", "?", "”", '"'))
    )


# -- The title ----------------------------------------------------------------------------------


def _title(blocks: list[Block], decided: list[Decision | None], style: Style) -> int | None:
    """The block that is the post's title: a short single line before the post's text, best the one
    the comments' header quotes, or the one a byline or date follows, or the one the text follows."""
    header = next((b for b, d in zip(blocks, decided, strict=True) if d and d.kind == "comments-header"), None)
    quoted = QUOTED_TITLE.search(header.joined) if header else None
    first_body = next((i for i, b in enumerate(blocks) if _is_body_paragraph(b)), len(blocks))
    candidates = [
        index
        for index, block in enumerate(blocks[: first_body + 1])
        if decided[index] is None
        and len(block.rows) == 1
        and block.rows[0].role in (Role.TEXT, Role.LIST)
        and 1 <= count_words(block.joined) <= 40
        and not LIST_MARKER.match(block.joined)
        and not block.byline
        and not _dated(block.joined)
        and not HANDLE.match(block.joined)
    ]
    if not candidates:
        return None
    if quoted:
        wanted = _comparable(quoted.group(1))
        for index in candidates:
            if _comparable(blocks[index].joined) == wanted or _comparable(blocks[index].joined).startswith(wanted):
                return index
    scored = [(_title_score(blocks, decided, index, first_body), -index, index) for index in candidates]
    return max(scored)[2]


HANDLE = re.compile(r"^(?:r/|u/|@)\w+$")


def _dated(text: str) -> bool:
    """A line with a calendar date in it: a dateline or byline, not a title."""
    date = find_date(text)
    return date is not None and any(ch.isdigit() for ch in date.group(0)) and count_words(text) <= 14


def _comparable(text: str) -> str:
    return " ".join(re.sub(r"[“”\"‘’'«»]", "", text).lower().split())


def _title_score(blocks: list[Block], decided: list[Decision | None], index: int, first_body: int) -> int:
    following = next((i for i in range(index + 1, len(blocks)) if decided[i] is None), None)
    score = 0
    if following is not None:
        after = blocks[following]
        if after.byline or Role.DATE in after.roles() or _dated(after.lines[0]):
            score += 3
        elif following == first_body:
            score += 2
        elif _is_meta_line(after.joined):
            score += 3
    # A title, then its subtitle or its key points (a line, or list items), then the post's byline.
    between = 0
    while index + 1 + between < len(blocks) and between < 4:
        block = blocks[index + 1 + between]
        if _is_bylined(block):
            if between and not _is_bylined(blocks[index + 1]):
                score += 3
            break
        listed = bool(LIST_MARKER.match(block.lines[0]))
        # One subtitle, or any number of key points (list items). A subtitle is a sentence or many words;
        # a short line between a site's name and a byline is the post's title.
        if not listed and (between or len(block.rows) != 1 or not _subtitle_of(block.joined)):
            break
        between += 1
    skipped = [decided[i] for i in range(index + 1, following or index + 1)]
    if skipped and all(d is not None and d.kind == "furniture" for d in skipped) and following != first_body:
        score -= 1
    words = count_words(blocks[index].joined)
    if words >= 4:
        score += 1
    if not any(d is None for d in decided[:index]):
        score += 1  # the first text of the page
    if re.search(r"[.!?]\s+\S", blocks[index].joined) or blocks[index].joined.endswith("."):
        score -= 1  # sentences: more likely the post's first paragraph
    if words > 15 and blocks[index].joined.rstrip().endswith("."):
        score -= 2  # a subtitle or a sentence, not a title
    return score


def _subtitle_of(text: str) -> bool:
    return count_words(text) >= 8 or text.rstrip().endswith((".", "?", "!"))


def _is_meta_line(text: str) -> bool:
    return bool(re.match(r"^(?:by|posted|published|written)\b", text, re.IGNORECASE))


# -- Where the comments start ------------------------------------------------------------------


def _choose_header(blocks: list[Block], decided: list[Decision | None]) -> None:
    """Of several lines that read as the comments' header ("9 Replies" under a title links to them), the one
    nearest before the first comment's byline heads the comments; the others are furniture."""
    headers = [i for i, d in enumerate(decided) if d and d.kind == "comments-header"]
    if len(headers) < 2:
        return
    first_byline = next((i for i, b in enumerate(blocks) if b.byline and i > headers[0]), None)
    before = [h for h in headers if first_byline is None or h < first_byline]
    chosen = before[-1] if before else headers[0]
    for index in headers:
        if index != chosen:
            decided[index] = Decision("furniture", "a link to the comments, not their header")


def _drop_header_under_title(blocks: list[Block], decided: list[Decision | None], title: int | None) -> None:
    """A bare "Discussion" just under the title, above the post's own text (a Reddit post's flair), heads
    no comments: it holds no count, and a paragraph of text follows it before any byline."""
    if title is None:
        return
    index = next((i for i in range(title + 1, len(blocks)) if not _furniture(decided[i])), None)
    decision = decided[index] if index is not None else None
    if index is None or decision is None or decision.kind != "comments-header":
        return
    if any(ch.isdigit() for ch in blocks[index].joined):
        return
    for block in blocks[index + 1 :]:
        if block.byline:
            return
        if _is_body_paragraph(block):
            decided[index] = None
            return


def _furniture(decision: Decision | None) -> bool:
    return decision is not None and decision.kind == "furniture"


def _comments_start(blocks: list[Block], decided: list[Decision | None], style: Style, title: int | None) -> int:
    """Index of the first block of the comments, or len(blocks) if there are none."""
    for index, decision in enumerate(decided):
        if decision and decision.kind == "comments-header":
            return index + 1
    after_title = (title or -1) + 1
    bylines = [i for i, b in enumerate(blocks) if b.byline]
    if style.opening_post and bylines:
        # The first byline is the opening post's (above or below the title); the next starts the comments.
        later = [i for i in bylines[1:] if i >= after_title]
        return later[0] if later else len(blocks)
    body_seen = False
    for index in range(after_title, len(blocks)):
        block = blocks[index]
        # Numbered comments after the post (the known blogs) are set apart by indentation and a wider gap.
        numbered = COMMENT_MARKER.match(block.lines[0]) and block.indent > 0 and block.gap >= 2
        if body_seen and (block.byline or Role.REMOVED in block.roles() or numbered):
            return index
        if block.byline and _commenters_byline(block, style):
            return index  # a post with no text of its own (a link's page): its comments start all the same
        if _is_body_paragraph(block) or (block.roles() == {Role.TEXT} and decided[index] is None):
            body_seen = True
    return len(blocks)


def _commenters_byline(block: Block, style: Style) -> bool:
    """A byline in a shape only a comment's byline has ("Jane says:", "wren 1 day ago | next [–]"),
    never a post's own, which a name with a date may be."""
    return any(row.role is Role.BYLINE and first_match(style.byline, row.text) for row in block.rows)


# -- Blocks in the comments ----------------------------------------------------------------------


def bylines_trail(blocks: list[Block], comments_from: int = 0, style: Style | None = None) -> bool:
    """Whether this page prints a comment's byline after its text (as some news sites do): most bylines
    follow a line of text with no blank line between."""
    if style is not None and style.bylines_after_text:
        return True
    bylines = [i for i, b in enumerate(blocks) if b.byline and i > comments_from]
    after_text = [i for i in bylines if not blocks[i].gap and Role.TEXT in blocks[i - 1].roles()]
    # A compact thread (Lemmy's) runs byline, text, byline, text with no blank line: there the text
    # under each byline is its own, and a byline at another indentation than the text above it
    # opens a reply rather than closing that text.
    before_text = [
        i for i in bylines if i + 1 < len(blocks) and not blocks[i + 1].gap and Role.TEXT in blocks[i + 1].roles()
    ]
    shifted = [i for i in after_text if blocks[i].indent != blocks[i - 1].indent]
    if 5 * len(before_text) >= 3 * len(bylines) and shifted:
        return False
    if len(bylines) >= 2 and all(blocks[i].gap for i in bylines):
        # Bylines apart from the text ("text" / blank / "Posted by: NAME | DATE", Typepad's): they trail
        # when text stands just before the first, most follow text, and nothing but furniture follows the last.
        texts = (Role.TEXT, Role.QUOTE, Role.LIST, Role.QUOTE_INTRO)
        after_any = [i for i in bylines if any(role in texts for role in blocks[i - 1].roles())]
        last = bylines[-1] + 1
        return (
            bylines[0] in after_any
            and 5 * len(after_any) >= 4 * len(bylines)
            and (last == len(blocks) or not any(role in texts for role in blocks[last].roles()))
        )
    return len(bylines) >= 2 and 5 * len(after_text) >= 3 * len(bylines)


def _comment_opened(blocks: list[Block], decided: list[Decision | None], comments_from: int, index: int) -> bool:
    """Whether a comment has started between the comments' start and block `index`."""
    return any(
        blocks[i].byline or COMMENT_MARKER.match(blocks[i].text) or Role.REMOVED in blocks[i].roles()
        for i in range(comments_from, index + 1)
    )


def _in_comments(blocks: list[Block], index: int, style: Style, *, opened: bool) -> Decision:
    block = blocks[index]
    roles = block.roles()
    later_bylines = any(b.byline for b in blocks[index + 1 :])
    trailing = index + 1 < len(blocks) and blocks[index + 1].byline
    if (
        not opened
        and later_bylines
        and not style.bylines_after_text
        and not (trailing and bylines_trail(blocks, 0, style))
    ):
        # Every comment here opens with a byline: text before the first one is the section's own.
        return Decision("furniture", "before the first comment: guidelines, a form, a sort menu")
    if block.byline:
        return Decision("byline", "byline: a name with a date, or “says:”")
    if Role.QUOTE_INTRO in roles or block.rows[0].role is Role.QUOTE:
        return Decision("quote", "a quotation inside a comment")
    opened = opened or bylines_trail(blocks, 0, style)
    if opened and _enclosed_in_quotes(block.joined) and len(block.lines) == 1:
        return Decision("quote", "a line in quotation marks inside a comment")
    previous, following = blocks[index - 1], blocks[index + 1] if index + 1 < len(blocks) else None
    # A numbered comment's text stands deeper than its number: only text set in past that is a quotation.
    marked = bool(COMMENT_MARKER.match(previous.text))
    if (
        opened
        and not marked
        and block.indent >= previous.indent + 2
        and (following is None or following.indent <= block.indent - 2)
    ):
        return Decision("quote", "set in within a comment: a quotation")
    if roles <= {Role.DATE, Role.EXTRA} and style.date_after_text:
        return Decision("furniture", "the comment's time, after its text")
    if roles <= {Role.DATE, Role.EXTRA, Role.CUE, Role.ACTION, Role.META}:
        return Decision("furniture", "a date or badge away from any byline")
    return Decision("comment", "text in the comments")


# -- Blocks in the post --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    """What the post's blocks are judged against, worked out once for the page (not once per block)."""

    body_indent: int  # the indentation most paragraphs have (a copy may indent all of a post's text)
    first_body: int  # the first paragraph of running text

    @classmethod
    def of(cls, blocks: list[Block]) -> _Page:
        body = [i for i, b in enumerate(blocks) if _is_body_paragraph(b)]
        indents = Counter(blocks[i].indent for i in body)
        # The most common indentation; on a tie the smallest, as max over a set of ints did before.
        indent = max(sorted(indents), key=lambda i: indents[i]) if indents else 0
        return cls(indent, body[0] if body else len(blocks))


def _in_post(
    blocks: list[Block], index: int, decided: list[Decision | None], style: Style, title: int | None, page: _Page
) -> Decision:
    block = blocks[index]
    roles = block.roles()
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    first = block.lines[0]
    if style.signed_comments and block.rows[0].role is Role.TEXT and block.rows[0].author:
        return Decision("comment", "a one-line comment, signed at its end")
    if block.byline or roles <= {Role.DATE, Role.EXTRA, Role.BYLINE, Role.CUE, Role.META}:
        return Decision("meta", "the post's byline or date")
    if roles & {Role.META, Role.DATE} and all(
        row.role is not Role.TEXT or looks_like_name(row.text) for row in block.rows
    ):
        return Decision("meta", "the post's byline: a name and a date line")
    if _is_meta(block, style) or (len(block.lines) <= 2 and _dated(block.lines[0]) and index > (title or 0)):
        return Decision("meta", "the post's byline or date")
    if title is not None and index == title + 1 and following is not None and _is_bylined(following):
        return Decision("meta", "a subtitle: between the title and the post's byline")
    if style.flair_under_title and title is not None and index == title + 1 and _looks_like_flair(block):
        return Decision("meta", "the post's flair, under its title")
    if Role.QUOTE in roles and block.rows[0].role is Role.QUOTE:
        return Decision("quote", "a quoted line (“> …”)")
    numbered = bool(LIST_MARKER.match(first))
    # "1. Trauma-informed practice" between paragraphs is a numbered heading, not a list's last item.
    in_list = numbered and (
        (index > 0 and LIST_MARKER.match(blocks[index - 1].lines[0]))
        or (following is not None and LIST_MARKER.match(following.lines[0]))
    )
    heads_what_follows = following is not None and (
        not _looks_like_heading(following, style) or following.byline or LIST_MARKER.match(following.lines[0])
    )
    hashtags = all(word.startswith("#") for word in block.joined.split())  # "#SafeSupply #HarmReduction"
    if _looks_like_heading(block, style) and heads_what_follows and not in_list and not hashtags:
        return Decision("heading", "a short line that heads what follows")
    if LIST_MARKER.match(first):
        return Decision("list-item", "a list item")
    if block.indent >= page.body_indent + 2 and _is_body_paragraph(block):
        return Decision("quote", "a paragraph set in: a block quotation")
    if _enclosed_in_quotes(block.joined) or ATTRIBUTED_QUOTE.match(block.joined):
        return Decision("quote", "a line in quotation marks, set apart: a pull quote")
    if _menu(block):
        return Decision("furniture", "four or more short lines: tags or a menu")
    if title is not None and title < index < page.first_body and len(block.lines) == 1 and looks_like_person(first):
        return Decision("meta", "the author's name, above the post")
    previous = decided[index - 1] if index > 0 else None
    introduced = previous is not None and previous.kind == "paragraph" and blocks[index - 1].lines[-1].endswith(":")
    if introduced and _quoted_or_set_in(block, blocks[index - 1]):
        return Decision("quote", "set apart after a line that introduces it")
    return Decision("paragraph", "text of the post")


ATTRIBUTED_QUOTE = re.compile(r"^[“\"‘].{10,}[”\"’]\s*[—–-]\s*\S.{0,120}$")
_QUOTES = {"“": "”", "‘": "’", '"': '"', "«": "»", "'": "'"}


def _enclosed_in_quotes(text: str) -> bool:
    text = text.strip()
    return len(text) > 2 and _QUOTES.get(text[0]) == text[-1] and text.count(text[0]) <= 2


def _quoted_or_set_in(block: Block, introducing: Block) -> bool:
    """A block after a line ending with ":" that reads as a quotation: in quotation marks, set in, or long."""
    text = block.joined
    quoted = text[:1] in "“\"‘'" or block.indent > introducing.indent
    return quoted or not LIST_MARKER.match(text)


def _is_bylined(block: Block) -> bool:
    return block.byline or bool(block.roles() & {Role.META, Role.DATE}) or _dated(block.lines[0])


def _is_meta(block: Block, style: Style) -> bool:
    return len(block.lines) <= 4 and bool(style.post_meta.fullmatch(block.lines[0]))


def _looks_like_flair(block: Block) -> bool:
    return len(block.lines) == 1 and count_words(block.joined) <= 4 and not block.joined.endswith((".", "!", "?", ":"))


def _looks_like_heading(block: Block, style: Style) -> bool:
    line = block.lines[0]
    return (
        len(block.lines) == 1
        and count_words(line) <= 12
        and len(line) <= 100
        and not line.rstrip().endswith((".", ",", ";", ":", "!", "…"))
        and not URL.search(line)
        and not style.reference_line.match(line)
    )


# -- Afterwards: the page's closing furniture, and footnotes -------------------------------------


# The comment form, or its absence: after the comments have started, the comments end here.
COMMENT_FORM = re.compile(
    r"^(?:leave a (?:reply|comment)|post a comment|add (?:a )?comment|write a comment|comments are closed"
    r"|you must (?:log in|be logged in|register)|create an account or sign in|(?:log|sign) in to (?:comment|reply)"
    r"|post reply$|reply to this topic"
    # Cards of other posts after the comments end them too.
    r"|also on .*|popular posts.*|more from .*|related (?:posts|articles|stories|topics)|suggested topics|read next"
    r"|you (?:may|might) also like.*|recommended (?:for you|from .*)|more (?:posts|stories|articles) from .*"
    r"|similar threads)",
    re.IGNORECASE,
)
# Furniture blocks after which, until the comments or the next real byline, cards of other posts follow.
OTHER_POSTS = re.compile(
    r"^(?:related(?: posts| articles| stories)?|you (?:may|might) also like|more from .*|recent posts|popular posts"
    r"|read next|recommended(?: for you)?|also on .*|explore more on these topics|more on this story"
    r"|published in .*|written by .*|about the author|more (?:posts|stories|articles) from .*)\b",
    re.IGNORECASE,
)


def _mark_trailing_furniture(
    blocks: list[Block], kinds: list[Decision], comments_from: int, style: Style | None = None
) -> None:
    """Once the page's closing furniture starts, the rest is furniture, whatever it says: after the last
    comment's own text (a comment form, footers, widgets, spam), or after the post when it has no comments.
    Cards of other posts under a "Related" line are furniture too."""
    form = next(
        (
            i
            for i in range(comments_from, len(blocks))
            if kinds[i].kind == "furniture"
            and COMMENT_FORM.match(blocks[i].text)
            and not _style_actions(blocks[i].lines[0], style)
            and any(d.kind in ("comment", "byline") for d in kinds[comments_from:i])
        ),
        None,
    )
    starts = [i for i, b in enumerate(blocks) if b.byline and comments_from <= i < (form or len(blocks))]
    starts += [
        i
        for i, d in enumerate(kinds)
        if d.kind == "comment" and comments_from <= i < (form or len(blocks)) and COMMENT_MARKER.match(blocks[i].text)
    ]
    last_start = max(starts, default=-1)
    if last_start < 0:
        last_start = max((i for i, d in enumerate(kinds) if d.kind in ("paragraph", "list-item", "quote")), default=-1)
        # A short unpunctuated fragment at the end of a post is a widget, not text.
        while last_start > 0 and kinds[last_start].kind == "paragraph" and _is_short_fragment(blocks[last_start]):
            last_start -= 1
    if last_start >= 0:
        # A count or badge may stand between a byline and its text: the closing furniture follows the text.
        text = next((i for i in range(last_start + 1, len(kinds)) if kinds[i].kind in ("comment", "quote")), last_start)
        if bylines_trail(blocks, comments_from, style):
            text = last_start  # the last comment's text stands before its byline
            if style is not None and style.signed_comments:
                # One-line signed comments under the last answer's byline (its reputation line between).
                for index in range(last_start + 1, len(kinds)):
                    if blocks[index].rows[0].author and blocks[index].rows[0].role is Role.TEXT:
                        text = index
                    elif kinds[index].kind != "furniture" or index > text + 2:
                        break
        closing = next((i for i in range(text + 1, len(kinds)) if kinds[i].kind == "furniture"), None)
        if form is not None:
            closing = min(closing if closing is not None else form, form)
        for index in range(closing if closing is not None else len(kinds), len(kinds)):
            if kinds[index].kind not in ("furniture", "comments-header") and not (
                kinds[index].kind == "meta" and last_start < comments_from
            ):
                kinds[index] = Decision("furniture", "after the page's closing furniture")
    for index, block in enumerate(blocks[:comments_from]):
        if kinds[index].kind == "furniture" and OTHER_POSTS.match(block.lines[0]):
            for card in range(index + 1, comments_from):
                # A sidebar's "Recent posts" may stand before the post: its cards end at the post's title.
                if kinds[card].kind in ("comments-header", "title") or _is_body_paragraph(blocks[card]):
                    break
                kinds[card] = Decision("furniture", "a card of another post, under “Related”")


def _style_actions(text: str, style: Style | None) -> bool:
    """A line of the style's own action words ("Add a comment" under a StackExchange answer): a link, not a form."""
    words = re.findall(r"[\w']+", text.lower())
    return style is not None and bool(style.actions) and bool(words) and all(w in style.actions for w in words)


def _is_short_fragment(block: Block) -> bool:
    text = block.joined
    return block.indent == 0 and count_words(text) <= 4 and not text.endswith((".", "?", "!", "”", '"'))


def _mark_footnotes(blocks: list[Block], kinds: list[Decision], comments_from: int) -> None:
    """Notes at the end of the post: "[1] …" (when the post cites [1]), a number alone then its text,
    or any block under a "Notes" heading."""
    post_text = " ".join(
        b.joined for b, d in zip(blocks, kinds, strict=True) if d.kind in ("paragraph", "list-item", "quote")
    )
    under_notes = False
    for index in range(min(comments_from, len(blocks))):
        block, kind = blocks[index], kinds[index].kind
        if kind == "heading":
            under_notes = bool(NOTES_HEADING.match(block.joined))
            continue
        if kind not in ("paragraph", "list-item", "meta"):
            continue
        match = FOOTNOTE.match(block.lines[0])
        cited = match and (not match.group(0).startswith("[") or match.group(0) in post_text.replace(block.joined, ""))
        if (match and cited and (len(block.lines) > 1 or not block.lines[0].isdigit())) or (
            under_notes and kind in ("paragraph", "list-item")
        ):
            kinds[index] = Decision("footnote", "a note the post refers to")
