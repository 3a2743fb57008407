"""What a reader does in the HTML guide, checked in a real browser: Debian's chromium, driven by
Playwright, against the built guide served on localhost; axe-core and the Nu HTML Checker on every page."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from harness import ROOT, Build
from reading_guide.converter.corpus import read_corpus

READINGS = read_corpus(ROOT / "sources")
CHECKERS = ROOT / "tests" / "browser" / "node_modules"
AXE = CHECKERS / "axe-core" / "axe.min.js"
VNU = CHECKERS / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE, DESKTOP = 360, 1280

# Nu HTML Checker messages that the theme or Sphinx writes, not the guide; each with its reason.
VNU_EXPECTED = {
    # sphinx-design puts aria-controls on the tab <label>, which is tied to its radio <input>.
    "The “aria-controls” attribute must not be used on any “label” element": "sphinx-design's tab labels",
    # pydata-sphinx-theme's page template writes <main role="main">.
    "The “main” role is unnecessary for element “main”": "pydata-sphinx-theme's page template",
    # Sphinx nests each page's h1 in a <section> inside the theme's <article>.
    "Consider using the “h1” element as a top-level heading only": "Sphinx's sections inside the theme's article",
    "Article lacks heading": "the theme's <article> holds the page's sections, whose headings vnu does not count",
}


def pages(build: Build) -> list[str]:
    """Every HTML page of the guide (not the theme's template fragments in _static)."""
    return sorted(
        str(p.relative_to(build.outdir))
        for p in build.outdir.rglob("*.html")
        if not p.relative_to(build.outdir).parts[0].startswith("_")
    )


@pytest.fixture(scope="session")
def site(guide: Build) -> Iterator[str]:
    """The built guide served on localhost (the clipboard and Sphinx's search need http://)."""
    handler = functools.partial(QuietHandler, directory=str(guide.outdir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: `make system-packages` installs it"
    # As root in a container, and with no network: no sandbox, no background connections.
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    )
    yield browser
    browser.close()


def open_page(browser: Browser, url: str, width: int = DESKTOP, **options: object) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 800}, **options)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def in_viewport(page: Page, selector: str) -> bool:
    return page.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight && r.height > 0; }",
    )


# -- Reading and citing ---------------------------------------------------------------------


@pytest.mark.parametrize("anchor", ["goal-not-step-15", "harm-of-harm-reduction-c2-1", "we-need-both-19"])
def test_anchor_link_shows_the_passage_highlighted(browser: Browser, site: str, anchor: str) -> None:
    """readings/<page>.html#<anchor> scrolls the passage (or comment, or heading) into view, highlighted."""
    slug = anchor.split("-c")[0] if "-c" in anchor else anchor.rsplit("-", 1)[0]
    page = open_page(browser, f"{site}/readings/{slug}.html#{anchor}")
    target = f"[id='{anchor}']"
    assert in_viewport(page, target)
    highlighted = page.eval_on_selector(
        target,
        "e => { const box = e.matches('section') ? e.querySelector('h1, h2') : e;"
        " return getComputedStyle(box).backgroundColor; }",
    )
    assert highlighted not in ("rgba(0, 0, 0, 0)", "transparent")
    # Another passage of the page is not highlighted.
    assert page.eval_on_selector(".passage:not(:target)", "e => getComputedStyle(e).backgroundColor") in (
        "rgba(0, 0, 0, 0)",
        "transparent",
    )
    page.context.close()


def test_copy_link_by_mouse_and_keyboard(browser: Browser, site: str) -> None:
    """Hover shows "copy link"; it puts the passage's full address on the clipboard. So does the keyboard."""
    url = f"{site}/readings/we-need-both.html"
    page = open_page(browser, url, permissions=["clipboard-read", "clipboard-write"])
    passage = page.locator("[id='we-need-both-16']")
    copy = passage.locator(".copy-link-button")
    assert copy.evaluate("e => getComputedStyle(e.parentElement).opacity") == "0"
    passage.hover()
    assert copy.evaluate("e => getComputedStyle(e.parentElement).opacity") == "1"
    copy.click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{url}#we-need-both-16"
    page.evaluate("navigator.clipboard.writeText('')")
    # Keyboard: Tab from the ¶ number reaches "copy link", which shows itself and copies on Enter.
    page.mouse.move(0, 0)
    page.locator("[id='we-need-both-23'] .passage-number").focus()
    page.keyboard.press("Tab")
    focused = page.locator("[id='we-need-both-23'] .copy-link-button")
    assert focused.evaluate("e => e === document.activeElement")
    assert focused.evaluate("e => getComputedStyle(e.parentElement).opacity") == "1"
    assert focused.evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"  # visible focus
    page.keyboard.press("Enter")
    assert page.evaluate("navigator.clipboard.readText()") == f"{url}#we-need-both-23"
    page.context.close()


def test_cite_this_shows_the_citation(browser: Browser, site: str, guide: Build) -> None:
    """ "cite" opens a panel with the passage's citation (as in passages.json); Enter toggles it too."""
    expected = {p["id"]: p["citation"] for r in guide.passages()["readings"] for p in r["passages"]}
    page = open_page(browser, f"{site}/readings/goal-not-step.html")
    button = page.locator("[id='goal-not-step-13'] .cite-button")
    panel = page.locator("[id='goal-not-step-13-cite']")
    assert not panel.is_visible()
    page.locator("[id='goal-not-step-13']").hover()
    button.click()
    assert panel.is_visible() and button.get_attribute("aria-expanded") == "true"
    assert panel.locator(".cite-citation").inner_text() == expected["goal-not-step-13"]
    assert "@misc{" in panel.locator(".cite-bibtex").inner_text()
    button.focus()
    page.keyboard.press("Enter")
    assert not panel.is_visible() and button.get_attribute("aria-expanded") == "false"
    page.context.close()


# -- Debates --------------------------------------------------------------------------------


def visible_positions(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        ".sd-tab-set.debate > .sd-tab-content",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.previousElementSibling.dataset.syncId)",
    )


def test_tabs_switch_by_mouse_and_keyboard_on_a_phone(browser: Browser, site: str) -> None:
    page = open_page(browser, f"{site}/debates/goal-or-step.html", width=PHONE)
    page.evaluate("localStorage.clear()")
    page.reload()
    assert visible_positions(page) == ["harm-reduction"]
    page.locator(".sd-tab-set.debate > label[data-sync-id='recovery']").click()
    assert visible_positions(page) == ["recovery"]
    # Keyboard: the tabs are a radio group; the arrow keys move between positions.
    page.locator(".sd-tab-set.debate > input:checked").focus()
    page.keyboard.press("ArrowLeft")
    assert visible_positions(page) == ["harm-reduction"]
    page.context.close()


def test_positions_are_columns_on_a_desktop(browser: Browser, site: str) -> None:
    page = open_page(browser, f"{site}/debates/goal-or-step.html", width=DESKTOP)
    assert visible_positions(page) == ["harm-reduction", "recovery"]
    boxes = page.eval_on_selector_all(
        ".sd-tab-set.debate > .sd-tab-content", "els => els.map(e => e.getBoundingClientRect().toJSON())"
    )
    assert boxes[0]["top"] == boxes[1]["top"] and boxes[0]["right"] <= boxes[1]["left"]
    page.context.close()


def test_link_into_a_hidden_tab_opens_it(browser: Browser, site: str) -> None:
    page = open_page(browser, f"{site}/debates/goal-or-step.html", width=PHONE)
    page.evaluate("localStorage.clear()")
    page.goto(f"{site}/debates/index.html")
    page.goto(f"{site}/debates/goal-or-step.html#goal-or-step-recovery")
    assert visible_positions(page) == ["recovery"]
    assert page.locator("[id='goal-or-step-recovery']").is_visible()
    page.context.close()


def test_link_to_a_quotation_in_a_hidden_tab_opens_its_tab(browser: Browser, site: str) -> None:
    """A link to one quotation of the position that is not shown opens that position, the quotation in view."""
    page = open_page(browser, f"{site}/debates/goal-or-step.html", width=PHONE)
    page.evaluate("localStorage.clear()")
    page.goto(f"{site}/debates/index.html")
    quote = "quote-debates-goal-or-step-we-need-both-32"
    page.goto(f"{site}/debates/goal-or-step.html#{quote}")
    assert visible_positions(page) == ["recovery"]
    assert page.locator(f"[id='{quote}']").is_visible()
    assert page.locator(f"[id='{quote}']").evaluate("e => e.getBoundingClientRect().top < window.innerHeight")
    page.context.close()


def test_chosen_lens_carries_to_the_next_page(browser: Browser, site: str) -> None:
    page = open_page(browser, f"{site}/debates/goal-or-step.html", width=PHONE)
    page.evaluate("localStorage.clear()")
    page.reload()
    page.locator(".sd-tab-set.debate > label[data-sync-id='recovery']").click()
    page.goto(f"{site}/debates/twelve-step.html")
    assert visible_positions(page) == ["recovery"]
    page.context.close()


def test_print_shows_every_position_without_navigation(browser: Browser, site: str) -> None:
    page = open_page(browser, f"{site}/debates/twelve-step.html", width=PHONE)
    page.emulate_media(media="print")
    assert visible_positions(page) == ["harm-reduction", "recovery"]
    for furniture in (".bd-header", ".bd-sidebar-primary", ".prev-next-area"):
        assert page.eval_on_selector_all(furniture, "els => els.every(e => e.offsetParent === null)")
    page.context.close()


# -- Every page -----------------------------------------------------------------------------


def test_no_page_scrolls_sideways(browser: Browser, site: str, guide: Build) -> None:
    """From a 360-pixel phone to a wide desktop, nothing is wider than the window."""
    for width in (PHONE, DESKTOP):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for name in pages(guide):
            page.goto(f"{site}/{name}")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        context.close()


def test_margin_notes_leave_passages_the_whole_column_on_a_phone(browser: Browser, site: str) -> None:
    """On a phone a margin note stands above its passage, so no passage is squeezed beside it."""
    page = open_page(browser, f"{site}/readings/we-need-both.html", width=PHONE)
    layout = page.eval_on_selector_all(
        "article aside.margin + .passage",
        """passages => passages.map(p => {
            const note = p.previousElementSibling.getBoundingClientRect(), text = p.getBoundingClientRect();
            return [p.id, note.bottom <= text.top + 1];
        })""",
    )
    assert len(layout) >= 5
    assert [anchor for anchor, above in layout if not above] == []
    page.context.close()


def comment_sentences() -> list[tuple[str, str]]:
    """For each reading with comments, the first sentence of its last comment passage."""
    found = []
    for reading in READINGS:
        comments = [p for p in reading.passages if p.kind == "comment" and len(p.text.split()) > 5]
        if comments:
            found.append((reading.slug, comments[-1].text.split(". ")[0]))
    return found


@pytest.mark.parametrize(("slug", "sentence"), comment_sentences(), ids=[s for s, _ in comment_sentences()])
def test_search_finds_a_sentence_from_a_comment(browser: Browser, site: str, slug: str, sentence: str) -> None:
    page = open_page(browser, f"{site}/search.html?q={sentence}")
    page.wait_for_selector("#search-results ul.search li", timeout=15000)
    results = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    assert any(f"/readings/{slug}.html" in href for href in results), (sentence, results)
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious(browser: Browser, site: str, guide: Build, scheme: str) -> None:
    """axe-core's WCAG 2.1 A and AA rules, on every page, light and dark: no serious or critical violation."""
    context = browser.new_context(viewport={"width": DESKTOP, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    found = []
    for name in pages(guide):
        page.goto(f"{site}/{name}")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            """async () => (await axe.run(document, {runOnly: {type: 'tag',
                   values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations
               .filter(v => v.impact === 'serious' || v.impact === 'critical')
               .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"""
        )
        found += [f"{name}: {v}" for v in violations]
    context.close()
    assert found == []


def test_every_page_is_valid_html(guide: Build) -> None:
    """The Nu HTML Checker finds no error or warning but those listed in VNU_EXPECTED, with their reasons."""
    files = [str(guide.outdir / name) for name in pages(guide)]
    # vnu exits 1 when it reports any error, expected ones included: judge its messages instead.
    command = ["java", "-jar", str(VNU), "--format", "json", *files]
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    messages = json.loads(result.stderr)["messages"]
    problems = [m for m in messages if m["type"] == "error" or m.get("subType") == "warning"]
    unexpected = [
        f"{m['url'].rsplit('/html/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in problems
        if not any(m["message"].startswith(known) for known in VNU_EXPECTED)
    ]
    assert unexpected == []
    assert problems, "the checker reported nothing at all: did it run?"


def test_shared_links_preview_the_reading(guide: Build) -> None:
    """Open Graph: a reading's title, and its opening words rather than the guide's notes."""
    for reading in READINGS:
        head = guide.soup(f"readings/{reading.slug}.html").head
        assert head.find("meta", property="og:title")["content"] == reading.title
        opening = next(p for p in reading.passages if p.kind in ("paragraph", "quote", "list-item", "comment"))
        description = head.find("meta", property="og:description")["content"].removesuffix(" …")
        assert " ".join(opening.text.split()).startswith(description)
        assert " ".join(head.title.get_text().split()).startswith(" ".join(reading.title.split()))
