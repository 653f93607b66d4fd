package answer

import (
	"sort"
	"strings"

	"wenda/analysis"
	"wenda/hanzi"
	"wenda/retrieval"
)

// Span is a rune range [Start, End) of a document's cleaned text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// evidenceSpans finds, for each claim citing passage p, the sentence of p that
// shares the most index terms with it, and returns those sentences as
// document offsets, in order, without repeats, and with sentences that
// follow each other joined into one span. A passage runs to
// several hundred characters; these spans are the words a reader should
// check the claim against.
func evidenceSpans(p retrieval.Passage, claims []string) []Span {
	spans := analysis.SentenceSpans(p.Text)
	if len(spans) == 0 {
		return nil
	}
	runes := []rune(p.Text)
	// Sentences are compared folded, by substring: analysing every
	// sentence of every cited passage cost a fifth of an answer.
	folded := make([]string, len(spans))
	for i, sp := range spans {
		folded[i] = hanzi.Fold(string(runes[sp.Start:sp.End]))
	}
	picked := map[int]bool{}
	for _, claim := range claims {
		terms := map[string]bool{}
		for _, t := range analysis.Terms(claim) {
			terms[t] = true
		}
		best, bestHits := -1, 0
		for i := range spans {
			hits := 0
			for t := range terms {
				if strings.Contains(folded[i], t) {
					hits++
				}
			}
			if hits > bestHits {
				best, bestHits = i, hits
			}
		}
		if best >= 0 {
			picked[best] = true
		}
	}
	out := make([]Span, 0, len(picked))
	for i := range picked {
		out = append(out, Span{Start: p.Start + spans[i].Start, End: p.Start + spans[i].End})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	// Sentences that follow each other make one span.
	merged := out[:0]
	for _, sp := range out {
		if n := len(merged); n > 0 && strings.TrimSpace(string(runes[merged[n-1].End-p.Start:sp.Start-p.Start])) == "" {
			merged[n-1].End = sp.End
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}
