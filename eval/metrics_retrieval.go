package eval

import "math"

// The rank cut-offs of the retrieval metrics; the JSON names carry them.
const (
	cutHit    = 5
	cutRecall = 5
	cutRank   = 10
)

// relevant reduces per-passage group hits to per-passage relevance: a
// passage is relevant when it contains a span of any group.
func relevant(hits [][]bool) []bool {
	out := make([]bool, len(hits))
	for i, h := range hits {
		for _, g := range h {
			if g {
				out[i] = true
				break
			}
		}
	}
	return out
}

// firstRelevant returns the 1-based rank of the first relevant passage
// within the first k, or 0 when there is none.
func firstRelevant(rel []bool, k int) int {
	for i := 0; i < min(k, len(rel)); i++ {
		if rel[i] {
			return i + 1
		}
	}
	return 0
}

// hitAt reports whether a relevant passage is within the first k.
func hitAt(rel []bool, k int) bool { return firstRelevant(rel, k) > 0 }

// reciprocalRank is 1/rank of the first relevant passage within the first
// k, or 0.
func reciprocalRank(rel []bool, k int) float64 {
	if r := firstRelevant(rel, k); r > 0 {
		return 1 / float64(r)
	}
	return 0
}

// recallAt is the share of groups that some passage within the first k
// contains a span of. hits[i][g] says whether passage i covers group g.
func recallAt(hits [][]bool, groups, k int) float64 {
	if groups == 0 {
		return 0
	}
	covered := 0
	for g := 0; g < groups; g++ {
		for i := 0; i < min(k, len(hits)); i++ {
			if g < len(hits[i]) && hits[i][g] {
				covered++
				break
			}
		}
	}
	return float64(covered) / float64(groups)
}

// ndcgAt is the normalised discounted cumulative gain of the first k
// passages with binary gains. The ideal ranking has max(groups, retrieved
// relevant) relevant passages first, capped at k; the package documentation
// says why.
func ndcgAt(rel []bool, groups, k int) float64 {
	dcg, found := 0.0, 0
	for i := 0; i < min(k, len(rel)); i++ {
		if rel[i] {
			dcg += 1 / math.Log2(float64(i+2))
			found++
		}
	}
	ideal := min(max(groups, found), k)
	if ideal == 0 {
		return 0
	}
	idcg := 0.0
	for i := 0; i < ideal; i++ {
		idcg += 1 / math.Log2(float64(i+2))
	}
	return dcg / idcg
}
