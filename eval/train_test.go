package eval

import (
	"math"
	"testing"
)

// TestRefusalScoresOfHeldOutQuestions: the refusal of a set's held-out
// questions is scored as the eval scores it (the ROC's area and the
// negative rejection at RefusalBudget false refusal), and at the
// threshold each question's model chose; another set's questions do not
// count.
func TestRefusalScoresOfHeldOutQuestions(t *testing.T) {
	var hs []heldScore
	add := func(set int, p float64, answerable bool) {
		hs = append(hs, heldScore{t: traced{set: set, answerable: answerable}, p: p, th: 0.6})
	}
	// As in TestRefusalMetricsAtBudget: 20 answerable questions scored
	// 0.50 … 0.69 and four unanswerable ones.
	for i := range 20 {
		add(0, 0.50+float64(i)/100, true)
	}
	for _, p := range []float64{0.1, 0.2, 0.505, 0.95} {
		add(0, p, false)
	}
	// Another set's: all would change the figures.
	for range 10 {
		add(1, 0.99, false)
		add(1, 0.01, true)
	}
	got := refusalScores(hs, 0)
	if got.RejectionAtBudget != 0.75 {
		t.Errorf("rejection at %.0f%% false refusal %v, want 0.75 (0.505 refused with 0.50)", RefusalBudget*100, got.RejectionAtBudget)
	}
	// At 0.6 the answerable 0.50 … 0.59 are refused (10 of 20), and three
	// of the four unanswerable ones.
	if got.FalseRefusal != 0.5 || got.NegativeRejection != 0.75 || math.Abs(got.Threshold-0.6) > 1e-9 {
		t.Errorf("at the threshold: %+v", got)
	}
	// Of the 80 pairs of an answerable and an unanswerable question, the
	// answerable one ranks higher in 59: all 20 over 0.1 and over 0.2, 19
	// over 0.505 (not 0.50), none over 0.95.
	if want := (40.0 + 19) / 80; math.Abs(got.AUC-want) > 1e-9 {
		t.Errorf("AUC %v, want %v", got.AUC, want)
	}
}
