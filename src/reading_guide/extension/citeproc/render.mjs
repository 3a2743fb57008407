// The guide's CSL processor, run by reading_guide.extension.csl, which caches its answers by request.
//
// `node render.mjs` reads one JSON request on stdin and writes one JSON answer on stdout;
// `node render.mjs --serve` answers one request per line, one answer per line, for as long as stdin
// stays open: a Python process that builds the guide several times (the tests) starts Node once, and
// citeproc-js compiles each style once (Chicago's takes two seconds; rendering then takes milliseconds).
//
// Request: {bibtex, styles: {name: CSL XML}, styleLocales: {name: language}, locales: {language: CSL XML},
//           items: [CSL-JSON], blogPosts: [id], comments: [{id, of, author, issued}],
//           references: {style: [id]}, citations: [[style, id, locator | null]], guide: [style, [id]]}
// Answer:  {items: {id: CSL-JSON}, references: {style: {id: {html, text}}},
//           citations: [{html, text}] (in the request's order),
//           order: [id], guide: {references: {id: {html, text}}, citations: {id: {html, text}}}}
//
// refs.bib is read as it is by citation-js's BibTeX parser; the guide's own items (comments, readings
// without an entry) come as CSL-JSON. Every reference and citation is rendered by citeproc-js, the
// reference implementation of CSL, each item on its own (a reader's bibliography is not the guide's:
// no "2013a" from an unrelated item), except `guide`: the guide's own bibliography, as one list.
import { Cite, plugins } from "@citation-js/core";
import "@citation-js/plugin-bibtex";
import "@citation-js/plugin-csl";
import CSL from "citeproc";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const csl = plugins.config.get("@csl");

// A web address keeps its case in a title-cased style ("druguserrights.blogspot.com", not "Druguserrights.Blogspot.Com").
const keepCase = (text) => text.replace(/\b[\w-]+(\.[\w-]+)+\b/g, (name) => `<span class="nocase">${name}</span>`);

// Every item the engines have been given, by their ids (see `answer`): citeproc-js keeps what it has
// read of an id, so an id never names two different items.
const registered = {};
const engines = new Map();

function engine(request, style) {
  const language = (request.styleLocales || {})[style] || "en-US";
  const key = createHash("sha256").update(`${language}\u0000${request.styles[style]}`).digest("hex");
  if (!engines.has(key)) {
    const sys = {
      retrieveLocale: (lang) => (request.locales || {})[lang] || csl.locales.get(lang) || csl.locales.get("en-US"),
      retrieveItem: (id) => registered[id],
    };
    engines.set(key, new CSL.Engine(sys, request.styles[style], language, true));
  }
  return engines.get(key);
}

function items(request) {
  const found = {};
  for (const item of new Cite(request.bibtex || "").data) {
    const { _graph, ...clean } = item;
    found[clean.id] = clean;
  }
  for (const item of request.items || []) found[item.id] = item;
  // A reading's @misc entry is a post on a blog: its howpublished (citation-js's publisher) is the blog.
  for (const id of request.blogPosts || []) {
    const item = found[id];
    item.type = "post-weblog";
    if (item.publisher) item["container-title"] = keepCase(item.publisher);
    delete item.publisher;
  }
  // A comment with a byline: a posting by its author on the reading's blog, at the reading's address
  // (CSL's blog posting: the four styles then give it the blog in italics and its day, as a post's).
  for (const comment of request.comments || []) {
    const reading = found[comment.of];
    const item = { id: comment.id, type: "post-weblog", author: [{ literal: comment.author }] };
    if (reading.title) item.title = `Comment on “${reading.title}”`;
    if (reading["container-title"]) item["container-title"] = reading["container-title"];
    if (comment.issued) item.issued = comment.issued;
    if (reading.URL) item.URL = reading.URL;
    found[item.id] = item;
  }
  return found;
}

function answer(request) {
  const found = items(request);
  // Each item's id for the engines is its content's digest and its id: the same item in a later request
  // (refs.bib's entries, build after build) is the one citeproc-js has already read; a changed one is new.
  const engineId = Object.fromEntries(
    Object.entries(found).map(([id, item]) => [
      id,
      `${createHash("sha1").update(JSON.stringify(item)).digest("hex").slice(0, 16)}:${id}`,
    ]),
  );
  for (const [id, item] of Object.entries(found)) registered[engineId[id]] = { ...item, id: engineId[id] };
  const ownId = (id) => id.slice(id.indexOf(":") + 1);

  const rendered = (style, ids, render) => {
    const processor = engine(request, style);
    processor.updateItems(ids.map((id) => engineId[id]));
    const result = {};
    for (const format of ["html", "text"]) {
      processor.setOutputFormat(format);
      result[format] = render(processor);
    }
    return result;
  };
  const bibliography = (style, ids) => {
    const { html, text } = rendered(style, ids, (processor) => processor.makeBibliography());
    const entries = {};
    html[0].entry_ids.forEach((entryIds, index) => {
      // An item with nothing to show (no title, no author, no date) has an empty entry.
      const id = ownId(entryIds[0]);
      entries[id] = { html: (html[1][index] || "").trim(), text: (text[1][index] || "").trim() };
    });
    for (const id of ids) entries[id] ||= { html: "", text: "" };
    return { entries, order: html[0].entry_ids.map((entryIds) => ownId(entryIds[0])) };
  };

  const result = { items: found, references: {}, order: [], citations: [] };
  for (const [style, ids] of Object.entries(request.references || {})) {
    result.references[style] = {};
    for (const id of ids) Object.assign(result.references[style], bibliography(style, [id]).entries);
  }
  // The guide's own bibliography (refs.bib in the default style): one list, sorted and disambiguated
  // as the style does it, and each work's in-text citation from the same list.
  if (request.guide) {
    const [style, ids] = request.guide;
    const list = bibliography(style, ids);
    result.order = list.order;
    result.guide = { references: list.entries, citations: {} };
    const { html, text } = rendered(style, ids, (processor) =>
      ids.map((id) => processor.makeCitationCluster([{ id: engineId[id] }])),
    );
    ids.forEach((id, at) => {
      result.guide.citations[id] = { html: html[at], text: text[at] };
    });
  }
  // Citations grouped by item, so that each item is registered once per style. A passage's locator is
  // a number (or a number and a letter, "5a"), which the styles print as it is after their word for a
  // paragraph: the item is cited once with a stand-in number, and each passage's number takes its place
  // (a thousand sources hold tens of thousands of passages). Any other locator is cited on its own.
  const STAND_IN = "987654321";
  const byItem = new Map();
  (request.citations || []).forEach(([style, id, locator], index) => {
    const key = `${style}\u0000${id}`;
    if (!byItem.has(key)) byItem.set(key, []);
    byItem.get(key).push([index, locator]);
  });
  const once = (text) => text.split(STAND_IN).length === 2;
  const numeric = (locator) => locator !== null && /^[0-9]+[a-z]?$/i.test(locator);
  for (const [key, wanted] of byItem) {
    const [style, id] = key.split("\u0000");
    const cite = (locator) =>
      locator === null ? { id: engineId[id] } : { id: engineId[id], locator, label: "paragraph" };
    const standIn = rendered(style, [id], (processor) => processor.makeCitationCluster([cite(STAND_IN)]));
    const simple = once(standIn.html) && once(standIn.text);
    const own = [...new Set(wanted.map(([, locator]) => locator).filter((locator) => !simple || !numeric(locator)))];
    const { html, text } = rendered(style, [id], (processor) =>
      Object.fromEntries(own.map((locator) => [locator, processor.makeCitationCluster([cite(locator)])])),
    );
    wanted.forEach(([index, locator]) => {
      result.citations[index] =
        simple && numeric(locator)
          ? { html: standIn.html.replace(STAND_IN, locator), text: standIn.text.replace(STAND_IN, locator) }
          : { html: html[locator], text: text[locator] };
    });
  }
  return result;
}

if (process.argv.includes("--serve")) {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim()) process.stdout.write(JSON.stringify(answer(JSON.parse(line))) + "\n");
  }
} else {
  process.stdout.write(JSON.stringify(answer(JSON.parse(readFileSync(0, "utf8")))));
}
