package retrieval

import (
	"fmt"
	"strings"
	"time"
)

// Chunk is a span of a document's cleaned text, packed from whole sentences.
// Start and End are rune offsets [Start, End) into corpus.Document.Text, so
// []rune(doc.Text)[Start:End] == Text.
type Chunk struct {
	ID      string `json:"id"` // "<doc id>:<ordinal>"
	DocID   string `json:"doc_id"`
	Ordinal int    `json:"ordinal"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Heading string `json:"heading,omitempty"`
	Text    string `json:"text"` // in the article's original script
}

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

// Filter narrows a query to some documents or a date range. Dates compare
// as strings, so "2025", "2025-10" and "2025-10-31" all work as bounds; a
// document without a date passes only when no range is set.
type Filter struct {
	DocIDs []string `json:"doc_ids,omitempty"`
	From   string   `json:"from,omitempty"`
	To     string   `json:"to,omitempty"`
}

// Query is one retrieval request.
type Query struct {
	Text   string
	K      int // passages wanted; 0 means the index default
	Mode   Mode
	Filter Filter
	// MMR diversifies the passages across documents when set.
	MMR bool
	// NoRerank skips a configured reranker for this query.
	NoRerank bool
}

// Passage is a retrieved chunk with the document fields a citation needs and
// the scores that ranked it.
type Passage struct {
	Chunk
	Title  string  `json:"title"`
	Source string  `json:"source,omitempty"`
	Date   string  `json:"date,omitempty"`
	Score  float64 `json:"score"`
	// Ranks and raw scores in each mode (rank 0: not retrieved by it).
	BM25Rank    int     `json:"bm25_rank,omitempty"`
	BM25Score   float64 `json:"bm25_score,omitempty"`
	VectorRank  int     `json:"vector_rank,omitempty"`
	VectorScore float64 `json:"vector_score,omitempty"`
	RerankScore float64 `json:"rerank_score,omitempty"`
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
	Query     string    `json:"query"`
	Mode      Mode      `json:"mode"`
	Passages  []Passage `json:"passages"`
	Relevance Relevance `json:"relevance"`
	// Reranked is true when a reranker reordered Passages; RerankError says
	// why the fused order was kept when a configured reranker failed.
	Reranked    bool          `json:"reranked"`
	RerankError string        `json:"rerank_error,omitempty"`
	Took        time.Duration `json:"took_ns"`
}
