package eval

import (
	"errors"
	"math"
)

// The two models wenda learns are fitted here by Newton's method with an
// L2 penalty on the weights (not the bias): a binary logistic regression
// for the answerability decision, and a conditional logit (a softmax over
// each question's candidate spans) for the span ranker. Both have a few
// dozen features and a few thousand questions, so a Newton step — a
// d×d system — is cheap and converges in a handful of iterations without
// a learning rate to tune.

// standardizer holds the mean and scale of each feature.
type standardizer struct{ mean, scale []float64 }

// newStandardizer measures the features of rows, weighted; a feature that
// never varies gets scale 1.
func newStandardizer(rows [][]float64, w []float64) standardizer {
	d := len(rows[0])
	st := standardizer{mean: make([]float64, d), scale: make([]float64, d)}
	total := 0.0
	for i, r := range rows {
		total += w[i]
		for j, v := range r {
			st.mean[j] += w[i] * v
		}
	}
	for j := range st.mean {
		st.mean[j] /= total
	}
	for i, r := range rows {
		for j, v := range r {
			st.scale[j] += w[i] * (v - st.mean[j]) * (v - st.mean[j])
		}
	}
	for j := range st.scale {
		st.scale[j] = math.Sqrt(st.scale[j] / total)
		if st.scale[j] < 1e-9 {
			st.scale[j] = 1
		}
	}
	return st
}

func (st standardizer) apply(x []float64) []float64 {
	out := make([]float64, len(x))
	for j, v := range x {
		out[j] = (v - st.mean[j]) / st.scale[j]
	}
	return out
}

// fitted is a model in standardised units.
type fitted struct {
	st      standardizer
	weights []float64
	bias    float64
}

func (f fitted) score(x []float64) float64 {
	z := f.bias
	for j, v := range f.st.apply(x) {
		z += f.weights[j] * v
	}
	return z
}

// ErrNoData is returned when there is nothing to fit.
var ErrNoData = errors.New("no training data")

// fitLogistic fits P(y=1|x) = σ(b + w·z(x)) to weighted examples, with
// penalty l2 on w. Where signs[j] is +1 or -1, w[j] keeps that sign: the
// fit is repeated with the weight that most crosses its sign held at 0
// until none does (an active set, as non-negative least squares grows
// one; the weights held are those whose features the others explain).
// signs may be nil.
func fitLogistic(xs [][]float64, ys []bool, ws []float64, l2 float64, signs []int) (fitted, error) {
	if len(xs) == 0 {
		return fitted{}, ErrNoData
	}
	st := newStandardizer(xs, ws)
	zs := make([][]float64, len(xs))
	for i, x := range xs {
		zs[i] = append(st.apply(x), 1) // the last column is the bias
	}
	held := make([]bool, len(zs[0])-1)
	for {
		beta, err := newtonLogistic(zs, ys, ws, l2, held)
		if err != nil {
			return fitted{}, err
		}
		worst, cross := -1, 0.0
		for j, s := range signs {
			if c := float64(s) * beta[j]; s != 0 && !held[j] && c < cross {
				worst, cross = j, c
			}
		}
		if worst < 0 {
			d := len(beta)
			f := fitted{st: st, weights: beta[:d-1], bias: beta[d-1]}
			if !f.finite() {
				return fitted{}, ErrDiverged
			}
			return f, nil
		}
		held[worst] = true
	}
}

// newtonLogistic maximises the penalised log-likelihood by Newton steps,
// with the weights held at 0.
func newtonLogistic(zs [][]float64, ys []bool, ws []float64, l2 float64, held []bool) ([]float64, error) {
	d := len(zs[0])
	beta := make([]float64, d)
	for iter := 0; iter < 50; iter++ {
		grad := make([]float64, d)
		hess := newMatrix(d)
		for i, z := range zs {
			p := sigmoid(dot(beta, z))
			y := 0.0
			if ys[i] {
				y = 1
			}
			for a := range d {
				grad[a] += ws[i] * (y - p) * z[a]
				for b := range d {
					hess[a][b] += ws[i] * p * (1 - p) * z[a] * z[b]
				}
			}
		}
		for a := 0; a < d-1; a++ {
			grad[a] -= l2 * beta[a]
			hess[a][a] += l2
		}
		for a, h := range held {
			if h {
				grad[a] = 0
				for b := range d {
					hess[a][b], hess[b][a] = 0, 0
				}
				hess[a][a] = 1
			}
		}
		step, err := solve(hess, grad)
		if err != nil {
			return nil, err
		}
		change := lineSearch(beta, step, func(b []float64) float64 { return logisticObjective(zs, ys, ws, b, l2) })
		if change < 1e-7 {
			break
		}
	}
	return beta, nil
}

// group is one question's candidates for the conditional logit: their
// features, which of them are right, and the question's weight.
type group struct {
	xs       [][]float64
	positive []bool
	weight   float64
	// key names the question (a hash of its id), which decides the bags
	// of the trees it is drawn into (fitBagged).
	key uint64
}

// fitConditional fits a softmax over each group's candidates, maximising
// the weighted log-probability of the right ones (any of them), with
// penalty l2. There is no bias: it would cancel in the softmax.
func fitConditional(groups []group, l2 float64) (fitted, error) {
	var rows [][]float64
	var ws []float64
	for _, g := range groups {
		for _, x := range g.xs {
			rows = append(rows, x)
			ws = append(ws, g.weight/float64(len(g.xs)))
		}
	}
	if len(rows) == 0 {
		return fitted{}, ErrNoData
	}
	st := newStandardizer(rows, ws)
	zgroups := make([][][]float64, len(groups))
	for i, g := range groups {
		for _, x := range g.xs {
			zgroups[i] = append(zgroups[i], st.apply(x))
		}
	}
	d := len(rows[0])
	beta := make([]float64, d)
	for iter := 0; iter < 60; iter++ {
		grad := make([]float64, d)
		hess := newMatrix(d)
		for gi, g := range groups {
			zs := zgroups[gi]
			s := make([]float64, len(zs))
			for k, z := range zs {
				s[k] = dot(beta, z)
			}
			p, q := softmaxes(s, g.positive)
			// Gradient: E_q[z] - E_p[z]; Hessian of the negative
			// log-likelihood: Cov_p[z] - Cov_q[z], of which Cov_p, which
			// keeps it positive definite, is used (a Fisher step).
			mp, mq := make([]float64, d), make([]float64, d)
			for k, z := range zs {
				for a := range d {
					mp[a] += p[k] * z[a]
					mq[a] += q[k] * z[a]
				}
			}
			for a := range d {
				grad[a] += g.weight * (mq[a] - mp[a])
			}
			for k, z := range zs {
				if p[k] < 1e-12 {
					continue
				}
				for a := range d {
					da := z[a] - mp[a]
					for b := range d {
						hess[a][b] += g.weight * p[k] * da * (z[b] - mp[b])
					}
				}
			}
		}
		for a := range d {
			grad[a] -= l2 * beta[a]
			hess[a][a] += l2
		}
		step, err := solve(hess, grad)
		if err != nil {
			return fitted{}, err
		}
		change := lineSearch(beta, step, func(b []float64) float64 { return conditionalObjective(groups, zgroups, b, l2) })
		if change < 1e-6 {
			break
		}
	}
	f := fitted{st: st, weights: beta}
	if !f.finite() {
		return fitted{}, ErrDiverged
	}
	return f, nil
}

// softmaxes returns the softmax of a group's scores over all its
// candidates (p) and over the right ones (q): the conditional logit's
// probability of each candidate, and its share of the right ones'.
func softmaxes(scores []float64, positive []bool) (p, q []float64) {
	mx := math.Inf(-1)
	for _, s := range scores {
		mx = math.Max(mx, s)
	}
	var sp, sq float64
	p = make([]float64, len(scores))
	q = make([]float64, len(scores))
	for k, s := range scores {
		e := math.Exp(s - mx)
		p[k] = e
		sp += e
		if positive[k] {
			q[k] = e
			sq += e
		}
	}
	for k := range scores {
		p[k] /= sp
		q[k] /= sq
	}
	return p, q
}

// lineSearch moves beta along step, halving the step until the objective
// improves (or the step is negligible), and returns the largest change of
// a coordinate. Far from the optimum a full Newton step can overshoot and
// oscillate; this keeps every step an improvement.
func lineSearch(beta, step []float64, objective func([]float64) float64) float64 {
	base := objective(beta)
	next := make([]float64, len(beta))
	t := 1.0
	for range 30 {
		for i := range beta {
			next[i] = beta[i] + t*step[i]
		}
		if v := objective(next); v >= base && !math.IsNaN(v) {
			break
		}
		t /= 2
	}
	change := 0.0
	for i := range beta {
		change = math.Max(change, math.Abs(next[i]-beta[i]))
		beta[i] = next[i]
	}
	return change
}

// logisticObjective is the penalised log-likelihood of a logistic
// regression; the last coordinate of beta, the bias, is not penalised.
func logisticObjective(zs [][]float64, ys []bool, ws []float64, beta []float64, l2 float64) float64 {
	ll := 0.0
	for i, z := range zs {
		s := dot(beta, z)
		// log σ(s) and log(1-σ(s)) without overflow.
		if ys[i] {
			ll -= ws[i] * softplus(-s)
		} else {
			ll -= ws[i] * softplus(s)
		}
	}
	for a := 0; a < len(beta)-1; a++ {
		ll -= l2 / 2 * beta[a] * beta[a]
	}
	return ll
}

// conditionalObjective is the penalised log-likelihood of the conditional
// logit.
func conditionalObjective(groups []group, zgroups [][][]float64, beta []float64, l2 float64) float64 {
	ll := 0.0
	for gi, g := range groups {
		mx := math.Inf(-1)
		s := make([]float64, len(zgroups[gi]))
		for k, z := range zgroups[gi] {
			s[k] = dot(beta, z)
			mx = math.Max(mx, s[k])
		}
		var sp, sq float64
		for k := range s {
			e := math.Exp(s[k] - mx)
			sp += e
			if g.positive[k] {
				sq += e
			}
		}
		ll += g.weight * (math.Log(sq) - math.Log(sp))
	}
	for _, b := range beta {
		ll -= l2 / 2 * b * b
	}
	return ll
}

func softplus(x float64) float64 {
	if x > 30 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

// finiteModel reports whether every weight is a number.
func (f fitted) finite() bool {
	if math.IsNaN(f.bias) || math.IsInf(f.bias, 0) {
		return false
	}
	for _, w := range f.weights {
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return false
		}
	}
	return true
}

// ErrDiverged is returned when a fit does not converge to finite weights.
var ErrDiverged = errors.New("fit diverged")

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func newMatrix(d int) [][]float64 {
	m := make([][]float64, d)
	for i := range m {
		m[i] = make([]float64, d)
	}
	return m
}

// solve solves a·x = b by Gaussian elimination with partial pivoting; a
// and b are overwritten.
func solve(a [][]float64, b []float64) ([]float64, error) {
	n := len(b)
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return nil, errors.New("singular system")
		}
		a[c], a[p] = a[p], a[c]
		b[c], b[p] = b[p], b[c]
		for r := c + 1; r < n; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k < n; k++ {
				a[r][k] -= f * a[c][k]
			}
			b[r] -= f * b[c]
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < n; k++ {
			s -= a[r][k] * x[k]
		}
		x[r] = s / a[r][r]
	}
	return x, nil
}
