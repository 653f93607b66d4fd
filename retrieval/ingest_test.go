package retrieval

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"wenda/corpus"
)

// countingEmbedder counts the texts it is asked to embed.
type countingEmbedder struct {
	Embedder
	n atomic.Int64
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.n.Add(int64(len(texts)))
	return c.Embedder.Embed(ctx, texts)
}

func TestPersistenceRoundTrip(t *testing.T) {
	docs := realDocs(t)
	dir := t.TempDir()
	opts := Options{Dir: dir, Embedder: hashEmbedder(t)}
	ctx := context.Background()
	ix, rep, err := Ingest(ctx, docs, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Documents != len(docs) || rep.Chunks == 0 || rep.Embedded != rep.Chunks || !rep.Rebuilt {
		t.Errorf("first ingest report %+v", rep)
	}
	questions := []string{"马德里会谈讨论了哪些议题", "脱钩的代价", "G2是什么意思"}
	var before []string
	for _, q := range questions {
		for _, m := range []Mode{ModeBM25, ModeVector, ModeHybrid} {
			res, err := ix.Search(ctx, Query{Text: q, Mode: m})
			if err != nil {
				t.Fatal(err)
			}
			before = append(before, ids(res.Passages))
		}
	}
	ix.Close()

	re, err := Open(ctx, opts)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer re.Close()
	var after []string
	for _, q := range questions {
		for _, m := range []Mode{ModeBM25, ModeVector, ModeHybrid} {
			res, err := re.Search(ctx, Query{Text: q, Mode: m})
			if err != nil {
				t.Fatal(err)
			}
			after = append(after, ids(res.Passages))
		}
	}
	if strings.Join(before, "\n") != strings.Join(after, "\n") {
		t.Errorf("results differ after reload:\n%v\n%v", before, after)
	}
	if len(re.Documents()) != len(docs) || len(re.Chunks()) != rep.Chunks {
		t.Errorf("reloaded %d docs %d chunks", len(re.Documents()), len(re.Chunks()))
	}
}

func TestIncrementalIngestReembedsOnlyChanges(t *testing.T) {
	docs := realDocs(t)
	dir := t.TempDir()
	ctx := context.Background()
	emb := &countingEmbedder{Embedder: hashEmbedder(t)}
	opts := Options{Dir: dir, Embedder: emb}
	ix, first, err := Ingest(ctx, docs, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()

	// Nothing changed: nothing is embedded.
	emb.n.Store(0)
	ix, rep, err := Ingest(ctx, docs, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if emb.n.Load() != 0 || rep.Reused != first.Chunks || rep.Rebuilt {
		t.Errorf("unchanged re-ingest embedded %d, report %+v", emb.n.Load(), rep)
	}

	// One document gains a paragraph at its end: only its changed chunks
	// are embedded.
	changed := append([]corpus.Document(nil), docs...)
	changed[1].Text += "\n\n这是新增加的一段文字，用来检验增量更新。"
	changed[1].Hash = "changed"
	emb.n.Store(0)
	ix, rep, err = Ingest(ctx, changed, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	own := 0
	for _, c := range ix.Chunks() {
		if c.DocID == changed[1].ID {
			own++
		}
	}
	if got := emb.n.Load(); got == 0 || got > int64(own) {
		t.Errorf("embedded %d chunks; the changed document has %d", got, own)
	}
	if rep.Embedded+rep.Reused != rep.Chunks {
		t.Errorf("report %+v", rep)
	}
	res, err := ix.Search(ctx, Query{Text: "检验增量更新", Mode: ModeBM25, K: 1})
	if err != nil || len(res.Passages) == 0 || res.Passages[0].DocID != changed[1].ID {
		t.Errorf("new text not found: %v %+v", err, res.Passages)
	}
}

func TestEmbedderChangeRebuilds(t *testing.T) {
	docs := realDocs(t)
	dir := t.TempDir()
	ctx := context.Background()
	ix, _, err := Ingest(ctx, docs, Options{Dir: dir, Embedder: hashEmbedder(t)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	other, _ := NewHashEmbedder(256)
	var stale *StaleError
	if _, err := Open(ctx, Options{Dir: dir, Embedder: other}); !errors.As(err, &stale) {
		t.Fatalf("open with another embedder: %v", err)
	}
	ix, rep, err := Ingest(ctx, docs, Options{Dir: dir, Embedder: other}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !rep.Rebuilt || !strings.Contains(rep.RebuildReason, "dimension") || rep.Reused != 0 {
		t.Errorf("report %+v", rep)
	}
	var stale2 *StaleError
	if _, err := Open(ctx, Options{Dir: dir, Embedder: other, Chunker: ChunkerConfig{MaxRunes: 200, OverlapRunes: 20}}); !errors.As(err, &stale2) {
		t.Errorf("open with another chunker: %v", err)
	}
}

// failingWriter accepts some bytes, then fails as a full disk does.
type failingWriter struct {
	io.WriteCloser
	left int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.left {
		n, _ := f.WriteCloser.Write(p[:f.left])
		f.left = 0
		return n, syscall.ENOSPC
	}
	f.left -= len(p)
	return f.WriteCloser.Write(p)
}

func TestFullDiskKeepsPreviousIndex(t *testing.T) {
	docs := realDocs(t)
	dir := t.TempDir()
	ctx := context.Background()
	opts := Options{Dir: dir, Embedder: hashEmbedder(t)}
	ix, _, err := Ingest(ctx, docs, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ix.Search(ctx, Query{Text: "脱钩"})
	ix.Close()
	before, _ := os.ReadFile(filepath.Join(dir, manifestFile))

	orig := createFile
	t.Cleanup(func() { createFile = orig })
	createFile = func(name string) (io.WriteCloser, syncer, error) {
		w, s, err := orig(name)
		if err != nil {
			return nil, nil, err
		}
		return &failingWriter{WriteCloser: w, left: 4096}, s, nil
	}
	changed := append([]corpus.Document(nil), docs...)
	changed[0].Text += "\n\n新的段落。"
	changed[0].Hash = "changed"
	if _, _, err := Ingest(ctx, changed, opts, nil); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("ingest on a full disk: %v", err)
	}
	createFile = orig

	after, _ := os.ReadFile(filepath.Join(dir, manifestFile))
	if string(before) != string(after) {
		t.Error("manifest changed by a failed ingest")
	}
	ents, _ := os.ReadDir(dir)
	gens := 0
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "gen-") {
			gens++
			if strings.HasSuffix(e.Name(), ".tmp") {
				t.Errorf("partial generation %s left behind", e.Name())
			}
		}
	}
	if gens != 1 {
		t.Errorf("%d generations on disk, want 1", gens)
	}
	re, err := Open(ctx, opts)
	if err != nil {
		t.Fatalf("previous index unreadable after failed ingest: %v", err)
	}
	defer re.Close()
	got, _ := re.Search(ctx, Query{Text: "脱钩"})
	if ids(got.Passages) != ids(want.Passages) {
		t.Errorf("results changed: %s vs %s", ids(got.Passages), ids(want.Passages))
	}
}

func TestInterruptedGenerationIsIgnoredAndCleaned(t *testing.T) {
	docs := realDocs(t)
	dir := t.TempDir()
	ctx := context.Background()
	opts := Options{Dir: dir, Embedder: hashEmbedder(t)}
	ix, _, err := Ingest(ctx, docs, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	// A crash mid-write leaves a .tmp generation behind.
	junk := filepath.Join(dir, "gen-99999999T000000.000000000.tmp")
	if err := os.MkdirAll(junk, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(junk, vectorsFile), []byte("half"), 0o644)
	re, err := Open(ctx, opts)
	if err != nil {
		t.Fatalf("open beside a partial generation: %v", err)
	}
	re.Close()
	ix, _, err = Ingest(ctx, docs, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if _, err := os.Stat(junk); !os.IsNotExist(err) {
		t.Errorf("partial generation not cleaned: %v", err)
	}
}

func TestConcurrentIngestIsRefused(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	_, _, err = Ingest(context.Background(), realDocs(t), Options{Dir: dir, Embedder: hashEmbedder(t)}, nil)
	if !errors.Is(err, ErrLocked) {
		t.Errorf("second ingest: %v", err)
	}
}

func TestOpenWithoutIndex(t *testing.T) {
	if _, err := Open(context.Background(), Options{Dir: t.TempDir(), Embedder: hashEmbedder(t)}); !errors.Is(err, ErrNoIndex) {
		t.Errorf("got %v", err)
	}
}
