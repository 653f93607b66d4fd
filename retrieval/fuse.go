package retrieval

import (
	"fmt"
	"sort"
)

// Fusion says how hybrid mode combines the BM25 and vector rankings.
type Fusion struct {
	// Method is "rrf" (reciprocal-rank fusion) or "weighted" (a weighted sum
	// of scores, each divided by the best score of its list).
	Method string `json:"method"`
	// RRFK is the k of 1/(k+rank); larger values flatten the rank weights.
	RRFK float64 `json:"rrf_k"`
	// BM25Weight is the share of the BM25 list in either method, in [0,1];
	// the vector list gets the rest.
	BM25Weight float64 `json:"bm25_weight"`
}

// DefaultFusion is the fusion hybrid mode uses unless configured; it won on
// the dev questions (see the README's retrieval table).
var DefaultFusion = Fusion{Method: "rrf", RRFK: 60, BM25Weight: 0.5}

// Validate reports a fusion that cannot be applied.
func (f Fusion) Validate() error {
	switch f.Method {
	case "rrf", "weighted":
	default:
		return fmt.Errorf("unknown fusion %q: want rrf or weighted", f.Method)
	}
	if f.BM25Weight < 0 || f.BM25Weight > 1 {
		return fmt.Errorf("fusion bm25 weight %v outside [0,1]", f.BM25Weight)
	}
	if f.Method == "rrf" && f.RRFK <= 0 {
		return fmt.Errorf("rrf k must be positive, got %v", f.RRFK)
	}
	return nil
}

// fused is a candidate with the evidence from both lists.
type fused struct {
	chunk               int
	score               float64
	bm25Rank, vecRank   int
	bm25Score, vecScore float64
}

// fuse merges two rankings. Either list may be empty (single-mode queries),
// in which case the other's order and scores pass through.
func (f Fusion) fuse(bm25, vec []hit) []fused {
	byChunk := make(map[int]*fused)
	get := func(c int) *fused {
		if x, ok := byChunk[c]; ok {
			return x
		}
		x := &fused{chunk: c}
		byChunk[c] = x
		return x
	}
	for r, h := range bm25 {
		x := get(h.chunk)
		x.bm25Rank, x.bm25Score = r+1, h.score
	}
	for r, h := range vec {
		x := get(h.chunk)
		x.vecRank, x.vecScore = r+1, h.score
	}
	wb, wv := f.BM25Weight, 1-f.BM25Weight
	switch {
	case len(vec) == 0:
		wb, wv = 1, 0
	case len(bm25) == 0:
		wb, wv = 0, 1
	}
	maxB, maxV := maxScore(bm25), maxScore(vec)
	out := make([]fused, 0, len(byChunk))
	for _, x := range byChunk {
		switch {
		case wv == 0:
			x.score = x.bm25Score
		case wb == 0:
			x.score = x.vecScore
		case f.Method == "weighted":
			x.score = wb*ratio(x.bm25Score, maxB) + wv*ratio(x.vecScore, maxV)
		default:
			if x.bm25Rank > 0 {
				x.score += 2 * wb / (f.RRFK + float64(x.bm25Rank))
			}
			if x.vecRank > 0 {
				x.score += 2 * wv / (f.RRFK + float64(x.vecRank))
			}
		}
		out = append(out, *x)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].chunk < out[j].chunk
	})
	return out
}

func maxScore(hs []hit) float64 {
	m := 0.0
	for _, h := range hs {
		m = max(m, h.score)
	}
	return m
}

func ratio(s, m float64) float64 {
	if m <= 0 || s <= 0 {
		return 0
	}
	return s / m
}
