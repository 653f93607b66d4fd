package eval

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestSignTest(t *testing.T) {
	tests := []struct {
		better, worse int
		want          float64
	}{
		{0, 0, 1},
		{3, 3, 1},
		{0, 5, 2.0 / 32},        // both tails of 5 fair coins all alike
		{1, 9, 2 * 11.0 / 1024}, // P(X ≤ 1) for 10 coins, twice
		{8, 0, 2.0 / 256},       // the DRCD refusals of a lowered threshold
		// In exact arithmetic: 2·Σ_{i≤19} C(51, i) / 2^51.
		{19, 32, 0.09191454981585423},
	}
	for _, tt := range tests {
		if got := signTest(tt.better, tt.worse); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("signTest(%d, %d) = %v, want %v", tt.better, tt.worse, got, tt.want)
		}
		if got := signTest(tt.worse, tt.better); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("signTest is not symmetric at (%d, %d): %v", tt.worse, tt.better, got)
		}
	}
}

func TestPaired(t *testing.T) {
	ans := func(id string, refused bool, em float64) QuestionResult {
		return QuestionResult{ID: id, Answerable: true, Factoid: true, HitRank: 1, Refused: refused, ExactMatch: em, CharF1: em, Answer: "…", FactsTotal: 1, FactsFound: int(em)}
	}
	un := func(id string, refused bool) QuestionResult {
		return QuestionResult{ID: id, Refused: refused, Answer: "…"}
	}
	before := Report{PerQuestion: []QuestionResult{
		ans("a1", false, 1), ans("a2", false, 0), ans("a3", false, 0), ans("a4", true, 0),
		un("u1", false), un("u2", true), un("u3", false),
	}}
	after := Report{PerQuestion: []QuestionResult{
		ans("a1", false, 1), ans("a2", false, 1), ans("a3", true, 0), ans("a4", false, 1),
		un("u1", true), un("u2", true), un("u3", true),
		ans("new", false, 1), // not in the baseline
	}}
	matched, unmatched, changes := Paired(before, after)
	if matched != 7 || unmatched != 1 {
		t.Fatalf("matched %d, unmatched %d; want 7 and 1", matched, unmatched)
	}
	got := map[string]PairedChange{}
	for _, c := range changes {
		got[c.Name] = c
	}
	want := map[string]struct {
		n, better, worse int
		before, after    float64
	}{
		"answers.factoid_em":         {4, 2, 0, 0.25, 0.75},
		"answers.negative_rejection": {3, 2, 0, 1.0 / 3, 1},
		// a3 was refused and a4 no longer is: one each way, lower is
		// better.
		"answers.false_refusal": {4, 1, 1, 0.25, 0.25},
		"retrieval.hit_at_5":    {4, 0, 0, 1, 1},
	}
	for name, w := range want {
		c, ok := got[name]
		if !ok {
			t.Errorf("no %s", name)
			continue
		}
		if c.N != w.n || c.Better != w.better || c.Worse != w.worse || math.Abs(c.Before-w.before) > 1e-9 || math.Abs(c.After-w.after) > 1e-9 {
			t.Errorf("%s: n %d, better %d, worse %d, %.3f -> %.3f; want %+v", name, c.N, c.Better, c.Worse, c.Before, c.After, w)
		}
	}

	// A retrieval-only baseline compares retrieval only.
	retrievalOnly := Report{PerQuestion: []QuestionResult{{ID: "a1", Answerable: true, HitRank: 3}}}
	_, _, changes = Paired(retrievalOnly, after)
	for _, c := range changes {
		if strings.HasPrefix(c.Name, "answers.") {
			t.Errorf("%s compared against a run that asked for no answers", c.Name)
		}
	}

	var buf bytes.Buffer
	if err := WritePaired(&buf, before, after); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"7 questions matched by id, 1 not in the baseline", "false refusal (lower is better)", "factoid EM"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, buf.String())
		}
	}
}

// TestRankedChanges: the refusal AUC and the rejection at the budget are
// compared by a paired bootstrap. Scores that do not move give no change
// and p 1; a ranking that now puts every unanswerable question below every
// answerable one is a change the interval keeps clear of zero; the same
// runs give the same interval every time.
func TestRankedChanges(t *testing.T) {
	const n = 200 // 180 answerable, 20 unanswerable
	labels := make([]bool, n)
	mixed := make([]float64, n)    // the unanswerable questions among the answerable
	separate := make([]float64, n) // the unanswerable questions all lowest
	for i := range n {
		labels[i] = i >= 20
		mixed[i] = float64((i*37)%n) / n
		separate[i] = mixed[i]
		if !labels[i] {
			separate[i] = -1 + float64(i)/n
		}
	}
	byName := func(cs []PairedChange) map[string]PairedChange {
		m := map[string]PairedChange{}
		for _, c := range cs {
			if !c.Ranked || c.N != n {
				t.Errorf("%s: ranked %v over %d questions, want ranked over %d", c.Name, c.Ranked, c.N, n)
			}
			m[c.Name] = c
		}
		return m
	}

	same := byName(rankedChanges(mixed, mixed, labels))
	for _, name := range []string{"answers.refusal_auc", "answers.rejection_at_budget"} {
		c, ok := same[name]
		if !ok {
			t.Fatalf("no %s", name)
		}
		if c.After != c.Before || c.Interval != [2]float64{} || c.P != 1 {
			t.Errorf("%s of unchanged scores: %.3f -> %.3f, interval %v, p %v; want no change, p 1", name, c.Before, c.After, c.Interval, c.P)
		}
	}

	better := byName(rankedChanges(mixed, separate, labels))
	again := byName(rankedChanges(mixed, separate, labels))
	for _, name := range []string{"answers.refusal_auc", "answers.rejection_at_budget"} {
		c := better[name]
		if c.After != 1 || c.Before >= 0.9 {
			t.Errorf("%s: %.3f -> %.3f; want the separated ranking at 1 and the mixed one well below", name, c.Before, c.After)
		}
		if !(c.Interval[0] > 0 && c.Interval[0] <= c.After-c.Before && c.After-c.Before <= c.Interval[1]) || c.P >= 0.05 {
			t.Errorf("%s: change %+.3f, interval %v, p %v; want an interval above zero around the change, p under 0.05", name, c.After-c.Before, c.Interval, c.P)
		}
		if again[name] != c {
			t.Errorf("%s: a second comparison of the same runs gave %+v, the first %+v", name, again[name], c)
		}
	}

	if cs := rankedChanges(mixed[20:], separate[20:], labels[20:]); cs != nil {
		t.Errorf("answerable questions only: %v, want none", cs)
	}
}

// TestPairedRankedFromJSON: a baseline read back from JSON keeps its
// threshold once, in the report; a question it refused though its
// answerability reached that threshold is refused at every threshold, as
// in the run's own report.
func TestPairedRankedFromJSON(t *testing.T) {
	p := func(v float64) *float64 { return &v }
	q := func(id string, answerable, refused bool, a float64) QuestionResult {
		return QuestionResult{ID: id, Answerable: answerable, Refused: refused, Answerability: p(a), Answer: "…", threshold: 0.5}
	}
	// saved writes a run's report as --json does and reads it back, as
	// --baseline does.
	saved := func(r Report) Report {
		t.Helper()
		r.Threshold = 0.5
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back Report
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		return back
	}
	// Before: u1 was refused for another reason though it scored 0.9;
	// it ranks below every answerable question. After: u1 answered.
	before := saved(Report{PerQuestion: []QuestionResult{
		q("a1", true, false, 0.8), q("a2", true, false, 0.7), q("u1", false, true, 0.9), q("u2", false, true, 0.1),
	}})
	after := saved(Report{PerQuestion: []QuestionResult{
		q("a1", true, false, 0.8), q("a2", true, false, 0.7), q("u1", false, false, 0.9), q("u2", false, true, 0.1),
	}})
	_, _, changes := Paired(before, after)
	var auc *PairedChange
	for i := range changes {
		if changes[i].Name == "answers.refusal_auc" {
			auc = &changes[i]
		}
	}
	if auc == nil {
		t.Fatal("no refusal AUC among the changes")
	}
	if auc.Before != 1 || auc.After != 0.5 {
		t.Errorf("refusal AUC %.3f -> %.3f, want 1 -> 0.5", auc.Before, auc.After)
	}
	var buf bytes.Buffer
	if err := WritePaired(&buf, before, after); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "refusal AUC") || !strings.Contains(buf.String(), "paired bootstrap") {
		t.Errorf("table lacks the refusal AUC or what judges it:\n%s", buf.String())
	}
}
