package server

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestDocumentsAndChunks(t *testing.T) {
	ts := newTestServer(t, failingAsker(t), Options{})
	ix := realIndex(t)

	list := decode[documentsResponse](t, do(t, "GET", ts.URL+"/v1/documents", "", nil))
	if len(list.Documents) != len(ix.Docs()) || len(list.Documents) == 0 {
		t.Fatalf("listed %d documents, the index has %d", len(list.Documents), len(ix.Docs()))
	}
	for _, d := range list.Documents {
		if d.ID == "" || d.Title == "" || d.Chars == 0 {
			t.Errorf("incomplete summary %+v", d)
		}
	}

	// Every chunk is a citation target: its offsets must index the
	// document text the API serves, in runes.
	for _, ch := range ix.AllChunks() {
		got := decode[chunkResponse](t, do(t, "GET", ts.URL+"/v1/chunks/"+url.PathEscape(ch.ID), "", nil))
		doc := decode[documentResponse](t, do(t, "GET", ts.URL+"/v1/documents/"+url.PathEscape(got.DocID), "", nil))
		runes := []rune(doc.Text)
		if got.ID != ch.ID || got.Title != doc.Title || got.End > len(runes) || got.Start >= got.End {
			t.Fatalf("chunk %s: %+v does not fit document %s (%d runes)", ch.ID, got, doc.ID, len(runes))
		}
		if string(runes[got.Start:got.End]) != got.Text {
			t.Fatalf("chunk %s: text at [%d,%d) differs from the chunk text", ch.ID, got.Start, got.End)
		}
		if doc.Chars != len(runes) {
			t.Errorf("document %s: chars %d, text has %d runes", doc.ID, doc.Chars, len(runes))
		}
	}
}

func TestSearch(t *testing.T) {
	ts := newTestServer(t, failingAsker(t), Options{})
	tests := []struct {
		query   string
		wantDoc string
	}{
		{"q=" + url.QueryEscape("马德里会谈") + "&k=3", "madrid-talks-interview"},
		{"q=" + url.QueryEscape("馬德里會談") + "&mode=bm25", "madrid-talks-interview"},
		{"q=" + url.QueryEscape("双C论坛在哪里举行") + "&mode=vector&k=2", "apec-forum-observations"},
		{"q=" + url.QueryEscape("中美关系") + "&doc=g2-busan-summit", "g2-busan-summit"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := do(t, "GET", ts.URL+"/v1/search?"+tt.query, "", nil)
			if r.Status != 200 {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			res := decode[searchResponse](t, r)
			if len(res.Passages) == 0 {
				t.Fatal("no passages")
			}
			if res.Passages[0].DocID != tt.wantDoc {
				t.Errorf("top passage from %s, want %s", res.Passages[0].DocID, tt.wantDoc)
			}
			if strings.Contains(tt.query, "doc=") {
				for _, p := range res.Passages {
					if p.DocID != tt.wantDoc {
						t.Errorf("the doc filter let through %s", p.ID)
					}
				}
			}
		})
	}
}

func TestRequestID(t *testing.T) {
	ts := newTestServer(t, failingAsker(t), Options{})
	tests := []struct {
		name, sent, want string
	}{
		{"kept", "req-42.a:b_c", "req-42.a:b_c"},
		{"sanitised", "bad id\t<script>alert(1)</script>", "badidscriptalert1script"},
		{"truncated", strings.Repeat("a", 200), strings.Repeat("a", maxRequestIDLen)},
		{"generated when absent", "", ""},
		{"generated when nothing survives", "<>\"'", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.sent != "" {
				h["X-Request-ID"] = tt.sent
			}
			r := do(t, "GET", ts.URL+"/v1/documents/nope", "", h)
			got := r.Header.Get("X-Request-ID")
			switch {
			case tt.want != "" && got != tt.want:
				t.Errorf("echoed %q, want %q", got, tt.want)
			case tt.want == "" && !regexp.MustCompile(`^[A-Z2-7]{20,}$`).MatchString(got):
				t.Errorf("generated id %q", got)
			}
			if !strings.Contains(ts.logs.String(), "request_id="+got+" ") {
				t.Errorf("no log line carries request_id=%s:\n%s", got, ts.logs.String())
			}
		})
	}
	// Two requests without an id get different ones.
	a := do(t, "GET", ts.URL+"/healthz", "", nil).Header.Get("X-Request-ID")
	b := do(t, "GET", ts.URL+"/healthz", "", nil).Header.Get("X-Request-ID")
	if a == b {
		t.Errorf("two requests share the generated id %q", a)
	}
}

func TestAccessLogLine(t *testing.T) {
	ts := newTestServer(t, failingAsker(t), Options{})
	do(t, "GET", ts.URL+"/v1/documents/madrid-talks-interview", "", map[string]string{"X-Request-ID": "log-check"})
	line := ""
	for _, l := range strings.Split(ts.logs.String(), "\n") {
		if strings.Contains(l, "request_id=log-check") && strings.Contains(l, `msg="http request"`) {
			line = l
		}
	}
	for _, want := range []string{"method=GET", "path=/v1/documents/madrid-talks-interview", "route=/v1/documents/:id", "status=200", "duration_ms="} {
		if !strings.Contains(line, want) {
			t.Errorf("access log line lacks %q: %q", want, line)
		}
	}
}

func TestMetrics(t *testing.T) {
	ts := newTestServer(t, failingAsker(t), Options{})
	do(t, "GET", ts.URL+"/v1/documents/madrid-talks-interview", "", nil)
	do(t, "GET", ts.URL+"/v1/documents/g2-busan-summit", "", nil)
	do(t, "GET", ts.URL+"/v1/documents/nope", "", nil)
	do(t, "GET", ts.URL+"/v1/search?q="+url.QueryEscape("中美关系"), "", nil)
	do(t, "GET", ts.URL+"/no/such/page", "", nil)
	do(t, "BREW", ts.URL+"/v1/ask", "", nil)

	body := ts.metricsText(t)
	for _, want := range []string{
		`wenda_http_requests_total{code="200",method="GET",route="/v1/documents/:id"} 2`,
		`wenda_http_requests_total{code="404",method="GET",route="/v1/documents/:id"} 1`,
		`wenda_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`wenda_http_requests_total{code="405",method="OTHER",route="unmatched"} 1`,
		`wenda_http_request_duration_seconds_count{method="GET",route="/v1/search"} 1`,
		`wenda_retrieval_duration_seconds_count 1`,
		`wenda_refusals_total 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, raw := range []string{"madrid-talks-interview", "/no/such/page", "BREW"} {
		if strings.Contains(body, raw) {
			t.Errorf("/metrics has a raw request value %q in a label", raw)
		}
	}
}

func TestWebPage(t *testing.T) {
	ts := newTestServer(t, nil, Options{})
	tests := []struct {
		path, contentType, contains string
	}{
		{"/", "text/html", `<script type="module" src="/static/app.js"`},
		{"/static/app.js", "javascript", "textContent"},
		{"/static/i18n.js", "javascript", "zh-Hant"},
		{"/static/api.js", "javascript", "Authorization"},
		{"/static/docview.js", "javascript", "IntersectionObserver"},
		{"/static/store.js", "javascript", "localStorage"},
		{"/static/style.css", "text/css", "@media"},
		{"/static/favicon.svg", "image/svg+xml", "<svg"},
		{"/static/thumb.svg", "image/svg+xml", "<svg"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := do(t, "GET", ts.URL+tt.path, "", nil)
			if r.Status != 200 {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); !strings.Contains(ct, tt.contentType) {
				t.Errorf("Content-Type %q, want %s", ct, tt.contentType)
			}
			if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
				t.Errorf("Content-Security-Policy %q", csp)
			}
			if !strings.Contains(string(r.Body), tt.contains) {
				t.Errorf("body lacks %q", tt.contains)
			}
			body := string(r.Body)
			// Nothing from elsewhere, no markup made from strings, nothing
			// a strict CSP would block.
			if m := regexp.MustCompile(`(?i)(src|href)=["']?(https?:)?//|url\(["']?(https?:)?//`).FindString(body); m != "" {
				t.Errorf("%s loads from another origin: %s", tt.path, m)
			}
			for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
				if strings.Contains(body, bad) {
					t.Errorf("%s uses %s", tt.path, bad)
				}
			}
			// The page says nothing about what the built-in articles are
			// about: that comes from the collection's metadata.
			for _, topic := range []string{"中美", "US–China", "US-China"} {
				if strings.Contains(body, topic) {
					t.Errorf("%s names the articles' topic %q", tt.path, topic)
				}
			}
		})
	}
	index := string(do(t, "GET", ts.URL+"/", "", nil).Body)
	if m := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>\s*[^<\s]|<style|\sstyle=|\son[a-z]+=`).FindString(index); m != "" {
		t.Errorf("the page has inline script, style or an event handler attribute: %q", m)
	}
}
