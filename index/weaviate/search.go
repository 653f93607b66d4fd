package weaviate

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/weaviate/weaviate-go-client/v5/weaviate/filters"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/graphql"
)

// Lexical returns up to n chunks that hold any of the terms, best first by
// Weaviate's BM25 over the terms property. The terms are the analyzer's
// folded index terms of the query, the same the chunks were indexed with.
func (e *Engine) Lexical(ctx context.Context, coll string, terms []string, n int, f Filter) ([]Hit, error) {
	terms = nonEmpty(terms)
	if len(terms) == 0 || n <= 0 {
		return nil, nil
	}
	s := e.client.Experimental().Search().WithCollection(chunkClass(coll)).
		WithBM25((&graphql.BM25ArgumentBuilder{}).WithQuery(strings.Join(terms, " ")).WithProperties(pTerms)).
		WithProperties(chunkProps...).WithMetadata(&graphql.Metadata{Score: true}).
		WithLimit(n).WithConsistencyLevel(e.cfg.Consistency)
	if w := where(f); w != nil {
		s = s.WithWhere(w)
	}
	res, err := call(ctx, e, s.Do)
	if err != nil {
		return nil, fmt.Errorf("bm25 search in %s: %w", coll, e.searchError(ctx, coll, err))
	}
	out := make([]Hit, len(res))
	for i, r := range res {
		out[i] = Hit{Chunk: decodeChunk(r.Properties), Score: float64(r.Metadata.Score)}
	}
	return out, nil
}

// Vector returns the n chunks nearest to vec by cosine, best first, with
// their cosine similarity as score (Weaviate reports the distance, 1 -
// similarity). The HNSW index makes this approximate.
func (e *Engine) Vector(ctx context.Context, coll string, vec []float32, n int, f Filter) ([]Hit, error) {
	if len(vec) == 0 || n <= 0 {
		return nil, nil
	}
	s := e.client.Experimental().Search().WithCollection(chunkClass(coll)).
		WithNearVector((&graphql.NearVectorArgumentBuilder{}).WithVector(vec)).
		WithProperties(chunkProps...).WithMetadata(&graphql.Metadata{Distance: true}).
		WithLimit(n).WithConsistencyLevel(e.cfg.Consistency)
	if w := where(f); w != nil {
		s = s.WithWhere(w)
	}
	res, err := call(ctx, e, s.Do)
	if err != nil {
		return nil, fmt.Errorf("vector search in %s: %w", coll, e.searchError(ctx, coll, err))
	}
	out := make([]Hit, len(res))
	for i, r := range res {
		out[i] = Hit{Chunk: decodeChunk(r.Properties), Score: 1 - float64(r.Metadata.Distance)}
	}
	return out, nil
}

// TermStats returns the number of chunks, their mean number of terms and
// the number of chunks holding each of the terms, in one request.
func (e *Engine) TermStats(ctx context.Context, coll string, terms []string) (TermStats, error) {
	terms = nonEmpty(terms)
	class := chunkClass(coll)
	var q strings.Builder
	fmt.Fprintf(&q, "{Aggregate{all: %s{meta{count} %s{mean}}", class, pNTerms)
	for i, t := range terms {
		fmt.Fprintf(&q, " t%d: %s(where:{path:[%q],operator:Equal,valueText:%s}){meta{count}}",
			i, class, pTerms, strconv.Quote(t))
	}
	q.WriteString("}}")
	var res map[string][]struct {
		Meta   struct{ Count int }
		NTerms struct{ Mean float64 } `json:"nterms"`
	}
	if err := e.aggregate(ctx, q.String(), &res); err != nil {
		return TermStats{}, fmt.Errorf("term statistics of %s: %w", coll, e.searchError(ctx, coll, err))
	}
	st := TermStats{DF: make(map[string]int, len(terms))}
	if all := res["all"]; len(all) > 0 {
		st.Chunks, st.AvgTerms = all[0].Meta.Count, all[0].NTerms.Mean
	}
	for i, t := range terms {
		if r := res["t"+strconv.Itoa(i)]; len(r) > 0 {
			st.DF[t] = r[0].Meta.Count
		}
	}
	return st, nil
}

// where turns a filter into Weaviate's, or nil for none. A date bound
// compares as text, so "2025", "2025-10" and "2025-10-31" all work; an upper
// bound "2025-10" admits any day of October, and a document without a date
// passes only when no range is set, as in the embedded engine.
func where(f Filter) *filters.WhereBuilder {
	var ops []*filters.WhereBuilder
	if len(f.DocIDs) > 0 {
		ops = append(ops, filters.Where().WithPath([]string{pDocID}).WithOperator(filters.ContainsAny).WithValueText(f.DocIDs...))
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

func nonEmpty(terms []string) []string {
	out := terms[:0:0]
	for _, t := range terms {
		if t = strings.TrimSpace(t); t != "" && !strings.ContainsAny(t, " \t\n") {
			out = append(out, t)
		}
	}
	return out
}

// searchError names a missing collection as such; other errors pass with
// the server's message.
func (e *Engine) searchError(ctx context.Context, coll string, err error) error {
	if _, cerr := e.Collection(ctx, coll); errors.Is(cerr, ErrNotFound) {
		return cerr
	}
	return unwrapFault(err)
}
