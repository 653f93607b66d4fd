package retrieval

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"wenda/analysis"
)

// The lexical index is bleve with BM25 scoring. Each chunk is one bleve
// document: its folded text analyzed by the CJK analyzer, and its document
// id as a keyword for filtering.
const (
	fieldText = "text"
	fieldDoc  = "doc"
)

type bm25Doc struct {
	Text string `json:"text"`
	Doc  string `json:"doc"`
}

func bm25Mapping() mapping.IndexMapping {
	text := bleve.NewTextFieldMapping()
	text.Analyzer = analysis.Analyzer
	text.Store = false
	text.IncludeTermVectors = false
	text.IncludeInAll = false
	doc := bleve.NewKeywordFieldMapping()
	doc.Analyzer = keyword.Name
	doc.Store = false
	doc.IncludeInAll = false
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldText, text)
	dm.AddFieldMappingsAt(fieldDoc, doc)
	im := bleve.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = analysis.Analyzer
	im.ScoringModel = "bm25"
	im.StoreDynamic = false
	im.IndexDynamic = false
	return im
}

// buildBM25 writes a bleve index of the chunks' folded texts at path.
func buildBM25(ctx context.Context, path string, chunks []Chunk, folded []string) (bleve.Index, error) {
	idx, err := bleve.New(path, bm25Mapping())
	if err != nil {
		return nil, fmt.Errorf("create bm25 index: %w", err)
	}
	const batchSize = 1000
	b := idx.NewBatch()
	for i, c := range chunks {
		if err := b.Index(c.ID, bm25Doc{Text: folded[i], Doc: c.DocID}); err != nil {
			idx.Close()
			return nil, fmt.Errorf("index chunk %s: %w", c.ID, err)
		}
		if b.Size() >= batchSize || i == len(chunks)-1 {
			if err := ctx.Err(); err != nil {
				idx.Close()
				return nil, err
			}
			if err := idx.Batch(b); err != nil {
				idx.Close()
				return nil, fmt.Errorf("write bm25 batch: %w", err)
			}
			b.Reset()
		}
	}
	return idx, nil
}

// hit is a chunk position with a score from one retriever.
type hit struct {
	chunk int
	score float64
}

// searchBM25 returns up to n chunks matching any term of the folded query,
// best first, restricted to allowed documents when allowed is non-nil.
func (ix *Index) searchBM25(ctx context.Context, folded string, n int, allowed map[string]bool) ([]hit, error) {
	mq := bleve.NewMatchQuery(folded)
	mq.SetField(fieldText)
	mq.Analyzer = analysis.Analyzer
	var q query.Query = mq
	if allowed != nil {
		var ids []query.Query
		for id := range allowed {
			tq := bleve.NewTermQuery(id)
			tq.SetField(fieldDoc)
			ids = append(ids, tq)
		}
		q = bleve.NewConjunctionQuery(mq, bleve.NewDisjunctionQuery(ids...))
	}
	req := bleve.NewSearchRequestOptions(q, n, 0, false)
	res, err := ix.bm25.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("bm25 search: %w", err)
	}
	out := make([]hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		if i, ok := ix.chunkPos[h.ID]; ok {
			out = append(out, hit{chunk: i, score: h.Score})
		}
	}
	return out, nil
}

// termStats are corpus-wide term statistics over chunks, kept beside the
// bleve index for the relevance signal and for sentence scoring: bleve
// scores documents, but refusal needs to know how much of the query a
// passage covers.
type termStats struct {
	N      int            `json:"n"`
	AvgLen float64        `json:"avg_len"`
	DF     map[string]int `json:"df"`
}

func newTermStats(folded []string) termStats {
	st := termStats{N: len(folded), DF: make(map[string]int)}
	total := 0
	for _, f := range folded {
		terms := analysis.FoldedTerms(f)
		total += len(terms)
		seen := make(map[string]bool, len(terms))
		for _, t := range terms {
			if !seen[t] {
				seen[t] = true
				st.DF[t]++
			}
		}
	}
	if st.N > 0 {
		st.AvgLen = float64(total) / float64(st.N)
	}
	return st
}

// IDF is the BM25 inverse document frequency of a folded term over the
// chunks; unseen terms get the highest value.
func (st *termStats) IDF(term string) float64 { return analysis.IDF(st.N, st.DF[term]) }

// scoreTerms is the BM25 score of a text (given as its term counts and
// length) for the unique query terms, with the formula bleve scores with.
func (st *termStats) scoreTerms(query []string, tf map[string]int, length int) float64 {
	s := 0.0
	for _, t := range query {
		s += analysis.BM25(st.IDF(t), float64(tf[t]), float64(length), st.AvgLen)
	}
	return s
}
