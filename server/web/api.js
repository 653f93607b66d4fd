// Calls to the wenda API. Every failure becomes an ApiError carrying the
// server's stable error code, which the page words in the reader's
// language.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || "";
  }
}

// keys is where the page keeps an API key: in localStorage when the reader
// asked to remember it, else for this tab only.
export const keys = {
  get() {
    return sessionStorage.getItem("wenda.key") || localStorage.getItem("wenda.key") || "";
  },
  set(key, remember) {
    sessionStorage.setItem("wenda.key", key);
    if (remember) localStorage.setItem("wenda.key", key);
    else localStorage.removeItem("wenda.key");
  },
  clear() {
    sessionStorage.removeItem("wenda.key");
    localStorage.removeItem("wenda.key");
  },
};

// askKey is set by the page: it asks the reader for a key and resolves to
// true when one was given.
export const hooks = { askKey: async () => false };

function headers(extra) {
  const h = new Headers(extra || {});
  const key = keys.get();
  if (key) h.set("Authorization", "Bearer " + key);
  return h;
}

// errorOf reads the error shape {"error": {"code", "message"}} of a failed
// response.
export async function errorOf(res) {
  let code = "", message = "";
  try {
    const body = await res.json();
    code = (body.error && body.error.code) || "";
    message = (body.error && body.error.message) || "";
  } catch {
    // Not JSON: a proxy's page, say. The status is all there is.
  }
  return new ApiError(res.status, code, message);
}

// call fetches path; on 401 it asks for a key once and tries again.
export async function call(path, opts = {}) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(path, { ...opts, headers: headers(opts.headers) });
    if (res.ok) return res;
    const err = await errorOf(res);
    if (res.status === 401 && attempt === 0) {
      if (err.code === "key_invalid") keys.clear();
      if (await hooks.askKey(err)) continue;
    }
    throw err;
  }
}

export async function getJSON(path, opts) {
  const res = await call(path, opts);
  return res.json();
}

export async function sendJSON(method, path, body, opts = {}) {
  const res = await call(path, {
    ...opts,
    method,
    headers: { "Content-Type": "application/json", ...(opts.headers || {}) },
    body: JSON.stringify(body),
  });
  return res.status === 204 ? null : res.json();
}

// readEvents parses a Server-Sent Events stream into {event, data} with the
// data decoded from JSON.
export async function* readEvents(stream) {
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

// upload sends one file with XMLHttpRequest, which (unlike fetch) reports
// upload progress; onProgress gets the share sent, 0 to 1.
export function upload(path, file, onProgress) {
  const attempt = () => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    const key = keys.get();
    if (key) xhr.setRequestHeader("Authorization", "Bearer " + key);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(xhr.response);
        return;
      }
      const body = xhr.response || {};
      reject(new ApiError(xhr.status, body.error && body.error.code, body.error && body.error.message));
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "network error"));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
  return (async () => {
    try {
      return await attempt();
    } catch (err) {
      if (err.status === 401) {
        if (err.code === "key_invalid") keys.clear();
        if (await hooks.askKey(err)) return attempt();
      }
      throw err;
    }
  })();
}
