package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"wenda/answer"
)

// FuzzRequests sends whatever bodies, content types and query strings the
// fuzzer makes to the JSON and query routes: the server may refuse them,
// always in the one error shape, but never fails with a 5xx.
func FuzzRequests(f *testing.F) {
	for _, b := range []string{
		`{"question":"美方同意暂停实施50%穿透性规则多长时间？","k":3}`,
		`{"question":"那关税呢？","history":["马德里会谈讨论了哪些议题"],"mode":"bm25","filters":{"from":"2025-09","to":"2025-12-31"}}`,
		`{"model":"wenda","messages":[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":"中美"}]}],"stream":false}`,
		`{"question":"中美","filters":{"doc_ids":["g2-busan-summit"]},"mmr":true}`,
		`{"question":5}`, `[]`, `{"question":"x"} trailing`, "",
	} {
		f.Add(b, "application/json", "q=%E4%B8%AD%E7%BE%8E&k=3&mode=hybrid")
	}
	f.Add(`{"question":"中美"}`, "text/plain", "q=x&from=2025-13-45")
	f.Add(`{"question":"中美"}`, "application/json; charset=utf-8", "q=%zz")
	s := New(Options{MaxBodyBytes: 64 << 10})
	ix := realIndex(f)
	asker := &fakeAsker{ask: func(_ context.Context, req answer.Request) (answer.Answer, error) {
		return answer.Answer{Question: req.Question, Text: "好[1]。", Answerable: true}, nil
	}}
	s.Ready(Backend{Asker: asker, Searcher: ix, Library: ix})
	h := s.Handler()
	f.Fuzz(func(t *testing.T, body, contentType, query string) {
		for _, target := range []string{"/v1/ask", "/v1/chat/completions", "/v1/search?" + query} {
			method := http.MethodPost
			if strings.HasPrefix(target, "/v1/search") {
				method = http.MethodGet
			}
			req, err := http.NewRequest(method, "http://wenda"+target, strings.NewReader(body))
			if err != nil {
				return // not a URL a client could send
			}
			req.Header.Set("Content-Type", contentType)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s %s with %q: status %d: %s", method, target, body, rec.Code, rec.Body)
			}
			if rec.Code >= 400 {
				var e errorResponse
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
					t.Fatalf("%s %s: status %d without the error shape: %s", method, target, rec.Code, rec.Body)
				}
			}
		}
	})
}
