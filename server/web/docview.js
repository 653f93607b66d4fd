// DocView shows a document's text in a scrolling box, a window of blocks at
// a time, adding blocks as the reader scrolls toward either end. A document
// of any length (one of 8 MiB written as a single run of text froze a tab
// for minutes when put into the page whole) opens as fast as a short one.
//
// Offsets count Unicode code points, as the server's rune offsets do, while
// JavaScript strings index UTF-16 units; the block table keeps both.

// Blocks hold about BLOCK code points: a block ends at a line break once it
// has MIN_BLOCK, at a sentence end once it has BLOCK, and anywhere at
// MAX_BLOCK. Paragraphs of ordinary length are never cut.
const MIN_BLOCK = 1500;
const BLOCK = 3000;
const MAX_BLOCK = 6000;
// A document this short is shown whole.
const WHOLE = 200000;
// Blocks shown on each side of the target, and added per scroll step.
const AROUND = 2;
const STEP = 3;

const SENTENCE_END = new Set(["。", "！", "？", "；", "!", "?", ".", "…"]);

// blocksOf cuts text into blocks and returns their starts, in code points
// and in UTF-16 units, with the totals as the final entries.
export function blocksOf(text) {
  const cp = [0];
  const u16 = [0];
  let n = 0; // code points so far
  let size = 0; // code points in the current block
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    const w = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    i += w;
    n++;
    size++;
    let cut = false;
    if (size >= MIN_BLOCK && c === 10) cut = true;
    else if (size >= BLOCK && w === 1 && SENTENCE_END.has(text[i - 1])) cut = true;
    else if (size >= MAX_BLOCK) cut = true;
    if (cut && i < text.length) {
      cp.push(n);
      u16.push(i);
      size = 0;
    }
  }
  cp.push(n);
  u16.push(text.length);
  return { cp, u16, count: cp.length - 1, length: n };
}

// el makes an element with a class and text.
function mark(cls, text, attrs) {
  const m = document.createElement("mark");
  m.className = cls;
  m.textContent = text;
  for (const [k, v] of Object.entries(attrs || {})) m.setAttribute(k, v);
  return m;
}

export class DocView {
  // box is the scrolling element; spans says what to mark:
  // {quote: [start, end] | null, evidence: [[start, end], …], short: [start, end] | null,
  //  pages: [{n, start}, …], pageLabel: (n) => string}
  constructor(box, text, spans = {}) {
    this.box = box;
    this.text = text;
    this.blocks = blocksOf(text);
    this.quote = spans.quote || null;
    this.evidence = (spans.evidence || []).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
    this.short = spans.short || null;
    // Page starts after the first are shown as labels in the text.
    this.pages = (spans.pages || []).filter((p) => p.start > 0 && p.start < this.blocks.length);
    this.pageLabel = spans.pageLabel || ((n) => String(n));
    this.first = 0; // first rendered block
    this.last = -1; // last rendered block
    this.observer = null;
    this.firstMark = null;
    this.firstEvidence = null;
  }

  // render shows the blocks around the quote (or the start) and returns
  // the element to scroll to, if any.
  render() {
    const box = this.box;
    box.replaceChildren();
    this.top = document.createElement("div");
    this.top.className = "sentinel";
    this.body = document.createElement("div");
    this.body.className = "doc-body";
    this.bottom = document.createElement("div");
    this.bottom.className = "sentinel";
    box.append(this.top, this.body, this.bottom);

    const { count, length } = this.blocks;
    if (length <= WHOLE) {
      this.first = 0;
      this.last = count - 1;
      for (let i = 0; i < count; i++) this.body.append(this.block(i));
    } else {
      const at = this.quote ? this.blockAt(this.quote[0]) : 0;
      const endAt = this.quote ? this.blockAt(Math.max(this.quote[0], this.quote[1] - 1)) : 0;
      this.first = Math.max(0, at - AROUND);
      this.last = Math.min(count - 1, endAt + AROUND);
      for (let i = this.first; i <= this.last; i++) this.body.append(this.block(i));
      this.watch();
    }
    box.scrollTop = 0;
    return this.firstEvidence || this.firstMark;
  }

  // rendered is how many code points are in the page.
  rendered() {
    return this.blocks.cp[this.last + 1] - this.blocks.cp[this.first];
  }

  blockAt(offset) {
    const { cp, count } = this.blocks;
    let lo = 0, hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cp[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // block builds block i, with the marks that fall inside it.
  block(i) {
    const { cp, u16 } = this.blocks;
    const start = cp[i], end = cp[i + 1];
    const div = document.createElement("div");
    div.className = "blk";
    div.dataset.start = String(start);
    const text = this.text.slice(u16[i], u16[i + 1]);
    // Cut points inside the block: where any span starts or ends.
    const cuts = new Set([start, end]);
    const spans = [];
    if (this.quote) spans.push(this.quote);
    if (this.short) spans.push(this.short);
    for (const e of this.evidence) spans.push(e);
    for (const [a, b] of spans) {
      if (a > start && a < end) cuts.add(a);
      if (b > start && b < end) cuts.add(b);
    }
    const pageAt = new Map();
    for (const p of this.pages) {
      if (p.start >= start && p.start < end) {
        cuts.add(p.start);
        pageAt.set(p.start, p.n);
      }
    }
    const points = [...cuts].sort((x, y) => x - y);
    if (points.length === 2 && !this.inside(this.quote, start) && !pageAt.size) {
      div.textContent = text;
      return div;
    }
    // Convert the cut points to UTF-16 positions within the block.
    const pos = new Map();
    let k = 0, c = start;
    for (const p of points) {
      while (c < p) {
        const code = text.charCodeAt(k);
        k += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
        c++;
      }
      pos.set(p, k);
    }
    for (let j = 0; j + 1 < points.length; j++) {
      const a = points[j], b = points[j + 1];
      if (pageAt.has(a)) {
        // The label is generated content, so the text stays the
        // document's own.
        const label = document.createElement("span");
        label.className = "page-start";
        label.dataset.label = this.pageLabel(pageAt.get(a));
        div.append(label);
      }
      const piece = text.slice(pos.get(a), pos.get(b));
      if (!this.inside(this.quote, a)) {
        div.append(piece);
        continue;
      }
      const ev = this.evidence.findIndex((e) => this.inside(e, a));
      let cls = "quote";
      const attrs = {};
      if (ev >= 0) {
        cls += " evidence";
        attrs["data-ev"] = String(ev);
      }
      if (this.inside(this.short, a)) cls += " short";
      const m = mark(cls, piece, attrs);
      if (!this.firstMark) {
        this.firstMark = m;
        m.id = "highlight";
      }
      if (ev >= 0 && !this.firstEvidence) this.firstEvidence = m;
      div.append(m);
    }
    return div;
  }

  inside(span, at) {
    return Boolean(span) && at >= span[0] && at < span[1];
  }

  // watch adds blocks when a sentinel at either end comes near the view.
  watch() {
    this.observer = new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        if (e.target === this.bottom) this.more();
        else this.before();
      }
    }, { root: this.box, rootMargin: "800px 0px" });
    this.observer.observe(this.top);
    this.observer.observe(this.bottom);
  }

  // more appends the next blocks.
  more() {
    const n = Math.min(this.blocks.count - 1, this.last + STEP);
    const frag = document.createDocumentFragment();
    for (let i = this.last + 1; i <= n; i++) frag.append(this.block(i));
    this.last = n;
    this.body.append(frag);
    this.recheck();
  }

  // before prepends the previous blocks, keeping what the reader sees in
  // place.
  before() {
    if (this.first === 0) return;
    const n = Math.max(0, this.first - STEP);
    const frag = document.createDocumentFragment();
    for (let i = n; i < this.first; i++) frag.append(this.block(i));
    const height = this.box.scrollHeight;
    this.body.prepend(frag);
    this.first = n;
    this.box.scrollTop += this.box.scrollHeight - height;
    this.recheck();
  }

  // recheck makes the observer look again, since a sentinel that stays in
  // view after blocks were added reports no new intersection.
  recheck() {
    if (!this.observer) return;
    if (this.first === 0) this.observer.unobserve(this.top);
    if (this.last >= this.blocks.count - 1) this.observer.unobserve(this.bottom);
    for (const s of [this.top, this.bottom]) {
      if ((s === this.top && this.first > 0) || (s === this.bottom && this.last < this.blocks.count - 1)) {
        this.observer.unobserve(s);
        this.observer.observe(s);
      }
    }
  }

  close() {
    if (this.observer) this.observer.disconnect();
    this.observer = null;
  }
}
