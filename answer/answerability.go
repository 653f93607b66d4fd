package answer

import (
	_ "embed"
	"math"
	"strings"

	"wenda/analysis"
	"wenda/question"
	"wenda/retrieval"
)

// Answerability is the decision to answer or to refuse: the probability
// that the retrieved passages answer the question, as the answerability
// model estimates it from what the question asks and what the passages
// and the reader found, and the threshold below which wenda refuses.
type Answerability struct {
	Probability float64 `json:"probability"`
	Threshold   float64 `json:"threshold"`
	// Features are the measurements the model weighed, by name.
	Features map[string]float64 `json:"features,omitempty"`
	// Stated is set when a passage states the answer in so many words:
	// it describes the person an identity question names (宋伟是谁？ —
	// 中国人民大学…教授宋伟), or names the author of the document a
	// question asks about (本文作者是…教授赵明昊). The question is answered
	// below the threshold too.
	Stated bool `json:"stated,omitempty"`
	// Parts are, for a compound question the whole of which falls short
	// of the threshold, the model's probability for each thing it asks,
	// read on its own. When the least of them reaches the threshold the
	// question is answered part by part, and Probability is that least.
	Parts []float64 `json:"parts,omitempty"`
}

// The features of the answerability model, in the order of its weights.
// Each is a measurement that means the same on any collection: shares,
// presence flags and ratios, never raw scores whose scale depends on the
// corpus.
var FeatureNames = []string{
	"coverage",          // IDF-weighted share of the question's terms in the best passage (retrieval)
	"bm25_norm",         // best passage's BM25 over the terms' summed IDF, capped at 2 (retrieval)
	"constraints_found", // every number, Latin name and title of the question is in a passage
	"best_coverage",     // share of the focus in the reader's best sentence
	"window_coverage",   // share of the focus in that sentence and its neighbours
	"focus_in_doc",      // share of the focus in the best sentence's document
	"rarest_missing",    // IDF of the rarest focus term no passage holds, over the largest
	"candidate",         // the span model's probability for the best candidate short answer
	"candidate_margin",  // its score's lead over the second best, capped at 4
	"typed",             // a candidate short answer was found
	"anchored",          // it stands next to the question's words
	"factoid",           // the question asks for a span (a number, date, name, title, thing)
	"focus_terms",       // log(1 + number of focus terms)
	"title_overlap",     // share of the focus in the best passage's title
	"char_coverage",     // share of the question's content characters in the best window of sentences
	"specific_coverage", // share of the focus the best passage's title does not name, in that window
	"common_run",        // longest run of the question's characters the window repeats, over its content characters
	"span_anchor",       // how firmly the question's words hold the best candidate short answer
	"mismatch",          // the answered candidate's form contradicts what is asked (50% for 多少美元, a date for 谁)
	"candidate_in_doc",  // share of the focus in the answered candidate's document, 0 without one
	"constraints_away",  // share of the question's numbers and names the answered sentence, its neighbours and its title lack
}

// FeatureSigns are the directions the answerability model's weights keep
// when it is fitted: the likelihood of the best candidate short answer
// and the share of the question that the best sentence's or the
// candidate's document holds can only speak for an answer, the rarest
// focus term missing and a candidate of the wrong form only against one.
// (Free, the best sentence's document came to weigh against an answer
// once the candidate's did for it, the two being one measure for most
// questions.) Fitted freely, the
// candidate's likelihood had come to weigh against an answer (its weight
// trades against the other candidate measures, typed and span_anchor, that
// move with it), so that a question to which no candidate fits (0.01) was
// answered more readily than one to which one does. The other features
// are left free: their signs, some against what each says alone (the
// window's coverage against the best sentence's), are contrasts between
// measures that move together, and holding every feature to its own
// direction cost the refusal on every set (CMRC's rejection at 5% false
// refusal 0.637 → 0.628; shipped dev's AUC 0.777 → 0.746).
var FeatureSigns = map[string]int{"candidate": 1, "rarest_missing": -1, "mismatch": -1, "focus_in_doc": 1, "candidate_in_doc": 1, "constraints_away": -1}

//go:embed answerability.json
var answerabilityJSON []byte

// DefaultAnswerabilityModel returns the answerability model shipped with
// wenda (answerability.json), trained by "wenda train".
func DefaultAnswerabilityModel() *LinearModel {
	m, err := ParseModel(answerabilityJSON, FeatureNames)
	if err != nil {
		// The file is embedded at build time; failing to read it is a
		// build defect, caught by the package's tests.
		panic("answer: embedded answerability model: " + err.Error())
	}
	return m
}

// Vector returns the features of a map in model order.
func Vector(f map[string]float64) []float64 {
	x := make([]float64, len(FeatureNames))
	for i, n := range FeatureNames {
		x[i] = f[n]
	}
	return x
}

// measure measures a question against its passages and the reader's
// reading of them.
func measure(q *question.Analysis, res retrieval.Result, r reading) map[string]float64 {
	f := map[string]float64{
		"coverage":          res.Relevance.Coverage,
		"bm25_norm":         math.Min(res.Relevance.BM25Norm, 2),
		"best_coverage":     r.signals.bestCoverage,
		"window_coverage":   r.signals.windowCoverage,
		"focus_in_doc":      r.signals.focusInDoc,
		"rarest_missing":    r.signals.rarestMissing,
		"candidate":         r.signals.candidate,
		"candidate_margin":  r.signals.margin,
		"typed":             b2f(r.signals.typed),
		"anchored":          b2f(r.signals.anchored),
		"factoid":           b2f(q.Type.Factoid()),
		"focus_terms":       math.Log1p(float64(len(q.Focus))),
		"char_coverage":     r.signals.charCoverage,
		"specific_coverage": r.signals.specificCoverage,
		"common_run":        r.signals.commonRun,
		"span_anchor":       r.signals.spanAnchor,
		"mismatch":          b2f(r.signals.mismatch),
		"candidate_in_doc":  r.signals.candidateInDoc,
		"constraints_away":  r.signals.constraintsAway,
	}
	f["constraints_found"] = b2f(constraintsFound(q, res))
	if len(res.Passages) > 0 && len(q.Focus) > 0 {
		title := analysis.TermSet(string(analysis.FoldRunes(res.Passages[0].Title)))
		hit := 0
		for _, t := range q.Focus {
			if title[t] {
				hit++
			}
		}
		f["title_overlap"] = float64(hit) / float64(len(q.Focus))
	}
	return f
}

// constraintsFound reports whether every number, Latin name and title the
// question names occurs in some passage: numbers and names as retrieval
// checked them against the passages and their documents' headers
// (Relevance.Exact), titles here.
func constraintsFound(q *question.Analysis, res retrieval.Result) bool {
	if len(q.Numbers)+len(q.Names) > 0 && !res.Relevance.Exact {
		return false
	}
	if len(q.Titles) == 0 {
		return true
	}
	var all strings.Builder
	for _, p := range res.Passages {
		all.WriteString(analysis.Compact(p.Folded))
		all.WriteString(analysis.Compact(string(analysis.FoldRunes(p.Title))))
		all.WriteByte('\n')
	}
	text := all.String()
	for _, t := range q.Titles {
		if !strings.Contains(text, analysis.Compact(t)) {
			return false
		}
	}
	return true
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
