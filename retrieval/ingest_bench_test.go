package retrieval_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"wenda/bench"
	"wenda/corpus"
	"wenda/retrieval"
)

// Synthetic corpora are built once per size and shared by the benchmarks
// of this package; building the 100k one takes a few seconds.
var (
	synthMu   sync.Mutex
	synthDocs = map[int][]corpus.Document{}
)

// benchDocs returns the seed corpus for chunks == 0, otherwise a synthetic
// corpus of at least that many chunks.
func benchDocs(b *testing.B, chunks int) []corpus.Document {
	b.Helper()
	synthMu.Lock()
	defer synthMu.Unlock()
	if d, ok := synthDocs[chunks]; ok {
		return d
	}
	var docs []corpus.Document
	if chunks == 0 {
		var err error
		if docs, err = bench.SeedDocuments(); err != nil {
			b.Fatal(err)
		}
	} else {
		src, err := bench.SeedSource()
		if err != nil {
			b.Fatal(err)
		}
		docs = src.Synthesize(chunks, retrieval.DefaultChunker, bench.DefaultShape, bench.Seed)
	}
	synthDocs[chunks] = docs
	return docs
}

func sizeName(chunks int) string {
	if chunks == 0 {
		return "seed"
	}
	return fmt.Sprintf("chunks=%d", chunks)
}

func embedder(b *testing.B) *retrieval.HashEmbedder {
	b.Helper()
	e, err := retrieval.NewHashEmbedder(retrieval.DefaultHashDim)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkIngest builds a fresh index of the seed corpus and of synthetic
// corpora, reporting chunks/s next to the MB/s of document text.
func BenchmarkIngest(b *testing.B) {
	for _, n := range []int{0, 10_000, 100_000} {
		b.Run(sizeName(n), func(b *testing.B) {
			docs := benchDocs(b, n)
			b.SetBytes(bench.TextBytes(docs))
			ctx := context.Background()
			chunks := 0
			for b.Loop() {
				ix, rep, err := retrieval.Ingest(ctx, docs, retrieval.Options{Dir: b.TempDir(), Embedder: embedder(b)}, nil)
				if err != nil {
					b.Fatal(err)
				}
				ix.Close()
				chunks = rep.Chunks
			}
			b.ReportMetric(float64(chunks)*float64(b.N)/b.Elapsed().Seconds(), "chunks/s")
		})
	}
}
