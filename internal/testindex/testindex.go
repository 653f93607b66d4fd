// Package testindex gives the tests of the stages after retrieval (answer,
// server) one index of the real, embedded articles per test binary, built
// with the offline hash embedder in a temporary folder.
package testindex

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"wenda/corpus"
	"wenda/retrieval"
)

type built struct {
	ix  *retrieval.Index
	dir string
	err error
}

var (
	mu      sync.Mutex
	indexes = map[int]*built{} // by embedding dimension
)

// Real returns the shared index of the embedded articles with hashed
// vectors of dim dimensions, building it on first use. It fails tb when the
// index cannot be built.
func Real(tb testing.TB, dim int) *retrieval.Index {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	b, ok := indexes[dim]
	if !ok {
		b = build(dim)
		indexes[dim] = b
	}
	if b.err != nil {
		tb.Fatalf("build index of the real articles: %v", b.err)
	}
	return b.ix
}

func build(dim int) *built {
	res, err := corpus.Load(corpus.Embedded(), corpus.Options{})
	if err != nil {
		return &built{err: err}
	}
	emb, err := retrieval.NewHashEmbedder(dim)
	if err != nil {
		return &built{err: err}
	}
	dir, err := os.MkdirTemp("", fmt.Sprintf("wenda-test-index-%d-", dim))
	if err != nil {
		return &built{err: err}
	}
	ix, _, err := retrieval.Ingest(context.Background(), res.Documents, retrieval.Options{Dir: dir, Embedder: emb}, nil)
	return &built{ix: ix, dir: dir, err: err}
}

// Main runs a package's tests and then removes the indexes they built;
// call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	mu.Lock()
	for _, b := range indexes {
		if b.ix != nil {
			b.ix.Close()
		}
		if b.dir != "" {
			os.RemoveAll(b.dir)
		}
	}
	mu.Unlock()
	os.Exit(code)
}
