package retrieval

import (
	"context"
	"os"
	"sync"
	"testing"

	"wenda/corpus"
)

// The real articles and one index over them are shared by the tests of this
// package; building the index takes a fraction of a second.
var (
	fixtureOnce sync.Once
	fixtureDocs []corpus.Document
	fixtureIx   *Index
	fixtureErr  error
	fixtureDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureIx != nil {
		fixtureIx.Close()
	}
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

func realDocs(t testing.TB) []corpus.Document {
	t.Helper()
	res, err := corpus.Load(corpus.Embedded(), corpus.Options{})
	if err != nil {
		t.Fatalf("load embedded corpus: %v", err)
	}
	return res.Documents
}

func hashEmbedder(t testing.TB) *HashEmbedder {
	t.Helper()
	e, err := NewHashEmbedder(DefaultHashDim)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// realIndex returns the shared index of the real articles.
func realIndex(t testing.TB) *Index {
	t.Helper()
	fixtureOnce.Do(func() {
		fixtureDocs = realDocs(t)
		fixtureDir, fixtureErr = os.MkdirTemp("", "wenda-retrieval-test")
		if fixtureErr != nil {
			return
		}
		fixtureIx, _, fixtureErr = Ingest(context.Background(), fixtureDocs, Options{Dir: fixtureDir, Embedder: hashEmbedder(t)}, nil)
	})
	if fixtureErr != nil {
		t.Fatalf("build index: %v", fixtureErr)
	}
	return fixtureIx
}
