package answer

import (
	"context"
	"fmt"

	"wenda/retrieval"
)

// DefaultMinRelevance is the retrieval relevance score (Relevance.Score)
// below which the service refuses without generating.
//
// It was chosen on the 174 dev questions of eval/questions.jsonl (146
// answerable, 28 not; never the test split) by TestCalibrateRelevance,
// which searches each question with the library's default retrieval
// settings (hybrid, k=5, offline hash embedder) over the embedded articles
// and sweeps the threshold from 0 to 0.6 in steps of 0.025. The rule
// (ChooseThreshold) spends a fixed false-refusal budget, MaxFalseRefusal,
// and takes the threshold that refuses the most unanswerable questions
// within it. Measured:
//
//	threshold  negative rejection  false refusal
//	0.100      0.036               0.062
//	0.150      0.036               0.096
//	0.175      0.071               0.137
//	0.200      0.143               0.171   ← chosen
//	0.225      0.143               0.212
//	0.250      0.250               0.247
//	0.300      0.464               0.377
//	0.475      0.786               0.658   (largest difference of the two)
//
// The signal separates this question set poorly. Its unanswerable
// questions are near misses and false premises written in the articles'
// own terms ("欧盟对中国电动汽车加征了多少关税？" scores 0.19, "马德里会谈讨论
// 了哪些议题" 0.37), so no threshold refuses most of them without refusing
// many answerable ones. The gate is kept to what it can do — turn away
// questions the articles barely touch — and the rest is left to
// verification and, with an LLM, to the model's reading of the passages.
// The answerable questions it does refuse are mostly ones the extractive
// answer got wrong anyway: their answers state 58% of the expected facts,
// against 93% above the threshold. Run
//
//	go test ./answer -run TestCalibrateRelevance -v
//
// to see the sweep again after a change to retrieval or the question set;
// the test fails when the rule's pick has moved away from this constant.
const DefaultMinRelevance = 0.2

// MaxFalseRefusal is the share of answerable dev questions the relevance
// gate may refuse at the calibrated threshold.
const MaxFalseRefusal = 0.2

// LabeledQuestion is a question with whether the articles answer it.
type LabeledQuestion struct {
	ID         string
	Question   string
	Answerable bool
}

// SweepPoint is how the relevance gate alone would do at one threshold.
type SweepPoint struct {
	Threshold float64 `json:"threshold"`
	// NegativeRejection is the share of unanswerable questions refused.
	NegativeRejection float64 `json:"negative_rejection"`
	// FalseRefusal is the share of answerable questions refused.
	FalseRefusal float64 `json:"false_refusal"`
}

// RelevanceScores searches each question once with q's settings and
// returns its relevance score, in order.
func RelevanceScores(ctx context.Context, s Searcher, q retrieval.Query, qs []LabeledQuestion) ([]float64, error) {
	out := make([]float64, len(qs))
	for i, lq := range qs {
		q.Text = lq.Question
		res, err := s.Search(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("search %s: %w", lq.ID, err)
		}
		out[i] = res.Relevance.Score
	}
	return out, nil
}

// Sweep reports, for each threshold, the negative rejection and false
// refusal of refusing every question whose score is below it.
func Sweep(qs []LabeledQuestion, scores []float64, thresholds []float64) []SweepPoint {
	out := make([]SweepPoint, 0, len(thresholds))
	for _, th := range thresholds {
		var neg, negRefused, pos, posRefused int
		for i, q := range qs {
			refused := scores[i] < th
			if q.Answerable {
				pos++
				if refused {
					posRefused++
				}
			} else {
				neg++
				if refused {
					negRefused++
				}
			}
		}
		out = append(out, SweepPoint{Threshold: th, NegativeRejection: share(negRefused, neg), FalseRefusal: share(posRefused, pos)})
	}
	return out
}

// ChooseThreshold returns the point that refuses the most unanswerable
// questions among those that refuse at most maxFalseRefusal of the
// answerable ones, and of equals the one that refuses fewest answerable
// questions; ok is false when no point qualifies. A false-refusal budget,
// rather than the best difference of the two rates, because the signal is
// weak on near-miss questions: the difference peaks where half of all
// answerable questions are turned away.
func ChooseThreshold(points []SweepPoint, maxFalseRefusal float64) (best SweepPoint, ok bool) {
	const eps = 1e-9
	for _, p := range points {
		if p.FalseRefusal > maxFalseRefusal+eps {
			continue
		}
		better := p.NegativeRejection > best.NegativeRejection+eps ||
			p.NegativeRejection > best.NegativeRejection-eps && p.FalseRefusal < best.FalseRefusal-eps
		if !ok || better {
			best, ok = p, true
		}
	}
	return best, ok
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}
