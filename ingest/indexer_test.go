package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"wenda/corpus"
	"wenda/embed"
	"wenda/endpoint"
	"wenda/index"
	"wenda/index/embedded"
	"wenda/index/indextest"
	"wenda/ingest"
)

// counting counts the texts an embedder is given.
type counting struct {
	embed.Embedder
	n atomic.Int64
}

func (c *counting) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.n.Add(int64(len(texts)))
	return c.Embedder.Embed(ctx, texts)
}

func setup(t *testing.T) (*embedded.Engine, *ingest.Indexer, *counting) {
	t.Helper()
	e, err := embedded.Open(context.Background(), t.TempDir(), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	if _, err := e.CreateCollection(context.Background(), indextest.NewCollection(t, "c")); err != nil {
		t.Fatal(err)
	}
	// Hash embedders also embed from terms; this one must go through
	// Embed, where it is counted.
	emb := &counting{Embedder: indextest.Embedder(t)}
	return e, &ingest.Indexer{Engine: e, Embedders: func(embed.Spec) (embed.Embedder, error) { return emb, nil }}, emb
}

func TestSyncEmbedsOnlyWhatChanged(t *testing.T) {
	ctx := context.Background()
	e, x, emb := setup(t)
	docs := indextest.Articles(t)
	rep, err := x.Sync(ctx, "c", ingest.Slice(docs), ingest.SyncOptions{BatchChunks: 50})
	if err != nil {
		t.Fatal(err)
	}
	first := emb.n.Load()
	if rep.Documents != 5 || rep.Embedded != 5 || rep.Unchanged != 0 || first == 0 || rep.Chunks != int(first) {
		t.Fatalf("first sync %+v, %d texts embedded", rep, first)
	}
	// An upload into the same collection is not the corpus's to delete.
	upload := docs[0]
	upload.ID, upload.Hash = "uploaded", "u1"
	if _, err := x.Put(ctx, "c", upload, nil); err != nil {
		t.Fatal(err)
	}
	changed := docs[1]
	changed.Text += "\n\n新增的一段，说明文件改过了。"
	changed.Hash = "changed"
	again := []corpus.Document{docs[0], changed, docs[3], docs[4]} // docs[2] left the folder
	before := emb.n.Load()
	rep, err = x.Sync(ctx, "c", ingest.Slice(again), ingest.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Embedded != 1 || rep.Unchanged != 3 || rep.Deleted != 1 {
		t.Errorf("second sync %+v", rep)
	}
	infos, _ := e.DocInfos(ctx, "c", []string{changed.ID})
	if got := emb.n.Load() - before; got != int64(infos[changed.ID].Chunks) {
		t.Errorf("embedded %d texts, the changed document has %d chunks", got, infos[changed.ID].Chunks)
	}
	page, _ := e.Documents(ctx, "c", index.Page{})
	ids := map[string]string{}
	for _, d := range page.Documents {
		ids[d.ID] = d.Origin
	}
	if _, ok := ids[docs[2].ID]; ok || ids["uploaded"] != "" || ids[docs[0].ID] != ingest.OriginCorpus || len(ids) != 5 {
		t.Errorf("documents and origins after the second sync: %v", ids)
	}
	d, _ := e.Document(ctx, "c", changed.ID)
	if d.Text != changed.Text {
		t.Error("the changed document was not replaced")
	}
}

func TestSyncRefusesDuplicatesAndStops(t *testing.T) {
	ctx := context.Background()
	_, x, _ := setup(t)
	docs := indextest.Articles(t)
	if _, err := x.Sync(ctx, "c", ingest.Slice(append(docs, docs[0])), ingest.SyncOptions{}); err == nil {
		t.Error("a document twice in one stream was taken")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := x.Sync(cancelled, "c", ingest.Slice(docs), ingest.SyncOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled sync: %v", err)
	}
	if _, err := x.Sync(ctx, "missing", ingest.Slice(docs), ingest.SyncOptions{}); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("sync into a missing collection: %v", err)
	}
}

func TestEnsure(t *testing.T) {
	ctx := context.Background()
	e, _, _ := setup(t)
	c := indextest.NewCollection(t, "d")
	if _, created, err := ingest.Ensure(ctx, e, c); err != nil || !created {
		t.Fatalf("first Ensure: %v %v", created, err)
	}
	if _, created, err := ingest.Ensure(ctx, e, c); err != nil || created {
		t.Fatalf("second Ensure: %v %v", created, err)
	}
	other := c
	other.Embedder.Dim = 64
	var stale *ingest.StaleError
	if _, _, err := ingest.Ensure(ctx, e, other); !errors.As(err, &stale) {
		t.Errorf("another dimension: %v", err)
	}
	other = c
	other.Chunker.MaxRunes = 200
	if _, _, err := ingest.Ensure(ctx, e, other); !errors.As(err, &stale) {
		t.Errorf("another chunker: %v", err)
	}
}

// TestPutWithOpenAIEmbedder puts a document embedded by a fake
// OpenAI-compatible endpoint, through the real client, and finds it with
// a query embedded the same way.
func TestPutWithOpenAIEmbedder(t *testing.T) {
	ctx := context.Background()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Input []string `json:"input"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		type item struct {
			Object    string    `json:"object"`
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		out := struct {
			Object string `json:"object"`
			Data   []item `json:"data"`
		}{Object: "list"}
		for i, in := range req.Input {
			v := make([]float32, 16)
			for k, r := range []rune(in) {
				v[(int(r)+k)%16]++
			}
			out.Data = append(out.Data, item{Object: "embedding", Index: i, Embedding: v})
		}
		json.NewEncoder(w).Encode(out)
	}))
	defer srv.Close()
	emb, err := embed.NewOpenAI(endpoint.Config{BaseURL: srv.URL + "/v1", APIKey: "k", Model: "m", Timeout: time.Second}, 16, 8)
	if err != nil {
		t.Fatal(err)
	}
	e, err := embedded.Open(ctx, t.TempDir(), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	c := indextest.NewCollection(t, "o")
	c.Embedder = emb.Spec()
	if _, err := e.CreateCollection(ctx, c); err != nil {
		t.Fatal(err)
	}
	x := &ingest.Indexer{Engine: e, Embedders: func(embed.Spec) (embed.Embedder, error) { return emb, nil }}
	doc := indextest.Articles(t)[0]
	var progress []int
	n, err := x.Put(ctx, "o", doc, func(done, total int) { progress = append(progress, done) })
	if err != nil || n == 0 {
		t.Fatalf("put: %d chunks, %v", n, err)
	}
	if len(progress) == 0 || progress[len(progress)-1] != n {
		t.Errorf("progress %v for %d chunks", progress, n)
	}
	if name, ok, err := x.Filename(ctx, "o", doc.ID); err != nil || !ok || name != doc.Path {
		t.Errorf("Filename: %q %v %v", name, ok, err)
	}
	if err := x.Delete(ctx, "o", doc.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := x.Filename(ctx, "o", doc.ID); ok {
		t.Error("the document is still there after Delete")
	}
}
