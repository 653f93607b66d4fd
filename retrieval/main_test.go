package retrieval

import (
	"context"
	"os"
	"sync"
	"testing"

	"wenda/chunk"
	"wenda/corpus"
	"wenda/embed"
	"wenda/index"
	"wenda/index/embedded"
	"wenda/ingest"
)

// The real articles and one engine holding them are shared by the tests
// of this package; building it takes a fraction of a second.
var (
	fixtureOnce   sync.Once
	fixtureDocs   []corpus.Document
	fixtureEngine *embedded.Engine
	fixtureS      *Searcher
	fixtureErr    error
	fixtureDir    string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureEngine != nil {
		fixtureEngine.Close()
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

// newEngine opens an engine in dir with docs as the default collection.
func newEngine(t testing.TB, dir string, docs []corpus.Document, emb embed.Embedder) (*embedded.Engine, error) {
	ctx := context.Background()
	e, err := embedded.Open(ctx, dir, embedded.Options{})
	if err != nil {
		return nil, err
	}
	if _, _, err := ingest.Ensure(ctx, e, index.Collection{ID: index.DefaultCollection, Metadata: index.Metadata{Title: "t"}, Embedder: emb.Spec(), Chunker: chunk.Default}); err != nil {
		e.Close()
		return nil, err
	}
	x := &ingest.Indexer{Engine: e, Embedders: func(embed.Spec) (embed.Embedder, error) { return emb, nil }}
	if _, err := x.Sync(ctx, index.DefaultCollection, ingest.Slice(docs), ingest.SyncOptions{}); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

func hashEmbedder(t testing.TB) *embed.Hash {
	t.Helper()
	e, err := embed.NewHash(embed.DefaultHashDim)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// realIndex returns a searcher over the shared engine of the real
// articles.
func realIndex(t testing.TB) *Searcher {
	t.Helper()
	fixtureOnce.Do(func() {
		fixtureDocs = realDocs(t)
		fixtureDir, fixtureErr = os.MkdirTemp("", "wenda-retrieval-test")
		if fixtureErr != nil {
			return
		}
		emb := hashEmbedder(t)
		fixtureEngine, fixtureErr = newEngine(t, fixtureDir, fixtureDocs, emb)
		if fixtureErr == nil {
			fixtureS = NewSearcher(fixtureEngine, Options{Embedders: func(embed.Spec) (embed.Embedder, error) { return emb, nil }})
		}
	})
	if fixtureErr != nil {
		t.Fatalf("build index: %v", fixtureErr)
	}
	return fixtureS
}
