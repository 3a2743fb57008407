"""What a reader does in the HTML guide, checked in a real browser: Debian's chromium, driven by
Playwright, against the built guide served on localhost (and opened from files for the search);
at 1400, 1000 and 390 pixels, light and dark; axe-core and the Nu HTML Checker on every page.

Most layout checks share one survey: every page is loaded once in each view, measured by one
script (SURVEY) and checked by axe-core; the tests below then judge what was measured. The survey
runs its views in two threads, each with its own Playwright and browser (the machine has two cores).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from harness import ROOT, Build, build_site, convert, make_project
from reading_guide.converter.corpus import read_corpus

READINGS = read_corpus(ROOT / "sources")
HOSTILE = ROOT / "tests" / "hostile"
CHECKERS = ROOT / "tests" / "browser" / "node_modules"
AXE = CHECKERS / "axe-core" / "axe.min.js"
VNU = CHECKERS / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WIDE, MEDIUM, PHONE = 1400, 1000, 390
VIEWS = [(width, scheme) for width in (WIDE, MEDIUM, PHONE) for scheme in ("light", "dark")]
VIEW_IDS = [f"{width}-{scheme}" for width, scheme in VIEWS]
WIDE_VIEWS = [view for view in VIEWS if view[0] >= MEDIUM]
PHONE_VIEWS = [view for view in VIEWS if view[0] == PHONE]
# axe-core at 1400 and 390 pixels: at 1000 the page has the same colours and parts as at 1400, less the
# Contents column (and axe is most of the survey's time).
AXE_VIEWS = [view for view in VIEWS if view[0] != MEDIUM]
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

# Nu HTML Checker warnings (never errors) that the theme or Sphinx writes, not the guide; each with its reason.
VNU_EXPECTED_WARNINGS = {
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


def reading_pages() -> list[str]:
    return [f"readings/{reading.slug}.html" for reading in READINGS]


@pytest.fixture(scope="session")
def site(guide: Build) -> Iterator[str]:
    """The built guide served on localhost (the clipboard needs http://)."""
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


def launch(driver: Playwright) -> Browser:
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: `make system-packages` installs it"
    # As root in a container, and with no network: no sandbox, no background connections.
    return driver.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = launch(playwright)
    yield browser
    browser.close()


def open_page(browser: Browser, url: str, width: int = WIDE, scheme: str = "light", **options: Any) -> Page:
    height = 844 if width == PHONE else 900
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme, **options)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def in_viewport(page: Page, selector: str) -> bool:
    return page.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight && r.height > 0; }",
    )


# -- The survey: every page in every view, measured once --------------------------------------

SURVEY = """() => {
  // Rendered, and not in a closed <details> or a hidden drawer (opacity 0 counts as shown).
  const shown = (e) => {
    if (!e || !e.checkVisibility({visibilityProperty: true})) return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const box = (e) => {
    const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY, width: r.width, height: r.height};
  };
  const sidebar = document.querySelector(".bd-sidebar-primary");
  const contents = document.querySelector(".bd-sidebar-secondary");
  const passages = [...document.querySelectorAll(".passage[data-citation]")].filter(shown).map((p) => {
    const number = p.querySelector(":scope > p > .passage-number");
    const menu = p.querySelector(".passage-menu-button");
    const controls = p.querySelector(".passage-controls");
    const targets = [...p.querySelectorAll("a[href], button")]
      .filter((e) => shown(e) && !e.closest(".cite-panel") && getComputedStyle(e.closest(".passage-controls") || e).opacity !== "0");
    return {
      id: p.id, box: box(p),
      number: shown(number) ? box(number) : null,
      menu: shown(menu) ? box(menu) : null,
      controls: shown(controls) ? box(controls) : null,
      buttons: controls ? [...controls.querySelectorAll("button")].filter(shown).map(box) : [],
      targets: targets.map((e) => e.className),
    };
  });
  const notes = [...document.querySelectorAll("aside.guide-note")].filter(shown).map((n) => {
    let next = n.nextElementSibling;
    while (next && next.matches("aside")) next = next.nextElementSibling;
    const style = getComputedStyle(n);
    return {box: box(n), passage: next ? box(next) : null, border: parseFloat(style.borderLeftWidth),
            background: style.backgroundColor, fontSize: parseFloat(style.fontSize)};
  });
  const debate = document.querySelector(".sd-tab-set.debate");
  const matrix = document.querySelector("table.debate-matrix");
  return {
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    width: window.innerWidth,
    searchEntries: [...document.querySelectorAll("input[type=search], .search-button-field, .search-button")]
      .filter(shown).map((e) => e.className || e.id),
    sidebarRight: shown(sidebar) ? box(sidebar).right : null,
    contents: shown(contents) ? box(contents) : null,
    passages, notes,
    matrix: shown(matrix) ? box(matrix) : null,
    debate: shown(debate) ? {box: box(debate),
      columns: [...debate.querySelectorAll(":scope > .sd-tab-content")].filter(shown).map(box)} : null,
  };
}"""

# After the theme's colour transitions have ended (on the first page of a dark view, axe measured
# the search button's text half-way from light to dark).
AXE_RUN = """async () => {
  await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
  return (await axe.run(document, {resultTypes: ["violations"]})).violations
    .map(v => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
}"""


def survey_view(base: str, names: list[str], view: tuple[int, str]) -> dict[str, dict[str, Any]]:
    """One view of every page: the survey's measurements, and axe-core's violations (every rule, any impact)
    in the AXE_VIEWS."""
    width, scheme = view
    found: dict[str, dict[str, Any]] = {}
    with sync_playwright() as driver:
        browser = launch(driver)
        context = browser.new_context(
            viewport={"width": width, "height": 844 if width == PHONE else 900}, color_scheme=scheme
        )
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        for name in names:
            page.goto(f"{base}/{name}")
            page.wait_for_load_state("load")
            found[name] = page.evaluate(SURVEY) | {"axe": page.evaluate(AXE_RUN) if view in AXE_VIEWS else None}
        browser.close()
    return found


@pytest.fixture(scope="session")
def survey(site: str, guide: Build) -> dict[tuple[int, str], dict[str, dict[str, Any]]]:
    """Every page in every view, measured; two threads, each with its own Playwright (its API is per thread)."""
    names = pages(guide)
    with ThreadPoolExecutor(max_workers=2) as pool:
        views = {view: pool.submit(survey_view, site, names, view) for view in VIEWS}
        return {view: job.result() for view, job in views.items()}


@pytest.mark.parametrize("view", VIEWS, ids=VIEW_IDS)
def test_no_page_scrolls_sideways(survey: dict, view: tuple[int, str]) -> None:
    """From a 390-pixel phone to a wide desktop, nothing on any page is wider than the window."""
    assert {name: s["overflow"] for name, s in survey[view].items() if s["overflow"] > 0} == {}


@pytest.mark.parametrize("view", AXE_VIEWS, ids=[f"{w}-{s}" for w, s in AXE_VIEWS])
def test_axe_finds_nothing(survey: dict, view: tuple[int, str]) -> None:
    """axe-core, every rule, on every page: not one violation of any impact."""
    assert {name: s["axe"] for name, s in survey[view].items() if s["axe"]} == {}


@pytest.mark.parametrize("view", VIEWS, ids=VIEW_IDS)
def test_one_search_box_a_page(survey: dict, view: tuple[int, str]) -> None:
    """Each page shows one way into the search (the search page: its own field alone)."""
    entries = {name: s["searchEntries"] for name, s in survey[view].items()}
    assert {name: found for name, found in entries.items() if len(found) != 1} == {}
    assert entries["search.html"] == ["guide-search-input"]


@pytest.mark.parametrize("view", WIDE_VIEWS, ids=[f"{w}-{s}" for w, s in WIDE_VIEWS])
def test_numbers_and_controls_stand_in_the_left_margin(survey: dict, view: tuple[int, str]) -> None:
    """On a wide screen every ¶ number, copy link and cite stand left of the text, clear of the navigation,
    each control on one line and big enough to hit."""
    problems = []
    assert sum(len(survey[view][name]["passages"]) for name in reading_pages()) > 100
    for name in reading_pages():
        facts = survey[view][name]
        left_edge = (facts["sidebarRight"] or 0) + 8
        for p in facts["passages"]:
            number, controls = p["number"], p["controls"]
            if number is None or controls is None or p["menu"] is not None:
                problems.append(f"{p['id']}: number {number}, controls {controls}, menu {p['menu']}")
                continue
            for what, place in (("number", number), ("controls", controls)):
                if place["right"] > p["box"]["left"] + 0.5 or place["left"] < left_edge:
                    problems.append(f"{p['id']}: {what} {place} beside the text from {p['box']['left']}")
            if len(p["buttons"]) != 2 or any(not 24 <= b["height"] < 32 for b in p["buttons"]):
                problems.append(f"{p['id']}: controls {p['buttons']} not two buttons of one line each")
            if abs(number["top"] - p["box"]["top"]) > 12:
                problems.append(f"{p['id']}: number at {number['top']}, passage at {p['box']['top']}")
    assert problems == []


@pytest.mark.parametrize("view", PHONE_VIEWS, ids=[f"{w}-{s}" for w, s in PHONE_VIEWS])
def test_phones_have_one_tap_target_per_passage(survey: dict, view: tuple[int, str]) -> None:
    """On a phone a passage offers one thing to tap, its ¶ number (at least 24 by 24 pixels), inside the text column."""
    problems = []
    for name in reading_pages():
        for p in survey[view][name]["passages"]:
            menu = p["menu"]
            if p["targets"] != ["passage-menu-button"] or menu is None:
                problems.append(f"{p['id']}: {p['targets']}")
            elif menu["width"] < 24 or menu["height"] < 24 or menu["left"] < p["box"]["left"] - 6:
                problems.append(f"{p['id']}: ¶ button {menu}")
    assert problems == []


@pytest.mark.parametrize("view", WIDE_VIEWS, ids=[f"{w}-{s}" for w, s in WIDE_VIEWS])
def test_margin_notes_stand_beside_their_passage_clear_of_the_contents(survey: dict, view: tuple[int, str]) -> None:
    """On a wide screen a margin note stands right of its passage's text, level with it or just below,
    inside the window and never over the page's Contents."""
    problems = []
    for name in reading_pages():
        facts = survey[view][name]
        for note in facts["notes"]:
            box, passage = note["box"], note["passage"]
            if box["left"] < passage["right"] or box["right"] > facts["width"]:
                problems.append(f"{name}: note {box} beside a passage ending at {passage['right']}")
            if facts["contents"] and box["right"] > facts["contents"]["left"]:
                problems.append(f"{name}: note {box} over the Contents from {facts['contents']['left']}")
            if box["top"] < passage["top"] - 2:
                problems.append(f"{name}: note {box} above its passage at {passage['top']}")
    assert sum(len(survey[view][name]["notes"]) for name in reading_pages()) > 20
    assert problems == []


@pytest.mark.parametrize("view", PHONE_VIEWS, ids=[f"{w}-{s}" for w, s in PHONE_VIEWS])
def test_margin_notes_are_small_links_on_a_phone(survey: dict, view: tuple[int, str]) -> None:
    """On a phone a margin note is a small line of links above its passage: no box, no border, no card."""
    problems = []
    for name in reading_pages():
        for note in survey[view][name]["notes"]:
            box, passage = note["box"], note["passage"]
            if note["border"] or note["background"] not in ("rgba(0, 0, 0, 0)", "transparent"):
                problems.append(f"{name}: note {box} is boxed")
            if note["fontSize"] > 13 or box["bottom"] > passage["top"] + 1:
                problems.append(f"{name}: note {box} ({note['fontSize']}px) above a passage at {passage['top']}")
    assert problems == []


@pytest.mark.parametrize("view", WIDE_VIEWS, ids=[f"{w}-{s}" for w, s in WIDE_VIEWS])
def test_debates_use_the_width_of_the_screen(survey: dict, view: tuple[int, str]) -> None:
    """A debate's positions reach across the page (no empty right third), side by side in columns wide enough
    to read (at 1000 pixels three positions stay tabs); so does the who-says-what matrix."""
    width = view[0]
    assert survey[view]["debates/index.html"]["matrix"]["right"] >= width - 80
    for name in [n for n in survey[view] if n.startswith("debates/") and n != "debates/index.html"]:
        debate = survey[view][name]["debate"]
        assert debate is not None and debate["box"]["right"] >= width - 80, (name, debate)
        columns = debate["columns"]
        assert len(columns) >= (2 if width == WIDE else 1), (name, columns)
        assert min(c["width"] for c in columns) >= 320, (name, columns)


# -- The page's Contents, while reading --------------------------------------------------------

CONTENTS_HIT = """() => {
  const links = [...document.querySelectorAll(".bd-sidebar-secondary nav.page-toc a")]
    .filter(a => { const r = a.getBoundingClientRect(); return r.height > 0 && r.bottom > 0 && r.top < innerHeight; });
  return links.map(a => { const r = a.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + r.height / 2);
    return hit !== null && a.contains(hit); });
}"""


@pytest.mark.parametrize("view", VIEWS, ids=VIEW_IDS)
def test_contents_stay_whole_while_reading(browser: Browser, site: str, view: tuple[int, str]) -> None:
    """Scrolled anywhere in a long reading, the page's Contents shows all its entries, nothing drawn over them
    (on narrower screens, in the panel its button opens)."""
    width, scheme = view
    page = open_page(browser, f"{site}/readings/we-need-both.html", width, scheme)
    # Where the theme folded the Contents away: with margin notes on the screen (and at the end).
    notes = page.eval_on_selector_all(
        "aside.guide-note", "notes => notes.map(n => n.getBoundingClientRect().top + scrollY)"
    )
    for top in [*notes[::4], page.evaluate("document.documentElement.scrollHeight")]:
        page.evaluate(f"window.scrollTo(0, {top} - 200)")
        page.wait_for_timeout(60)  # the theme's observers run after the scroll
        if width < 1200:
            page.locator(".bd-header-article .secondary-toggle").click()
            page.wait_for_timeout(60)
        hits = page.evaluate(CONTENTS_HIT)
        assert len(hits) >= 5 and all(hits), (top, hits)
        if width < 1200:
            page.keyboard.press("Escape")
    page.context.close()


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


def test_a_phone_copies_through_the_number(browser: Browser, site: str) -> None:
    """On a phone, tapping ¶ N opens copy link and cite; copy link copies the passage's address; a tap elsewhere closes."""
    url = f"{site}/readings/we-need-both.html"
    page = open_page(browser, url, PHONE, permissions=["clipboard-read", "clipboard-write"], has_touch=True)
    menu = page.locator("[id='we-need-both-16'] .passage-menu-button")
    controls = page.locator("[id='we-need-both-16'] .passage-controls")
    assert menu.inner_text() == "¶\u00a016" and not controls.is_visible()
    menu.tap()
    assert controls.is_visible() and menu.get_attribute("aria-expanded") == "true"
    controls.locator(".copy-link-button").tap()
    assert page.evaluate("navigator.clipboard.readText()") == f"{url}#we-need-both-16"
    page.locator("[id='we-need-both-20'] > p").tap()
    assert not controls.is_visible() and menu.get_attribute("aria-expanded") == "false"
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
    assert panel.locator(".cite-in-text .cite-text").inner_text() == expected["goal-not-step-13"]
    assert panel.locator(".cite-reference .cite-text").inner_text().startswith("“Harm Reduction Is the Goal")
    button.focus()
    page.keyboard.press("Enter")
    assert not panel.is_visible() and button.get_attribute("aria-expanded") == "false"
    page.context.close()


@pytest.mark.parametrize("view", VIEWS, ids=VIEW_IDS)
def test_escape_closes_the_cite_panel(browser: Browser, site: str, view: tuple[int, str]) -> None:
    """Escape closes the open cite panel and returns to its button; on a phone, Escape again closes the ¶ menu."""
    width, scheme = view
    page = open_page(browser, f"{site}/readings/harm-of-harm-reduction.html", width, scheme)
    passage = page.locator("[id='harm-of-harm-reduction-17']")
    menu, cite = passage.locator(".passage-menu-button"), passage.locator(".cite-button")
    panel = page.locator("[id='harm-of-harm-reduction-17-cite']")
    if width == PHONE:
        menu.click()
    else:
        passage.hover()
    cite.click()
    assert panel.is_visible()
    page.keyboard.press("Escape")
    assert not panel.is_visible() and cite.get_attribute("aria-expanded") == "false"
    assert cite.evaluate("e => e === document.activeElement")
    if width == PHONE:
        page.keyboard.press("Escape")
        assert not cite.is_visible() and menu.evaluate("e => e === document.activeElement")
    page.context.close()


# -- Debates --------------------------------------------------------------------------------


def visible_positions(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        ".sd-tab-set.debate > .sd-tab-content",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.previousElementSibling.dataset.syncId)",
    )


def test_tabs_switch_by_mouse_and_keyboard_on_a_phone(browser: Browser, site: str) -> None:
    """On a phone a debate's positions are tabs, switched by a tap or the arrow keys."""
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
    """On a wide screen a debate's positions stand side by side."""
    page = open_page(browser, f"{site}/debates/goal-or-step.html", width=MEDIUM)
    assert visible_positions(page) == ["harm-reduction", "recovery"]
    boxes = page.eval_on_selector_all(
        ".sd-tab-set.debate > .sd-tab-content", "els => els.map(e => e.getBoundingClientRect().toJSON())"
    )
    assert boxes[0]["top"] == boxes[1]["top"] and boxes[0]["right"] <= boxes[1]["left"]
    page.context.close()


def test_link_into_a_hidden_tab_opens_it(browser: Browser, site: str) -> None:
    """A link to a position in a tab that is not shown opens that tab."""
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
    """The position chosen on one debate is the one shown on the next."""
    page = open_page(browser, f"{site}/debates/goal-or-step.html", width=PHONE)
    page.evaluate("localStorage.clear()")
    page.reload()
    page.locator(".sd-tab-set.debate > label[data-sync-id='recovery']").click()
    page.goto(f"{site}/debates/twelve-step.html")
    assert visible_positions(page) == ["recovery"]
    page.context.close()


def test_print_shows_every_position_without_navigation(browser: Browser, site: str) -> None:
    """Printed, a debate shows every position and none of the navigation."""
    page = open_page(browser, f"{site}/debates/twelve-step.html", width=PHONE)
    page.emulate_media(media="print")
    assert visible_positions(page) == ["harm-reduction", "recovery"]
    for furniture in (".bd-sidebar-primary", ".prev-next-area", ".bd-header-article"):
        assert page.eval_on_selector_all(furniture, "els => els.every(e => e.offsetParent === null)")
    page.context.close()


# -- Search ---------------------------------------------------------------------------------


def comment_sentences() -> list[tuple[str, str, str]]:
    """For each reading with comments: its last comment passage's anchor and first sentence."""
    found = []
    for reading in READINGS:
        comments = [p for p in reading.passages if p.kind == "comment" and len(p.text.split()) > 5]
        if comments:
            found.append((reading.slug, reading.anchor(comments[-1].number), comments[-1].text.split(". ")[0]))
    return found


def search_results(page: Page) -> list[dict[str, str]]:
    page.wait_for_selector("#guide-search-results li", timeout=5000)
    return page.eval_on_selector_all(
        "#guide-search-results li",
        "items => items.map(li => ({href: li.querySelector('a').href, snippet: li.querySelector('p').textContent,"
        " marked: [...li.querySelectorAll('mark')].map(m => m.textContent).join(' ')}))",
    )


@pytest.mark.parametrize(("slug", "anchor", "sentence"), comment_sentences(), ids=[s for s, *_ in comment_sentences()])
def test_search_leads_to_the_passage(browser: Browser, site: str, slug: str, anchor: str, sentence: str) -> None:
    """Searching a sentence from a comment lists that passage first: a link to its ¶ and its text, the match marked."""
    page = open_page(browser, f"{site}/search.html?q={sentence}")
    first = search_results(page)[0]
    assert first["href"].endswith(f"/readings/{slug}.html#{anchor}"), (sentence, first)
    assert " ".join(sentence.split()) in " ".join(first["marked"].split())
    page.context.close()


def test_search_works_from_files_and_lands_on_the_passage(browser: Browser, guide: Build) -> None:
    """Opened from files (no server), the search finds a phrase typed with straight quotes and a hyphen in a
    passage that has curly quotes and a dash; its result opens the reading at that ¶, highlighted."""
    search = (guide.outdir / "search.html").as_uri()
    page = open_page(browser, search)
    page.fill("#guide-search-input", "\"Harm Reduction is the goal - not a step along the 'road to recovery'")
    results = search_results(page)
    assert results[0]["href"].endswith("/readings/goal-not-step.html#goal-not-step-5"), results[0]
    assert "“Harm Reduction is the goal – not a step along the ‘road to recovery’" in results[0]["marked"]
    assert "q=" in page.url  # the query is kept in the address
    page.locator("#guide-search-results li a").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("#goal-not-step-5") and in_viewport(page, "[id='goal-not-step-5']")
    page.context.close()


def test_search_finds_other_forms_of_the_words(browser: Browser, site: str) -> None:
    """Words apart or in other forms are found too: "workers relapsing" finds "workers … sometimes relapse"."""
    page = open_page(browser, f"{site}/search.html?q=workers relapsing")
    results = search_results(page)
    assert page.locator("#guide-search-words").is_visible() and not page.locator("#guide-search-phrase").count()
    assert results[0]["href"].endswith("/readings/we-need-both.html#we-need-both-7"), results
    assert results[0]["marked"] == "workers relapse"
    page.context.close()


def search_index(build: Build) -> dict[str, Any]:
    text = (build.outdir / "guide-search-index.js").read_text(encoding="utf-8")
    return json.loads(text.removeprefix("window.guideSearchIndex = ").removesuffix(";\n"))


def test_search_index_holds_every_passage_and_stays_small(guide: Build) -> None:
    """Every passage of passages.json is in the search index at its anchor, with its text; the index is the text
    it holds and little more (under 1.4 times its text, under 150 kB), and only the search page loads it."""
    index = search_index(guide)
    found = {
        (block[0], block[1].split(",")[0]): block[2] for _, _, page_blocks in index["pages"] for block in page_blocks
    }
    for reading in guide.passages()["readings"]:
        for passage in reading["passages"]:
            text = found[(passage["id"], f"¶\u00a0{passage['number']}")]
            assert " ".join(passage["text"].split()) == " ".join(text.split()), passage["id"]
    size = (guide.outdir / "guide-search-index.js").stat().st_size
    text = sum(len(block[2].encode()) for _, _, page_blocks in index["pages"] for block in page_blocks)
    assert size < 1.4 * text and size < 150_000, (size, text)
    loaded_by = [name for name in pages(guide) if "guide-search-index.js" in (guide.outdir / name).read_text("utf-8")]
    assert loaded_by == ["search.html"]


def test_search_index_follows_incremental_builds(tmp_path: Path) -> None:
    """A rebuild after one source changed keeps every other page in the index and has the changed text."""
    sources = tmp_path / "sources"
    shutil.copytree(HOSTILE, sources)
    docs = make_project(tmp_path, sources, whole_guide=False)
    first = build_site(docs, tmp_path / "html")
    assert first.warnings == ""
    before = search_index(first)
    edited = read_corpus(sources)[0]
    source = sources / edited.source
    source.write_text(source.read_text(encoding="utf-8") + "\n\nA sentence added for the index.\n", encoding="utf-8")
    assert convert(["--sources", str(sources), "--output", str(docs / "readings")]) == 0
    again = build_site(docs, tmp_path / "html", freshenv=False)
    assert again.warnings == "" and again.reread == [f"readings/{edited.slug}"]
    after = search_index(again)
    assert after["docnames"] == before["docnames"]
    page = next(page for page in after["pages"] if page[0] == f"readings/{edited.slug}.html")
    assert page[2][-1][2] == "A sentence added for the index."
    # The other readings were not written again: their entries are the previous build's.
    others = [page for page in before["pages"] if page[0].startswith("readings/") and edited.slug not in page[0]]
    others = [page for page in others if not page[0].endswith("/index.html")]
    assert len(others) >= 2 and all(page in after["pages"] for page in others)


# -- Every page: valid HTML, a head that describes it ----------------------------------------


def test_every_page_is_valid_html(guide: Build) -> None:
    """The Nu HTML Checker finds no error, and no warning but those listed with their reasons."""
    files = [str(guide.outdir / name) for name in pages(guide)]
    # vnu exits 1 when it reports any error: judge its messages instead.
    command = ["java", "-jar", str(VNU), "--format", "json", *files]
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{m['url'].rsplit('/html/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == []
    warnings = [m for m in messages if m.get("subType") == "warning"]
    assert [m["message"] for m in warnings if not m["message"].startswith(tuple(VNU_EXPECTED_WARNINGS))] == []
    assert messages, "the checker reported nothing at all: did it run?"


def test_each_page_has_one_viewport_and_its_own_description(guide: Build) -> None:
    """One viewport tag a page; the description (meta and Open Graph alike) summarises the page,
    never starting with a content note or the page's title."""
    for name in pages(guide):
        head = guide.soup(name).head
        assert len(head.find_all("meta", attrs={"name": "viewport"})) == 1, name
        if name == "search.html":
            continue
        description = head.find("meta", attrs={"name": "description"})["content"]
        assert head.find("meta", property="og:description")["content"] == description, name
        assert len(head.find_all("meta", attrs={"name": "description"})) == 1, name
        assert 40 <= len(description) <= 200 and not description.startswith("Content note:"), (name, description)


def test_a_reading_is_described_by_its_first_sentences(guide: Build) -> None:
    """A reading's description is the first whole sentences of its post's paragraphs; its title, the reading's."""
    for reading in READINGS:
        head = guide.soup(f"readings/{reading.slug}.html").head
        assert head.find("meta", property="og:title")["content"] == reading.title
        opening = " ".join(" ".join(p.text for p in reading.passages if p.kind == "paragraph").split())
        description = head.find("meta", attrs={"name": "description"})["content"]
        assert opening.startswith(" ".join(description.removesuffix(" …").split())), (reading.slug, description)
        assert description.endswith((".", "?", "!", "…", "”", '"')), (reading.slug, description)
        assert " ".join(head.title.get_text().split()).startswith(" ".join(reading.title.split()))


def test_a_debate_is_described_by_its_question(guide: Build) -> None:
    """A debate's description is the question its editors set in its front matter."""
    for page in sorted((ROOT / "docs" / "debates").glob("*.md")):
        front = page.read_text(encoding="utf-8").split("---")[1]
        wanted = re.search(r'og:description: "(.*)"', front)
        if wanted:
            head = guide.soup(f"debates/{page.stem}.html").head
            assert head.find("meta", attrs={"name": "description"})["content"] == wanted.group(1)
            assert "?" in wanted.group(1)


# -- Live preview for editors ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_make_serve_rebuilds_and_reloads(browser: Browser, tmp_path: Path) -> None:
    """`make serve` converts and rebuilds when a source changes, and the open page reloads with the new text."""
    sources = tmp_path / "sources"
    shutil.copytree(HOSTILE, sources)
    docs = make_project(tmp_path, sources, whole_guide=False)
    reading = read_corpus(sources)[0]
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    variables = [f"PORT={port}", f"SOURCES={sources}", f"DOCS={docs}", f"SERVEDIR={tmp_path / 'html'}", "JOBS=1"]
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", *variables],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, ended as one below
    )
    try:
        url = f"http://127.0.0.1:{port}/readings/{reading.slug}.html"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        page = open_page(browser, url)
        assert "An edit seen at once." not in page.content()
        source = sources / reading.source
        source.write_text(source.read_text(encoding="utf-8") + "\n\nAn edit seen at once.\n", encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('An edit seen at once.')", timeout=60_000)
        page.context.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        log.close()
