package eval

import (
	"bytes"
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
