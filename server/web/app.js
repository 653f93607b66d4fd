// The wenda page: ask a question, watch the answer stream in, and open any
// [n] marker to read the cited words highlighted inside their article.
//
// Everything shown from articles and answers goes into the page as text
// (textContent, createTextNode); nothing from the server is parsed as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const MAX_QUESTION = 2000;

const state = {
  citations: new Map(), // n -> citation
  docs: new Map(),      // id -> summary
  texts: new Map(),     // id -> Promise of the full document
  controller: null,     // AbortController of the answer being streamed
};

// el builds an element with text content and attributes; it never sets HTML.
function el(tag, opts = {}, ...children) {
  const node = document.createElement(tag);
  if (opts.className) node.className = opts.className;
  if (opts.text !== undefined) node.textContent = opts.text;
  for (const [k, v] of Object.entries(opts.attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

function show(node, visible) { node.hidden = !visible; }

// ---- Articles ----

async function loadDocuments() {
  const status = $("library-status");
  let res;
  try {
    res = await fetch("/v1/documents");
  } catch {
    status.textContent = "无法连接服务器。";
    return;
  }
  if (res.status === 503) {
    status.textContent = "正在建立索引，请稍候…";
    setTimeout(loadDocuments, 2000);
    return;
  }
  if (!res.ok) {
    status.textContent = (await errorMessage(res)) || "文章列表加载失败。";
    return;
  }
  const { documents } = await res.json();
  const list = $("documents");
  list.replaceChildren();
  for (const d of documents) {
    state.docs.set(d.id, d);
    const meta = [d.source, d.date, d.authors && d.authors.join("、")].filter(Boolean).join(" · ");
    const button = el("button", { className: "doc", attrs: { type: "button" } },
      el("span", { className: "doc-title", text: d.title }),
      el("span", { className: "doc-meta", text: meta }));
    button.addEventListener("click", () => openReader(d.id));
    list.append(el("li", {}, button));
  }
  $("doc-count").textContent = String(documents.length);
  show(status, false);
}

function fetchDocument(id) {
  if (!state.texts.has(id)) {
    const p = fetch("/v1/documents/" + encodeURIComponent(id)).then(async (res) => {
      if (!res.ok) throw new Error((await errorMessage(res)) || "文章加载失败");
      return res.json();
    });
    p.catch(() => state.texts.delete(id));
    state.texts.set(id, p);
  }
  return state.texts.get(id);
}

// openReader shows an article; with a citation, the cited [start, end) is
// highlighted. Offsets count Unicode code points, as Go's runes do, while
// JavaScript strings index UTF-16 units: Array.from splits by code point.
async function openReader(id, cite) {
  const dialog = $("reader");
  $("reader-title").textContent = (state.docs.get(id) || {}).title || id;
  $("reader-meta").replaceChildren();
  $("reader-text").replaceChildren(el("p", { className: "muted", text: "正在加载…" }));
  const citeLine = $("reader-cite");
  if (cite) {
    citeLine.textContent = cite.label || `引文 [${cite.n}]` + (cite.supported ? "" : " · 未能逐句核实");
  }
  show(citeLine, Boolean(cite));
  if (!dialog.open) dialog.showModal();

  let doc;
  try {
    doc = await fetchDocument(id);
  } catch (err) {
    $("reader-text").replaceChildren(el("p", { className: "error", text: err.message }));
    return;
  }
  $("reader-title").textContent = doc.title;
  const meta = $("reader-meta");
  const parts = [doc.source, doc.date, doc.authors && doc.authors.join("、")].filter(Boolean);
  meta.append(parts.join(" · "));
  if (safeURL(doc.url)) {
    if (parts.length) meta.append(" · ");
    meta.append(el("a", { text: "原文链接", attrs: { href: doc.url, target: "_blank", rel: "noopener noreferrer" } }));
  }

  const text = $("reader-text");
  text.replaceChildren();
  if (!cite) {
    text.append(doc.text);
    text.scrollTop = 0;
    return;
  }
  const chars = Array.from(doc.text);
  const start = Math.max(0, Math.min(cite.start, chars.length));
  const end = Math.max(start, Math.min(cite.end, chars.length));
  // Inside the cited passage, the sentences the claim rests on (the
  // citation's evidence spans) are marked more strongly.
  const spans = (cite.evidence || [])
    .map((e) => [Math.max(start, Math.min(e.start, end)), Math.max(start, Math.min(e.end, end))])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const mark = el("mark", { className: "quote", attrs: { id: "highlight" } });
  let pos = start;
  let first = null;
  for (const [a, b] of spans) {
    if (a < pos) continue;
    const ev = el("mark", { className: "evidence", text: chars.slice(a, b).join("") });
    mark.append(chars.slice(pos, a).join(""), ev);
    first = first || ev;
    pos = b;
  }
  mark.append(chars.slice(pos, end).join(""));
  text.append(chars.slice(0, start).join(""), mark, chars.slice(end).join(""));
  (first || mark).scrollIntoView({ block: "start" });
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

// ---- Asking ----

async function ask(question) {
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  state.controller = controller;
  resetResult();
  setBusy(true);
  setStatus("正在检索文章…");

  const body = { question, stream: true, mode: $("mode").value };
  const k = parseInt($("k").value, 10);
  if (k >= 1 && k <= 50) body.k = k;

  let text = "";
  try {
    const res = await fetch("/v1/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!res.ok) {
      showError((await errorMessage(res)) || `请求失败（${res.status}）`);
      return;
    }
    for await (const { event, data } of readEvents(res.body)) {
      switch (event) {
        case "retrieval":
          showPassages(data.passages || []);
          setStatus(data.passages && data.passages.length ? `找到 ${data.passages.length} 段相关文字，正在作答…` : "没有找到相关文字。");
          break;
        case "delta":
          text += data.text || "";
          renderAnswer(text);
          break;
        case "citations":
          setCitations(data.citations || []);
          renderAnswer(text);
          break;
        case "done":
          finish(data);
          break;
        case "error":
          showError((data.error && data.error.message) || "回答失败。");
          break;
      }
    }
  } catch (err) {
    if (err.name !== "AbortError") showError("连接中断：" + err.message);
    else setStatus("已停止。");
  } finally {
    if (state.controller === controller) {
      state.controller = null;
      setBusy(false);
    }
  }
}

// readEvents parses a Server-Sent Events stream into {event, data} with the
// data decoded from JSON.
async function* readEvents(stream) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value.replace(/\r\n?/g, "\n");
    let cut;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let val = colon < 0 ? "" : line.slice(colon + 1);
        if (val.startsWith(" ")) val = val.slice(1);
        if (field === "event") event = val;
        else if (field === "data") data.push(val);
      }
      if (data.length) yield { event, data: JSON.parse(data.join("\n")) };
    }
  }
}

function finish(answer) {
  setCitations(answer.citations || []);
  renderAnswer(answer.text || "");
  const notice = $("notice");
  notice.replaceChildren();
  notice.className = "notice";
  if (!answer.answerable) {
    notice.classList.add("refusal");
    notice.append(el("strong", { text: "文章中找不到答案。" }), " ", answer.reason || "");
    show(notice, true);
  } else if (answer.fallback) {
    notice.classList.add("fallback");
    notice.append(el("strong", { text: "语言模型暂不可用，以下为原文摘录式回答。" }), " ", answer.fallback_reason || "");
    show(notice, true);
  }
  const t = answer.timings || {};
  const who = answer.answerer === "llm" ? `模型 ${answer.model || ""}`.trim() : "摘录式";
  setStatus(`${who} · 用时 ${Math.round(t.total_ms || 0)} ms`);
}

function resetResult() {
  state.citations.clear();
  show($("result"), true);
  show($("notice"), false);
  show($("sources"), false);
  show($("passages-box"), false);
  $("answer").replaceChildren();
  $("citations").replaceChildren();
  $("passages").replaceChildren();
  $("answer").classList.remove("error");
}

function setStatus(msg) { $("status").textContent = msg; }

function showError(msg) {
  setStatus("");
  const notice = $("notice");
  notice.className = "notice error";
  notice.replaceChildren(el("strong", { text: "出错了：" }), " ", msg);
  show(notice, true);
}

function setBusy(busy) {
  const b = $("ask-button");
  b.textContent = busy ? "停止" : "提问";
  b.classList.toggle("stop", busy);
  $("result").setAttribute("aria-busy", String(busy));
}

// renderAnswer shows text with each [n] (or [n, m]) as buttons that open
// the citations. A run of markers is kept on one line with the character
// before it and the punctuation after it, so that a line never starts
// with a marker or a full stop.
function renderAnswer(text) {
  const out = $("answer");
  out.replaceChildren();
  const re = /((?:\[\d{1,3}(?:\s*[,，、]\s*\d{1,3})*\])+)([。，、；：！？）」』”’.,;:!?)]?)/g;
  let last = 0;
  for (let m; (m = re.exec(text)); ) {
    const before = Array.from(text.slice(last, m.index));
    const group = el("span", { className: "cite-group" });
    if (before.length && !/\s/.test(before[before.length - 1])) group.append(before.pop());
    out.append(before.join(""));
    for (const n of m[1].match(/\d{1,3}/g)) group.append(citeButton(Number(n)));
    group.append(m[2]);
    out.append(group);
    last = re.lastIndex;
  }
  out.append(text.slice(last));
}

function citeButton(n) {
  const c = state.citations.get(n);
  const b = el("button", { className: "cite", text: String(n), attrs: { type: "button", "data-n": String(n) } });
  if (c) {
    b.title = c.title;
    b.setAttribute("aria-label", `引文 ${n}：${c.title}`);
    if (!c.supported) b.classList.add("unsupported");
    b.addEventListener("click", () => openReader(c.doc_id, c));
  } else {
    b.disabled = true;
  }
  return b;
}

function setCitations(cites) {
  state.citations.clear();
  const list = $("citations");
  list.replaceChildren();
  for (const c of cites) {
    state.citations.set(c.n, c);
    const head = el("span", { className: "source-head" },
      el("span", { className: "source-n", text: `[${c.n}]` }),
      el("span", { className: "source-title", text: c.title }));
    if (c.source) head.append(el("span", { className: "source-meta", text: c.source }));
    if (!c.supported) head.append(el("span", { className: "badge", text: "未核实" }));
    const button = el("button", { className: "source", attrs: { type: "button" } },
      head, el("span", { className: "source-quote", text: clip(c.quote, 140) }));
    button.addEventListener("click", () => openReader(c.doc_id, c));
    list.append(el("li", {}, button));
  }
  show($("sources"), cites.length > 0);
}

function showPassages(passages) {
  const list = $("passages");
  list.replaceChildren();
  for (const p of passages) {
    const button = el("button", { className: "source", attrs: { type: "button" } },
      el("span", { className: "source-head" }, el("span", { className: "source-title", text: p.title })),
      el("span", { className: "source-quote", text: clip(p.text, 110) }));
    button.addEventListener("click", () => openReader(p.doc_id, { label: "检索到的段落", start: p.start, end: p.end }));
    list.append(el("li", {}, button));
  }
  $("passage-count").textContent = `(${passages.length})`;
  show($("passages-box"), passages.length > 0);
}

function clip(s, n) {
  const chars = Array.from((s || "").replace(/\s+/g, " ").trim());
  return chars.length > n ? chars.slice(0, n).join("") + "…" : chars.join("");
}

async function errorMessage(res) {
  try {
    const body = await res.json();
    return body.error && body.error.message;
  } catch {
    return "";
  }
}

// ---- Wiring ----

function updateCounter() {
  const n = Array.from($("question").value).length;
  const counter = $("counter");
  counter.textContent = `${n} / ${MAX_QUESTION}`;
  counter.classList.toggle("over", n > MAX_QUESTION);
}

// submit asks the question in the box, or stops the answer being written.
function submit() {
  if (state.controller) {
    state.controller.abort();
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
  const url = new URL(location.href);
  url.searchParams.set("q", q);
  history.replaceState(null, "", url);
  ask(q);
}

document.addEventListener("DOMContentLoaded", () => {
  $("ask-form").addEventListener("submit", (e) => { e.preventDefault(); submit(); });
  $("question").addEventListener("input", updateCounter);
  $("question").addEventListener("keydown", (e) => {
    // Enter asks; Shift+Enter is a new line. While an input method is
    // composing (pinyin, zhuyin), Enter picks characters instead.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      askBox();
    }
  });
  for (const chip of document.querySelectorAll("#examples .chip")) {
    chip.addEventListener("click", () => {
      $("question").value = chip.textContent;
      updateCounter();
      askBox();
    });
  }
  $("reader-close").addEventListener("click", () => $("reader").close());
  $("reader").addEventListener("click", (e) => { if (e.target === $("reader")) $("reader").close(); });

  loadDocuments();
  const q = new URL(location.href).searchParams.get("q");
  if (q) {
    $("question").value = q;
    updateCounter();
    askBox();
  }
});
