package server

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"wenda/answer"
	"wenda/feedback"
	"wenda/internal/browsertest"
	"wenda/internal/testindex"
)

// The browser helpers under the short names the page tests use.
var (
	newBrowser = browsertest.New
	browse     = browsertest.Do
	js         = browsertest.JS
	poll       = browsertest.Poll
	hover      = browsertest.Hover
	click      = browsertest.Click
	shoot      = browsertest.Shoot
	askInPage  = browsertest.Ask
	axeScript  = browsertest.Axe
	runAxe     = browsertest.RunAxe
)

func read[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	return browsertest.Read(t, ctx, a)
}

// lastTurn is a selector of the newest turn of the thread.
const lastTurn = browsertest.LastTurn

// recordingAsker passes requests to the real answerer and keeps them, so a
// test can see what the page sent.
type recordingAsker struct {
	Asker
	mu   sync.Mutex
	reqs []answer.Request
}

func (r *recordingAsker) record(req answer.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, req)
}

func (r *recordingAsker) Ask(ctx context.Context, req answer.Request) (answer.Answer, error) {
	r.record(req)
	return r.Asker.Ask(ctx, req)
}

func (r *recordingAsker) AskStream(ctx context.Context, req answer.Request, emit func(answer.Event) error) (answer.Answer, error) {
	r.record(req)
	return r.Asker.AskStream(ctx, req, emit)
}

func (r *recordingAsker) requests() []answer.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]answer.Request(nil), r.reqs...)
}

// page is a running server for browser tests: the real handler with a
// feedback store, answering with asker over lib.
type page struct {
	URL      string
	Feedback *feedback.Store
	Asks     *recordingAsker
}

func servePage(t *testing.T, asker Asker, lib interface {
	Library
	Searcher
}) *page {
	t.Helper()
	store, err := feedback.Open(filepath.Join(t.TempDir(), feedback.FileName), 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	rec := &recordingAsker{Asker: asker}
	s := New(Options{Logger: slog.New(slog.DiscardHandler), Feedback: store})
	s.Ready(Backend{Asker: rec, Searcher: lib, Library: lib})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return &page{URL: hs.URL, Feedback: store, Asks: rec}
}

// askedInPage serves the page over the real articles, opens it in a new
// browser and asks question there. It returns the browser, the page, the
// index and the answer the service gives the question directly: what the
// page must show.
func askedInPage(t *testing.T, question string) (context.Context, *page, *testindex.Index, answer.Answer) {
	t.Helper()
	ctx := newBrowser(t)
	ix := realIndex(t)
	svc := answer.NewService(ix, answer.Options{})
	p := servePage(t, svc, ix)
	want, err := svc.Ask(context.Background(), answer.Request{Question: question})
	if err != nil {
		t.Fatalf("ask %q: %v", question, err)
	}
	browse(t, ctx, chromedp.Navigate(p.URL+"/"))
	askInPage(t, ctx, question)
	return ctx, p, ix, want
}

// norm drops whitespace differences that layout may introduce in text read
// back from the page.
func norm(s string) string { return strings.Join(strings.Fields(s), "") }
