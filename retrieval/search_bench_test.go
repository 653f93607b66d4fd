package retrieval_test

import (
	"context"
	"testing"
	"time"

	"wenda/bench"
	"wenda/retrieval"
)

// BenchmarkSearch queries indexes of 1k, 10k and 100k synthetic chunks in
// each mode with the benchmark questions, reporting p50 and p99 next to the
// mean.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	qs := bench.Questions()
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(sizeName(n), func(b *testing.B) {
			ix, _, err := retrieval.Ingest(ctx, benchDocs(b, n), retrieval.Options{Dir: b.TempDir(), Embedder: embedder(b)}, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			for _, mode := range []retrieval.Mode{retrieval.ModeBM25, retrieval.ModeVector, retrieval.ModeHybrid} {
				b.Run(string(mode), func(b *testing.B) {
					var took []time.Duration
					i := 0
					for b.Loop() {
						start := time.Now()
						if _, err := ix.Search(ctx, retrieval.Query{Text: qs[i%len(qs)], Mode: mode}); err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(start))
						i++
					}
					b.ReportMetric(float64(bench.Percentile(took, 0.5).Microseconds())/1000, "p50-ms")
					b.ReportMetric(float64(bench.Percentile(took, 0.99).Microseconds())/1000, "p99-ms")
				})
			}
		})
	}
}

// BenchmarkOpen loads a persisted index, as a server does at start-up.
func BenchmarkOpen(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{0, 100_000} {
		b.Run(sizeName(n), func(b *testing.B) {
			opts := retrieval.Options{Dir: b.TempDir(), Embedder: embedder(b)}
			ix, _, err := retrieval.Ingest(ctx, benchDocs(b, n), opts, nil)
			if err != nil {
				b.Fatal(err)
			}
			ix.Close()
			for b.Loop() {
				ix, err := retrieval.Open(ctx, opts)
				if err != nil {
					b.Fatal(err)
				}
				ix.Close()
			}
		})
	}
}
