package server

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"wenda/answer"
	"wenda/endpoint"
)

// TestBoundedInputs checks the bounds on what one request may make the
// server hold or scan: turns of history, chat messages, query parameters,
// and that the body is declared JSON.
func TestBoundedInputs(t *testing.T) {
	ts := newTestServer(t, failingAsker(t), Options{})
	turns := func(n, runes int) string {
		var hs []string
		for range n {
			hs = append(hs, strconv.Quote(strings.Repeat("中", runes)))
		}
		return `{"question":"那关税呢？","history":[` + strings.Join(hs, ",") + `]}`
	}
	msgs := func(n, runes int) string {
		var ms []string
		for range n {
			ms = append(ms, `{"role":"user","content":`+strconv.Quote(strings.Repeat("美", runes))+`}`)
		}
		return `{"model":"wenda","messages":[` + strings.Join(ms, ",") + `]}`
	}
	manyParams := "q=" + url.QueryEscape("中美") + strings.Repeat("&x=1", 10001)
	tests := []struct {
		name, method, path, body, contentType string
		status                                int
		code                                  string
	}{
		{"too many turns", "POST", "/v1/ask", turns(answer.MaxHistoryTurns+1, 5), "application/json", 400, "history_too_long"},
		{"one huge turn", "POST", "/v1/ask", turns(1, answer.MaxQuestionRunes+1), "application/json", 400, "turn_too_long"},
		{"too many chat messages", "POST", "/v1/chat/completions", msgs(maxChatMessages+1, 2), "application/json", 400, "too_many_messages"},
		{"huge chat message", "POST", "/v1/chat/completions", msgs(1, maxChatMessageRunes+1), "application/json", 400, "message_too_long"},
		{"earlier user turn too long", "POST", "/v1/chat/completions",
			`{"messages":[{"role":"user","content":` + strconv.Quote(strings.Repeat("美", answer.MaxQuestionRunes+1)) + `},{"role":"user","content":"那关税呢？"}]}`,
			"application/json", 400, "turn_too_long"},
		{"text/plain body", "POST", "/v1/ask", `{"question":"中美"}`, "text/plain", 415, "unsupported_media_type"},
		{"form body", "POST", "/v1/ask", `{"question":"中美"}`, "application/x-www-form-urlencoded", 415, "unsupported_media_type"},
		{"no content type", "POST", "/v1/ask", `{"question":"中美"}`, "", 415, "unsupported_media_type"},
		{"chat as text/plain", "POST", "/v1/chat/completions", `{"messages":[{"role":"user","content":"中美"}]}`, "text/plain;charset=UTF-8", 415, "unsupported_media_type"},
		{"impossible month", "POST", "/v1/ask", `{"question":"中美","filters":{"from":"2025-13-45"}}`, "application/json", 400, "invalid_date"},
		{"impossible day", "POST", "/v1/ask", `{"question":"中美","filters":{"to":"2025-02-30"}}`, "application/json", 400, "invalid_date"},
		{"search impossible date", "GET", "/v1/search?q=%E4%B8%AD%E7%BE%8E&from=2025-00", "", "", 400, "invalid_date"},
		{"more than 10k query parameters", "GET", "/v1/search?" + manyParams, "", "", 400, "invalid_query"},
		{"bad escape in query", "GET", "/v1/search?q=%zz", "", "", 400, "invalid_query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := map[string]string{"Content-Type": tt.contentType}
			if tt.contentType == "" {
				hdr = map[string]string{"Content-Type": ""}
			}
			r := doRaw(t, tt.method, ts.URL+tt.path, tt.body, hdr)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %.300s", r.Status, tt.status, r.Body)
			}
			if got := r.errorCode(t); got != tt.code {
				t.Errorf("code %q, want %q: %.300s", got, tt.code, r.Body)
			}
		})
	}
	// A JSON content type with parameters is JSON.
	ok := newTestServer(t, &fakeAsker{ask: func(context.Context, answer.Request) (answer.Answer, error) {
		return answer.Answer{Text: "好"}, nil
	}}, Options{})
	if r := doRaw(t, "POST", ok.URL+"/v1/ask", `{"question":"中美"}`, map[string]string{"Content-Type": "application/json; charset=utf-8"}); r.Status != 200 {
		t.Errorf("application/json; charset=utf-8: status %d: %s", r.Status, r.Body)
	}
}

// doRaw is do with the Content-Type left to the caller ("" sends none).
func doRaw(t *testing.T, method, url, body string, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	if _, err := bufio.NewReader(res.Body).WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: []byte(b.String())}
}

// namedAsker is a fakeAsker that names an LLM model.
type namedAsker struct{ *fakeAsker }

func (namedAsker) Answerer() string { return "llm" }
func (namedAsker) Model() string    { return "secret-model-name" }

func TestProbes(t *testing.T) {
	var llm endpoint.Monitor
	llm.Record(&endpoint.Error{Op: "chat", Status: 401, Kind: endpoint.ErrRejected, Err: fmt.Errorf("bad key")})
	ts := newTestServer(t, namedAsker{failingAsker(t)}, Options{Services: []Service{{Name: "llm", Monitor: &llm}, {Name: "embeddings", Monitor: &endpoint.Monitor{}}}})
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := do(t, "HEAD", ts.URL+path, "", nil); r.Status != 200 || len(r.Body) != 0 {
			t.Errorf("HEAD %s: status %d, %d bytes; want 200 and no body", path, r.Status, len(r.Body))
		}
	}
	r := do(t, "GET", ts.URL+"/readyz", "", nil)
	if strings.Contains(string(r.Body), "secret-model-name") {
		t.Errorf("/readyz names the model to anyone: %s", r.Body)
	}
	got := decode[readyResponse](t, r)
	if got.Services["llm"] != endpoint.StateRejected || got.Services["embeddings"] != endpoint.StateUnchecked {
		t.Errorf("/readyz services %v; want llm rejected, embeddings unchecked", got.Services)
	}
	// Metrics are not for everyone on the main listener: the admin key
	// reads them there, others on the metrics listener.
	if r := do(t, "GET", ts.URL+"/metrics", "", nil); r.Status != 401 {
		t.Errorf("/metrics without a key: status %d: %s; want 401", r.Status, r.Body)
	}
	keyed := newTestServer(t, failingAsker(t), Options{Keys: testKeys(t)})
	if r := do(t, "GET", keyed.URL+"/metrics", "", bearer(readerKey)); r.Status != 403 {
		t.Errorf("/metrics with a reader key: status %d; want 403", r.Status)
	}
	if r := do(t, "GET", keyed.URL+"/metrics", "", bearer(adminKey)); r.Status != 200 || !strings.Contains(string(r.Body), "wenda_http_requests_total") {
		t.Errorf("/metrics with the admin key: status %d", r.Status)
	}
	if !strings.Contains(ts.metricsText(t), "wenda_http_requests_total") {
		t.Error("the metrics handler serves no wenda metrics")
	}
}

func TestRateLimit(t *testing.T) {
	ts := newTestServer(t, failingAsker(t), Options{RateLimit: 0.01, RateBurst: 2, TrustedProxies: []string{"127.0.0.1"}})
	get := func(client string) response {
		return do(t, "GET", ts.URL+"/v1/documents", "", map[string]string{"X-Forwarded-For": client})
	}
	for i := range 2 {
		if r := get("203.0.113.1"); r.Status != 200 {
			t.Fatalf("request %d within the burst: status %d", i, r.Status)
		}
	}
	r := get("203.0.113.1")
	if r.Status != http.StatusTooManyRequests || r.errorCode(t) != "rate_limited" {
		t.Fatalf("over the burst: status %d: %s; want 429 rate_limited", r.Status, r.Body)
	}
	if ra, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || ra < 1 {
		t.Errorf("Retry-After %q; want whole seconds ≥ 1", r.Header.Get("Retry-After"))
	}
	// Another client has a bucket of its own; probes are never limited.
	if r := get("203.0.113.2"); r.Status != 200 {
		t.Errorf("another client: status %d", r.Status)
	}
	if r := do(t, "GET", ts.URL+"/healthz", "", map[string]string{"X-Forwarded-For": "203.0.113.1"}); r.Status != 200 {
		t.Errorf("/healthz of a limited client: status %d", r.Status)
	}
	if !strings.Contains(ts.metricsText(t), `wenda_http_requests_limited_total{reason="rate"} 1`) {
		t.Error("the limited request is not counted")
	}

	// With a key, the key is the client: two keys from one address have a
	// bucket each, and one key from two addresses shares one.
	keyed := newTestServer(t, failingAsker(t), Options{Keys: testKeys(t), RateLimit: 0.01, RateBurst: 1, TrustedProxies: []string{"127.0.0.1"}})
	getAs := func(key, addr string) int {
		h := bearer(key)
		h["X-Forwarded-For"] = addr
		return do(t, "GET", keyed.URL+"/v1/documents", "", h).Status
	}
	if st := getAs(readerKey, "203.0.113.1"); st != 200 {
		t.Fatalf("reader key: status %d", st)
	}
	if st := getAs(editorKey, "203.0.113.1"); st != 200 {
		t.Errorf("another key from the same address: status %d; want 200", st)
	}
	if st := getAs(readerKey, "203.0.113.9"); st != 429 {
		t.Errorf("the reader key from another address: status %d; want 429", st)
	}
}

func TestRateLimiterForgetsIdleClients(t *testing.T) {
	l := newLimiter(1, 1)
	now := time.Now()
	for i := range 1000 {
		l.reserve(fmt.Sprint("client", i), now)
	}
	l.reserve("late", now.Add(2*forgetAfter))
	if n := len(l.clients); n != 1 {
		t.Errorf("%d client buckets kept after they went idle; want 1", n)
	}
}

func TestConcurrencyCap(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 4)
	ts := newTestServer(t, &fakeAsker{ask: func(ctx context.Context, _ answer.Request) (answer.Answer, error) {
		entered <- struct{}{}
		<-release
		return answer.Answer{Text: "好"}, nil
	}}, Options{MaxConcurrent: 1})
	first := make(chan response, 1)
	go func() { first <- do(t, "POST", ts.URL+"/v1/ask", `{"question":"中美"}`, nil) }()
	<-entered
	r := do(t, "POST", ts.URL+"/v1/ask", `{"question":"中美"}`, nil)
	if r.Status != http.StatusServiceUnavailable || r.errorCode(t) != "overloaded" || r.Header.Get("Retry-After") == "" {
		t.Errorf("second request while the only slot is taken: status %d %s, Retry-After %q; want 503 overloaded", r.Status, r.Body, r.Header.Get("Retry-After"))
	}
	close(release)
	if r := <-first; r.Status != 200 {
		t.Errorf("first request: status %d", r.Status)
	}
	if r := do(t, "POST", ts.URL+"/v1/ask", `{"question":"中美"}`, nil); r.Status != 200 {
		t.Errorf("after the slot was freed: status %d", r.Status)
	}
}

// TestWriteTimeout pipelines requests for large answers on one connection
// and never reads: the server must give up on the writes and free its
// handler instead of waiting for the client forever.
func TestWriteTimeout(t *testing.T) {
	big := strings.Repeat("中美关系。", 100_000) // 1.5 MB of JSON per answer
	ts := newTestServer(t, &fakeAsker{ask: func(ctx context.Context, _ answer.Request) (answer.Answer, error) {
		return answer.Answer{Text: big}, nil
	}}, Options{WriteTimeout: 200 * time.Millisecond})
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"question":"中美"}`
	req := fmt.Sprintf("POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 40 {
			if _, err := conn.Write([]byte(req)); err != nil {
				return
			}
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		m := ts.metricsText(t)
		served := strings.Contains(m, `wenda_http_requests_total{code="200",method="POST",route="/v1/ask"}`)
		if served && strings.Contains(m, "wenda_http_requests_in_flight 0") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a handler is still writing to a client that does not read")
		}
		time.Sleep(50 * time.Millisecond)
	}
	conn.Close()
	wg.Wait()
}

func TestCORS(t *testing.T) {
	ts := newTestServer(t, &fakeAsker{ask: func(context.Context, answer.Request) (answer.Answer, error) {
		return answer.Answer{Text: "好"}, nil
	}}, Options{CORSOrigins: []string{"https://chat.example.com"}})
	preflight := func(origin string) response {
		return do(t, "OPTIONS", ts.URL+"/v1/chat/completions", "", map[string]string{
			"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"})
	}
	r := preflight("https://chat.example.com")
	if r.Header.Get("Access-Control-Allow-Origin") != "https://chat.example.com" || !strings.Contains(strings.ToLower(r.Header.Get("Access-Control-Allow-Headers")), "authorization") {
		t.Errorf("allowed origin's preflight: status %d, headers %v", r.Status, r.Header)
	}
	if r := preflight("https://evil.example"); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("another origin is allowed: %v", r.Header)
	}
	r = do(t, "POST", ts.URL+"/v1/ask", `{"question":"中美"}`, map[string]string{"Origin": "https://chat.example.com"})
	if r.Status != 200 || r.Header.Get("Access-Control-Allow-Origin") != "https://chat.example.com" {
		t.Errorf("allowed origin's request: status %d, headers %v", r.Status, r.Header)
	}
	// Without the setting no origin is allowed.
	closed := newTestServer(t, failingAsker(t), Options{})
	r = do(t, "OPTIONS", closed.URL+"/v1/ask", "", map[string]string{"Origin": "https://chat.example.com", "Access-Control-Request-Method": "POST"})
	if r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("an origin is allowed by default: %v", r.Header)
	}
}

// BenchmarkLimiter measures what the rate limit adds to a request that
// passes it: one token taken from a client's bucket, among many clients.
func BenchmarkLimiter(b *testing.B) {
	l := newLimiter(1e9, 1e9)
	clients := make([]string, 1000)
	for i := range clients {
		clients[i] = fmt.Sprint("addr:203.0.113.", i%250, ":", i)
	}
	now := time.Now()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		l.reserve(clients[i%len(clients)], now)
	}
}
