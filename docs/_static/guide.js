// The reading controls of each passage. On a wide screen "copy link" and "cite" stand under the
// passage's ¶ number in the left margin, shown on hover or keyboard focus; on a phone the ¶ number
// is one button that opens them (guide.css decides which). "copy link" puts the passage's full
// address on the clipboard; "cite" opens a panel under the passage, whose content comes from
// guideCiteContent, and "cite this reading" one for the whole reading. Escape closes what was opened
// last and returns to its button; a tap elsewhere closes a phone's menu. Nothing is fetched: the
// citations are the build's own (the CSL processor's), on the passage and in the page's cite data.
"use strict";

// The page's cite data (a reading page's <script id="guide-cite-data">, written by the build): the styles,
// the guide's public address (or ""), the page, and each cited item's references and exports.
let guideCiteDataCache;
function guideCiteData() {
  if (guideCiteDataCache === undefined) {
    const script = document.getElementById("guide-cite-data");
    guideCiteDataCache = script ? JSON.parse(script.textContent) : null;
  }
  return guideCiteDataCache;
}

// A link that is never relative: the public address when the build had one, else where the page is opened.
function guidePageLink(fragment) {
  const data = guideCiteData();
  const page = data && data.base ? new URL(data.page, data.base) : new URL(window.location.href);
  page.hash = fragment ? fragment : "";
  return page.href;
}

function guidePassageLink(passage) {
  return guidePageLink(passage.id);
}

function guideCopy(button, text, html) {
  const done = (message) => {
    button.textContent = message;
    setTimeout(() => { button.textContent = button.dataset.label; }, 2000);
  };
  // A reference keeps its italics where the clipboard takes HTML (a word processor); plain text otherwise.
  const copied = html && window.ClipboardItem
    ? navigator.clipboard.write([new ClipboardItem({
      "text/plain": new Blob([text], {type: "text/plain"}),
      "text/html": new Blob([html], {type: "text/html"}),
    })])
    : navigator.clipboard.writeText(text);
  copied.then(() => done("copied"), () => done("copy failed"));
}

function guideButton(className, label, title) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = className;
  button.textContent = button.dataset.label = label;
  if (title) button.title = title;
  return button;
}

// The processor's HTML (italics and all) as nodes, and as the plain text it reads as.
function guideParse(html) {
  return new DOMParser().parseFromString(html, "text/html").body;
}

const GUIDE_STYLE_KEY = "guide-citation-style";

function guideStyle(data) {
  let chosen = null;
  try { chosen = localStorage.getItem(GUIDE_STYLE_KEY); } catch (error) { /* storage may be off */ }
  return data.styles.some(([key]) => key === chosen) ? chosen : data.styles[0][0];
}

// One line of the panel: its label, the text, a Copy button.
function guideCiteLine(className, label, copyLabel) {
  const line = document.createElement("p");
  line.className = "cite-line " + className;
  const name = document.createElement("span");
  name.className = "cite-label";
  name.textContent = label;
  const text = document.createElement("span");
  text.className = "cite-text";
  const copy = guideButton("cite-copy", copyLabel);
  line.append(name, " ", text, " ", copy);
  return {line, text, copy};
}

// What the "cite" panel shows for a passage (or, with no passage, for the reading): the styles to choose
// from, the in-text citation (with the passage's ¶ as its paragraph), the reference of the item cited
// (the reading, or the comment whose byline names its author), the link, and the item's BibTeX, RIS
// and CSL-JSON to copy or download. Every citation is the processor's, from the build.
function guideCiteContent(passage, idPrefix) {
  const data = guideCiteData();
  const cite = passage ? JSON.parse(passage.dataset.cite) : {item: data.reading, in_text: data.in_text};
  const item = data.items[cite.item];
  const link = passage ? guidePassageLink(passage) : guidePageLink("");

  const styles = document.createElement("fieldset");
  styles.className = "cite-styles";
  const legend = document.createElement("legend");
  legend.textContent = "Style";
  styles.append(legend);
  for (const [key, label] of data.styles) {
    const choice = document.createElement("label");
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = idPrefix + "-style";
    radio.value = key;
    radio.addEventListener("change", () => {
      try { localStorage.setItem(GUIDE_STYLE_KEY, key); } catch (error) { /* not remembered */ }
      document.dispatchEvent(new CustomEvent("guide-citation-style", {detail: key}));
    });
    choice.append(radio, " " + label);
    styles.append(choice);
  }

  const inText = guideCiteLine("cite-in-text", "In the text", "Copy");
  const reference = guideCiteLine("cite-reference", "Reference", "Copy");
  const linkLine = guideCiteLine("cite-link", "Link", "Copy link");
  const anchor = document.createElement("a");
  anchor.href = link;
  anchor.textContent = link;
  linkLine.text.append(anchor);
  linkLine.copy.addEventListener("click", () => guideCopy(linkLine.copy, link));

  const exports = document.createElement("p");
  exports.className = "cite-line cite-exports";
  const exportsLabel = document.createElement("span");
  exportsLabel.className = "cite-label";
  exportsLabel.textContent = "Export";
  exports.append(exportsLabel);
  for (const [format, label] of [["bibtex", "BibTeX"], ["ris", "RIS"], ["csl-json", "CSL-JSON"]]) {
    const copy = guideButton("cite-copy cite-export-" + format, "Copy " + label);
    copy.addEventListener("click", () => guideCopy(copy, item[format]));
    exports.append(" ", copy);
  }
  const files = document.createElement("span");
  files.className = "cite-files";
  files.append(" Files of this reading: ");
  [["bibtex", ".bib"], ["ris", ".ris"], ["csl-json", ".json"]].forEach(([format, label], index) => {
    const file = document.createElement("a");
    file.href = data.exports[format];
    file.textContent = label;
    files.append(index ? " " : "", file);
  });
  exports.append(files);

  const show = (style) => {
    for (const radio of styles.querySelectorAll("input")) radio.checked = radio.value === style;
    for (const [line, html] of [[inText, cite.in_text[style]], [reference, item.references[style]]]) {
      const parsed = guideParse(html);
      const text = parsed.textContent.trim();  // before its nodes move into the panel
      line.text.replaceChildren(...parsed.childNodes);
      line.copy.onclick = () => guideCopy(line.copy, text, html);
    }
  };
  show(guideStyle(data));
  document.addEventListener("guide-citation-style", (event) => show(event.detail));
  return [styles, inText.line, reference.line, linkLine.line, exports];
}

// A cite button and its panel, closed, for a passage or (with none) for the reading.
function guideCitePanel(passage, id, shown) {
  const cite = guideButton("cite-button", "cite", "Cite " + shown);
  const panel = document.createElement("div");
  panel.className = "cite-panel";
  panel.id = id;
  panel.setAttribute("role", "group");
  panel.setAttribute("aria-label", "Cite " + shown);
  panel.hidden = true;
  panel.append(...guideCiteContent(passage, id));
  cite.setAttribute("aria-controls", panel.id);
  cite.setAttribute("aria-expanded", "false");
  cite.addEventListener("click", () => guideToggle(cite, panel));
  return [cite, panel];
}

// What is open, the latest last: [button, element] pairs, for Escape.
const guideOpened = [];

function guideSetOpen(button, element, open) {
  element.hidden = !open;
  button.setAttribute("aria-expanded", String(open));
  const at = guideOpened.findIndex(([b]) => b === button);
  if (at >= 0) guideOpened.splice(at, 1);
  if (open) guideOpened.push([button, element]);
}

function guideToggle(button, element) {
  guideSetOpen(button, element, element.hidden);
}

function guidePassageControls(passage) {
  const number = passage.querySelector(".passage-number");
  if (!number) return;
  const shown = number.textContent;  // "¶ 16"

  const [cite, panel] = guideCitePanel(passage, passage.id + "-cite", shown);

  const copy = guideButton("copy-link-button", "copy link", "Copy the link to " + shown);
  // The button's text changes to "copied": announced once, as the button's own live region.
  copy.setAttribute("aria-live", "polite");
  copy.addEventListener("click", () => guideCopy(copy, guidePassageLink(passage)));

  const controls = document.createElement("span");
  controls.className = "passage-controls";
  controls.id = passage.id + "-controls";
  controls.append(copy, cite);

  // On a phone: the ¶ number as the passage's one button, opening "copy link" and "cite".
  const menu = guideButton("passage-menu-button", shown);
  menu.setAttribute("aria-label", shown + ": copy link or cite");
  menu.setAttribute("aria-controls", controls.id);
  menu.setAttribute("aria-expanded", "false");
  menu.addEventListener("click", () => {
    const open = menu.getAttribute("aria-expanded") !== "true";
    menu.setAttribute("aria-expanded", String(open));
    const at = guideOpened.findIndex(([b]) => b === menu);
    if (at >= 0) guideOpened.splice(at, 1);
    if (open) guideOpened.push([menu, controls]);
  });

  number.after(menu, controls);
  passage.append(panel);
}

function guideClose([button, element]) {
  if (element.classList.contains("passage-controls")) {
    button.setAttribute("aria-expanded", "false");
  } else {
    guideSetOpen(button, element, false);
  }
  const at = guideOpened.findIndex(([b]) => b === button);
  if (at >= 0) guideOpened.splice(at, 1);
}

document.addEventListener("DOMContentLoaded", () => {
  if (!guideCiteData()) return;  // a page without readings' passages
  document.querySelectorAll(".passage[data-cite]").forEach(guidePassageControls);
  // The reading's own citation, beside its files in the reading's details.
  const line = document.querySelector(".reading-cite");
  if (line) {
    const [cite, panel] = guideCitePanel(null, "reading-cite", "this reading");
    cite.textContent = cite.dataset.label = "Cite this reading";
    // After the files, so that the panel, which follows the line, is next in the keyboard's order.
    line.append(" ", cite);
    line.after(panel);
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !guideOpened.length) return;
  const last = guideOpened[guideOpened.length - 1];
  guideClose(last);
  last[0].focus();
});

// A tap outside a phone's open menu closes it (a cite panel stays until its button or Escape).
document.addEventListener("click", (event) => {
  for (const opened of [...guideOpened]) {
    const [button, element] = opened;
    if (element.classList.contains("passage-controls") && !button.contains(event.target)
        && !element.contains(event.target)) {
      guideClose(opened);
    }
  }
});

// Repairs to what the theme and docutils write, so that assistive technology gets names and
// roles that fit (each one found by axe-core in tests/test_browser.py).
document.addEventListener("DOMContentLoaded", () => {
  // The search button's visible text is "Search Ctrl+K", but its aria-label said only "Search".
  document.querySelectorAll(".search-button-field[aria-label]").forEach((button) => {
    button.removeAttribute("aria-label");
  });
  // The navigation's expand/collapse toggles are icon-only <summary> elements.
  document.querySelectorAll("nav details > summary").forEach((summary) => {
    if (summary.textContent.trim()) return;
    const link = summary.parentElement.previousElementSibling;
    const name = link ? link.textContent.trim() : "this section";
    summary.setAttribute("aria-label", "Show or hide the pages under " + name);
  });
  // A bibliography is a list; "doc-biblioentry" is a deprecated role that is not a list item.
  document.querySelectorAll(".citation-list > [role='doc-biblioentry']").forEach((entry) => {
    entry.setAttribute("role", "listitem");
  });
});
