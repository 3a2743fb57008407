"""What every site shares: the generic style, which every other style extends.

It is also the style of a capture that shows no site's cues: a post, its headings and lists,
comments with "Name says:" or name-and-date bylines, Reply lines, forms and footers.
"""

from __future__ import annotations

import re

from reading_guide.converter.styles.base import Style, either, patterns

_NUMBER_WORDS = r"\d[\d,]*(?:\.\d+)?k?|no|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"

FURNITURE = either(
    # Navigation and the site's frame.
    r"skip to (?:the )?(?:main )?(?:content|navigation)|skip navigation|(?:scroll down|jump) to content|(?:main |primary )?menu|toggle navigation"
    r"|home|about(?: me| us)?|contact(?: us)?|search(?: for)?:?|search this (?:site|blog)|search…?|log ?in|log ?out"
    r"|sign ?in|sign ?up|register|subscribe|donate|join|open in app|get the app|start writing|write|resources"
    r"|(?:newer|older) posts?(?:\s+(?:newer|older) posts?|\s+home)*|home(?:\s+(?:newer|older) posts?)+"
    r"|(?:previous|next)(?: post| article)?:?(?: .*)?|post navigation|comment navigation|navigation"
    r"|go to .{1,40}|back to top|to the top.*|top of page|[↑↓] ?(?:top|up)|←\s.*|.*\s→|in [“\"].{1,40}[”\"]",
    # Sharing, liking, following.
    r"share(?: this(?: post| article| story)?)?:?.{0,60}|like this:?|like loading\.{3}|loading\.{3}"
    r"|click to (?:share|email|print) .*|share on \S+|(?:email|print) this|permalink|tweet|facebook|twitter"
    r"|linkedin|whatsapp|reddit|pinterest|email|print|copy link|more|follow|listen|click to rate.*|view (?:all|more)|\d+ bloggers? like this:?"
    r"|%d bloggers like this:|be the first to like this\.?|liked by .*|reblog|repost",
    # Comment forms and their notices.
    r"leave a (?:reply|comment)(?: cancel reply)?|cancel reply|post (?:a )?comment|add (?:a )?comment|write a comment.*"
    r"|(?:your )?comment ?\*?|name ?\*|e-?mail ?\*?(?: \(required\))?|website|url|δ"
    r"|save my name, email, and website in this browser.*|notify me of .*|you must (?:be (?:logged|signed) in|log in|sign in|register).*"
    r"|(?:log|sign) ?in to (?:comment|reply|post|join the (?:discussion|conversation)).*|write\s+preview"
    r"|(?:styling with )?markdown (?:is )?supported\.?|your email address will not be published.*|required fields are marked.*|fill in your details below.*"
    r"|you are commenting using your .* account\..*|\S+(?:\.\S+)? (?:logo|photo|picture|avatar)|connecting to %s"
    r"|\S+ is one of many independent servers you can use to join the fediverse\.?|comments? (?:are|is) (?:now )?closed\.?|the comments to this (?:entry|post) are closed\.?|(?:this discussion has been archived\. )?no new comments can be posted\.?"
    r"|this discussion has been archived\.?|the fine print: the following comments are owned by .*|this (?:site|blog) uses akismet.*|join the (?:discussion|conversation)…?|what do you think\??"
    r"|[↓↑↳⤷]?\s*(?:show|hide) (?:\d+ )?(?:more |previous )?(?:comments?|repl(?:y|ies))|load more(?: comments)?(?: \(\d+\))?"
    r"|view (?:more|all|\d+) (?:comments|replies|repl(?:y|ies))|see (?:more|all) (?:responses|comments)"
    r"|\d+ more (?:comments|repl(?:y|ies))(?:\.{3}|…)?|\d+ repl(?:y|ies) by .{1,80}|continue this thread.*|sort(?:ed)? by.*|most relevant|all comments|newest first|oldest first|(?:oldest|newest|best|top)"
    r"(?: (?:oldest|newest|best|top|recommendations|picks))*",
    # Post furniture: tags, categories, related posts, reading helpers.
    r"tags?:.*|tagged:?.*|categories:?.*|category:.*|labels?:.*|filed under:?.*|posted in .*"
    r"|related(?: posts| articles| stories| topics)?:?|related: [^.!?]{1,120}[.!?]?|story continues below(?: advertisement)?|you (?:may|might) also like.*|more from .*|read more.*"
    r"|recent (?:posts|comments)|popular posts.*|archives?|blogroll|meta|advertisement|sponsored|promoted"
    r"|explore more on these topics|topics|more on this story|most (?:read|viewed|popular)|similar threads"
    r"|if you have any questions, please contact us here\.?"
    # Image captions and their credits, appeals.
    r"|.{0,200}\b(?:photo(?:graph)?|image|illustration|picture)(?:\s+by|:|\s+credit:?|\s+courtesy of)\s.{1,80}"
    r"|.{0,160}\b(?:donate|subscribe|sign up)(?: today| now)?[.!]?|thanks for reading .{1,200}"
    r"|.{0,240}\s\([A-Z][\w.' -]{1,40}/[\w.' -]{1,40}\)\.?",
    # Footers and notices.
    r"(?:©|\(c\)|copyright) .*|.*all rights reserved\.?|(?:proudly )?powered by .*|privacy(?: policy)?.*|terms.*"
    r"|(?:this (?:site|website) uses|we use) cookies.*|cookie(?:s| settings| policy).*|accept(?: all)?(?: cookies)?"
    r"|reject(?: all)?|manage (?:cookies|preferences)|do not sell my (?:personal )?(?:data|information)"
    r"|subscribe to:? .*|blog at wordpress\.com\.?|create a free website.*|theme:? .*",
    # A line of punctuation only (a rule between parts of the page).
    r"[-–—_*=~·•.]+",
)

STYLE = Style(
    name="generic",
    label="Any page with comments (the shapes every site shares)",
    furniture=FURNITURE,
    comments_header=either(
        rf"(?:{_NUMBER_WORDS})\s+(?:thoughts?|comments?|responses?|replies|reactions?|repl(?:y|ies))"
        r"(?:\s+(?:on|to)\b.*|\s+[|·•]\s+(?:leave|add|post|write) a (?:comment|reply))?:?",
        r"(?:comments?|responses?|replies|discussion|reader comments|reactions|conversation)\s*(?:\(\d[\d,]*\))?:?",
        r"(?:comments?|responses?|replies)\s+\d[\d,]*",
    ),
    # "Jane says:", "Anonymous said...": a commenter's name opens a comment.
    # "Jane says:" (WordPress), "Anonymous said..." (Blogger); "dale said:" opens a quotation (forums).
    byline=patterns(
        r"(?P<author>\S.{0,60}?)\s(?:says:|said\s?(?:\.\.\.|…)|writes:)",
        # "by NAME ( 2218734 ) on DATE (#64237001) Homepage": a byline that ends with the comment's number
        # (Slashdot and its kin); the user's number and the links after it stand with the name.
        # "Posted by: NAME | March 03, 2009 at 10:02 PM" under the comment's text (Typepad, Movable Type).
        r"posted by:\s+(?P<author>[^|]{1,60}?)\s+\|\s+[^|]{4,60}",
        r"by (?P<author>[^()]{1,60}?)(?:\s*\(\s*\d+\s*\))?\s+on\s+.{4,60}?\s*\(#\d+\)(?:\s+(?:homepage|journal))*",
    ),
    byline_extra=either(
        r"(?:post )?author|top fan|from:\s+\S{1,40}|mod(?:erator)?|admin(?:istrator)?|staff|op|verified|(?:top |featured )?commenter"
        r"|featured|(?:editor's|staff|reader|\w+) pick|top comment|subscriber|premium|member|community moderator"
        r"|\(edited\)|edited|in reply to .{1,60}|liked by .{1,80}|your comment is awaiting moderation\.?.*"
        # A comment's subject with its moderation score, over its byline: "Re:Title (Score:4, Insightful)".
        r"|.{1,120}\(score:\s?-?\d+(?:,\s?[\w ]{1,20})?\)"
    ),
    reply_cue=patterns(
        # Ghost: "Replied to: <the start of the parent's text>…".
        r"replied to:\s*(?P<snippet>.{3,200}?)\s*(?:…|\.\.\.)?",
        r"(?:in reply to|replying to|reply to|replied to)\s+@?(?P<parent>[^:]{1,60}?)\.?",
        r".{1,80}?\s+(?:→|➔|↪|⤷)\s+@?(?P<parent>.{1,60}?)\s+(?:•|·).*",
        r".{1,60}?\s+replied to\s+@?(?P<parent>.{1,60})",
        r"level (?P<depth>\d{1,2})",
        r"[↩↪]\s?@?(?P<parent>\S{1,40})",
    ),
    quote_intro=patterns(
        r"(?:quote|quoting)\s*(?P<author>.{0,60}):",
        r"quote from:?\s+(?P<author>.{1,60}?)(?:\s+on\s+.{4,60})?",
        r"originally posted by\s+(?P<author>.{1,60})",
        r"(?P<author>\S.{0,60}?)\s+wrote:.*",
        r"on .{4,60}, (?P<author>.{1,60}) (?:said|wrote):",
    ),
    removed=either(
        r".{0,40}\b(?:comment|post|message|reply)\b.{0,40}\b(?:has been|was|been|is)\s+(?:\w+ )?(?:removed|deleted|hidden|disabled|withdrawn|flagged)\b.*",
        r"(?:comment|post|message) (?:deleted|removed|hidden)(?: by .*)?\.?|(?:removed|deleted) by (?:a )?(?:mod|moderator|admin)s?\.?|\[(?:deleted|removed|flagged)\]",
        r"\((?:deleted|removed|hidden|screened) (?:comment|post|reply)\)",
        r"this comment is no longer available\.?(?: .{0,120})?|\(post (?:deleted|withdrawn) by (?:author|the author)\)",
    ),
    post_meta=either(
        r"(?:posted|written|published|updated|last updated)\s+(?:by|on)\b.*|by\s+[^.!?]{1,80}"
        r"|(?:by\s+.{1,60}?\s*[|·•]\s*)?(?:published|updated|posted|submitted)\b.{0,100}|this entry was posted .*|about the author\b.*|.*\boriginally\s+(?:posted|published|appeared)\b.*|\d+\s*min(?:ute)?s? read.*"
        r"|.*[·•|]\s*\d+\s*min(?:ute)?s? read"
    ),
    spam=re.compile(
        r"\b(situs|slot\s*(gacor|online|\d+)|judi|togel|casino online|viagra|cialis|replica (?:watch|watches|handbags))\b",
        re.IGNORECASE,
    ),
    reference_line=re.compile(r"^(see|see also|cf\.?|via|source|h/t|read more|related)\s*:", re.IGNORECASE),
)
