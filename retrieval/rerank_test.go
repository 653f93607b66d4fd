package retrieval

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"wenda/endpoint"
)

// fakeReranker serves /rerank and scores each document by how often it
// contains keyword; a non-zero status makes every call fail with it.
func fakeReranker(t *testing.T, keyword string, status int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/rerank" {
			http.NotFound(w, r)
			return
		}
		if status != 0 {
			w.WriteHeader(status)
			return
		}
		var req rerankRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Query == "" || req.TopN != len(req.Documents) {
			http.Error(w, "bad request", 400)
			return
		}
		type res struct {
			Index int     `json:"index"`
			Score float64 `json:"relevance_score"`
		}
		var out []res
		for i, d := range req.Documents {
			out = append(out, res{i, float64(strings.Count(d, keyword))})
		}
		json.NewEncoder(w).Encode(map[string]any{"results": out})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRerankReordersAndFallsBack(t *testing.T) {
	base := realIndex(t)
	ctx := context.Background()
	q := Query{Text: "中美关系 特朗普", K: 5}
	plain, err := base.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}

	// The fake scores passages by how often they mention 关税, so after
	// reranking the counts must not increase down the list, and the top
	// passage must mention it.
	rr, _ := NewReranker(endpoint.Config{BaseURL: fakeReranker(t, "关税", 0).URL, Timeout: time.Second})
	ix := *base
	ix.opts.Reranker = rr
	res, err := ix.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Reranked || res.RerankError != "" {
		t.Fatalf("reranked %v error %q", res.Reranked, res.RerankError)
	}
	if !strings.Contains(res.Passages[0].Text, "关税") {
		t.Errorf("top passage after rerank lacks the keyword: %s", res.Passages[0].ID)
	}
	for i := 1; i < len(res.Passages); i++ {
		if strings.Count(res.Passages[i].Text, "关税") > strings.Count(res.Passages[i-1].Text, "关税") {
			t.Errorf("passage %d mentions the keyword more than passage %d", i+1, i)
		}
	}

	broken, _ := NewReranker(endpoint.Config{BaseURL: fakeReranker(t, "", http.StatusServiceUnavailable).URL, Timeout: time.Second})
	ix.opts.Reranker = broken
	res, err = ix.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reranked || res.RerankError == "" {
		t.Errorf("failed rerank not reported: %+v", res)
	}
	if ids(res.Passages) != ids(plain.Passages) {
		t.Errorf("fallback order %s, fused order %s", ids(res.Passages), ids(plain.Passages))
	}
}
