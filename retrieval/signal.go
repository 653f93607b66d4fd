package retrieval

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"wenda/analysis"
	"wenda/hanzi"
	"wenda/index"
	"wenda/question"
)

// TermWeights are the corpus statistics of a query's terms, as its
// collection held them when it was searched: the answer stage scores
// sentences with them.
type TermWeights struct {
	Chunks int                `json:"chunks"`
	IDFs   map[string]float64 `json:"idf"`
}

func newTermWeights(st index.TermStats, terms []string) TermWeights {
	w := TermWeights{Chunks: st.Chunks, IDFs: make(map[string]float64, len(terms))}
	for _, t := range terms {
		w.IDFs[t] = analysis.IDF(st.Chunks, st.DF[t])
	}
	return w
}

// IDF is the inverse document frequency of a folded term over the
// collection's chunks. A term the query did not hold is scored as one no
// chunk holds.
func (w TermWeights) IDF(term string) float64 {
	if v, ok := w.IDFs[term]; ok {
		return v
	}
	return analysis.IDF(w.Chunks, 0)
}

// exactExprs returns what must occur literally in a passage for it to
// answer the query: its number expressions, with their units, and its
// Latin names (see package question). Titles in 《》 are left to the
// lexical score: a passage may name a work without its brackets. An
// English question's ordinary words are left to it too, so that an
// English question is not refused merely for being English.
func exactExprs(q *question.Analysis) []string {
	return slices.Concat(q.Numbers, q.Names)
}

// relevance computes the refusal signal for a query's passages.
//
// Coverage is the IDF-weighted share of the query's content terms found in
// the best passage: a question about a subject the corpus never discusses
// finds passages that share only common bigrams, whose IDF is low. BM25Norm
// is the best passage's BM25 score over the sum of the terms' IDFs (what a
// passage of average length containing each term once would score). Exact
// holds when every number expression (with its unit) and every Latin name
// of the query occurs in some retrieved passage: a question that hinges on
// "30分钟", "111亿美元" or "H200" is not answered by passages that never
// say it. Score is Coverage when Exact holds and 0 otherwise, which is the
// value the answerer compares with its threshold.
func relevance(q *question.Analysis, terms []string, w TermWeights, avgTerms float64, ps []Passage, docs map[string]index.DocInfo) Relevance {
	if len(terms) == 0 || len(ps) == 0 {
		return Relevance{}
	}
	var total float64
	for _, t := range terms {
		total += w.IDF(t)
	}
	var r Relevance
	// Passage text as one string twice over: with white space kept, for
	// Latin words, and without, for numbers ("2021 年" in a PDF line).
	var spaced, compact strings.Builder
	for _, p := range ps {
		ft := p.Folded
		// A passage answers for its article's title and authors too:
		// "Gupta的报告" is satisfied by any passage of Gupta's report.
		whole := docs[p.DocID].Header + ft
		spaced.WriteString(whole)
		spaced.WriteByte('\n')
		compact.WriteString(analysis.Compact(whole))
		compact.WriteByte('\n')
		tf, length := termCounts(ft, terms)
		cov := 0.0
		for _, t := range terms {
			if tf[t] > 0 {
				cov += w.IDF(t)
			}
		}
		if total > 0 {
			r.Coverage = math.Max(r.Coverage, cov/total)
			bm := 0.0
			for _, t := range terms {
				bm += analysis.BM25(w.IDF(t), float64(tf[t]), float64(length), avgTerms)
			}
			r.BM25Norm = math.Max(r.BM25Norm, bm/total)
		}
	}
	r.Exact = true
	for _, e := range exactExprs(q) {
		in := spaced.String()
		if e[0] >= '0' && e[0] <= '9' {
			in = compact.String()
		}
		if !analysis.ContainsWhole(in, e) {
			r.Exact = false
			r.Missing = append(r.Missing, e)
		}
	}
	r.Score = r.Coverage
	if !r.Exact {
		r.Score = 0
	}
	return r
}

// termCounts counts the query's terms in a folded passage without
// analysing the passage: a CJK term occurs wherever its characters do, and
// a Latin or number term wherever it stands as a whole word. length
// approximates the passage's number of index terms (one per Han character,
// one per Latin word or number), which is what BM25 normalises by.
// Analysing every returned passage was two fifths of a search.
func termCounts(folded string, terms []string) (map[string]int, int) {
	tf := make(map[string]int, len(terms))
	for _, t := range terms {
		if analysis.IsExactTerm(t) {
			tf[t] = analysis.CountWhole(folded, t)
		} else {
			tf[t] = strings.Count(folded, t)
		}
	}
	length, inWord := 0, false
	for _, r := range folded {
		switch {
		case hanzi.IsHan(r):
			length++
			inWord = false
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if !inWord {
				length++
			}
			inWord = true
		default:
			inWord = false
		}
	}
	return tf, length
}
