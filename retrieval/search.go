package retrieval

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"wenda/hanzi"
)

// ErrEmptyQuery is returned for a query with no searchable text.
var ErrEmptyQuery = errors.New("empty query")

// MaxK bounds the passages one query may ask for.
const MaxK = 50

// Search retrieves the passages that best match q.
func (ix *Index) Search(ctx context.Context, q Query) (Result, error) {
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
	k := q.K
	if k <= 0 {
		k = ix.opts.DefaultK
	}
	k = min(k, MaxK)
	folded := hanzi.Fold(text)
	allowed := ix.allowedDocs(q.Filter)
	pool := min(max(4*k, 40), len(ix.chunks))

	var bm, vec []hit
	var err error
	if q.Mode != ModeVector {
		if bm, err = ix.searchBM25(ctx, folded, pool, allowed); err != nil {
			return Result{}, err
		}
	}
	if q.Mode != ModeBM25 {
		qv, err := ix.opts.Embedder.Embed(ctx, []string{text})
		if err != nil {
			return Result{}, fmt.Errorf("embed query: %w", err)
		}
		if vec, err = ix.searchVector(ctx, qv[0], pool, allowed); err != nil {
			return Result{}, err
		}
	}
	cands := ix.merge(ix.opts.Fusion.fuse(bm, vec))
	if q.MMR {
		cands = ix.mmr(cands, k, 0.7)
	}
	res := Result{Query: text, Mode: q.Mode}
	if ix.opts.Reranker != nil && !q.NoRerank && len(cands) > 1 {
		cands, res.Reranked, res.RerankError = ix.rerank(ctx, text, cands, max(2*k, 10))
	}
	if len(cands) > k {
		cands = cands[:k]
	}
	res.Passages = ix.passages(cands)
	res.Relevance = ix.relevance(text, folded, res.Passages)
	res.Took = time.Since(start)
	return res, nil
}

// allowedDocs turns a filter into the set of document ids it admits, or nil
// for no filter.
func (ix *Index) allowedDocs(f Filter) map[string]bool {
	if len(f.DocIDs) == 0 && f.From == "" && f.To == "" {
		return nil
	}
	want := make(map[string]bool, len(f.DocIDs))
	for _, id := range f.DocIDs {
		want[id] = true
	}
	out := make(map[string]bool)
	for _, d := range ix.docs {
		if len(want) > 0 && !want[d.ID] {
			continue
		}
		if f.From != "" && (d.Date == "" || d.Date < f.From) {
			continue
		}
		// "2025-10" as an upper bound admits any day of October.
		if f.To != "" && (d.Date == "" || d.Date > f.To && !strings.HasPrefix(d.Date, f.To)) {
			continue
		}
		out[d.ID] = true
	}
	return out
}

// merge folds candidates whose chunks overlap in the same document into
// the better-ranked one, widened to cover both: overlapping chunks repeat
// sentences, and one passage citing them once reads better than two. When
// widening would make a passage too long or run into a third one, the
// lower-ranked candidate is cut back to the part no better passage holds.
// The passages merge returns never overlap.
func (ix *Index) merge(cands []fused) []scored {
	out := make([]scored, 0, len(cands))
	limit := 2 * ix.opts.Chunker.MaxRunes
	for _, c := range cands {
		ch := ix.chunks[c.chunk]
		start, end := ch.Start, ch.End
		var hits []int
		for i := range out {
			if ix.chunks[out[i].chunk].DocID == ch.DocID && start < out[i].end && out[i].start < end {
				hits = append(hits, i)
			}
		}
		if len(hits) == 1 {
			o := &out[hits[0]]
			us, ue := min(o.start, start), max(o.end, end)
			if ue-us <= limit && !ix.overlapsAny(out, hits[0], ch.DocID, us, ue) {
				o.start, o.end = us, ue
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
		if s := trim([]rune(ix.spanText(c.chunk, ch.Start, ch.End)), span{start - ch.Start, end - ch.Start}); s.end-s.start >= 20 {
			out = append(out, scored{fused: c, start: ch.Start + s.start, end: ch.Start + s.end})
		}
	}
	return out
}

// overlapsAny reports whether [start,end) of doc overlaps a passage in out
// other than out[skip].
func (ix *Index) overlapsAny(out []scored, skip int, doc string, start, end int) bool {
	for i := range out {
		if i != skip && ix.chunks[out[i].chunk].DocID == doc && start < out[i].end && out[i].start < end {
			return true
		}
	}
	return false
}

// scored is a fused candidate whose span may have grown by merging.
type scored struct {
	fused
	start, end int
	rerank     float64
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

// mmr reorders candidates by maximal marginal relevance: each pick trades
// its relevance against its similarity to what was already picked, so one
// document does not fill every slot with near-duplicates.
func (ix *Index) mmr(cands []scored, k int, lambda float64) []scored {
	if len(cands) <= 1 {
		return cands
	}
	top := cands[0].score
	rest := append([]scored(nil), cands...)
	var picked []scored
	for len(picked) < k && len(rest) > 0 {
		best, bestVal := 0, -1e18
		for i, c := range rest {
			sim := 0.0
			for _, p := range picked {
				sim = max(sim, float64(dot(ix.vecs.row(c.chunk), ix.vecs.row(p.chunk))))
			}
			v := lambda*c.score/top - (1-lambda)*sim
			if v > bestVal {
				best, bestVal = i, v
			}
		}
		picked = append(picked, rest[best])
		rest = append(rest[:best], rest[best+1:]...)
	}
	return append(picked, rest...)
}

// rerank reorders the first n candidates by a reranker's scores. On failure
// it keeps the fused order and reports why.
func (ix *Index) rerank(ctx context.Context, query string, cands []scored, n int) ([]scored, bool, string) {
	n = min(n, len(cands))
	texts := make([]string, n)
	for i := range texts {
		texts[i] = ix.spanText(cands[i].chunk, cands[i].start, cands[i].end)
	}
	scores, err := ix.opts.Reranker.Rerank(ctx, query, texts)
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

// spanText is the document text of a (possibly merged) candidate.
//
// A merged span is a union of overlapping chunks and a cut one lies inside
// its chunk, so the text is pieced together from chunk texts, which are
// short; converting the whole document to runes for every merged passage
// was a fifth of the time of a search.
func (ix *Index) spanText(chunk, start, end int) string {
	ch := ix.chunks[chunk]
	if start == ch.Start && end == ch.End {
		return ch.Text
	}
	i := chunk
	for i > 0 && ix.chunks[i-1].DocID == ch.DocID && ix.chunks[i].Start > start {
		i--
	}
	var b strings.Builder
	pos := start
	for ; i < len(ix.chunks) && pos < end; i++ {
		c := ix.chunks[i]
		if c.DocID != ch.DocID || c.Start > pos {
			break
		}
		if c.End <= pos {
			continue
		}
		r := []rune(c.Text)
		b.WriteString(string(r[pos-c.Start : min(end, c.End)-c.Start]))
		pos = min(end, c.End)
	}
	if pos < end { // a stretch no chunk covers
		d := ix.docs[ix.docPos[ch.DocID]]
		return string([]rune(d.Text)[start:end])
	}
	return b.String()
}

func (ix *Index) passages(cands []scored) []Passage {
	out := make([]Passage, len(cands))
	for i, c := range cands {
		ch := ix.chunks[c.chunk]
		ch.Text = ix.spanText(c.chunk, c.start, c.end)
		ch.Start, ch.End = c.start, c.end
		d := ix.docs[ix.docPos[ch.DocID]]
		out[i] = Passage{
			Chunk: ch, Title: d.Title, Source: d.Source, Date: d.Date,
			Score: c.score, BM25Rank: c.bm25Rank, BM25Score: c.bm25Score,
			VectorRank: c.vecRank, VectorScore: c.vecScore, RerankScore: c.rerank,
		}
	}
	return out
}
