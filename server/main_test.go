package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"wenda/answer"
	"wenda/internal/testindex"
)

func TestMain(m *testing.M) { testindex.Main(m) }

// realIndex returns the shared index of the embedded corpus, built with the
// offline hash embedder (512 dimensions keep it quick to build).
func realIndex(t testing.TB) *testindex.Index {
	t.Helper()
	return testindex.Real(t, 512)
}

// fakeAsker injects failures: each field, when set, replaces a method.
type fakeAsker struct {
	ask    func(ctx context.Context, req answer.Request) (answer.Answer, error)
	stream func(ctx context.Context, req answer.Request, emit func(answer.Event) error) (answer.Answer, error)
}

func (f *fakeAsker) Ask(ctx context.Context, req answer.Request) (answer.Answer, error) {
	return f.ask(ctx, req)
}

func (f *fakeAsker) AskStream(ctx context.Context, req answer.Request, emit func(answer.Event) error) (answer.Answer, error) {
	if f.stream == nil {
		a, err := f.ask(ctx, req)
		if err != nil {
			return a, err
		}
		return a, emit(answer.Event{Type: answer.EventDone, Answer: &a})
	}
	return f.stream(ctx, req, emit)
}

func (f *fakeAsker) Answerer() string { return "fake" }
func (f *fakeAsker) Model() string    { return "" }

// failingAsker fails the test when called: requests that must be rejected
// before answering use it.
func failingAsker(t *testing.T) *fakeAsker {
	return &fakeAsker{ask: func(context.Context, answer.Request) (answer.Answer, error) {
		t.Error("the answerer was called for a request that should have been rejected")
		return answer.Answer{}, nil
	}}
}

// syncBuffer is a bytes.Buffer safe for a logger and a test to share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type testServer struct {
	*Server
	URL  string
	logs *syncBuffer
}

// newTestServer starts a Server through httptest.NewServer; with a nil
// asker it is left not ready.
func newTestServer(t *testing.T, asker Asker, opts Options) *testServer {
	t.Helper()
	logs := &syncBuffer{}
	opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
	s := New(opts)
	if asker != nil {
		ix := realIndex(t)
		s.Ready(Backend{Asker: asker, Searcher: ix, Library: ix})
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return &testServer{Server: s, URL: hs.URL, logs: logs}
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) errorCode(t *testing.T) string {
	t.Helper()
	var e errorResponse
	if err := json.Unmarshal(r.Body, &e); err != nil {
		t.Fatalf("error body is not the JSON error shape: %v: %s", err, r.Body)
	}
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("error body lacks code or message: %s", r.Body)
	}
	return e.Error.Code
}

func do(t *testing.T, method, url, body string, header map[string]string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: b}
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("decode %T: %v: %s", v, err, r.Body)
	}
	return v
}

// metricsText is what the metrics listener serves for ts.
func (ts *testServer) metricsText(t *testing.T) string {
	t.Helper()
	rec := httptest.NewRecorder()
	ts.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("metrics: status %d", rec.Code)
	}
	return rec.Body.String()
}
