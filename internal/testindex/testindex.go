// Package testindex gives the tests of the stages after retrieval (answer,
// server, eval) one engine holding the real, embedded articles as the
// default collection, per test binary and vector size, built with the
// offline hash embedder in a temporary folder.
package testindex

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"

	"wenda/analysis"
	"wenda/chunk"
	"wenda/corpus"
	"wenda/embed"
	"wenda/index"
	"wenda/index/embedded"
	"wenda/ingest"
	"wenda/retrieval"
)

// Index is the engine with the articles and a searcher over it.
type Index struct {
	*embedded.Engine
	Searcher *retrieval.Searcher
	dir      string
}

// Search searches the default collection unless q names another.
func (ix *Index) Search(ctx context.Context, q retrieval.Query) (retrieval.Result, error) {
	return ix.Searcher.Search(ctx, q)
}

// Following reads the text after a passage, as the searcher does.
func (ix *Index) Following(ctx context.Context, coll string, p retrieval.Passage, n int) (retrieval.Passage, error) {
	return ix.Searcher.Following(ctx, coll, p, n)
}

type built struct {
	ix  *Index
	err error
}

var (
	mu      sync.Mutex
	indexes = map[int]*built{} // by embedding dimension
)

// Real returns the shared engine of the embedded articles with hashed
// vectors of dim dimensions, building it on first use. It fails tb when
// it cannot be built. Tests must not write to it.
func Real(tb testing.TB, dim int) *Index {
	tb.Helper()
	mu.Lock()
	defer mu.Unlock()
	b, ok := indexes[dim]
	if !ok {
		b = &built{}
		b.ix, b.err = Build(context.Background(), "", dim, nil)
		indexes[dim] = b
	}
	if b.err != nil {
		tb.Fatalf("build index of the real articles: %v", b.err)
	}
	return b.ix
}

// Build makes a new engine in dir (a new temporary folder when dir is "")
// holding docs (the embedded articles when nil) as the default
// collection. The caller closes it.
func Build(ctx context.Context, dir string, dim int, docs []corpus.Document) (*Index, error) {
	if docs == nil {
		res, err := corpus.Load(corpus.Embedded(), corpus.Options{})
		if err != nil {
			return nil, err
		}
		docs = res.Documents
	}
	emb, err := embed.NewHash(dim)
	if err != nil {
		return nil, err
	}
	own := ""
	if dir == "" {
		if dir, err = os.MkdirTemp("", fmt.Sprintf("wenda-test-index-%d-", dim)); err != nil {
			return nil, err
		}
		own = dir
	}
	e, err := embedded.Open(ctx, dir, embedded.Options{LoadVectors: true})
	if err != nil {
		return nil, err
	}
	reg := &embed.Registry{}
	_, _, err = ingest.Ensure(ctx, e, index.Collection{
		ID:       index.DefaultCollection,
		Metadata: index.Metadata{Title: "测试文章", Language: "zh-Hans"},
		Embedder: emb.Spec(), Chunker: chunk.Default,
	})
	if err == nil {
		x := &ingest.Indexer{Engine: e, Embedders: reg.For}
		_, err = x.Sync(ctx, index.DefaultCollection, ingest.Slice(docs), ingest.SyncOptions{})
	}
	if err != nil {
		e.Close()
		return nil, err
	}
	return &Index{Engine: e, Searcher: retrieval.NewSearcher(e, retrieval.Options{Embedders: reg.For}), dir: own}, nil
}

// Main runs a package's tests and then removes the indexes they built;
// call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	mu.Lock()
	for _, b := range indexes {
		if b.ix != nil {
			b.ix.Close()
			if b.ix.dir != "" {
				os.RemoveAll(b.ix.dir)
			}
		}
	}
	mu.Unlock()
	os.Exit(code)
}

// The lookups below serve tests that check answers against the articles;
// they read the default collection and panic on engine errors, which a
// local engine in a temporary folder does not have.

// Doc returns a document of the default collection.
func (ix *Index) Doc(id string) (*corpus.Document, bool) {
	d, err := ix.Engine.Document(context.Background(), index.DefaultCollection, id)
	if errors.Is(err, index.ErrNotFound) {
		return nil, false
	}
	if err != nil {
		panic(err)
	}
	return &d, true
}

// Docs returns every document of the default collection, with its text,
// in id order.
func (ix *Index) Docs() []corpus.Document {
	page, err := ix.Engine.Documents(context.Background(), index.DefaultCollection, index.Page{})
	if err != nil {
		panic(err)
	}
	out := make([]corpus.Document, len(page.Documents))
	for i, d := range page.Documents {
		doc, _ := ix.Doc(d.ID)
		out[i] = *doc
	}
	return out
}

// AllChunks returns every chunk of the default collection.
func (ix *Index) AllChunks() []chunk.Chunk {
	var out []chunk.Chunk
	page, err := ix.Engine.Documents(context.Background(), index.DefaultCollection, index.Page{})
	if err != nil {
		panic(err)
	}
	for _, d := range page.Documents {
		for i := range d.Chunks {
			c, err := ix.Engine.Chunk(context.Background(), index.DefaultCollection, index.ChunkID(d.ID, i))
			if err != nil {
				panic(err)
			}
			out = append(out, c)
		}
	}
	return out
}

// IDF is the inverse document frequency of a folded term over the chunks
// of the default collection.
func (ix *Index) IDF(term string) float64 {
	st, err := ix.Engine.TermStats(context.Background(), index.DefaultCollection, []string{term})
	if err != nil {
		panic(err)
	}
	return analysis.IDF(st.Chunks, st.DF[term])
}
