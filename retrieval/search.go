package retrieval

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"wenda/analysis"
	"wenda/chunk"
	"wenda/embed"
	"wenda/endpoint"
	"wenda/hanzi"
	"wenda/index"
	"wenda/question"
)

// ErrEmptyQuery is returned for a query with no searchable text.
var ErrEmptyQuery = errors.New("empty query")

// MaxK bounds the passages one query may ask for.
const MaxK = 50

// Engine is what a Searcher needs of an index engine: both search legs,
// term statistics, and the collection and document metadata that
// passages carry.
type Engine interface {
	index.Searcher
	Collection(ctx context.Context, id string) (index.CollectionInfo, error)
	DocInfos(ctx context.Context, collection string, ids []string) (map[string]index.DocInfo, error)
	// Chunk is read for the text after a passage (Following).
	Chunk(ctx context.Context, collection, id string) (chunk.Chunk, error)
}

// Options configure a Searcher. Zero values select the defaults, except
// Embedders, which is required.
type Options struct {
	// Embedders returns the embedder that makes vectors of a spec
	// (embed.Registry.For): a query is embedded by the embedder of its
	// collection.
	Embedders func(embed.Spec) (embed.Embedder, error)
	Fusion    Fusion
	// DefaultK is how many passages a query returns when it does not say.
	DefaultK int
	// Reranker, when set, reorders fused candidates.
	Reranker *Reranker
}

// Searcher answers queries over an engine's collections: it runs the
// engine's lexical and vector legs, fuses them, merges overlapping chunks
// into passages, optionally diversifies and reranks them, and measures
// how relevant they are. Everything above the legs happens here, so that
// every engine ranks and refuses alike. It is safe for concurrent use.
type Searcher struct {
	engine Engine
	opts   Options
}

// NewSearcher returns a Searcher over e.
func NewSearcher(e Engine, opts Options) *Searcher {
	if opts.Fusion == (Fusion{}) {
		opts.Fusion = DefaultFusion
	}
	if opts.DefaultK <= 0 {
		opts.DefaultK = 5
	}
	return &Searcher{engine: e, opts: opts}
}

// Search retrieves the passages that best match q. It returns
// index.ErrNotFound (wrapped) when the collection does not exist. When the
// query cannot be embedded in hybrid mode it answers from BM25 alone and
// says so in Result.Degraded; in vector mode it fails.
func (s *Searcher) Search(ctx context.Context, q Query) (Result, error) {
	start := time.Now()
	text := strings.TrimSpace(q.Text)
	if text == "" {
		return Result{}, ErrEmptyQuery
	}
	if q.Mode == "" {
		q.Mode = ModeHybrid
	}
	if _, err := ParseMode(string(q.Mode)); err != nil {
		return Result{}, err
	}
	coll := q.Collection
	if coll == "" {
		coll = index.DefaultCollection
	}
	info, err := s.engine.Collection(ctx, coll)
	if err != nil {
		return Result{}, err
	}
	k := q.K
	if k <= 0 {
		k = s.opts.DefaultK
	}
	k = min(k, MaxK)
	qa := q.Question
	if qa == nil || qa.Text != text {
		qa = question.Analyze(text)
	}
	folded := qa.Folded
	pool := max(4*k, 40)
	res := Result{Query: text, Mode: q.Mode, Collection: coll}

	var bm, vec []index.Hit
	if q.Mode != ModeBM25 {
		qv, err := s.embedQuery(ctx, info.Embedder, text)
		switch {
		case err == nil:
			if vec, err = s.engine.Vector(ctx, coll, qv, pool, q.Filter); err != nil {
				return Result{}, err
			}
		case q.Mode == ModeHybrid && ctx.Err() == nil:
			res.Degraded = "the query could not be embedded (" + embedFailure(err) + "); passages were found by BM25 alone"
		default:
			return Result{}, err
		}
	}
	if q.Mode != ModeVector {
		if bm, err = s.engine.Lexical(ctx, coll, analysis.FoldedTerms(folded), pool, q.Filter); err != nil {
			return Result{}, err
		}
	}
	cands := s.merge(s.opts.Fusion.fuse(bm, vec), 2*info.Chunker.MaxRunes)
	if q.MMR {
		cands = mmr(cands, k, 0.7)
	}
	if s.opts.Reranker != nil && !q.NoRerank && len(cands) > 1 {
		cands, res.Reranked, res.RerankError = s.rerank(ctx, text, cands, max(2*k, 10))
	}
	if len(cands) > k {
		cands = cands[:k]
	}
	docs, err := s.docs(ctx, coll, cands)
	if err != nil {
		return Result{}, err
	}
	res.Passages = passages(cands, docs)
	terms := qa.Terms
	st, err := s.engine.TermStats(ctx, coll, terms)
	if err != nil {
		return Result{}, err
	}
	res.Terms = newTermWeights(st, terms)
	res.Relevance = relevance(qa, terms, res.Terms, st.AvgTerms, res.Passages, docs)
	res.Took = time.Since(start)
	return res, nil
}

// ErrEmbedding wraps a failure to embed the query.
var ErrEmbedding = errors.New("embed query")

// embedFailure says what went wrong with the query's embedding in words
// safe to show a client: the kind of failure and the status, never the
// service's own error text or address.
func embedFailure(err error) string {
	var ee *endpoint.Error
	if errors.As(err, &ee) {
		if ee.Status != 0 {
			return fmt.Sprintf("the embedding service: %v, status %d", ee.Kind, ee.Status)
		}
		return fmt.Sprintf("the embedding service: %v", ee.Kind)
	}
	return "no embedder for this collection's model"
}

func (s *Searcher) embedQuery(ctx context.Context, spec embed.Spec, text string) ([]float32, error) {
	if s.opts.Embedders == nil {
		return nil, fmt.Errorf("%w: no embedder configured", ErrEmbedding)
	}
	emb, err := s.opts.Embedders(spec)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEmbedding, err)
	}
	vs, err := emb.Embed(ctx, []string{text})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEmbedding, err)
	}
	if len(vs) != 1 {
		return nil, fmt.Errorf("%w: embedder returned %d vectors for one text", ErrEmbedding, len(vs))
	}
	return vs[0], nil
}

// docs looks up the documents of the candidates.
func (s *Searcher) docs(ctx context.Context, coll string, cands []scored) (map[string]index.DocInfo, error) {
	var ids []string
	seen := map[string]bool{}
	for _, c := range cands {
		if !seen[c.chunk.DocID] {
			seen[c.chunk.DocID] = true
			ids = append(ids, c.chunk.DocID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return s.engine.DocInfos(ctx, coll, ids)
}

// scored is a fused candidate whose span may have grown by merging; parts
// are the chunks its span is pieced from.
type scored struct {
	fused
	start, end int
	parts      []piece
	rerank     float64
}

// piece is a chunk's text with its span.
type piece struct {
	start, end int
	text       []rune
}

// merge folds candidates whose chunks overlap in the same document into
// the better-ranked one, widened to cover both (up to limit runes):
// overlapping chunks repeat sentences, and one passage citing them once
// reads better than two. When widening would make a passage too long or
// run into a third one, the lower-ranked candidate is cut back to the part
// no better passage holds. The passages merge returns never overlap.
func (s *Searcher) merge(cands []fused, limit int) []scored {
	out := make([]scored, 0, len(cands))
	for _, c := range cands {
		ch := c.chunk
		start, end := ch.Start, ch.End
		own := piece{ch.Start, ch.End, []rune(ch.Text)}
		var hits []int
		for i := range out {
			if out[i].chunk.DocID == ch.DocID && start < out[i].end && out[i].start < end {
				hits = append(hits, i)
			}
		}
		if len(hits) == 1 {
			o := &out[hits[0]]
			us, ue := min(o.start, start), max(o.end, end)
			if ue-us <= limit && !overlapsAny(out, hits[0], ch.DocID, us, ue) {
				o.start, o.end = us, ue
				o.parts = append(o.parts, own)
				o.bm25Rank = minPos(o.bm25Rank, c.bm25Rank)
				o.vecRank = minPos(o.vecRank, c.vecRank)
				o.bm25Score, o.vecScore = max(o.bm25Score, c.bm25Score), max(o.vecScore, c.vecScore)
				continue
			}
		}
		for _, i := range hits {
			o := out[i]
			switch {
			case o.start <= start && end <= o.end:
				start = end // wholly inside: nothing new
			case o.start <= start:
				start = o.end
			case end <= o.end:
				end = o.start
			default:
				start = end // a better passage sits in the middle of it
			}
		}
		if start >= end {
			continue
		}
		sp := analysis.Trim(own.text, analysis.Span{Start: start - ch.Start, End: end - ch.Start})
		if sp.End-sp.Start >= 20 {
			out = append(out, scored{fused: c, start: ch.Start + sp.Start, end: ch.Start + sp.End, parts: []piece{own}})
		}
	}
	return out
}

// overlapsAny reports whether [start,end) of doc overlaps a passage in out
// other than out[skip].
func overlapsAny(out []scored, skip int, doc string, start, end int) bool {
	for i := range out {
		if i != skip && out[i].chunk.DocID == doc && start < out[i].end && out[i].start < end {
			return true
		}
	}
	return false
}

func minPos(a, b int) int {
	switch {
	case a == 0:
		return b
	case b == 0:
		return a
	}
	return min(a, b)
}

// text is the document text of a (possibly merged or cut) candidate,
// pieced from the texts of its chunks: a merged span is a union of
// overlapping chunks and a cut one lies inside its chunk.
func (c *scored) text() string {
	parts := append([]piece(nil), c.parts...)
	sort.Slice(parts, func(i, j int) bool { return parts[i].start < parts[j].start })
	var b strings.Builder
	pos := c.start
	for _, p := range parts {
		if p.end <= pos || p.start > pos {
			continue
		}
		e := min(c.end, p.end)
		b.WriteString(string(p.text[pos-p.start : e-p.start]))
		pos = e
		if pos >= c.end {
			break
		}
	}
	return b.String()
}

// mmr reorders candidates by maximal marginal relevance: each pick trades
// its relevance against its similarity to what was already picked, so one
// document does not fill every slot with near-duplicates. Similarity is
// the overlap of the passages' index terms (Jaccard), which every engine
// can compute from the texts alone.
func mmr(cands []scored, k int, lambda float64) []scored {
	if len(cands) <= 1 {
		return cands
	}
	terms := make([]map[string]bool, len(cands))
	for i := range cands {
		terms[i] = analysis.TermSet(hanzi.Fold(cands[i].chunk.Text))
	}
	top := cands[0].score
	rest := make([]int, len(cands))
	for i := range rest {
		rest[i] = i
	}
	var picked []int
	for len(picked) < k && len(rest) > 0 {
		best, bestVal := 0, -1e18
		for ri, i := range rest {
			sim := 0.0
			for _, p := range picked {
				sim = max(sim, jaccard(terms[i], terms[p]))
			}
			v := lambda*cands[i].score/top - (1-lambda)*sim
			if v > bestVal {
				best, bestVal = ri, v
			}
		}
		picked = append(picked, rest[best])
		rest = append(rest[:best], rest[best+1:]...)
	}
	out := make([]scored, 0, len(cands))
	for _, i := range append(picked, rest...) {
		out = append(out, cands[i])
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for t := range a {
		if b[t] {
			n++
		}
	}
	return float64(n) / float64(len(a)+len(b)-n)
}

// rerank reorders the first n candidates by a reranker's scores. On failure
// it keeps the fused order and reports why.
func (s *Searcher) rerank(ctx context.Context, query string, cands []scored, n int) ([]scored, bool, string) {
	n = min(n, len(cands))
	texts := make([]string, n)
	for i := range texts {
		texts[i] = cands[i].text()
	}
	scores, err := s.opts.Reranker.Rerank(ctx, query, texts)
	if err != nil {
		return cands, false, err.Error()
	}
	head := append([]scored(nil), cands[:n]...)
	for i := range head {
		head[i].rerank = scores[i]
	}
	sort.SliceStable(head, func(i, j int) bool { return head[i].rerank > head[j].rerank })
	return append(head, cands[n:]...), true, ""
}

func passages(cands []scored, docs map[string]index.DocInfo) []Passage {
	out := make([]Passage, 0, len(cands))
	for _, c := range cands {
		ch := c.chunk
		ch.Text = c.text()
		ch.Start, ch.End = c.start, c.end
		d, ok := docs[ch.DocID]
		if !ok {
			continue // deleted since the search found it
		}
		p := Passage{
			Chunk: ch, Title: d.Title, Source: d.Source, Date: d.Date, Script: d.Script, Folded: string(analysis.FoldRunes(ch.Text)),
			Score: c.score, BM25Rank: c.bm25Rank, BM25Score: c.bm25Score,
			VectorRank: c.vecRank, VectorScore: c.vecScore, RerankScore: c.rerank,
		}
		p.pagesOf(&d.Document)
		out = append(out, p)
	}
	return out
}
