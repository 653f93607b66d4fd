package retrieval

import "math"

// questionTerms are bigrams of interrogative and filler words that say how
// a question is asked, not what it is about; they would let any passage
// "cover" part of an unanswerable question.
var questionTerms = map[string]bool{
	"什么": true, "哪些": true, "哪个": true, "哪里": true, "多少": true, "如何": true,
	"怎么": true, "怎样": true, "为什": true, "为何": true, "是否": true, "有没": true,
	"没有": true, "是什": true, "么样": true, "么时": true, "时候": true, "请问": true,
	"哪一": true, "一个": true, "提到": true, "文章": true, "认为": true, "根据": true,
	"what": true, "which": true, "who": true, "how": true, "when": true, "why": true,
	"the": true, "of": true, "and": true, "did": true, "does": true, "is": true, "are": true,
	"a": true, "an": true, "in": true, "to": true, "for": true, "on": true, "do": true,
	"吗": true, "呢": true, "了": true, "的": true, "是": true, "有": true, "在": true,
}

// QueryTerms returns the distinct content terms of a folded query, in order.
func QueryTerms(folded string) []string {
	var out []string
	seen := make(map[string]bool)
	for _, t := range analyzeFolded(folded) {
		if questionTerms[t] || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

// relevance computes the refusal signal for a query's passages.
//
// Coverage is the IDF-weighted share of the query's content terms found in
// the best passage: a question about a subject the corpus never discusses
// finds passages that share only common bigrams, whose IDF is low. BM25Norm
// is the best passage's BM25 score over the sum of the terms' IDFs (what a
// passage of average length containing each term once would score). Exact
// holds when every number and Latin term of the query appears in some
// passage: a question that hinges on "2024年" or "EU" is not answered by a
// passage about 2025 or the US. Score combines them as
// Coverage·(Exact ? 1 : 0.5), which is the value the answerer thresholds.
func (ix *Index) relevance(folded string, ps []Passage) Relevance {
	terms := QueryTerms(folded)
	if len(terms) == 0 || len(ps) == 0 {
		return Relevance{}
	}
	var total float64
	for _, t := range terms {
		total += ix.stats.IDF(t)
	}
	var r Relevance
	exactSeen := make(map[string]bool)
	for _, p := range ps {
		pt := Terms(p.Text)
		tf := make(map[string]int, len(pt))
		for _, t := range pt {
			tf[t]++
		}
		cov := 0.0
		for _, t := range terms {
			if tf[t] > 0 {
				cov += ix.stats.IDF(t)
				if IsExactTerm(t) {
					exactSeen[t] = true
				}
			}
		}
		if total > 0 {
			r.Coverage = math.Max(r.Coverage, cov/total)
			r.BM25Norm = math.Max(r.BM25Norm, ix.stats.scoreTerms(terms, tf, len(pt))/total)
		}
	}
	r.Exact = true
	for _, t := range terms {
		if IsExactTerm(t) && !exactSeen[t] {
			r.Exact = false
		}
	}
	r.Score = r.Coverage
	if !r.Exact {
		r.Score *= 0.5
	}
	return r
}
