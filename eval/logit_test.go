package eval

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFitLogisticRecoversAKnownModel draws examples from a known logistic
// model and checks that the fit finds its weights back.
func TestFitLogisticRecoversAKnownModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	trueW, trueB := []float64{2, -1, 0}, 0.5
	var xs [][]float64
	var ys []bool
	var ws []float64
	for range 20000 {
		x := []float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
		p := sigmoid(trueB + dot(trueW, x))
		xs = append(xs, x)
		ys = append(ys, rng.Float64() < p)
		ws = append(ws, 1)
	}
	f, err := fitLogistic(xs, ys, ws, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Back from standardised units: w_j / scale_j, b - Σ w_j mean_j / scale_j.
	b := f.bias
	for j, w := range f.weights {
		got := w / f.st.scale[j]
		b -= w * f.st.mean[j] / f.st.scale[j]
		if math.Abs(got-trueW[j]) > 0.1 {
			t.Errorf("weight %d = %.3f, want %.1f", j, got, trueW[j])
		}
	}
	if math.Abs(b-trueB) > 0.1 {
		t.Errorf("bias = %.3f, want %.1f", b, trueB)
	}
}

// TestFitLogisticKeepsSigns: two features that move together, the second
// a noisy copy of the first, and a label that rewards their difference;
// fitted freely, the copy weighs against; held to a positive sign, it
// weighs nothing, the first carries the signal, and the weights the model
// keeps free are fitted as before. A third feature, free, keeps its
// negative weight.
func TestFitLogisticKeepsSigns(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var xs [][]float64
	var ys []bool
	var ws []float64
	for range 20000 {
		a := rng.NormFloat64()
		c := a + 0.3*rng.NormFloat64()
		z := rng.NormFloat64()
		p := sigmoid(2*a - 1*c - 0.8*z)
		xs = append(xs, []float64{a, c, z})
		ys = append(ys, rng.Float64() < p)
		ws = append(ws, 1)
	}
	free, err := fitLogistic(xs, ys, ws, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if free.weights[1] >= 0 {
		t.Fatalf("free fit: the copy weighs %.3f, want below 0 (the test's premise)", free.weights[1])
	}
	held, err := fitLogistic(xs, ys, ws, 1, []int{1, 1, 0})
	if err != nil {
		t.Fatal(err)
	}
	if held.weights[1] != 0 || held.weights[0] <= 0 || held.weights[2] >= 0 {
		t.Errorf("held fit: weights %.3f, want (>0, 0, <0)", held.weights)
	}
	// The likelihood falls, as a constraint that binds makes it.
	zs := make([][]float64, len(xs))
	for i, x := range xs {
		zs[i] = append(free.st.apply(x), 1)
	}
	obj := func(f fitted) float64 {
		return logisticObjective(zs, ys, ws, append(append([]float64(nil), f.weights...), f.bias), 1)
	}
	if obj(held) >= obj(free) {
		t.Errorf("objective held %.3f, free %.3f: the constraint should cost", obj(held), obj(free))
	}
}

// TestFitLogisticSeparable checks that perfectly separable data, where the
// unpenalised optimum is infinite, still gives finite weights.
func TestFitLogisticSeparable(t *testing.T) {
	var xs [][]float64
	var ys []bool
	var ws []float64
	for i := range 200 {
		x := float64(i%2) + 0.001*float64(i)
		xs = append(xs, []float64{x, 1})
		ys = append(ys, i%2 == 1)
		ws = append(ws, 1)
	}
	f, err := fitLogistic(xs, ys, ws, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !f.finite() || sigmoid(f.score([]float64{1, 1})) < 0.9 || sigmoid(f.score([]float64{0, 1})) > 0.1 {
		t.Errorf("separable fit: %+v", f)
	}
}

// TestFitConditionalRanks checks that the conditional logit learns to put
// first the candidate a known linear rule prefers.
func TestFitConditionalRanks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	rule := []float64{1.5, -2, 0.2}
	draw := func() group {
		g := group{weight: 1}
		n := 2 + rng.IntN(20)
		best, bestScore := 0, math.Inf(-1)
		for k := range n {
			x := []float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
			// Noise, so the rule is learnable but not separable.
			if s := dot(rule, x) + 0.5*rng.NormFloat64(); s > bestScore {
				best, bestScore = k, s
			}
			g.xs = append(g.xs, x)
		}
		g.positive = make([]bool, n)
		g.positive[best] = true
		return g
	}
	var train, test []group
	for range 2000 {
		train = append(train, draw())
		test = append(test, draw())
	}
	f, err := fitConditional(train, 1)
	if err != nil {
		t.Fatal(err)
	}
	hit := 0
	for _, g := range test {
		best, bestScore := 0, math.Inf(-1)
		for k, x := range g.xs {
			if s := f.score(x); s > bestScore {
				best, bestScore = k, s
			}
		}
		if g.positive[best] {
			hit++
		}
	}
	// The rule itself, noise aside, picks right about 0.8 of the time;
	// a coin over about 11 candidates, 0.09.
	if acc := float64(hit) / float64(len(test)); acc < 0.6 {
		t.Errorf("top-1 accuracy %.3f", acc)
	}
}

func TestBudgetThreshold(t *testing.T) {
	pos := []float64{0.9, 0.2, 0.5, 0.7, 0.3, 0.8, 0.6, 0.4, 0.95, 0.1}
	// 20% of 10 answerable: refusing below 0.3 refuses 0.1 and 0.2.
	if got := budgetThreshold([][]float64{pos}, 0.2); got != 0.3 {
		t.Errorf("threshold = %v, want 0.3", got)
	}
	if got := budgetThreshold([][]float64{{0.5}}, 0.05); got != 0.5 {
		t.Errorf("threshold = %v, want 0.5 (refuse nothing)", got)
	}
	// Of two sets, the median is their mean: refusing below 0.35 refuses
	// 0 of the first and 2 of 4 of the second, a mean of 0.25.
	a, b := []float64{0.4, 0.5, 0.6, 0.7}, []float64{0.1, 0.3, 0.35, 0.9}
	if got := budgetThreshold([][]float64{a, b}, 0.25); got != 0.35 {
		t.Errorf("threshold = %v, want 0.35", got)
	}
	// Of three, the middle one. Below 0.5 the first refuses 1 of 5, the
	// second 1 of 5 and the third, which the scores do not separate, 3
	// of 5: the median is 0.2. Below 0.55 the first refuses 2 and the
	// median is 0.4. The mean would have stopped at 0.4, where the third
	// alone refuses 3.
	x := []float64{0.4, 0.5, 0.6, 0.7, 0.8}
	y := []float64{0.45, 0.55, 0.65, 0.75, 0.85}
	z := []float64{0.1, 0.2, 0.3, 0.9, 0.95}
	if got := budgetThreshold([][]float64{x, y, z}, 0.2); got != 0.5 {
		t.Errorf("threshold = %v, want 0.5", got)
	}
	// A question refused whatever its score is refused at every
	// threshold and uses up the budget: with one of 5 so refused, 20%
	// leaves nothing to refuse by score, and the threshold is the lowest
	// score, which refuses no other.
	w := []float64{math.Inf(-1), 0.2, 0.4, 0.6, 0.8}
	if got := budgetThreshold([][]float64{w}, 0.2); got != 0.2 {
		t.Errorf("threshold = %v, want 0.2", got)
	}
	if got := budgetThreshold([][]float64{w}, 0.4); got != 0.4 {
		t.Errorf("threshold = %v, want 0.4", got)
	}
}
