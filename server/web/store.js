// Conversations kept in the browser (localStorage): each is a thread of
// questions and the answers the server gave, so that a reader can come back
// to one, follow up on it, or start a new one.

const KEY = "wenda.conversations";
const MAX_CONVERSATIONS = 100;
const MAX_TURNS = 60;

export function loadConversations() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || "[]");
    return Array.isArray(list) ? list.filter((c) => c && c.id && Array.isArray(c.turns)) : [];
  } catch {
    return [];
  }
}

// saveConversations writes the list, newest first, dropping the oldest
// conversations when the browser's storage is full.
export function saveConversations(list) {
  list.sort((a, b) => (b.updated || 0) - (a.updated || 0));
  let keep = list.slice(0, MAX_CONVERSATIONS).filter((c) => c.turns.length > 0);
  for (const c of keep) if (c.turns.length > MAX_TURNS) c.turns = c.turns.slice(-MAX_TURNS);
  while (keep.length > 0) {
    try {
      localStorage.setItem(KEY, JSON.stringify(keep));
      return;
    } catch {
      keep = keep.slice(0, keep.length - 1);
    }
  }
  localStorage.removeItem(KEY);
}

export function newId() {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

// storedAnswer keeps what the page needs to show an answer again, without
// the retrieved passages, which are the bulk of it.
export function storedAnswer(a) {
  const keep = ["question", "standalone", "query", "language", "text", "citations", "answerable", "reason",
    "reason_code", "answerer", "model", "fallback", "fallback_reason", "relevance", "verification", "short_answer", "timings"];
  const out = {};
  for (const k of keep) if (a[k] !== undefined) out[k] = a[k];
  return out;
}
