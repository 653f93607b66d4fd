package weaviate

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/weaviate/weaviate-go-client/v5/weaviate/filters"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/graphql"

	"wenda/index"
)

// Lexical returns up to n chunks that hold any of the terms, best first by
// Weaviate's BM25 over the terms property. The terms are the analyzer's
// folded index terms of the query, the same the chunks were indexed with;
// a repeated term weighs more, as Weaviate counts it again.
func (e *Engine) Lexical(ctx context.Context, coll string, terms []string, n int, f index.Filter) ([]index.Hit, error) {
	terms = nonEmpty(terms)
	if len(terms) == 0 || n <= 0 {
		return nil, nil
	}
	query := strings.Join(terms, " ")
	return e.search(ctx, coll, n, "bm25", func(limit int) *graphql.Search {
		return e.client.Experimental().Search().WithCollection(e.chunkClass(coll)).
			WithBM25((&graphql.BM25ArgumentBuilder{}).WithQuery(query).WithProperties(pTerms)).
			WithMetadata(&graphql.Metadata{Score: true}).WithLimit(limit)
	}, func(r graphql.SearchResult) float64 { return float64(r.Metadata.Score) }, f)
}

// Vector returns the n chunks nearest to vec by cosine, best first, with
// their cosine similarity as score (Weaviate reports the distance, 1 -
// similarity). The HNSW index makes this approximate.
func (e *Engine) Vector(ctx context.Context, coll string, vec []float32, n int, f index.Filter) ([]index.Hit, error) {
	if len(vec) == 0 || n <= 0 {
		return nil, nil
	}
	return e.search(ctx, coll, n, "vector", func(limit int) *graphql.Search {
		return e.client.Experimental().Search().WithCollection(e.chunkClass(coll)).
			WithNearVector((&graphql.NearVectorArgumentBuilder{}).WithVector(vec)).
			WithMetadata(&graphql.Metadata{Distance: true}).WithLimit(limit)
	}, func(r graphql.SearchResult) float64 { return 1 - float64(r.Metadata.Distance) }, f)
}

// recentWindow is how long after a document's switch a search makes
// sure of the version it reads (see search). It is far longer than a
// search takes, so that it also covers clocks of the cluster and of wenda
// that differ by a little.
const recentWindow = 2 * time.Minute

// search runs one leg and keeps, for each document, the chunks of the
// version its document object names (see Put). A version named before a
// search began was written whole before it and is deleted only after the
// document names another. So when a hit's document was switched recently,
// the leg runs again, and its hits count only if their documents named the
// same version before and after it; versions are never reused, so a
// document that named the same one both times named it all along. A few
// more hits than asked for are fetched, as hits of other versions are
// dropped.
func (e *Engine) search(ctx context.Context, coll string, n int, leg string, build func(limit int) *graphql.Search, score func(graphql.SearchResult) float64, f index.Filter) ([]index.Hit, error) {
	w := where(f)
	limit := n + n/4 + 4
	var before map[string]docGen // read before this run of the leg
	for attempt := 0; ; attempt++ {
		s := build(limit).WithProperties(chunkProps...).WithConsistencyLevel(e.cfg.Consistency)
		if w != nil {
			s = s.WithWhere(w)
		}
		res, err := call(ctx, e, s.Do)
		if err != nil {
			return nil, fmt.Errorf("%s search in %s: %w", leg, coll, e.searchError(ctx, coll, err))
		}
		var ids []string
		seen := map[string]bool{}
		for _, r := range res {
			if id := propString(r.Properties, pDocID); !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return nil, nil
		}
		after, err := e.currentGens(ctx, coll, ids)
		if err != nil {
			return nil, err
		}
		settled := true
		for _, id := range ids {
			g, ok := after[id]
			if !ok {
				continue // deleted: its hits go
			}
			if b, was := before[id]; was {
				settled = settled && b.gen == g.gen
			} else {
				settled = settled && time.Since(g.updated) > recentWindow
			}
		}
		if !settled && attempt < 5 {
			before = after
			continue
		}
		hits := make([]index.Hit, 0, len(res))
		for _, r := range res {
			if after[propString(r.Properties, pDocID)].gen != propString(r.Properties, pGen) {
				continue
			}
			c, err := decodeChunk(r.Properties)
			if err != nil {
				return nil, err
			}
			hits = append(hits, index.Hit{Chunk: c, Score: score(r)})
		}
		if len(hits) < n && len(res) == limit && limit < 4*n+64 {
			limit *= 2
			before = after
			continue
		}
		sort.SliceStable(hits, func(i, j int) bool {
			if hits[i].Score != hits[j].Score {
				return hits[i].Score > hits[j].Score
			}
			return hits[i].Chunk.ID < hits[j].Chunk.ID
		})
		return hits[:min(n, len(hits))], nil
	}
}

// where turns a filter into Weaviate's, or nil for none, by the rules of
// index.Filter.Admits: dates compare as text, an upper bound "2025-10"
// admits any day of October, and a chunk of a document without a date
// (which has no date property) passes only when no range is set.
func where(f index.Filter) *filters.WhereBuilder {
	var ops []*filters.WhereBuilder
	if len(f.DocIDs) > 0 {
		ops = append(ops, anyDoc(f.DocIDs))
	}
	if f.From != "" {
		ops = append(ops, filters.Where().WithPath([]string{pDate}).WithOperator(filters.GreaterThanEqual).WithValueText(f.From))
	}
	if f.To != "" {
		ops = append(ops, filters.Where().WithOperator(filters.Or).WithOperands([]*filters.WhereBuilder{
			filters.Where().WithPath([]string{pDate}).WithOperator(filters.LessThanEqual).WithValueText(f.To),
			filters.Where().WithPath([]string{pDate}).WithOperator(filters.Like).WithValueText(f.To + "*"),
		}))
	}
	switch len(ops) {
	case 0:
		return nil
	case 1:
		return ops[0]
	}
	return filters.Where().WithOperator(filters.And).WithOperands(ops)
}

// nonEmpty drops empty terms and any with white space in them, which the
// whitespace tokenization would split into other terms.
func nonEmpty(terms []string) []string {
	out := terms[:0:0]
	for _, t := range terms {
		if t != "" && !strings.ContainsAny(t, " \t\n\r") {
			out = append(out, t)
		}
	}
	return out
}

// searchError names a missing collection as such; other errors pass with
// the server's message.
func (e *Engine) searchError(ctx context.Context, coll string, err error) error {
	if _, cerr := e.collection(ctx, coll); errors.Is(cerr, index.ErrNotFound) {
		return cerr
	}
	return unwrapFault(err)
}
