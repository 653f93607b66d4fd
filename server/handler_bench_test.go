package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"wenda/answer"
	"wenda/bench"
	"wenda/embed"
	"wenda/internal/testindex"
	"wenda/server"
)

// BenchmarkHandler serves /v1/search and /v1/ask (offline answerer) on the
// seed corpus through the whole gin handler chain, without the network,
// the way bench/serve.sh loads it over loopback.
func BenchmarkHandler(b *testing.B) {
	ctx := context.Background()
	docs, err := bench.SeedDocuments()
	if err != nil {
		b.Fatal(err)
	}
	ix, err := testindex.Build(ctx, b.TempDir(), embed.DefaultHashDim, docs)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	srv := server.New(server.Options{})
	srv.Ready(server.Backend{Asker: answer.NewService(ix, answer.Options{FallbackOnError: true}), Searcher: ix, Library: ix})
	h := srv.Handler()
	qs := bench.Questions()
	requests := map[string]func(q string) *http.Request{
		"search": func(q string) *http.Request {
			return httptest.NewRequest(http.MethodGet, "/v1/search?q="+url.QueryEscape(q), nil)
		},
		"ask": func(q string) *http.Request {
			body, _ := json.Marshal(map[string]string{"question": q})
			r := httptest.NewRequest(http.MethodPost, "/v1/ask", strings.NewReader(string(body)))
			r.Header.Set("Content-Type", "application/json")
			return r
		},
	}
	for _, name := range []string{"search", "ask"} {
		b.Run(name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, requests[name](qs[i%len(qs)]))
				if w.Code != http.StatusOK {
					b.Fatalf("%s %q: status %d: %s", name, qs[i%len(qs)], w.Code, w.Body)
				}
				i++
			}
		})
	}
}
