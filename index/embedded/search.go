package embedded

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/philippgille/chromem-go"

	"wenda/chunk"
	"wenda/index"
)

// allowedDocs resolves a filter to the ids of the documents it admits
// that a search of epoch ep sees, sorted; nil means no filter. The caller
// holds c.mu.
func (c *collection) allowedDocs(f index.Filter, ep uint64) []string {
	if f.IsZero() {
		return nil
	}
	out := []string{}
	if len(f.DocIDs) > 0 {
		for _, id := range f.DocIDs {
			if d := c.at(id, ep); d != nil && f.Admits(id, d.info.Date) {
				out = append(out, id)
			}
		}
	} else {
		for id := range c.docs {
			if d := c.at(id, ep); d != nil && f.Admits(id, d.info.Date) {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// found is a visible hit before its text is read.
type found struct {
	doc   *docRec
	ord   int
	score float64
}

// keep turns engine hits (versioned ids) into the visible ones, at most n,
// and reads their texts.
func (c *collection) keep(ids []string, scores []float64, n int, ep uint64) ([]index.Hit, error) {
	fs := make([]found, 0, min(n, len(ids)))
	c.mu.RLock()
	for i, id := range ids {
		if d, ord, ok := c.visible(id, ep); ok {
			fs = append(fs, found{d, ord, scores[i]})
		}
	}
	c.mu.RUnlock()
	slices.SortStableFunc(fs, func(a, b found) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		return cmp.Or(cmp.Compare(a.doc.info.ID, b.doc.info.ID), cmp.Compare(a.ord, b.ord))
	})
	fs = fs[:min(n, len(fs))]
	out := make([]index.Hit, len(fs))
	for i, f := range fs {
		ch, err := c.readChunk(f.doc, f.ord)
		if err != nil {
			return nil, err
		}
		out[i] = index.Hit{Chunk: ch, Score: f.score}
	}
	return out, nil
}

// readChunk reads the text of a document's chunk from the log.
func (c *collection) readChunk(d *docRec, ord int) (chunk.Chunk, error) {
	cr := d.chunks[ord]
	d.seg.acquire()
	b, err := d.seg.readAt(d.textOff+int64(cr.bstart), int(cr.bend-cr.bstart))
	d.seg.release()
	if err != nil {
		return chunk.Chunk{}, fmt.Errorf("chunk %s: %w", d.chunkID(ord), err)
	}
	return chunk.Chunk{
		ID: d.chunkID(ord), DocID: d.info.ID, Ordinal: ord,
		Start: int(cr.start), End: int(cr.end), Heading: cr.heading, Text: string(b),
	}, nil
}

// errNoPostings is returned by the lexical leg of a catalogue-only engine.
var errNoPostings = errors.New("opened without its postings (another process holds them)")

func (c *collection) lexical(ctx context.Context, terms []string, n int, f index.Filter) ([]index.Hit, error) {
	if c.bm25 == nil {
		return nil, fmt.Errorf("collection %s: %w", c.meta.ID, errNoPostings)
	}
	if len(terms) == 0 || n <= 0 {
		return nil, nil
	}
	ep := c.ep.enter()
	defer c.ep.leave(ep)
	c.mu.RLock()
	allowed := c.allowedDocs(f, ep)
	// Versions being written or removed are in bleve but not visible;
	// ask for as many more.
	want := n + c.pending
	c.mu.RUnlock()
	if allowed != nil && len(allowed) == 0 {
		return nil, nil
	}
	hs, err := searchBM25(ctx, c.bm25, lexicalQuery(terms, allowed), want)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(hs))
	scores := make([]float64, len(hs))
	for i, h := range hs {
		ids[i], scores[i] = h.id, h.score
	}
	return c.keep(ids, scores, n, ep)
}

// maxWhereQueries is the number of documents up to which a filtered
// vector query runs one chromem-go query per document with its where
// filter; past it, one unfiltered query is widened until enough of its
// results pass the filter.
const maxWhereQueries = 4

func (c *collection) vector(ctx context.Context, vec []float32, n int, f index.Filter) ([]index.Hit, error) {
	if n <= 0 {
		return nil, nil
	}
	if len(vec) != c.meta.Embedder.Dim {
		return nil, fmt.Errorf("vector search: query has %d dimensions, collection %s holds %d (%s)", len(vec), c.meta.ID, c.meta.Embedder.Dim, c.meta.Embedder)
	}
	// Loading waits for writers, so it comes before the search enters
	// its epoch, for which writers wait.
	col, err := c.vectorCollection(ctx)
	if err != nil {
		return nil, err
	}
	ep := c.ep.enter()
	defer c.ep.leave(ep)
	c.mu.RLock()
	allowed := c.allowedDocs(f, ep)
	want := n + c.pending
	c.mu.RUnlock()
	total := col.Count()
	if total == 0 || (allowed != nil && len(allowed) == 0) {
		return nil, nil
	}
	var ids []string
	var scores []float64
	collect := func(rs []chromem.Result) {
		for _, r := range rs {
			ids = append(ids, r.ID)
			scores = append(scores, float64(r.Similarity))
		}
	}
	switch {
	case allowed == nil:
		rs, err := queryEmbedding(ctx, col, vec, want, nil)
		if err != nil {
			return nil, fmt.Errorf("vector search: %w", err)
		}
		collect(rs)
	case len(allowed) <= maxWhereQueries:
		for _, doc := range allowed {
			rs, err := queryEmbedding(ctx, col, vec, want, map[string]string{metaDoc: doc})
			if err != nil {
				return nil, fmt.Errorf("vector search: %w", err)
			}
			collect(rs)
		}
	default:
		in := make(map[string]bool, len(allowed))
		for _, d := range allowed {
			in[d] = true
		}
		for k := min(total, max(4*want, 64)); ; k = min(total, 4*k) {
			rs, err := queryEmbedding(ctx, col, vec, k, nil)
			if err != nil {
				return nil, fmt.Errorf("vector search: %w", err)
			}
			ids, scores = ids[:0], scores[:0]
			for _, r := range rs {
				if in[r.Metadata[metaDoc]] {
					ids = append(ids, r.ID)
					scores = append(scores, float64(r.Similarity))
				}
			}
			if len(ids) >= want || k == total {
				break
			}
		}
	}
	return c.keep(ids, scores, n, ep)
}

func (c *collection) termStats(ctx context.Context, terms []string) (index.TermStats, error) {
	if c.bm25 == nil {
		return index.TermStats{}, fmt.Errorf("collection %s: %w", c.meta.ID, errNoPostings)
	}
	df, err := docFreqs(ctx, c.bm25, terms)
	if err != nil {
		return index.TermStats{}, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	st := index.TermStats{Chunks: c.chunks, DF: df}
	if c.chunks > 0 {
		st.AvgTerms = float64(c.terms) / float64(c.chunks)
	}
	return st, nil
}

// queryEmbedding asks chromem-go for the k nearest vectors, k bounded by
// the collection's size at the moment of asking. chromem-go refuses a k
// above its size, and a concurrent Put or Delete may shrink the collection
// between the count and the query.
func queryEmbedding(ctx context.Context, col *chromem.Collection, vec []float32, k int, where map[string]string) ([]chromem.Result, error) {
	for try := 0; ; try++ {
		n := min(k, col.Count())
		if n <= 0 {
			return nil, nil
		}
		rs, err := col.QueryEmbedding(ctx, vec, n, where, nil)
		if err != nil && try < 5 && col.Count() < n {
			continue
		}
		return rs, err
	}
}
