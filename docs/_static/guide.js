// "Cite this": a button beside each passage's ¶ number opens a small panel with the
// passage's link, a ready citation and a BibTeX entry. The strings are the build's own
// (data-citation, and data-bibtex as a JSON string; the same as passages.json); nothing is fetched.
"use strict";

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
  copy.addEventListener("click", () => {
    navigator.clipboard.writeText(link).then(() => { copy.textContent = "Copied"; }, () => {});
  });
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
    const button = document.createElement("button");
    button.type = "button";
    button.className = "cite-button";
    button.textContent = "cite";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-label", "Cite ¶ " + passage.dataset.number);
    number.after(button);
    passage.append(guideCitePanel(passage, button));
  });
});
