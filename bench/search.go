package bench

import (
	"context"
	"fmt"
	"time"

	"wenda/embed"
	"wenda/index"
	"wenda/retrieval"
)

// SearchLatencies runs n queries on a collection in mode, cycling through
// qs, one after another, and returns the wall time of each.
func SearchLatencies(ctx context.Context, s *retrieval.Searcher, coll string, mode retrieval.Mode, qs []string, n int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for i := range n {
		start := time.Now()
		if _, err := s.Search(ctx, retrieval.Query{Collection: coll, Text: qs[i%len(qs)], Mode: mode}); err != nil {
			return nil, fmt.Errorf("search %q: %w", qs[i%len(qs)], err)
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

// VectorLatencies times the engine's vector leg alone — with the
// embedded engine, chromem-go's query over the collection — for n of the
// questions, cycling, each asking for the k nearest chunks. The questions
// are embedded beforehand, so only the query is timed.
func VectorLatencies(ctx context.Context, eng index.Searcher, emb embed.Embedder, coll string, qs []string, n, k int) ([]time.Duration, error) {
	vecs, err := emb.Embed(ctx, qs)
	if err != nil {
		return nil, fmt.Errorf("embed questions: %w", err)
	}
	out := make([]time.Duration, 0, n)
	for i := range n {
		start := time.Now()
		if _, err := eng.Vector(ctx, coll, vecs[i%len(vecs)], k, index.Filter{}); err != nil {
			return nil, fmt.Errorf("vector query: %w", err)
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

// SearchDuring runs hybrid searches on a collection one after another,
// cycling through qs, for as long as work runs, and returns the latency
// of each together with work's error.
func SearchDuring(ctx context.Context, s *retrieval.Searcher, coll string, qs []string, work func(context.Context) error) ([]time.Duration, error) {
	done := make(chan error, 1)
	go func() { done <- work(ctx) }()
	var out []time.Duration
	for i := 0; ; i++ {
		select {
		case err := <-done:
			return out, err
		default:
		}
		start := time.Now()
		if _, err := s.Search(ctx, retrieval.Query{Collection: coll, Text: qs[i%len(qs)], Mode: retrieval.ModeHybrid}); err != nil {
			<-done
			return out, fmt.Errorf("search %q: %w", qs[i%len(qs)], err)
		}
		out = append(out, time.Since(start))
	}
}
