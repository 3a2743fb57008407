// The reading controls of each passage. On a wide screen "copy link" and "cite" stand under the
// passage's ¶ number in the left margin, shown on hover or keyboard focus; on a phone the ¶ number
// is one button that opens them (guide.css decides which). "copy link" puts the passage's full
// address on the clipboard; "cite" opens a panel under the passage, whose content comes from
// guideCiteContent. Escape closes what was opened last and returns to its button; a tap elsewhere
// closes a phone's menu. Nothing is fetched: the strings are the build's own, on the passage.
"use strict";

function guidePassageLink(passage) {
  return new URL("#" + passage.id, window.location.href).href;
}

function guideCopy(button, text) {
  const done = (message) => {
    button.textContent = message;
    setTimeout(() => { button.textContent = button.dataset.label; }, 2000);
  };
  navigator.clipboard.writeText(text).then(() => done("copied"), () => done("copy failed"));
}

function guideButton(className, label, title) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = className;
  button.textContent = button.dataset.label = label;
  if (title) button.title = title;
  return button;
}

// What the "cite" panel shows for a passage, made from the strings the build put on its element
// (data-citation; data-bibtex, a JSON string: the same as the passage's entry in passages.json).
// To offer more (other citation styles, exports), add them here: the panel and its button stay as they are.
function guideCiteContent(passage) {
  const link = guidePassageLink(passage);
  const linkLine = document.createElement("p");
  linkLine.className = "cite-link";
  const anchor = document.createElement("a");
  anchor.href = link;
  anchor.textContent = link;
  const copy = guideButton("cite-copy", "Copy link");
  copy.addEventListener("click", () => guideCopy(copy, link));
  linkLine.append(anchor, " ", copy);

  const citation = document.createElement("p");
  citation.className = "cite-citation";
  citation.textContent = passage.dataset.citation;
  const bibtex = document.createElement("pre");
  bibtex.className = "cite-bibtex";
  bibtex.textContent = JSON.parse(passage.dataset.bibtex);
  return [linkLine, citation, bibtex];
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

  const cite = guideButton("cite-button", "cite", "Cite " + shown);
  const panel = document.createElement("div");
  panel.className = "cite-panel";
  panel.id = passage.id + "-cite";
  panel.setAttribute("role", "group");
  panel.setAttribute("aria-label", "Cite " + shown);
  panel.hidden = true;
  panel.append(...guideCiteContent(passage));
  cite.setAttribute("aria-controls", panel.id);
  cite.setAttribute("aria-expanded", "false");
  cite.addEventListener("click", () => guideToggle(cite, panel));

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
  document.querySelectorAll(".passage[data-citation]").forEach(guidePassageControls);
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
