// Two controls under each passage's ¶ number, shown on hover or keyboard focus:
// "copy link" puts the passage's full address on the clipboard, and "cite" opens a small
// panel with the link, a ready citation and a BibTeX entry. The strings are the build's own
// (data-citation, and data-bibtex as a JSON string; the same as passages.json); nothing is fetched.
"use strict";

function guideCopy(button, text) {
  const done = (message) => {
    button.textContent = message;
    setTimeout(() => { button.textContent = button.dataset.label; }, 2000);
  };
  navigator.clipboard.writeText(text).then(() => done("copied"), () => done("copy failed"));
}

function guideCitePanel(passage, button) {
  const panel = document.createElement("div");
  panel.className = "cite-panel";
  panel.id = passage.id + "-cite";
  panel.setAttribute("role", "group");
  panel.setAttribute("aria-label", "Cite ¶ " + passage.dataset.number);
  panel.hidden = true;

  const link = new URL("#" + passage.id, window.location.href).href;
  const linkLine = document.createElement("p");
  const anchor = document.createElement("a");
  anchor.href = link;
  anchor.textContent = link;
  const copy = document.createElement("button");
  copy.type = "button";
  copy.className = "cite-copy";
  copy.textContent = "Copy link";
  copy.dataset.label = copy.textContent;
  copy.addEventListener("click", () => guideCopy(copy, link));
  linkLine.append(anchor, " ", copy);

  const citation = document.createElement("p");
  citation.className = "cite-citation";
  citation.textContent = passage.dataset.citation;
  const bibtex = document.createElement("pre");
  bibtex.className = "cite-bibtex";
  bibtex.textContent = JSON.parse(passage.dataset.bibtex);
  panel.append(linkLine, citation, bibtex);

  button.setAttribute("aria-controls", panel.id);
  button.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    button.setAttribute("aria-expanded", String(!panel.hidden));
  });
  return panel;
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".passage[data-citation]").forEach((passage) => {
    const number = passage.querySelector(".passage-number");
    if (!number) return;
    const controls = document.createElement("span");
    controls.className = "passage-controls";
    const copy = document.createElement("button");
    copy.type = "button";
    copy.className = "copy-link-button";
    copy.textContent = copy.dataset.label = "copy link";
    // The button's text changes to "copied"; a live region would announce it twice.
    copy.setAttribute("aria-live", "polite");
    copy.title = "Copy the link to ¶ " + passage.dataset.number;
    copy.addEventListener("click", () => guideCopy(copy, new URL("#" + passage.id, window.location.href).href));
    const button = document.createElement("button");
    button.type = "button";
    button.className = "cite-button";
    button.textContent = "cite";
    button.title = "Cite ¶ " + passage.dataset.number;
    button.setAttribute("aria-expanded", "false");
    controls.append(copy, button);
    number.after(controls);
    passage.append(guideCitePanel(passage, button));
  });
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
