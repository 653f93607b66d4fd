package answer

import (
	"context"
	"os"
	"sync"
	"testing"

	"wenda/corpus"
	"wenda/retrieval"
)

// One index over the real articles serves every test of the package.
var (
	fixtureOnce sync.Once
	fixtureIx   *retrieval.Index
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

// realIndex returns the shared index of the embedded articles, built with
// the offline hash embedder.
func realIndex(t testing.TB) *retrieval.Index {
	t.Helper()
	fixtureOnce.Do(func() {
		var res *corpus.Result
		res, fixtureErr = corpus.Load(corpus.Embedded(), corpus.Options{})
		if fixtureErr != nil {
			return
		}
		var emb *retrieval.HashEmbedder
		emb, fixtureErr = retrieval.NewHashEmbedder(retrieval.DefaultHashDim)
		if fixtureErr != nil {
			return
		}
		fixtureDir, fixtureErr = os.MkdirTemp("", "wenda-answer-test")
		if fixtureErr != nil {
			return
		}
		fixtureIx, _, fixtureErr = retrieval.Ingest(context.Background(), res.Documents, retrieval.Options{Dir: fixtureDir, Embedder: emb}, nil)
	})
	if fixtureErr != nil {
		t.Fatalf("build index of the real articles: %v", fixtureErr)
	}
	return fixtureIx
}
