// The guide's CSL processor, run once per build by reading_guide.extension.csl (which caches its answer
// by its input). It reads one JSON request on stdin and writes one JSON answer on stdout.
//
// Request: {bibtex, styles: {name: CSL XML}, styleLocales: {name: language}, locales: {language: CSL XML},
//           items: [CSL-JSON], blogPosts: [id],
//           comments: [{id, of, author, issued}], references: {style: [id]}, order: [style, [id]],
//           citations: [[style, id, locator | null]]}
// Answer:  {items: {id: CSL-JSON}, references: {style: {id: {html, text}}}, order: [id],
//           citations: [{html, text}] (in the request's order)}
//
// refs.bib is read as it is by citation-js's BibTeX parser; the guide's own items (comments, readings
// without an entry) come as CSL-JSON. Every reference and citation is rendered by citeproc-js, the
// reference implementation of CSL, each item on its own (a reader's bibliography is not the guide's:
// no "2013a" from an unrelated item), except `order`, the guide's whole bibliography sorted as the style sorts.
import { Cite, plugins } from "@citation-js/core";
import "@citation-js/plugin-bibtex";
import "@citation-js/plugin-csl";
import CSL from "citeproc";
import { readFileSync } from "node:fs";

const request = JSON.parse(readFileSync(0, "utf8"));
const csl = plugins.config.get("@csl");

const items = {};
for (const item of new Cite(request.bibtex || "").data) {
  const { _graph, ...clean } = item;
  items[clean.id] = clean;
}
for (const item of request.items || []) items[item.id] = item;
// A web address keeps its case in a title-cased style ("druguserrights.blogspot.com", not "Druguserrights.Blogspot.Com").
const keepCase = (text) => text.replace(/\b[\w-]+(\.[\w-]+)+\b/g, (name) => `<span class="nocase">${name}</span>`);

// A reading's @misc entry is a post on a blog: its howpublished (citation-js's publisher) is the blog.
for (const id of request.blogPosts || []) {
  const item = items[id];
  item.type = "post-weblog";
  if (item.publisher) item["container-title"] = keepCase(item.publisher);
  delete item.publisher;
}
// A comment with a byline: a post by its author, on the reading's blog, at the reading's address.
for (const comment of request.comments || []) {
  const reading = items[comment.of];
  const item = { id: comment.id, type: "post", author: [{ literal: comment.author }] };
  if (reading.title) item.title = `Comment on “${reading.title}”`;
  if (reading["container-title"]) item["container-title"] = reading["container-title"];
  if (comment.issued) item.issued = comment.issued;
  if (reading.URL) item.URL = reading.URL;
  items[item.id] = item;
}

const engines = {};
function engine(style) {
  if (!engines[style]) {
    const sys = {
      retrieveLocale: (lang) => (request.locales || {})[lang] || csl.locales.get(lang) || csl.locales.get("en-US"),
      retrieveItem: (id) => items[id],
    };
    const language = (request.styleLocales || {})[style] || "en-US";
    engines[style] = new CSL.Engine(sys, request.styles[style], language, true);
  }
  return engines[style];
}

function rendered(style, ids, render) {
  const result = {};
  const processor = engine(style);
  processor.updateItems(ids);
  for (const format of ["html", "text"]) {
    processor.setOutputFormat(format);
    result[format] = render(processor);
  }
  return result;
}

function bibliography(style, ids) {
  const { html, text } = rendered(style, ids, (processor) => processor.makeBibliography());
  const entries = {};
  html[0].entry_ids.forEach((entryIds, index) => {
    entries[entryIds[0]] = { html: html[1][index].trim(), text: text[1][index].trim() };
  });
  return { entries, order: html[0].entry_ids.map((entryIds) => entryIds[0]) };
}

const answer = { items, references: {}, order: [], citations: [] };
for (const [style, ids] of Object.entries(request.references || {})) {
  answer.references[style] = {};
  for (const id of ids) Object.assign(answer.references[style], bibliography(style, [id]).entries);
}
if (request.order) {
  const [style, ids] = request.order;
  answer.order = bibliography(style, ids).order;
}
// Citations grouped by item, so that each item is registered once per style.
const byItem = new Map();
(request.citations || []).forEach(([style, id, locator], index) => {
  const key = `${style}\u0000${id}`;
  if (!byItem.has(key)) byItem.set(key, []);
  byItem.get(key).push([index, locator]);
});
for (const [key, wanted] of byItem) {
  const [style, id] = key.split("\u0000");
  const { html, text } = rendered(style, [id], (processor) =>
    wanted.map(([, locator]) =>
      processor.makeCitationCluster([locator === null ? { id } : { id, locator, label: "paragraph" }]),
    ),
  );
  wanted.forEach(([index], at) => {
    answer.citations[index] = { html: html[at], text: text[at] };
  });
}
process.stdout.write(JSON.stringify(answer));
