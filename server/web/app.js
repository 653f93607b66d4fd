// The wenda page: conversations with the documents of a collection. Each
// answer streams in with its [n] markers clickable as soon as their
// citations are known; a marker previews the cited sentence on hover or
// focus and opens it, highlighted, inside its document.
//
// Everything from documents, answers and the server goes into the page as
// text (textContent, append of strings); nothing is parsed as HTML.
"use strict";

import { ApiError, call, getJSON, hooks, keys, readEvents, sendJSON, upload } from "./api.js";
import { DocView } from "./docview.js";
import { browserLanguage, errorText, htmlLang, scriptOf, t } from "./i18n.js";
import { loadConversations, newId, saveConversations, storedAnswer } from "./store.js";

const $ = (id) => document.getElementById(id);
const MAX_QUESTION = 2000;
const HISTORY_TURNS = 10;

const state = {
  lang: browserLanguage(navigator.languages),
  collections: null, // the collections API's list, or null where the server has none
  collection: "default",
  meta: null, // the current collection's metadata
  docs: new Map(), // id -> summary
  texts: new Map(), // collection/id -> Promise of {title, text, …}
  convs: [],
  conv: null,
  running: null, // {controller, view} of the answer being streamed
  view: null, // the DocView in the reader
};

// el builds an element with text content and attributes; it never sets HTML.
function el(tag, opts = {}, ...children) {
  const node = document.createElement(tag);
  if (opts.className) node.className = opts.className;
  if (opts.text !== undefined) node.textContent = opts.text;
  for (const [k, v] of Object.entries(opts.attrs || {})) {
    if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function show(node, visible) { node.hidden = !visible; }

function button(text, opts = {}) {
  return el("button", { ...opts, text, attrs: { type: "button", ...(opts.attrs || {}) } });
}

function clip(s, n) {
  const chars = Array.from((s || "").replace(/\s+/g, " ").trim());
  return chars.length > n ? chars.slice(0, n).join("") + "…" : chars.join("");
}

// cps slices s by code points, as the server's rune offsets count.
function cps(s, start, end) {
  return Array.from(s).slice(start, end).join("");
}

function stripMarkers(text) {
  return (text || "").replace(/\[\d{1,3}(?:\s*[,，、]\s*\d{1,3})*\]/g, "");
}

function announce(msg) {
  const a = $("announcer");
  a.textContent = "";
  // A change after a tick is announced even when the text repeats.
  setTimeout(() => { a.textContent = msg; }, 50);
}

// ---- Language ----

function setLanguage(lang) {
  state.lang = lang;
  document.documentElement.lang = htmlLang(lang);
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(lang, node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(lang, node.dataset.i18nPlaceholder);
  for (const node of document.querySelectorAll("[data-i18n-aria-label]")) node.setAttribute("aria-label", t(lang, node.dataset.i18nAriaLabel));
  $("key-help").textContent = t(lang, "keyHelp");
  applyMeta();
  updateComposer();
}

// ---- Theme ----

function setTheme(theme, save) {
  document.documentElement.dataset.theme = theme;
  $("theme").setAttribute("aria-pressed", String(theme === "dark"));
  if (save) localStorage.setItem("wenda.theme", theme);
}

function initTheme() {
  const saved = localStorage.getItem("wenda.theme");
  const system = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  setTheme(saved === "dark" || saved === "light" ? saved : system, false);
  $("theme").addEventListener("click", () => {
    setTheme(document.documentElement.dataset.theme === "dark" ? "light" : "dark", true);
  });
}

// ---- Collections and documents ----

function collectionPath(c) {
  return "/v1/collections/" + encodeURIComponent(c || state.collection);
}

async function loadCollections() {
  try {
    const body = await getJSON("/v1/collections");
    state.collections = body.collections || [];
  } catch (err) {
    if (err instanceof ApiError && err.status === 503) {
      setLibraryStatus(t(state.lang, "indexing"));
      setTimeout(loadCollections, 2000);
      return;
    }
    if (!(err instanceof ApiError)) {
      setLibraryStatus(t(state.lang, "cannotConnect"));
      return;
    }
    // A server without collections (404) serves its built-in documents.
    state.collections = null;
  }
  const picker = $("collection");
  picker.replaceChildren();
  if (state.collections && state.collections.length) {
    if (!state.collections.some((c) => c.id === state.collection)) {
      state.collection = (state.collections.find((c) => c.id === "default") || state.collections[0]).id;
    }
    for (const c of state.collections) {
      picker.append(el("option", { text: c.title || c.id, attrs: { value: c.id } }));
    }
    picker.value = state.collection;
  }
  show($("coll-picker"), Boolean(state.collections && state.collections.length > 1));
  show($("upload"), Boolean(state.collections));
  state.meta = (state.collections || []).find((c) => c.id === state.collection) || null;
  applyMeta();
  await loadDocuments();
}

// applyMeta shows the collection's title, description and example
// questions; nothing about what the documents are is written in the page.
function applyMeta() {
  const m = state.meta || {};
  const title = m.title || "问答 wenda";
  $("coll-title").textContent = title;
  document.title = m.title ? `${m.title} · 问答 wenda` : "问答 wenda";
  $("tagline").textContent = m.description || t(state.lang, "tagline");
  const box = $("examples");
  for (const chip of box.querySelectorAll(".chip")) chip.remove();
  const examples = Array.isArray(m.examples) ? m.examples : [];
  for (const q of examples.slice(0, 6)) {
    const chip = button(q, { className: "chip" });
    chip.addEventListener("click", () => {
      $("question").value = q;
      updateCounter();
      askBox();
    });
    box.append(chip);
  }
  show(box, examples.length > 0 && !(state.conv && state.conv.turns.length));
}

function setLibraryStatus(msg) {
  const s = $("library-status");
  s.textContent = msg || "";
  show(s, Boolean(msg));
}

let refreshTimer = 0;

async function loadDocuments() {
  clearTimeout(refreshTimer);
  const collection = state.collection;
  let documents, total;
  try {
    const body = state.collections
      ? await getJSON(collectionPath() + "/documents?limit=500")
      : await getJSON("/v1/documents");
    documents = body.documents || [];
    total = typeof body.total === "number" ? body.total : documents.length;
  } catch (err) {
    if (err instanceof ApiError && err.status === 503) {
      setLibraryStatus(t(state.lang, "indexing"));
      refreshTimer = setTimeout(loadDocuments, 2000);
      return;
    }
    setLibraryStatus(err instanceof ApiError ? errorText(state.lang, err) : t(state.lang, "cannotConnect"));
    return;
  }
  if (collection !== state.collection) return;
  state.docs.clear();
  const list = $("documents");
  // A refresh keeps keyboard focus where it was.
  const focused = list.contains(document.activeElement) ? document.activeElement : null;
  const refocus = focused && (focused.dataset.doc ? `[data-doc="${CSS.escape(focused.dataset.doc)}"]` : focused.dataset.delete ? `[data-delete="${CSS.escape(focused.dataset.delete)}"]` : "");
  list.replaceChildren();
  for (const d of documents) {
    state.docs.set(d.id, d);
    list.append(documentItem(d));
  }
  if (refocus && list.querySelector(refocus)) list.querySelector(refocus).focus();
  $("doc-count").textContent = String(total);
  setLibraryStatus(documents.length ? "" : t(state.lang, "noDocuments"));
  // Documents others uploaded are followed until they are ready.
  if (documents.some((d) => d.status === "queued" || d.status === "processing" || d.status === "deleting")) {
    refreshTimer = setTimeout(loadDocuments, 2000);
  }
}

// documentError words why a document failed for a reader: the page's
// words for its error_code, else the server's own.
function documentError(lang, d) {
  return errorText(lang, { code: d.error_code, message: d.error });
}

function documentItem(d) {
  const title = d.title || d.filename || d.id;
  const meta = [d.source, d.date, d.authors && d.authors.join("、")].filter(Boolean).join(" · ");
  const status = d.status && d.status !== "ready" ? d.status : "";
  const open = el("button", { className: "doc", attrs: { type: "button", "data-doc": d.id } },
    el("span", { className: "doc-title", text: title }),
    meta ? el("span", { className: "doc-meta", text: meta }) : null,
    status ? el("span", { className: "badge status-" + status, text: t(state.lang, "status_" + status) }) : null,
    d.error || d.error_code ? el("span", { className: "doc-error", text: documentError(state.lang, d), attrs: { title: d.error || "" } }) : null);
  open.addEventListener("click", () => openReader({ docId: d.id, title }));
  const li = el("li", { className: "doc-row" }, open);
  if (state.collections) {
    const del = button("×", { className: "icon-button danger", attrs: { "aria-label": t(state.lang, "deleteDoc", { title }), "data-delete": d.id } });
    del.addEventListener("click", () => deleteDocument(d.id, title));
    li.append(del);
  }
  return li;
}

async function deleteDocument(id, title) {
  if (!(await confirmDialog(t(state.lang, "confirmDelete", { title })))) return;
  try {
    await ensureKey();
    await call(collectionPath() + "/documents/" + encodeURIComponent(id), { method: "DELETE" });
  } catch (err) {
    setLibraryStatus(errorText(state.lang, err));
    return;
  }
  state.texts.delete(state.collection + "/" + id);
  await loadDocuments();
}

// fetchDocument returns a document with its cleaned text.
function fetchDocument(collection, id) {
  const key = collection + "/" + id;
  if (!state.texts.has(key)) {
    const p = (async () => {
      if (!state.collections) return getJSON("/v1/documents/" + encodeURIComponent(id));
      const res = await call(collectionPath(collection) + "/documents/" + encodeURIComponent(id) + "/text");
      const type = res.headers.get("Content-Type") || "";
      const body = type.includes("json") ? await res.json() : { text: await res.text() };
      return { ...(state.docs.get(id) || {}), ...body };
    })();
    p.catch(() => state.texts.delete(key));
    state.texts.set(key, p);
  }
  return state.texts.get(key);
}

// ---- Uploads ----

async function ensureKey() {
  if (keys.get()) return;
  if (!(await askKey())) throw new ApiError(401, "key_required", "");
}

function uploadFiles(files) {
  for (const file of files) uploadOne(file);
}

async function uploadOne(file) {
  const collection = state.collection;
  const status = el("span", { className: "upload-status", text: t(state.lang, "status_uploading") });
  const bar = el("progress", { attrs: { max: "1", value: "0", "aria-label": file.name } });
  const li = el("li", { className: "upload-row" }, el("span", { className: "upload-name", text: file.name }), bar, status);
  $("uploads").prepend(li);
  const setStatus = (s, detail) => {
    status.textContent = t(state.lang, "status_" + s) + (detail ? (state.lang === "en" ? ": " : "：") + detail : "");
    li.dataset.status = s;
  };
  let docs;
  try {
    await ensureKey();
    const res = await upload(collectionPath(collection) + "/documents", file, (p) => { bar.value = p; });
    docs = res.documents || [];
  } catch (err) {
    setStatus("failed", errorText(state.lang, err));
    // What the server says of the file itself ("a PNG image", the size
    // limit) is worth showing too, even in its own words.
    if (err.message && ["unsupported_file_type", "file_too_large", "too_many_files", "invalid_upload"].includes(err.code)) {
      li.append(el("span", { className: "upload-detail", text: err.message }));
    }
    bar.value = 0;
    return;
  }
  bar.value = 0;
  const doc = docs[0];
  if (!doc) {
    setStatus("failed");
    return;
  }
  li.dataset.doc = doc.id;
  // Poll the document until it is ready or failed.
  for (let wait = 300; ; wait = Math.min(wait * 1.5, 2000)) {
    let d;
    try {
      d = await getJSON(collectionPath(collection) + "/documents/" + encodeURIComponent(doc.id));
    } catch (err) {
      setStatus("failed", errorText(state.lang, err));
      return;
    }
    const s = d.status || doc.status || "queued";
    bar.value = s === "ready" ? 1 : Math.max(0, Math.min(1, d.progress || 0));
    setStatus(s, s === "failed" ? documentError(state.lang, d) : "");
    // The server's own words say what exactly is wrong with the file
    // ("an image (PNG)", which limit); they back the page's.
    if (s === "failed" && d.error && d.error_code) {
      li.append(el("span", { className: "upload-detail", text: d.error }));
    }
    if (s === "ready" || s === "failed") break;
    await new Promise((r) => setTimeout(r, wait));
  }
  state.texts.delete(collection + "/" + doc.id);
  if (collection === state.collection) await loadDocuments();
}

function initUpload() {
  const zone = document.querySelector(".library");
  $("choose").addEventListener("click", () => $("files").click());
  $("files").addEventListener("change", () => {
    uploadFiles(Array.from($("files").files));
    $("files").value = "";
  });
  const over = (on) => zone.classList.toggle("dragging", on);
  zone.addEventListener("dragover", (e) => {
    if (!state.collections || !e.dataTransfer || !Array.from(e.dataTransfer.types).includes("Files")) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    over(true);
  });
  zone.addEventListener("dragleave", (e) => { if (!zone.contains(e.relatedTarget)) over(false); });
  zone.addEventListener("drop", (e) => {
    if (!state.collections) return;
    e.preventDefault();
    over(false);
    uploadFiles(Array.from(e.dataTransfer.files));
  });
  $("key-cancel").addEventListener("click", () => $("key-dialog").close("cancel"));
  $("forget-key").addEventListener("click", () => {
    keys.clear();
    updateKeyButton();
  });
  updateKeyButton();
}

function updateKeyButton() { show($("forget-key"), Boolean(keys.get())); }

// confirmDialog asks the reader to confirm msg; it resolves to true when
// they do.
function confirmDialog(msg) {
  const dialog = $("confirm-dialog");
  $("confirm-text").textContent = msg;
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.returnValue = "";
    dialog.showModal();
    $("confirm-ok").focus();
  });
}

// askKey shows the key dialog; it resolves to true when a key was given.
function askKey() {
  const dialog = $("key-dialog");
  const input = $("key-input");
  input.value = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      const key = input.value.trim();
      const ok = dialog.returnValue !== "cancel" && key !== "";
      if (ok) keys.set(key, $("key-remember").checked);
      updateKeyButton();
      resolve(ok);
    }, { once: true });
    dialog.returnValue = "";
    dialog.showModal();
    input.focus();
  });
}

// ---- Conversations ----

function saveConvs() {
  saveConversations(state.convs);
  renderConvList();
}

function renderConvList() {
  const list = $("conv-list");
  list.replaceChildren();
  for (const c of state.convs) {
    if (!c.turns.length) continue;
    const when = new Date(c.updated || Date.now());
    const open = el("button", { className: "conv", attrs: { type: "button", "aria-current": c === state.conv ? "true" : undefined, "data-conv": c.id } },
      el("span", { className: "conv-title", text: clip(c.title, 40) }),
      el("span", { className: "conv-meta", text: `${when.toLocaleDateString(htmlLang(state.lang))} · ${c.turns.length}` }));
    open.addEventListener("click", () => openConversation(c.id));
    const del = button("×", { className: "icon-button", attrs: { "aria-label": t(state.lang, "deleteConversation", { title: clip(c.title, 20) }) } });
    del.addEventListener("click", () => deleteConversation(c.id));
    list.append(el("li", { className: "conv-row" }, open, del));
  }
  show($("convs-empty"), !state.convs.some((c) => c.turns.length));
}

function newConversation() {
  stopRunning();
  state.conv = null;
  $("thread").replaceChildren();
  const url = new URL(location.href);
  url.search = "";
  history.replaceState(null, "", url);
  renderConvList();
  applyMeta();
  updateComposer();
  $("question").focus();
}

async function openConversation(id) {
  const c = state.convs.find((x) => x.id === id);
  if (!c) return;
  stopRunning();
  state.conv = c;
  if (c.collection && c.collection !== state.collection && state.collections && state.collections.some((x) => x.id === c.collection)) {
    await switchCollection(c.collection, false);
  }
  const thread = $("thread");
  thread.replaceChildren();
  for (const turn of c.turns) {
    const view = new TurnView(turn);
    thread.append(view.root);
    view.restore();
  }
  const last = c.turns[c.turns.length - 1];
  if (last) setLanguage(last.lang || state.lang);
  renderConvList();
  applyMeta();
  updateComposer();
  if (thread.lastElementChild) thread.lastElementChild.scrollIntoView({ block: "start" });
}

function deleteConversation(id) {
  state.convs = state.convs.filter((c) => c.id !== id);
  if (state.conv && state.conv.id === id) newConversation();
  saveConvs();
}

async function switchCollection(id, fresh = true) {
  state.collection = id;
  $("collection").value = id;
  state.meta = (state.collections || []).find((c) => c.id === id) || null;
  localStorage.setItem("wenda.collection", id);
  if (fresh && state.conv && state.conv.collection !== id) newConversation();
  // The previous collection's documents must not show under the new
  // collection's title while its own list is on the way.
  clearTimeout(refreshTimer);
  state.docs.clear();
  $("documents").replaceChildren();
  $("doc-count").textContent = "";
  applyMeta();
  await loadDocuments();
}

// ---- Asking ----

function stopRunning() {
  if (state.running) state.running.controller.abort();
  state.running = null;
  setBusy(false);
}

function setBusy(busy) {
  const b = $("ask-button");
  b.textContent = t(state.lang, busy ? "stop" : "ask");
  b.classList.toggle("stop", busy);
}

function updateComposer() {
  const follow = Boolean(state.conv && state.conv.turns.length);
  $("question").placeholder = t(state.lang, follow ? "followPlaceholder" : "askPlaceholder");
  setBusy(Boolean(state.running));
}

// ask puts a question to the current conversation, with the earlier
// questions as its history, and streams the answer into a new turn.
async function ask(question, history) {
  stopRunning();
  if (!state.conv) {
    state.conv = { id: newId(), collection: state.collection, title: question, created: Date.now(), updated: Date.now(), turns: [] };
    state.convs.unshift(state.conv);
  }
  const conv = state.conv;
  const prior = history || conv.turns.map((x) => x.question);
  const turn = {
    id: newId(), question, history: prior.slice(-HISTORY_TURNS), lang: scriptOf(question, state.lang),
    asked: Date.now(), collection: conv.collection || state.collection,
  };
  conv.turns.push(turn);
  conv.updated = Date.now();
  setLanguage(turn.lang);
  show($("examples"), false);

  const view = new TurnView(turn);
  $("thread").append(view.root);
  view.root.scrollIntoView({ block: "start", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  const controller = new AbortController();
  state.running = { controller, view };
  setBusy(true);
  view.busy(true);
  view.setStatus(t(turn.lang, "searching"));
  announce(t(turn.lang, "searching"));

  const body = { question, stream: true, mode: $("mode").value };
  if (turn.history.length) body.history = turn.history;
  const k = parseInt($("k").value, 10);
  if (k >= 1 && k <= 50) body.k = k;
  if (state.collections) body.collection = turn.collection;

  let finished = false;
  try {
    const res = await call("/v1/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    for await (const { event, data } of readEvents(res.body)) {
      switch (event) {
        case "retrieval":
          if (data.language) {
            turn.lang = data.language;
            setLanguage(turn.lang);
          }
          view.setPassages(data.passages || []);
          break;
        case "delta":
          view.addDelta(data.text || "", data.citations || []);
          break;
        case "citations":
          view.setCitations(data.citations || []);
          break;
        case "done":
          turn.answer = storedAnswer(data);
          turn.lang = data.language || turn.lang;
          view.finish();
          finished = true;
          break;
        case "error":
          turn.error = { code: data.error && data.error.code, message: data.error && data.error.message };
          view.fail();
          finished = true;
          break;
      }
    }
    if (!finished) {
      turn.error = { code: "connection_lost" };
      view.fail();
    }
  } catch (err) {
    if (err.name === "AbortError") {
      turn.error = { code: "stopped" };
    } else if (err instanceof ApiError) {
      turn.error = { code: err.code, message: err.message, status: err.status };
    } else {
      turn.error = { code: "connection_lost" };
    }
    view.fail();
  } finally {
    view.busy(false);
    if (state.running && state.running.view === view) {
      state.running = null;
      setBusy(false);
    }
    conv.updated = Date.now();
    saveConvs();
  }
}

// ---- One question and its answer ----

class TurnView {
  constructor(turn) {
    this.turn = turn;
    this.lang = turn.lang;
    this.text = "";
    this.citations = new Map();
    this.root = el("article", { className: "turn", attrs: { "data-turn": turn.id, lang: htmlLang(turn.lang) } });
    if (turn.history && turn.history.length && (!state.conv || state.conv.turns[0] === turn)) {
      this.root.append(el("p", { className: "follow-of muted small", text: t(turn.lang, "followUpOf") + turn.history.join(" / ") }));
    }
    this.root.append(el("h2", { className: "q", text: turn.question }));
    this.status = el("p", { className: "status" });
    this.notices = el("div", { className: "notices" });
    this.shortBox = el("p", { className: "short-answer", attrs: { hidden: true } });
    this.answer = el("div", { className: "answer" });
    this.sources = el("section", { className: "sources", attrs: { hidden: true } });
    this.passages = el("details", { className: "passages", attrs: { hidden: true } });
    this.actions = el("div", { className: "actions", attrs: { hidden: true } });
    this.root.append(this.status, this.shortBox, this.answer, this.notices, this.sources, this.passages, this.actions);
  }

  busy(on) { this.root.setAttribute("aria-busy", String(on)); }

  setStatus(msg) { this.status.textContent = msg; }

  setPassages(ps) {
    this.setStatus(ps.length ? t(this.lang, "found", { n: ps.length }) : t(this.lang, "foundNone"));
    const list = el("ol");
    for (const p of ps) {
      const b = el("button", { className: "source", attrs: { type: "button" } },
        el("span", { className: "source-head" },
          el("span", { className: "source-title", text: p.title }),
          p.page ? el("span", { className: "source-meta", text: t(this.lang, "page", { p: p.page }) }) : null),
        el("span", { className: "source-quote", text: clip(p.text, 110) }));
      b.addEventListener("click", () => openReader({ docId: p.doc_id, title: p.title, collection: this.turn.collection, start: p.start, end: p.end, label: t(this.lang, "retrievedPassage"), page: p.page }));
      list.append(el("li", {}, b));
    }
    this.passages.replaceChildren(el("summary", { text: t(this.lang, "passagesFound", { n: ps.length }) }), list);
    show(this.passages, ps.length > 0);
  }

  addDelta(text, cites) {
    for (const c of cites) this.citations.set(c.n, c);
    this.text += text;
    this.renderText();
  }

  setCitations(cites) {
    for (const c of cites) this.citations.set(c.n, c);
    this.renderText();
    this.renderSources();
  }

  // renderText shows the answer with each [n] (or [n, m]) as a button. A
  // run of markers is kept on one line with the character before it and
  // the punctuation after it, so that no line starts with a marker.
  renderText() {
    const out = this.answer;
    out.replaceChildren();
    const text = this.text;
    const re = /((?:\[\d{1,3}(?:\s*[,，、]\s*\d{1,3})*\])+)([。，、；：！？）」』”’.,;:!?)]?)/g;
    let last = 0;
    for (let m; (m = re.exec(text)); ) {
      const before = Array.from(text.slice(last, m.index));
      const group = el("span", { className: "cite-group" });
      if (before.length && !/\s/.test(before[before.length - 1])) group.append(before.pop());
      out.append(before.join(""));
      for (const n of m[1].match(/\d{1,3}/g)) group.append(this.citeButton(Number(n)));
      group.append(m[2]);
      out.append(group);
      last = re.lastIndex;
    }
    out.append(text.slice(last));
  }

  citeButton(n) {
    const c = this.citations.get(n);
    const b = el("button", { className: "cite", text: String(n), attrs: { type: "button", "data-n": String(n) } });
    if (!c) {
      b.disabled = true;
      b.setAttribute("aria-label", t(this.lang, "citePending", { n }));
      return b;
    }
    b.setAttribute("aria-label", t(this.lang, "citeLabel", { n, title: c.title }));
    b.addEventListener("click", () => this.open(c));
    attachPreview(b, () => this.previewOf(c));
    return b;
  }

  shortFor(c) {
    const s = this.turn.answer && this.turn.answer.short_answer;
    if (!s || s.citation !== c.n) return null;
    return [Math.max(c.start, s.start), Math.min(c.end, s.end)];
  }

  open(c) {
    openReader({
      docId: c.doc_id, title: c.title, collection: this.turn.collection, start: c.start, end: c.end,
      evidence: (c.evidence || []).map((e) => [e.start, e.end]), short: this.shortFor(c),
      label: t(this.lang, "citeBar", { n: c.n }), page: c.page, lang: this.lang,
    });
  }

  // citedSentence builds the cited sentences of c, evidence marked, with a
  // little of the passage around them.
  citedSentence(c, context = 40) {
    const quote = Array.from(c.quote || "");
    const spans = (c.evidence || [])
      .map((e) => [Math.max(0, e.start - c.start), Math.min(quote.length, e.end - c.start)])
      .filter(([a, b]) => b > a)
      .sort((x, y) => x[0] - y[0]);
    const frag = el("span", { className: "cited" });
    if (!spans.length) {
      frag.append(clip(c.quote, 140));
      return frag;
    }
    const short = this.shortFor(c);
    const sh = short ? [short[0] - c.start, short[1] - c.start] : null;
    const from = Math.max(0, spans[0][0] - context);
    const to = Math.min(quote.length, spans[spans.length - 1][1] + context);
    if (from > 0) frag.append("…");
    let pos = from;
    for (const [a, b] of spans) {
      if (a < pos) continue;
      if (a - pos > 2 * context) {
        frag.append(quote.slice(pos, pos + context).join(""), " … ", quote.slice(a - context, a).join(""));
      } else {
        frag.append(quote.slice(pos, a).join(""));
      }
      const m = el("mark", { className: "evidence" });
      if (sh && sh[1] > a && sh[0] < b) {
        const s0 = Math.max(a, sh[0]), s1 = Math.min(b, sh[1]);
        m.append(quote.slice(a, s0).join(""), el("strong", { className: "short", text: quote.slice(s0, s1).join("") }), quote.slice(s1, b).join(""));
      } else {
        m.textContent = quote.slice(a, b).join("");
      }
      frag.append(m);
      pos = b;
    }
    frag.append(quote.slice(pos, to).join(""));
    if (to < quote.length) frag.append("…");
    return frag;
  }

  previewOf(c) {
    const meta = [c.source, c.page ? t(this.lang, "page", { p: c.page }) : ""].filter(Boolean).join(" · ");
    return [
      el("span", { className: "preview-head" }, el("span", { className: "source-n", text: `[${c.n}]` }), " ", el("span", { className: "source-title", text: c.title }),
        meta ? el("span", { className: "source-meta", text: " · " + meta }) : null),
      el("span", { className: "preview-body", attrs: { lang: "zh" } }, this.citedSentence(c, 60)),
    ];
  }

  renderSources() {
    const cites = [...this.citations.values()].sort((a, b) => a.n - b.n);
    const list = el("ol", { className: "citations" });
    for (const c of cites) {
      const head = el("span", { className: "source-head" },
        el("span", { className: "source-n", text: `[${c.n}]` }),
        el("span", { className: "source-title", text: c.title }));
      const meta = [c.source, c.page ? t(this.lang, "page", { p: c.page }) : ""].filter(Boolean).join(" · ");
      if (meta) head.append(el("span", { className: "source-meta", text: meta }));
      const b = el("button", { className: "source", attrs: { type: "button", "data-n": String(c.n) } },
        head, el("span", { className: "source-quote", attrs: { lang: "zh" } }, this.citedSentence(c)));
      b.addEventListener("click", () => this.open(c));
      list.append(el("li", {}, b));
    }
    this.sources.replaceChildren(el("h3", { text: t(this.lang, "sources") }), list);
    show(this.sources, cites.length > 0);
  }

  // finish shows the final answer: the short answer, the text, what was
  // withheld, the sources and the actions.
  finish() {
    const a = this.turn.answer;
    this.lang = a.language || this.lang;
    this.root.setAttribute("lang", htmlLang(this.lang));
    this.citations.clear();
    for (const c of a.citations || []) this.citations.set(c.n, c);
    this.notices.replaceChildren();
    if (!a.answerable) {
      this.text = "";
      this.answer.replaceChildren(this.refusal(a));
      show(this.sources, false);
      show(this.shortBox, false);
    } else {
      this.text = a.text || "";
      this.renderText();
      this.renderShort(a);
      this.renderSources();
      if (a.fallback) this.notices.append(this.note("fallback", t(this.lang, "fallback"), fallbackDetail(this.lang, a.fallback_reason)));
      this.renderWithheld(a);
    }
    const secs = ((a.timings && a.timings.total_ms) || 0) / 1000;
    const who = a.answerer === "llm" ? t(this.lang, "byModel", { model: a.model || "" }) : t(this.lang, "extractive");
    this.setStatus(`${who} · ${t(this.lang, "took", { s: secs < 10 ? secs.toFixed(2) : secs.toFixed(1) })}`);
    this.renderActions();
    announce(a.answerable ? t(this.lang, "answerReady") + clip(stripMarkers(a.short_answer ? a.short_answer.text : a.text), 160) : this.refusalText(a));
  }

  // restore shows a turn kept from an earlier visit.
  restore() {
    if (this.turn.answer) this.finish();
    else this.fail(true);
  }

  renderShort(a) {
    const s = a.short_answer;
    if (!s || !s.text) {
      show(this.shortBox, false);
      return;
    }
    this.shortBox.replaceChildren(
      el("span", { className: "short-label", text: t(this.lang, "shortAnswer") }), " ",
      el("strong", { text: s.text }));
    if (s.citation && this.citations.has(s.citation)) this.shortBox.append(" ", el("span", { className: "cite-group" }, this.citeButton(s.citation)));
    show(this.shortBox, true);
  }

  refusalText(a) {
    const terms = a.relevance && a.relevance.missing && a.relevance.missing.length ? a.relevance.missing.join("、") : "";
    const code = a.reason_code;
    if (code === "missing_terms" && terms) return t(this.lang, "refusal_missing_terms", { terms });
    if (code && code !== "missing_terms" && t(this.lang, "refusal_" + code) !== "refusal_" + code) return t(this.lang, "refusal_" + code);
    return stripMarkers(a.text);
  }

  // refusal says once, in plain words, why there is no answer; the
  // figures behind the decision are behind a toggle.
  refusal(a) {
    const box = el("div", { className: "refusal" }, el("p", { className: "refusal-text", text: this.refusalText(a) }));
    const figures = [];
    if (a.reason) figures.push(a.reason);
    if (a.relevance && typeof a.relevance.score === "number") {
      figures.push(t(this.lang, "relevance", { score: a.relevance.score.toFixed(2), coverage: (a.relevance.coverage || 0).toFixed(2) }));
    }
    if (figures.length) {
      box.append(el("details", { className: "details" }, el("summary", { text: t(this.lang, "details") }),
        ...figures.map((f) => el("p", { className: "small", text: f }))));
    }
    return box;
  }

  note(kind, text, detail) {
    const box = el("div", { className: "note " + kind }, el("p", { text }));
    if (detail) {
      box.append(el("details", { className: "details" }, el("summary", { text: t(this.lang, "details") }), el("p", { className: "small", text: detail })));
    }
    return box;
  }

  // renderWithheld says how many sentences verification left out, and
  // shows them with the reason, marked as unverified, on request.
  renderWithheld(a) {
    const v = a.verification || {};
    const withheld = v.withheld || [];
    const n = withheld.length || v.dropped || 0;
    if (!n) return;
    const box = el("div", { className: "note withheld" }, el("p", { text: t(this.lang, "withheld", { n }) }));
    if (withheld.length) {
      const list = el("ul", { className: "withheld-list" });
      for (const w of withheld) {
        const key = "why_" + w.reason;
        let why = t(this.lang, key, { terms: (w.missing || []).join("、") });
        if (why === key) why = t(this.lang, "why_other");
        list.append(el("li", {}, el("q", { className: "unverified", text: w.text }), " ", el("span", { className: "why", text: why })));
      }
      box.append(el("details", { className: "details" }, el("summary", { text: t(this.lang, "withheldShow") }),
        el("p", { className: "small", text: t(this.lang, "withheldWarning") }), list));
    }
    this.notices.append(box);
  }

  fail(restoring) {
    const e = this.turn.error || { code: "connection_lost" };
    let msg;
    if (e.code === "stopped") msg = t(this.lang, "stopped");
    else if (e.code === "connection_lost") msg = t(this.lang, "connectionLost");
    else msg = errorText(this.lang, e);
    this.setStatus("");
    this.notices.replaceChildren(el("div", { className: "note error", attrs: { role: restoring ? undefined : "alert" } },
      el("p", {}, e.code === "stopped" ? "" : el("strong", { text: t(this.lang, "errorTitle") }), msg)));
    if (this.citations.size) this.renderSources();
  }

  // renderActions adds copy, share and the feedback thumbs.
  renderActions() {
    const a = this.turn.answer;
    const lang = this.lang;
    const copy = button(t(lang, "copy"), { className: "tool small" });
    copy.addEventListener("click", async () => {
      await copyText(this.plainText(), copy, t(lang, "copied"));
    });
    // The share link is a real link (it can be opened or copied as one);
    // a click copies it.
    const share = el("a", { className: "tool small share", text: t(lang, "share"), attrs: { href: shareLink(this.turn) } });
    share.addEventListener("click", async (e) => {
      e.preventDefault();
      await copyText(share.href, share, t(lang, "linkCopied"));
    });
    const thumb = (rating, label) => el("button", { className: "tool small thumb", attrs: { type: "button", title: label, "data-rating": rating } },
      el("span", { className: "thumb-icon " + rating, attrs: { "aria-hidden": "true" } }), el("span", { className: "sr-only", text: label }));
    const up = thumb("up", t(lang, "helpful"));
    const down = thumb("down", t(lang, "notHelpful"));
    const form = el("form", { className: "feedback", attrs: { hidden: true } });
    const noteId = "note-" + this.turn.id;
    const note = el("textarea", { attrs: { id: noteId, rows: "2", maxlength: "2000" } });
    const send = el("button", { className: "primary small", text: t(lang, "send"), attrs: { type: "submit" } });
    const cancel = button(t(lang, "cancel"), { className: "tool small" });
    const thanks = el("p", { className: "thanks small", attrs: { hidden: true, role: "status" } });
    form.append(el("label", { attrs: { for: noteId }, text: t(lang, "feedbackNote") }), note, el("div", { className: "dialog-bar" }, cancel, send));
    let rating = "";
    const press = () => {
      const given = this.turn.feedback && this.turn.feedback.rating;
      for (const b of [up, down]) b.setAttribute("aria-pressed", String(b.dataset.rating === (rating || given)));
    };
    const pick = (r) => {
      rating = r;
      press();
      show(form, true);
      show(thanks, false);
      note.focus();
    };
    up.addEventListener("click", () => pick("up"));
    down.addEventListener("click", () => pick("down"));
    cancel.addEventListener("click", () => {
      rating = "";
      press();
      show(form, false);
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      send.disabled = true;
      try {
        const res = await sendJSON("POST", "/v1/feedback", feedbackBody(this.turn, rating, note.value));
        this.turn.feedback = { rating, note: note.value.trim(), id: res.id };
        saveConvs();
        show(form, false);
        thanks.textContent = t(lang, "thanks");
      } catch (err) {
        thanks.textContent = t(lang, "errorTitle") + errorText(lang, err);
      } finally {
        send.disabled = false;
        rating = "";
        press();
        show(thanks, true);
      }
    });
    press();
    this.actions.replaceChildren(el("div", { className: "action-bar" }, copy, share, up, down), form, thanks);
    show(this.actions, Boolean(a));
  }

  plainText() {
    const a = this.turn.answer;
    if (!a.answerable) return `${this.turn.question}\n\n${this.refusalText(a)}`;
    const lines = [this.turn.question, "", a.text, ""];
    for (const c of a.citations || []) {
      const where = [c.title, c.source, c.page ? t(this.lang, "page", { p: c.page }) : ""].filter(Boolean).join(", ");
      const said = (c.evidence || []).map((e) => cps(c.quote, e.start - c.start, e.end - c.start)).join(" … ");
      lines.push(`[${c.n}] ${where}${said ? ` — “${said}”` : ""}`);
    }
    return lines.join("\n");
  }
}

// fallbackDetail words the server's fallback_reason ("model service
// timed out (status 504)") in the reader's language.
function fallbackDetail(lang, reason) {
  const m = /^(.*?)(?: \(status (\d+)\))?$/.exec(reason || "");
  const code = { "model service unavailable": "llm_unavailable", "model service timed out": "llm_timeout",
    "model service rejected the request": "llm_rejected" }[m[1]];
  if (!code) return reason || "";
  return errorText(lang, { code }) + (m[2] ? ` (HTTP ${m[2]})` : "");
}

function feedbackBody(turn, rating, note) {
  const a = turn.answer || {};
  return {
    rating, note: note.trim(), question: turn.question, history: turn.history || [], standalone: a.standalone || "",
    language: a.language || turn.lang, answer: a.text || "", answerable: Boolean(a.answerable), reason_code: a.reason_code || "",
    answerer: a.answerer || "", model: a.model || "", short_answer: (a.short_answer && a.short_answer.text) || "",
    collection: state.collections ? turn.collection : "",
    citations: (a.citations || []).map((c) => ({
      n: c.n, doc_id: c.doc_id, chunk_id: c.chunk_id, title: c.title, start: c.start, end: c.end,
      evidence: (c.evidence || []).map((e) => ({ start: e.start, end: e.end })),
    })),
  };
}

// shareLink is a link that asks the same question, in the same
// conversation context, again: an answer is always made by the server, so
// a link can never carry an answer of its own.
function shareLink(turn) {
  const url = new URL("/", location.href);
  if (state.collections && turn.collection) url.searchParams.set("c", turn.collection);
  for (const h of (turn.history || []).slice(-4)) url.searchParams.append("h", h);
  url.searchParams.set("q", turn.question);
  return url.toString();
}

async function copyText(text, b, done) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = el("textarea", { text });
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  const label = b.textContent;
  b.textContent = done;
  setTimeout(() => { b.textContent = label; }, 1500);
}

// ---- Citation preview ----

let previewFor = null;
let hideTimer = 0;

// attachPreview shows what make builds next to b while b is hovered or
// focused; the preview stays while the pointer is over it and goes on
// Escape, as tooltips must (WCAG 1.4.13).
function attachPreview(b, make) {
  const open = () => {
    clearTimeout(hideTimer);
    const p = $("preview");
    p.replaceChildren(...make());
    p.hidden = false;
    previewFor = b;
    b.setAttribute("aria-describedby", "preview");
    place(p, b);
  };
  const close = () => {
    hideTimer = setTimeout(hidePreview, 200);
  };
  b.addEventListener("mouseenter", open);
  b.addEventListener("focus", open);
  b.addEventListener("mouseleave", close);
  b.addEventListener("blur", () => hidePreview());
}

function hidePreview() {
  const p = $("preview");
  p.hidden = true;
  if (previewFor) previewFor.removeAttribute("aria-describedby");
  previewFor = null;
}

function place(p, b) {
  const r = b.getBoundingClientRect();
  const w = Math.min(420, window.innerWidth - 16);
  p.style.width = w + "px";
  const left = Math.max(8, Math.min(window.innerWidth - w - 8, r.left + r.width / 2 - w / 2));
  p.style.left = left + window.scrollX + "px";
  const h = p.offsetHeight;
  const below = r.bottom + 8;
  const top = below + h > window.innerHeight - 8 && r.top - h - 8 > 8 ? r.top - h - 8 : below;
  p.style.top = top + window.scrollY + "px";
}

// ---- Reader ----

// openReader shows a document; with start and end, that passage is
// highlighted, its evidence sentences marked within it, and scrolled to.
async function openReader(o) {
  hidePreview();
  const lang = o.lang || state.lang;
  const dialog = $("reader");
  if (state.view) state.view.close();
  state.view = null;
  $("reader-title").textContent = o.title || (state.docs.get(o.docId) || {}).title || o.docId;
  $("reader-meta").replaceChildren();
  const box = $("reader-text");
  box.replaceChildren(el("p", { className: "muted", text: t(lang, "loading") }));
  const citeLine = $("reader-cite");
  citeLine.replaceChildren();
  if (o.label) {
    citeLine.append(o.label);
    if (o.page) citeLine.append(" · " + t(lang, "page", { p: o.page }));
    if (o.evidence && o.evidence.length) citeLine.append(el("span", { className: "legend", text: " · " + t(lang, "evidenceLegend") }));
  }
  show(citeLine, Boolean(o.label));
  if (!dialog.open) dialog.showModal();

  let doc;
  try {
    doc = await fetchDocument(o.collection || state.collection, o.docId);
  } catch (err) {
    box.replaceChildren(el("p", { className: "error", text: errorText(lang, err) }));
    return;
  }
  $("reader-title").textContent = doc.title || o.title || o.docId;
  const meta = $("reader-meta");
  const parts = [doc.source, doc.date, doc.authors && doc.authors.join("、")].filter(Boolean);
  meta.append(parts.join(" · "));
  if (safeURL(doc.url)) {
    if (parts.length) meta.append(" · ");
    meta.append(el("a", { text: t(lang, "original"), attrs: { href: doc.url, target: "_blank", rel: "noopener noreferrer" } }));
  }
  box.setAttribute("lang", "zh");
  const spans = {};
  if (typeof o.start === "number" && o.end > o.start) {
    spans.quote = [o.start, o.end];
    spans.evidence = (o.evidence || []).map(([a, b]) => [Math.max(o.start, a), Math.min(o.end, b)]);
    if (o.short) spans.short = o.short;
  }
  spans.pages = doc.pages || [];
  spans.pageLabel = (n) => t(lang, "page", { p: n });
  const view = new DocView(box, doc.text || "", spans);
  state.view = view;
  const target = view.render();
  if (target) target.scrollIntoView({ block: "center" });
}

function safeURL(u) {
  if (!u) return false;
  try {
    const url = new URL(u);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

// ---- Wiring ----

function updateCounter() {
  const n = Array.from($("question").value).length;
  const counter = $("counter");
  counter.textContent = `${n} / ${MAX_QUESTION}`;
  counter.classList.toggle("over", n > MAX_QUESTION);
}

function submit() {
  if (state.running) {
    stopRunning();
    return;
  }
  askBox();
}

function askBox() {
  const q = $("question").value.trim();
  if (!q) {
    $("question").focus();
    return;
  }
  $("question").value = "";
  updateCounter();
  ask(q);
}

document.addEventListener("DOMContentLoaded", async () => {
  hooks.askKey = () => askKey();
  initTheme();
  setLanguage(state.lang);
  state.convs = loadConversations();
  renderConvList();
  initUpload();

  $("ask-form").addEventListener("submit", (e) => { e.preventDefault(); submit(); });
  $("question").addEventListener("input", updateCounter);
  $("question").addEventListener("keydown", (e) => {
    // Enter asks; Shift+Enter is a new line. While an input method is
    // composing (pinyin, zhuyin), Enter picks characters instead.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  });
  $("new-conv").addEventListener("click", newConversation);
  $("collection").addEventListener("change", () => switchCollection($("collection").value));
  $("reader-close").addEventListener("click", () => $("reader").close());
  $("reader").addEventListener("click", (e) => { if (e.target === $("reader")) $("reader").close(); });
  $("reader").addEventListener("close", () => {
    if (state.view) state.view.close();
    state.view = null;
  });
  $("preview").addEventListener("mouseenter", () => clearTimeout(hideTimer));
  $("preview").addEventListener("mouseleave", () => { hideTimer = setTimeout(hidePreview, 200); });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && !$("preview").hidden) hidePreview(); });
  const replace = () => { if (previewFor) place($("preview"), previewFor); };
  window.addEventListener("scroll", replace, { passive: true });
  window.addEventListener("resize", replace);

  const params = new URL(location.href).searchParams;
  const saved = localStorage.getItem("wenda.collection");
  state.collection = params.get("c") || saved || "default";
  await loadCollections();

  // A shared link asks its question again, in a new conversation that
  // carries the questions it followed.
  const q = params.get("q");
  if (q) {
    state.conv = null;
    ask(q.slice(0, MAX_QUESTION), params.getAll("h").slice(-HISTORY_TURNS));
  }
});
