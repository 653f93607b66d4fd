package eval

import (
	"math"
	"testing"

	"wenda/answer"
)

func TestShortAnswerMetricsFollowCMRC(t *testing.T) {
	tests := []struct {
		pred  string
		golds []string
		em    float64
		f1    float64
	}{
		{"英國", []string{"英國"}, 1, 1},
		// Script and punctuation do not count.
		{"英国。", []string{"英國"}, 1, 1},
		{"《古兰经》", []string{"《古蘭經》"}, 1, 1},
		// Half the characters: precision 1, recall 0.5.
		{"1850", []string{"1850年"}, 0, 2 * 1 * 0.5 / 1.5},
		// Latin words are one segment each: "new york city" vs "new york".
		{"New York City", []string{"new york"}, 0, 2 * (2.0 / 3) * 1 / (2.0/3 + 1)},
		// The best of several gold answers.
		{"查理曼", []string{"法蘭克國王查理曼", "查理曼"}, 1, 1},
		{"", []string{"英國"}, 0, 0},
		{"法國", []string{"英國"}, 0, 2 * 0.5 * 0.5 / 1},
	}
	for _, tt := range tests {
		if got := exactMatch(tt.pred, tt.golds); got != tt.em {
			t.Errorf("exactMatch(%q, %q) = %v, want %v", tt.pred, tt.golds, got, tt.em)
		}
		if got := charF1(tt.pred, tt.golds); math.Abs(got-tt.f1) > 1e-9 {
			t.Errorf("charF1(%q, %q) = %v, want %v", tt.pred, tt.golds, got, tt.f1)
		}
	}
}

func TestLongestCommonRunIsContiguous(t *testing.T) {
	// a b c x d vs a b c d: the common run is abc (3), not the common
	// subsequence abcd (4).
	if got := longestCommonRun([]string{"a", "b", "c", "x", "d"}, []string{"a", "b", "c", "d"}); got != 3 {
		t.Errorf("longestCommonRun = %d, want 3", got)
	}
}

func TestIsFactoid(t *testing.T) {
	tests := []struct {
		q    Question
		want bool
	}{
		{Question{Answerable: true, AnswerFacts: []Group{{"英國"}}}, true},
		{Question{Answerable: true, AnswerFacts: []Group{{"一段很长很长的解释说明了为什么会这样发生的原因"}}}, false},
		{Question{Answerable: true, AnswerFacts: []Group{{"一段很长很长的解释说明了为什么会这样发生的原因", "原因"}}}, true},
		{Question{Answerable: true, AnswerFacts: []Group{{"清华大学"}, {"中评智库"}}}, false},
		{Question{Answerable: false}, false},
	}
	for _, tt := range tests {
		if got := isFactoid(tt.q); got != tt.want {
			t.Errorf("isFactoid(%v) = %v", tt.q.AnswerFacts, got)
		}
	}
}

func TestRepeatsSentence(t *testing.T) {
	if !repeatsSentence("美方同意暂停一年[1]。中方也同意[2]。美方同意暂停一年[3]。") {
		t.Error("a sentence said twice with different markers was not found")
	}
	if !repeatsSentence("美方同意暫停一年[1]。美方同意暂停一年[2]。") {
		t.Error("a sentence repeated in the other script was not found")
	}
	if repeatsSentence("美方同意暂停一年[1]。中方也同意暂停一年[2]。") {
		t.Error("two different sentences counted as a repeat")
	}
}

func TestROC(t *testing.T) {
	// Perfect separation: every unanswerable question scores lower.
	_, auc, ok := rocCurve([]float64{0.1, 0.2, 0.8, 0.9}, []bool{false, false, true, true})
	if !ok || auc != 1 {
		t.Errorf("separable: auc %v ok %v, want 1", auc, ok)
	}
	// Reversed: 0.
	if _, auc, _ := rocCurve([]float64{0.9, 0.8, 0.2, 0.1}, []bool{false, false, true, true}); auc != 0 {
		t.Errorf("reversed: auc %v, want 0", auc)
	}
	// All tied: a coin, 0.5.
	pts, auc, _ := rocCurve([]float64{0.5, 0.5, 0.5, 0.5}, []bool{false, true, false, true})
	if auc != 0.5 {
		t.Errorf("tied: auc %v, want 0.5", auc)
	}
	if first, last := pts[0], pts[len(pts)-1]; first.FalseRefusal != 0 || first.NegativeRejection != 0 || last.FalseRefusal != 1 || last.NegativeRejection != 1 {
		t.Errorf("curve runs from %+v to %+v, want (0,0) to (1,1)", first, last)
	}
	// One answerable question (0.3) below one of two unanswerable (0.4):
	// pairs ordered right 1 of 2.
	if _, auc, _ := rocCurve([]float64{0.3, 0.4, 0.2}, []bool{true, false, false}); auc != 0.5 {
		t.Errorf("auc %v, want 0.5", auc)
	}
	if _, _, ok := rocCurve([]float64{0.3}, []bool{true}); ok {
		t.Error("an ROC without unanswerable questions")
	}
}

func TestRefusalMetricsAtBudget(t *testing.T) {
	// 20 answerable questions scored 0.50 … 0.69; four unanswerable ones.
	var scores []float64
	var answerable []bool
	for i := range 20 {
		scores = append(scores, 0.50+float64(i)/100)
		answerable = append(answerable, true)
	}
	for _, s := range []float64{0.1, 0.2, 0.505, 0.95} {
		scores = append(scores, s)
		answerable = append(answerable, false)
	}
	for _, tt := range []struct{ budget, want float64 }{
		{0, 0.5},     // refusing nothing answerable: the two lowest
		{0.05, 0.75}, // refusing one answerable question (0.50) takes 0.505 too
		{0.10, 0.75}, // 0.95 stays above every answerable one
		{1, 1},
	} {
		if _, got := refusalMetrics(scores, answerable, tt.budget); got.Mean != tt.want || got.N != len(scores) {
			t.Errorf("budget %.2f: %+v, want %.2f", tt.budget, got, tt.want)
		}
	}
	if _, got := refusalMetrics([]float64{0.5}, []bool{true}, 0.05); got.N != 0 {
		t.Errorf("no unanswerable question: %+v, want no value", got)
	}
}

// TestRefusalScore: the refusal ROC reads a question refused though its
// answerability reached the threshold (refused for another reason, which
// no threshold changes) as refused at every threshold, and one answered
// though its answerability fell short (a passage states the answer) as
// answered at every threshold.
func TestRefusalScore(t *testing.T) {
	p := func(x float64) *float64 { return &x }
	tests := []struct {
		name string
		r    QuestionResult
		want float64
		ok   bool
	}{
		{"answered", QuestionResult{Answerability: p(0.9), threshold: 0.65}, 0.9, true},
		{"refused below the threshold", QuestionResult{Answerability: p(0.3), Refused: true, threshold: 0.65}, 0.3, true},
		{"refused below it, as low", QuestionResult{Answerability: p(0.3), Refused: true, ReasonCode: answer.RefusalLowRelevance, threshold: 0.65}, 0.3, true},
		{"refused below it, naming what is missing", QuestionResult{Answerability: p(0.3), Refused: true, ReasonCode: answer.RefusalMissingTerms, threshold: 0.65}, 0.3, true},
		// English offline: refused whatever the answerability, below
		// the threshold as above it.
		{"refused below it for another reason", QuestionResult{Answerability: p(0.3), Refused: true, ReasonCode: answer.RefusalUntranslated, threshold: 0.65}, 0, true},
		{"refused below it, no sentence", QuestionResult{Answerability: p(0.3), Refused: true, ReasonCode: answer.RefusalNoSentence, threshold: 0.65}, 0, true},
		{"refused above it", QuestionResult{Answerability: p(0.99), Refused: true, threshold: 0.65}, 0, true},
		{"refused at it", QuestionResult{Answerability: p(0.65), Refused: true, threshold: 0.65}, 0, true},
		{"answered below the threshold", QuestionResult{Answerability: p(0.62), threshold: 0.65}, 1, true},
		{"no threshold known", QuestionResult{Answerability: p(0.99), Refused: true}, 0.99, true},
		{"answered, no threshold known", QuestionResult{Answerability: p(0.3)}, 0.3, true},
		{"no score", QuestionResult{Refused: true, threshold: 0.65}, 0, false},
	}
	for _, tt := range tests {
		if got, ok := refusalScore(tt.r); got != tt.want || ok != tt.ok {
			t.Errorf("%s: refusalScore = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	// Two answerable questions, one refused for another reason, and two
	// unanswerable, one refused so: the area counts the pairs the
	// decisions order, (0.9 over 0.2 and over the refused one, the
	// refused pair tied), 2.5 of 4, not the 4 of 4 the scores order.
	rs := []QuestionResult{
		{Answerable: true, Answerability: p(0.9), threshold: 0.5},
		{Answerable: true, Answerability: p(0.8), Refused: true, threshold: 0.5},
		{Answerability: p(0.2), Refused: true, threshold: 0.5},
		{Answerability: p(0.7), Refused: true, threshold: 0.5},
	}
	for i := range rs {
		rs[i].asked = true
	}
	if got := summarize(rs).Answers.RefusalAUC.Mean; got != 0.625 {
		t.Errorf("refusal AUC %v, want 0.625", got)
	}
	if pts := refusalROC(rs); len(pts) == 0 {
		t.Error("no ROC")
	}
}
