package bench

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/philippgille/chromem-go"

	"wenda/retrieval"
)

// SearchLatencies runs n queries in mode, cycling through qs, one after
// another, and returns the wall time of each.
func SearchLatencies(ctx context.Context, ix *retrieval.Index, mode retrieval.Mode, qs []string, n int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for i := range n {
		start := time.Now()
		if _, err := ix.Search(ctx, retrieval.Query{Text: qs[i%len(qs)], Mode: mode}); err != nil {
			return nil, fmt.Errorf("search %q: %w", qs[i%len(qs)], err)
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

// Chromem holds an index's chunk vectors in a chromem-go collection, so
// that chromem's own query can be timed on exactly the vectors wenda scans.
type Chromem struct {
	col *chromem.Collection
	emb retrieval.Embedder
}

// NewChromem embeds every chunk of ix again with emb, the embedder ix was
// built with, and adds the vectors to a fresh in-memory collection.
func NewChromem(ctx context.Context, ix *retrieval.Index, emb retrieval.Embedder) (*Chromem, error) {
	chunks := ix.Chunks()
	texts := make([]string, len(chunks))
	for i, c := range chunks {
		texts[i] = c.Text
	}
	vecs, err := emb.Embed(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("embed chunks: %w", err)
	}
	col, err := chromem.NewDB().CreateCollection("bench", nil, nil)
	if err != nil {
		return nil, err
	}
	docs := make([]chromem.Document, len(chunks))
	for i, c := range chunks {
		docs[i] = chromem.Document{ID: c.ID, Embedding: vecs[i]}
	}
	if err := col.AddDocuments(ctx, docs, runtime.GOMAXPROCS(0)); err != nil {
		return nil, fmt.Errorf("add vectors: %w", err)
	}
	return &Chromem{col: col, emb: emb}, nil
}

// Latencies embeds and queries n questions, cycling through qs, for the
// best k vectors each, and returns the wall time of each query.
func (c *Chromem) Latencies(ctx context.Context, qs []string, n, k int) ([]time.Duration, error) {
	k = min(k, c.col.Count())
	out := make([]time.Duration, 0, n)
	for i := range n {
		start := time.Now()
		qv, err := c.emb.Embed(ctx, []string{qs[i%len(qs)]})
		if err != nil {
			return nil, err
		}
		if _, err := c.col.QueryEmbedding(ctx, qv[0], k, nil, nil); err != nil {
			return nil, fmt.Errorf("chromem query: %w", err)
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}
