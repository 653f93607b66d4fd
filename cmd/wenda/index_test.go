package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"wenda/corpus"
	"wenda/server"
)

// copyArticles writes the shipped articles into dir, as a user's folder.
func copyArticles(t *testing.T, dir string, names ...string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(corpus.Embedded(), n)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type readyBody struct {
	Documents int                 `json:"documents"`
	Index     *server.IndexStatus `json:"index"`
}

func fetchJSON(t *testing.T, u string, v any) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("GET %s: %d %s", u, res.StatusCode, b)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// TestIngestWhileServing runs wenda ingest on a data directory a server
// holds: the ingest hands its changes over, the server indexes them
// without a restart, says so in its log and /readyz, and answers from
// them.
func TestIngestWhileServing(t *testing.T) {
	dir := t.TempDir()
	articles, data := filepath.Join(dir, "articles"), filepath.Join(dir, "data")
	copyArticles(t, articles, "g2-busan-summit.txt", "madrid-talks-interview.txt")
	addr, logs, stop := startServe(t, data, "--corpus", articles)
	defer stop()
	var ready readyBody
	fetchJSON(t, "http://"+addr+"/readyz", &ready)
	if ready.Documents != 2 || ready.Index == nil || ready.Index.Updated != nil || ready.Index.ReadOnly {
		t.Fatalf("/readyz before: %+v %+v", ready, ready.Index)
	}

	copyArticles(t, articles, "decoupling-misconceptions.txt")
	os.Remove(filepath.Join(articles, "madrid-talks-interview.txt"))
	var out, errs bytes.Buffer
	env := func(string) string { return "" }
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if code := Main(ctx, []string{"ingest", "--data", data, "--corpus", articles}, &out, &errs, env); code != 0 {
		t.Fatalf("ingest while serving: exit %d\n%s\n%s", code, out.String(), errs.String())
	}
	if !strings.Contains(out.String(), "handed 1 new or changed documents") || !strings.Contains(out.String(), "1 deletions") {
		t.Errorf("ingest said %q", out.String())
	}
	// It returned once the server had indexed everything. The server
	// removes a batch from the inbox when it has applied it, and then
	// reports it in /readyz and its log: the report may trail the removal
	// by a moment, so it is waited for.
	reported := func() bool {
		fetchJSON(t, "http://"+addr+"/readyz", &ready)
		return ready.Index != nil && ready.Index.Updated != nil && strings.Contains(logs.String(), "indexed the documents a bulk ingest handed over")
	}
	for deadline := time.Now().Add(10 * time.Second); !reported() && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if ready.Documents != 2 || ready.Index == nil || ready.Index.Updated == nil || ready.Index.Documents != 2 {
		t.Errorf("/readyz after: %+v %+v", ready, ready.Index)
	}
	if !strings.Contains(logs.String(), "indexed the documents a bulk ingest handed over") {
		t.Errorf("the server did not log the handover:\n%s", logs.String())
	}
	var docs struct {
		Documents []struct{ ID string } `json:"documents"`
	}
	fetchJSON(t, "http://"+addr+"/v1/documents", &docs)
	var ids []string
	for _, d := range docs.Documents {
		ids = append(ids, d.ID)
	}
	if strings.Join(ids, ",") != "decoupling-misconceptions,g2-busan-summit" {
		t.Errorf("documents after the handover: %v", ids)
	}
	var res struct {
		Passages []struct {
			DocID string `json:"doc_id"`
		} `json:"passages"`
	}
	fetchJSON(t, "http://"+addr+"/v1/search?q="+url.QueryEscape("Rukmani Gupta 脱钩")+"&mode=bm25", &res)
	if len(res.Passages) == 0 || res.Passages[0].DocID != "decoupling-misconceptions" {
		t.Errorf("search for the new document: %+v", res)
	}

	// wenda search cannot read the postings the server holds, and says
	// where to ask instead of hanging.
	out.Reset()
	errs.Reset()
	if code := Main(ctx, []string{"search", "--data", data, "--corpus", articles, "Rukmani Gupta"}, &out, &errs, env); code == 0 || !strings.Contains(errs.String(), "held by another wenda process") {
		t.Errorf("search while serving: exit %d\n%s", code, errs.String())
	}
}

// TestStaleIndexOnReadOnlyVolume serves an index built with another
// embedder from a data directory it may not write: it serves the index as
// built, with a warning in the log and /readyz, instead of exiting.
func TestStaleIndexOnReadOnlyVolume(t *testing.T) {
	data := t.TempDir()
	env := func(string) string { return "" }
	if code := Main(context.Background(), []string{"ingest", "--data", data}, io.Discard, io.Discard, env); code != 0 {
		t.Fatalf("ingest: exit %d", code)
	}
	addr, logs, stop := startServe(t, data, "--read-only", "--embed-dim", "256")
	defer stop()
	var ready readyBody
	fetchJSON(t, "http://"+addr+"/readyz", &ready)
	if ready.Documents != 5 || ready.Index == nil || !ready.Index.ReadOnly || !strings.Contains(ready.Index.Warning, "embedding dimension changed from 1024 to 256") {
		t.Errorf("/readyz: %+v %+v", ready, ready.Index)
	}
	if !strings.Contains(logs.String(), "serving the default collection with the embedder and chunker it was built with") {
		t.Errorf("no warning in the log:\n%s", logs.String())
	}
	res, err := http.Post("http://"+addr+"/v1/ask", "application/json", strings.NewReader(`{"question":"达巍用哪个英文词来概括这次中美元首会晤？"}`))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Text string `json:"text"`
	}
	json.NewDecoder(res.Body).Decode(&a)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(a.Text, "inflection point") {
		t.Errorf("answer from the stale index: %d %q", res.StatusCode, a.Text)
	}
	if _, err := os.Stat(filepath.Join(data, "LOCK")); err == nil {
		if b, _ := os.ReadFile(filepath.Join(data, "LOCK")); strings.Contains(string(b), "serve") && strings.Contains(string(b), "--read-only") {
			t.Error("a read-only server took the write lock")
		}
	}
}

// TestPaidEmbedderIsNotUsedUnasked starts a server configured with a
// remote embedder on an index built offline: it serves the index with
// the embedder it was built with and never sends the chunks to the
// endpoint; wenda ingest, asked, re-embeds them.
func TestPaidEmbedderIsNotUsedUnasked(t *testing.T) {
	var texts atomic.Int64
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Input []string `json:"input"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		texts.Add(int64(len(req.Input)))
		type item struct {
			Object    string    `json:"object"`
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		resp := struct {
			Object string `json:"object"`
			Data   []item `json:"data"`
			Model  string `json:"model"`
		}{Object: "list", Model: "m"}
		for i, in := range req.Input {
			v := make([]float32, 8)
			v[len(in)%8] = 1
			resp.Data = append(resp.Data, item{Object: "embedding", Index: i, Embedding: v})
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(resp)
	}))
	defer fake.Close()

	data := t.TempDir()
	noEnv := func(string) string { return "" }
	if code := Main(context.Background(), []string{"ingest", "--data", data}, io.Discard, io.Discard, noEnv); code != 0 {
		t.Fatalf("ingest: exit %d", code)
	}
	remote := []string{"--embedder", "openai", "--embed-url", fake.URL + "/v1", "--embed-key", "k", "--embed-model", "m"}
	addr, logs, stop := startServe(t, data, remote...)
	var ready readyBody
	fetchJSON(t, "http://"+addr+"/readyz", &ready)
	if ready.Documents != 5 || ready.Index == nil || !strings.Contains(ready.Index.Warning, "run wenda ingest") {
		t.Errorf("/readyz: %+v %+v", ready, ready.Index)
	}
	var res struct {
		Passages []json.RawMessage `json:"passages"`
	}
	fetchJSON(t, "http://"+addr+"/v1/search?q="+url.QueryEscape("中美关系"), &res)
	if len(res.Passages) == 0 {
		t.Error("no passages from the index served as built")
	}
	stop()
	// At most a probe of the endpoint; never the 159 chunks.
	if n := texts.Load(); n > 2 {
		t.Errorf("the server sent %d texts to the paid embedder unasked:\n%s", n, logs.String())
	}
	var out bytes.Buffer
	if code := Main(context.Background(), append([]string{"ingest", "--data", data}, remote...), &out, io.Discard, noEnv); code != 0 {
		t.Fatalf("ingest with the remote embedder: exit %d", code)
	}
	if n := texts.Load(); n < 100 {
		t.Errorf("wenda ingest, asked, embedded only %d texts", n)
	}
}
