"""What reference managers read, and the guide's public address.

``guide_public_url`` (conf.py; ``GUIDE_SITE_URL`` at build time) is where the guide is published:
when set, it becomes ``html_baseurl`` and ``ogp_site_url`` (so ``og:url`` and the canonical link are
absolute), and the meta tags, exports and citations give absolute links. When it is not set the
cite panel makes the address absolute from where the page is opened (``guide.js``).

Each reading page's head carries Highwire Press ``citation_*`` meta tags (title, authors, date,
the page's address, the blog) and a schema.org ``BlogPosting`` in JSON-LD with its ``Comment``s
(each with its author and date where a byline gives them), part of the guide as a ``Collection``;
each debate page carries its own (an ``Article`` of the guide that cites the readings it quotes),
the home page the collection. Every fact is the processor's item, made from refs.bib and the sidecars.

Reading pages also carry the cite panel's data in their head (``<script id="guide-cite-data">``): the styles,
each item's reference in every style, and its BibTeX, RIS and CSL-JSON.
"""

from __future__ import annotations

import html
import json
import posixpath
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

from reading_guide.extension.bibliography import item_bibtex
from reading_guide.extension.csl import citations, reading_item
from reading_guide.extension.data import guide_data, ordered_readings
from reading_guide.extension.exports import FORMATS, export_path, reading_items
from reading_guide.schema import comment_anchor, thread_number


def public_url(config: Config) -> str:
    """The guide's public address, ending in "/", or ""."""
    url = str(config.guide_public_url or "").strip()
    return url if not url or url.endswith("/") else url + "/"


def public_link(config: Config, uri: str) -> str:
    """A page's address: absolute when the public address is set, else as given (relative to the top)."""
    base = public_url(config)
    return base + uri if base else uri


def use_public_url(app: Sphinx, config: Config) -> None:
    """One setting for every absolute link: the canonical link and og:url follow guide_public_url."""
    base = public_url(config)
    if base:
        config.html_baseurl = base
        config.ogp_site_url = base


def _iso(item: dict[str, Any]) -> str:
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    return "-".join(f"{int(n):02d}" for n in parts[0]) if parts[0] else ""


def _names(item: dict[str, Any]) -> list[str]:
    names = []
    for name in item.get("author", []):
        if "literal" in name:
            names.append(str(name["literal"]))
        else:
            names.append(", ".join(part for part in (name.get("family"), name.get("given")) if part))
    return names


def _unmarked(text: str) -> str:
    return html.unescape(text.replace('<span class="nocase">', "").replace("</span>", ""))


def _agent(name: dict[str, Any], comment: bool) -> dict[str, str]:
    """A refs.bib author with a given name is a person, one without (a braced name) an organisation;
    a commenter is a person, named as the byline writes it."""
    if "literal" in name:
        return {"@type": "Person", "name": str(name["literal"])}
    if name.get("given") or comment:
        return {"@type": "Person", "name": f"{name.get('given', '')} {name.get('family', '')}".strip()}
    return {"@type": "Organization", "name": str(name.get("family", ""))}


def _creative_work(item: dict[str, Any], kind: str) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": kind}
    if item.get("title"):
        work["headline" if kind != "Comment" else "name"] = _unmarked(item["title"])
    authors = [_agent(name, kind == "Comment") for name in item.get("author", [])]
    if authors:
        work["author"] = authors if len(authors) > 1 else authors[0]
    if _iso(item):
        work["datePublished"] = _iso(item)
    elif (item.get("issued") or {}).get("literal"):
        work["dateCreated"] = item["issued"]["literal"]  # as the byline writes it
    if item.get("URL") and kind != "Comment":
        work["url"] = item["URL"]
    if item.get("container-title") and kind != "Comment":
        work["isPartOf"] = {"@type": "Blog", "name": _unmarked(item["container-title"])}
    return work


def _own_link(app: Sphinx, page: str) -> str:
    """A page's address in its own metadata: absolute with a public address, else relative to the page itself."""
    return public_link(app.config, page) if public_url(app.config) else posixpath.basename(page)


def _collection(app: Sphinx, page: str) -> dict[str, Any]:
    """The guide, as the collection its pages belong to."""
    guide: dict[str, Any] = {"@type": "Collection", "name": app.config.project}
    guide["editor"] = {"@type": "Organization", "name": app.config.author}
    home = app.builder.get_target_uri(app.config.root_doc)
    guide["url"] = (
        public_link(app.config, home)
        if public_url(app.config)
        else posixpath.relpath(home, posixpath.dirname(page) or ".")
    )
    return guide


def _meta(name: str, content: str) -> str:
    return f'<meta name="{name}" content="{html.escape(content, quote=True)}" />\n'


def _json_script(data: Any, **attributes: str) -> str:
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    extra = "".join(f' {key}="{value}"' for key, value in attributes.items())
    return f"<script{extra}>{text}</script>\n"


def reading_head(app: Sphinx, docname: str) -> tuple[str, str]:
    """A reading page's meta tags and JSON-LD, and its cite panel's data."""
    env = app.env
    found = citations(env)
    reading = guide_data(env).readings[docname]
    page = app.builder.get_target_uri(docname)
    link = _own_link(app, page)
    item = found.csl_json(reading_item(reading))
    tags = [_meta("citation_title", _unmarked(item.get("title", reading.short_title)))]
    tags += [_meta("citation_author", name) for name in _names(item)]
    if _iso(item):
        tags.append(_meta("citation_publication_date", _iso(item).replace("-", "/")))
    if item.get("container-title"):
        tags.append(_meta("citation_publisher", _unmarked(item["container-title"])))
    if public_url(app.config):  # a relative address would mean nothing to a reference manager
        tags.append(_meta("citation_public_url", link))
    posting = _creative_work(item, "BlogPosting")
    posting["@context"] = "https://schema.org"
    posting["mainEntityOfPage"] = {"@type": "WebPage", "@id": link, "isPartOf": _collection(app, page)}
    comments: list[dict[str, Any]] = []
    for passage in guide_data(env).passages.get(docname, []):
        if (
            passage.thread
            and passage.kind in ("comment", "byline")
            and not any(c["@id"].endswith(comment_anchor(reading.slug, passage.thread)) for c in comments)
        ):
            anchor = comment_anchor(reading.slug, passage.thread)
            comment: dict[str, Any] = {"@type": "Comment", "@id": f"{link}#{anchor}"}
            comment["name"] = f"Comment {thread_number(passage.thread)}"
            if anchor in found.items:
                comment |= {k: v for k, v in _creative_work(found.csl_json(anchor), "Comment").items() if k != "name"}
            comments.append(comment)
    if comments:
        posting["comment"] = comments
        posting["commentCount"] = len(comments)
    head = "".join(tags) + _json_script(posting, type="application/ld+json")
    items = reading_items(env, docname)
    data = {
        "styles": found.styles,
        "base": public_url(app.config),
        "page": page,
        "reading": reading_item(reading),
        "in_text": {style: found.citation(reading_item(reading), None, style).html for style, _ in found.styles},
        "exports": {
            name: posixpath.relpath(export_path("readings", reading.slug, suffix), posixpath.dirname(page) or ".")
            for name, _, suffix in FORMATS
        },
        "items": {
            item_id: {
                "references": {style: found.reference(item_id, style).html for style, _ in found.styles},
                "bibtex": item_bibtex(env, item_id),
                "ris": found.ris(item_id),
                "csl-json": json.dumps(found.csl_json(item_id), ensure_ascii=False, indent=1),
            }
            for item_id in items
        },
    }
    return head, _json_script(data, type="application/json", id="guide-cite-data")


def debate_head(app: Sphinx, docname: str, title: str) -> str:
    """A debate page's meta tags and JSON-LD: an article of the guide citing the readings it quotes."""
    env = app.env
    found = citations(env)
    page = app.builder.get_target_uri(docname)
    link = _own_link(app, page)
    tags = [_meta("citation_title", title), _meta("citation_author", app.config.author)]
    if public_url(app.config):
        tags.append(_meta("citation_public_url", link))
    quoted = {q.anchor.rsplit("-", 1)[0] for q in guide_data(env).quotations.get(docname, [])}
    cited = [
        _creative_work(found.csl_json(reading_item(reading)), "BlogPosting")
        for _, reading in ordered_readings(env)
        if reading.slug in quoted and reading_item(reading) in found.items
    ]
    article: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": title,
        "author": {"@type": "Organization", "name": app.config.author},
        "isPartOf": _collection(app, page),
        "mainEntityOfPage": {"@type": "WebPage", "@id": link},
    }
    if cited:
        article["citation"] = cited
    return "".join(tags) + _json_script(article, type="application/ld+json")


def home_head(app: Sphinx) -> str:
    """The home page: the guide as a collection of the readings."""
    env = app.env
    found = citations(env)
    guide = _collection(app, app.builder.get_target_uri(app.config.root_doc)) | {"@context": "https://schema.org"}
    guide["hasPart"] = [
        _creative_work(found.csl_json(reading_item(reading)), "BlogPosting")
        for _, reading in ordered_readings(env)
        if reading_item(reading) in found.items
    ]
    return _json_script(guide, type="application/ld+json")


def add_metadata(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.builder.name == "epub" or doctree is None:
        return
    if pagename in guide_data(app.env).readings:
        head, data = reading_head(app, pagename)
        # The panel's data in the head too: the article holds nothing but the guide's text.
        context["metatags"] = context.get("metatags", "") + head + data
    elif pagename.startswith("debates/") and pagename != "debates/index":
        title = html.unescape(str(context.get("title", pagename)))
        context["metatags"] = context.get("metatags", "") + debate_head(app, pagename, title)
    elif pagename == app.config.root_doc:
        context["metatags"] = context.get("metatags", "") + home_head(app)


def setup(app: Sphinx) -> None:
    app.add_config_value("guide_public_url", "", "html", types=[str])
    app.connect("config-inited", use_public_url)
    app.connect("html-page-context", add_metadata)
