// The guide's search page (docs/_templates/search.html). It searches guide-search-index.js, which
// the build writes (reading_guide.extension.search): every passage of every reading, and every block
// of the guide's own text, each with the anchor it is found at. A result links to that anchor
// (a passage's ¶) and shows the text around the match. The index is a script, so the search works
// from files too. Written by hand: a phrase search with the text around each match is what readers
// who cite need, and the general search libraries rank words across pages instead.
//
// Matching ignores case, accents, which quotation mark, apostrophe or dash was typed, and invisible
// characters (soft hyphens, zero-width spaces); every run of spaces is one space. What is shown is the
// text itself. Words are also matched in other forms, with the English stemmer Sphinx ships
// (language_data.js, loaded before this file).
"use strict";

const GUIDE_FOLDED = new Map([
  ["‘", "'"], ["’", "'"], ["‚", "'"], ["‛", "'"], ["′", "'"], ["`", "'"], ["´", "'"],
  ["“", '"'], ["”", '"'], ["„", '"'], ["‟", '"'], ["″", '"'], ["«", '"'], ["»", '"'],
  ["‐", "-"], ["‑", "-"], ["‒", "-"], ["–", "-"], ["—", "-"], ["―", "-"], ["−", "-"],
  ["…", "..."], ["ß", "ss"], ["æ", "ae"], ["œ", "oe"], ["ø", "o"], ["ł", "l"],
]);
const GUIDE_INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/;
const GUIDE_WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;
const GUIDE_SHOWN = 50;  // results shown at first in each group; the rest behind a button
const GUIDE_CONTEXT = 90;  // characters of text shown on each side of a match

// The folded text, and for each of its characters the index of the character it came from.
function guideFold(text) {
  let folded = "";
  const origin = [];
  let space = true;
  let index = 0;
  for (const character of text) {
    let into;
    if (GUIDE_INVISIBLE.test(character)) into = "";
    else if (/\s/u.test(character)) into = " ";
    else into = GUIDE_FOLDED.get(character.toLowerCase())
      ?? character.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    if (into === " ") {
      if (!space) { folded += " "; origin.push(index); }
      space = true;
    } else if (into) {
      folded += into;
      for (let k = 0; k < into.length; k++) origin.push(index);
      space = false;
    }
    index += character.length;
  }
  origin.push(text.length);
  return { folded, origin };
}

function guideEscape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const guideStems = new Map();
function guideStem(word) {
  if (!guideStems.has(word)) {
    const stemmer = typeof Stemmer === "function" ? new Stemmer() : null;
    guideStems.set(word, stemmer ? stemmer.stemWord(word) : word);
  }
  return guideStems.get(word);
}

// Every block of the index, folded once, in the guide's order (the readings first).
let guideBlocks = null;
function guideLoadBlocks() {
  if (guideBlocks) return guideBlocks;
  guideBlocks = [];
  const index = window.guideSearchIndex || { pages: [] };
  for (const [address, title, blocks] of index.pages) {
    for (const [anchor, label, text] of blocks) {
      guideBlocks.push({ address, title, anchor, label, text, passage: label.startsWith("¶"), ...guideFold(text) });
    }
  }
  // The readings' passages first (what was said), then the guide's own text, each in the guide's order.
  guideBlocks.sort((a, b) => b.passage - a.passage);
  return guideBlocks;
}

// The words of a folded text with where each starts and ends, and its stem.
function guideWords(folded) {
  return Array.from(folded.matchAll(GUIDE_WORD), (m) => ({
    start: m.index, end: m.index + m[0].length, stem: guideStem(m[0]),
  }));
}

// Passages with the phrase, then passages with every word (in any form) that lack the phrase.
function guideSearch(query) {
  const phrase = guideFold(query).folded.trim();
  if (!phrase) return { phrase: [], words: [] };
  const pattern = new RegExp("(?<![\\p{L}\\p{N}])" + guideEscape(phrase) + "(?![\\p{L}\\p{N}])", "gu");
  let queryWords = guideWords(phrase).map((w) => phrase.slice(w.start, w.end));
  const meaningful = queryWords.filter((w) => !(typeof stopwords !== "undefined" && stopwords.has(w)));
  if (meaningful.length) queryWords = meaningful;
  const stems = new Set(queryWords.map(guideStem));
  const found = { phrase: [], words: [] };
  for (const block of guideLoadBlocks()) {
    const matches = Array.from(block.folded.matchAll(pattern), (m) => [m.index, m.index + m[0].length]);
    if (matches.length) {
      found.phrase.push({ block, matches });
      continue;
    }
    if (!stems.size) continue;
    const words = guideWords(block.folded).filter((w) => stems.has(w.stem));
    if (new Set(words.map((w) => w.stem)).size === stems.size) {
      found.words.push({ block, matches: words.map((w) => [w.start, w.end]) });
    }
  }
  return found;
}

// The text around the first match, with every match in it marked; cut at spaces, "…" where cut.
function guideSnippet(result) {
  const { block, matches } = result;
  const text = block.text;
  const at = (i) => block.origin[Math.min(i, block.origin.length - 1)];
  const first = at(matches[0][0]);
  let start = Math.max(0, first - GUIDE_CONTEXT);
  let end = Math.min(text.length, at(matches[0][1]) + GUIDE_CONTEXT);
  if (start > 0) start = text.indexOf(" ", start) + 1 || start;
  if (start > first) start = first;
  if (end < text.length) end = Math.max(text.lastIndexOf(" ", end), at(matches[0][1]));
  const snippet = document.createElement("p");
  snippet.className = "guide-search-snippet";
  if (start > 0) snippet.append("… ");
  let position = start;
  for (const [from, to] of matches) {
    const a = at(from), b = at(to);
    if (a < position || b > end) continue;
    snippet.append(text.slice(position, a));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(a, b);
    snippet.append(mark);
    position = b;
  }
  snippet.append(text.slice(position, end).replace(/\n/g, " "));
  if (end < text.length) snippet.append(" …");
  return snippet;
}

function guideResultItem(result, root) {
  const { block } = result;
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = root + block.address + "#" + block.anchor;
  const page = document.createElement("span");
  page.className = "guide-search-page";
  page.textContent = block.title;
  link.append(page);
  if (block.label && block.label !== block.title) {
    const where = document.createElement("span");
    where.className = "guide-search-where";
    where.textContent = block.label;
    link.append(" › ", where);
  }
  item.append(link, guideSnippet(result));
  return item;
}

function guideResultGroup(id, heading, results, root) {
  const section = document.createElement("section");
  section.className = "guide-search-group";
  section.setAttribute("aria-labelledby", id);
  const title = document.createElement("h2");
  title.id = id;
  title.textContent = heading;
  const list = document.createElement("ol");
  list.className = "guide-search-results";
  const show = (from, to) => results.slice(from, to).forEach((r) => list.append(guideResultItem(r, root)));
  show(0, GUIDE_SHOWN);
  section.append(title, list);
  if (results.length > GUIDE_SHOWN) {
    const more = document.createElement("button");
    more.type = "button";
    more.className = "guide-search-more";
    more.textContent = `Show the other ${results.length - GUIDE_SHOWN}`;
    more.addEventListener("click", () => {
      const next = list.children.length;
      show(GUIDE_SHOWN, results.length);
      more.remove();
      list.children[next].querySelector("a").focus();
    });
    section.append(more);
  }
  return section;
}

function guideCount(n) {
  return n === 1 ? "1 place" : `${n} places`;
}

function guideShowResults(query) {
  const status = document.getElementById("guide-search-status");
  const results = document.getElementById("guide-search-results");
  const root = document.documentElement.dataset.content_root || "";
  results.replaceChildren();
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  const found = guideSearch(query);
  const quoted = `“${query.trim()}”`;
  if (!found.phrase.length && !found.words.length) {
    status.textContent = `Nothing in the guide matches ${quoted}.`;
    return;
  }
  const more = found.words.length;
  status.textContent = `${quoted} is in ${guideCount(found.phrase.length)}`
    + (more ? `; ${more} more ${more === 1 ? "place has" : "places have"} all its words.` : ".");
  if (found.phrase.length) {
    results.append(guideResultGroup("guide-search-phrase", `The phrase ${quoted}`, found.phrase, root));
  }
  if (found.words.length) {
    results.append(guideResultGroup("guide-search-words", "All the words, apart or in other forms", found.words, root));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("guide-search-form");
  if (!form) return;
  const input = document.getElementById("guide-search-input");
  const query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  guideShowResults(query);
  input.focus();
  // Results follow the typing; the address keeps the query, for the back button and for sharing.
  let pending = null;
  const search = () => {
    clearTimeout(pending);
    const url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    try {
      history.replaceState(null, "", url);
    } catch (error) {
      // Some browsers refuse to change a file: address; the results are shown all the same.
    }
    guideShowResults(input.value);
  };
  input.addEventListener("input", () => {
    clearTimeout(pending);
    pending = setTimeout(search, 200);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
});
