package retrieval

import (
	"fmt"
	"strings"
	"time"

	"wenda/chunk"
	"wenda/corpus"
	"wenda/hanzi"
	"wenda/index"
	"wenda/question"
)

// Mode selects how a query is matched.
type Mode string

// The retrieval modes.
const (
	ModeBM25   Mode = "bm25"
	ModeVector Mode = "vector"
	ModeHybrid Mode = "hybrid"
)

// ErrUnknownMode is returned by ParseMode for a mode name it does not know.
var ErrUnknownMode = fmt.Errorf("unknown mode: want %s, %s or %s", ModeBM25, ModeVector, ModeHybrid)

// ParseMode turns a user-supplied name into a Mode; "" selects hybrid.
func ParseMode(s string) (Mode, error) {
	switch Mode(strings.ToLower(strings.TrimSpace(s))) {
	case "", ModeHybrid:
		return ModeHybrid, nil
	case ModeBM25:
		return ModeBM25, nil
	case ModeVector:
		return ModeVector, nil
	}
	return "", fmt.Errorf("%q: %w", s, ErrUnknownMode)
}

// Query is one retrieval request.
type Query struct {
	// Collection is the collection to search; "" is the default one.
	Collection string
	Text       string
	// Question is Text analysed (question.Analyze), when the caller has
	// already analysed it; nil makes Search analyse Text itself.
	Question *question.Analysis
	K        int // passages wanted; 0 means the searcher's default
	Mode     Mode
	Filter   index.Filter
	// MMR diversifies the passages across documents when set.
	MMR bool
	// NoRerank skips a configured reranker for this query.
	NoRerank bool
}

// Passage is a retrieved chunk with the document fields a citation needs and
// the scores that ranked it.
type Passage struct {
	chunk.Chunk
	Title  string  `json:"title"`
	Source string  `json:"source,omitempty"`
	Date   string  `json:"date,omitempty"`
	Score  float64 `json:"score"`
	// Script is the script of the passage's document, as ingestion
	// detected it over the whole text (corpus.Document.Script): a reader
	// quoting the passage converts it only out of another script.
	Script hanzi.Script `json:"-"`
	// Folded is Text folded rune by rune (analysis.FoldRunes), computed
	// once per query and carried to every stage that compares text, so
	// that position i of Folded is position i of Text.
	Folded string `json:"-"`
	// Ranks and raw scores in each mode (rank 0: not retrieved by it).
	BM25Rank    int     `json:"bm25_rank,omitempty"`
	BM25Score   float64 `json:"bm25_score,omitempty"`
	VectorRank  int     `json:"vector_rank,omitempty"`
	VectorScore float64 `json:"vector_score,omitempty"`
	RerankScore float64 `json:"rerank_score,omitempty"`
	// Page is the page (or slide) of the document the passage starts on;
	// 0 for documents without pages. PageStarts are the pages that begin
	// inside the passage, so that any offset in it maps to its page.
	Page       int           `json:"page,omitempty"`
	PageStarts []corpus.Page `json:"-"`
}

// PageAt returns the page that rune offset off of the document, inside
// the passage, was printed on; 0 for documents without pages.
func (p *Passage) PageAt(off int) int {
	n := p.Page
	for _, s := range p.PageStarts {
		if s.Start > off {
			break
		}
		n = s.N
	}
	return n
}

// pagesOf sets the page fields of a passage from its document's pages.
func (p *Passage) pagesOf(d *corpus.Document) {
	if len(d.Pages) == 0 {
		return
	}
	p.Page = d.PageAt(p.Start)
	for _, s := range d.Pages {
		if s.Start > p.Start && s.Start < p.End {
			p.PageStarts = append(p.PageStarts, s)
		}
	}
}

// Relevance is the per-query evidence that the corpus holds an answer, used
// by the answering stage to refuse. Score is the calibrated decision value
// in [0, 1]; the parts are exposed so callers and the eval can inspect them.
type Relevance struct {
	Score float64 `json:"score"`
	// Coverage is the share of the query's distinctive terms (bigrams,
	// Latin words, numbers) that occur in the top passage, weighted by IDF.
	Coverage float64 `json:"coverage"`
	// BM25Norm is the top BM25 score divided by the score a passage
	// containing every query term once would get.
	BM25Norm float64 `json:"bm25_norm"`
	// Exact reports whether every number expression (with its unit) and
	// Latin name of the query occurs in some retrieved passage; Missing
	// lists those that do not.
	Exact   bool     `json:"exact"`
	Missing []string `json:"missing,omitempty"`
}

// Result is what a query returns.
type Result struct {
	Query      string    `json:"query"`
	Collection string    `json:"collection"`
	Mode       Mode      `json:"mode"`
	Passages   []Passage `json:"passages"`
	Relevance  Relevance `json:"relevance"`
	// Terms weighs the query's terms by the collection's statistics.
	Terms TermWeights `json:"-"`
	// Degraded says why the result is not what the mode promised, such as
	// a hybrid query answered by BM25 alone because the query could not be
	// embedded; empty when it is.
	Degraded string `json:"degraded,omitempty"`
	// Reranked is true when a reranker reordered Passages; RerankError says
	// why the fused order was kept when a configured reranker failed.
	Reranked    bool          `json:"reranked"`
	RerankError string        `json:"rerank_error,omitempty"`
	Took        time.Duration `json:"took_ns"`
}
