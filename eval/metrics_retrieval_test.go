package eval

import (
	"math"
	"slices"
	"testing"
)

// b turns a pattern like "0101" into passage relevance.
func b(pattern string) []bool {
	out := make([]bool, len(pattern))
	for i, c := range pattern {
		out[i] = c == '1'
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-4 }

func TestRankMetrics(t *testing.T) {
	tests := []struct {
		name   string
		rel    string
		groups int
		// Expectations computed by hand: DCG = Σ 1/log2(rank+1) over
		// relevant ranks; the ideal has max(groups, relevant found) ones.
		first int
		hit1  bool
		hit5  bool
		rr    float64
		ndcg  float64
	}{
		{name: "first passage relevant", rel: "1000000000", groups: 1, first: 1, hit1: true, hit5: true, rr: 1, ndcg: 1},
		// DCG 1/log2(3)+1/log2(5) = 0.63093+0.43068; IDCG (2 found) 1+0.63093.
		{name: "ranks 2 and 4", rel: "0101000000", groups: 1, first: 2, hit5: true, rr: 0.5, ndcg: 0.65092},
		// One relevant passage for a two-group question: 1 / (1+0.63093).
		{name: "multi-hop with one passage", rel: "1000000000", groups: 2, first: 1, hit1: true, hit5: true, rr: 1, ndcg: 0.61315},
		// 1/log2(4) = 0.5 over an ideal of 1.
		{name: "rank 3", rel: "0010000000", groups: 1, first: 3, hit5: true, rr: 1.0 / 3, ndcg: 0.5},
		// 1/log2(8) = 1/3.
		{name: "rank 7 misses hit@5", rel: "0000001000", groups: 1, first: 7, rr: 1.0 / 7, ndcg: 1.0 / 3},
		{name: "rank 11 is beyond the cut-off", rel: "00000000001", groups: 1},
		{name: "nothing relevant", rel: "0000000000", groups: 1},
		{name: "fewer passages than k", rel: "01", groups: 2, first: 2, hit5: true, rr: 0.5, ndcg: 0.38685},
		{name: "three relevant, one group", rel: "111", groups: 1, first: 1, hit1: true, hit5: true, rr: 1, ndcg: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rel := b(tt.rel)
			if got := firstRelevant(rel, cutRank); got != tt.first {
				t.Errorf("firstRelevant = %d, want %d", got, tt.first)
			}
			if got := hitAt(rel, 1); got != tt.hit1 {
				t.Errorf("hit@1 = %v, want %v", got, tt.hit1)
			}
			if got := hitAt(rel, cutHit); got != tt.hit5 {
				t.Errorf("hit@5 = %v, want %v", got, tt.hit5)
			}
			if got := reciprocalRank(rel, cutRank); !near(got, tt.rr) {
				t.Errorf("RR = %.5f, want %.5f", got, tt.rr)
			}
			if got := ndcgAt(rel, tt.groups, cutRank); !near(got, tt.ndcg) {
				t.Errorf("nDCG@10 = %.5f, want %.5f", got, tt.ndcg)
			}
		})
	}
}

func TestRecallAt(t *testing.T) {
	// hits[i][g]: passage i covers group g.
	hits := [][]bool{
		{false, false, false},
		{true, false, false},
		{true, false, false},
		{false, false, false},
		{false, true, false},
		{false, false, true}, // rank 6: beyond recall@5
	}
	tests := []struct {
		name   string
		hits   [][]bool
		groups int
		k      int
		want   float64
	}{
		{"two of three groups in the first five", hits, 3, 5, 2.0 / 3},
		{"all three in the first six", hits, 3, 6, 1},
		{"one of three in the first two", hits, 3, 2, 1.0 / 3},
		{"no passages", nil, 2, 5, 0},
		{"no groups", hits, 0, 5, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := recallAt(tt.hits, tt.groups, tt.k); !near(got, tt.want) {
				t.Errorf("recallAt = %.4f, want %.4f", got, tt.want)
			}
		})
	}
	if got := relevant(hits); !slices.Equal(got, b("011011")) {
		t.Errorf("relevant = %v", got)
	}
}

func TestPercentile(t *testing.T) {
	tests := []struct {
		xs       []float64
		p50, p95 float64
	}{
		{[]float64{5}, 5, 5},
		{[]float64{4, 1, 3, 2}, 2, 4},
		// 20 values 1..20: rank ceil(0.5*20)=10, ceil(0.95*20)=19.
		{[]float64{20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 10, 19},
		{nil, 0, 0},
	}
	for _, tt := range tests {
		if got := percentile(tt.xs, 50); got != tt.p50 {
			t.Errorf("p50(%v) = %v, want %v", tt.xs, got, tt.p50)
		}
		if got := percentile(tt.xs, 95); got != tt.p95 {
			t.Errorf("p95(%v) = %v, want %v", tt.xs, got, tt.p95)
		}
	}
	if l := latency(nil); l.N != 0 {
		t.Errorf("latency(nil) = %+v, want N 0", l)
	}
}
