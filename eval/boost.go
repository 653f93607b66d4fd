package eval

import (
	"hash/fnv"
	"math"
	"slices"

	"wenda/answer"
)

// boosting configures the trees fitted on top of the linear span model,
// which reorder its rerank best candidates of a question: rounds trees of
// depth levels, each shrunk by rate, with penalty l2 on a leaf's value
// and at least minHessian of curvature on each side of a split (in the
// units of the groups' weights: 1000 a training set). bins bounds the
// thresholds tried per feature: its quantiles.
//
// Chosen on the short-answer EM of the development sets with article-held-
// out folds and with each set left out ("wenda train"; README, Training).
// With each question weighing 1 instead of each set 1000, the trees
// learned DRCD's encyclopedia questions and answered the news articles
// worse (shipped dev factoid F1 0.418 → 0.368); fitted on every candidate
// with penalties of 1, they learned the few shipped questions by heart
// (EM 0.35 in sample, 0.18 held out).
type boosting struct {
	rerank     int
	rounds     int
	depth      int
	rate       float64
	l2         float64
	minHessian float64
	bins       int
	// bags is how many boosted fits the trees average, each grown on the
	// share of the groups its bag draws (fitBagged); 1 or less: one fit on
	// every group.
	bags  int
	share float64
}

var spanBoosting = boosting{rerank: 32, rounds: 100, depth: 3, rate: 0.1, l2: 20, minHessian: 20, bins: 32, bags: 5, share: 0.8}

// fitBoosted fits regression trees by gradient boosting on the
// conditional logit of the groups (the objective fitConditional
// maximises), starting from the scores base gives. Each round takes the
// gradient and curvature of every candidate's score, grows a tree that
// best explains them (second-order gain, as XGBoost does) and adds it,
// shrunk; leaf values are rounded as the models are written, so that the
// scores training sees are those the service computes. Deterministic:
// the same groups give the same trees.
func fitBoosted(groups []group, base func([]float64) float64, cfg boosting) []answer.Tree {
	type row struct {
		x     []float64
		group int
	}
	var rows []row
	for gi, g := range groups {
		for _, x := range g.xs {
			rows = append(rows, row{x, gi})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	d := len(rows[0].x)
	// Thresholds per feature: the distinct values, or their quantiles.
	thresholds := make([][]float64, d)
	bin := make([][]uint8, d)
	for f := range d {
		vals := make([]float64, len(rows))
		for i, r := range rows {
			vals[i] = r.x[f]
		}
		slices.Sort(vals)
		u := slices.Compact(slices.Clone(vals))
		var th []float64
		if len(u) <= cfg.bins {
			if len(u) > 1 {
				th = u[1:]
			}
		} else {
			for k := 1; k < cfg.bins; k++ {
				v := vals[k*len(vals)/cfg.bins]
				if v > vals[0] && (len(th) == 0 || v > th[len(th)-1]) {
					th = append(th, v)
				}
			}
		}
		thresholds[f] = th
		bin[f] = make([]uint8, len(rows))
		for i, r := range rows {
			// The bin of x is the number of thresholds at or below it:
			// x < th[k] exactly when its bin is at most k.
			b, _ := slices.BinarySearch(th, r.x[f])
			if b < len(th) && th[b] == r.x[f] {
				b++
			}
			bin[f][i] = uint8(b)
		}
	}
	score := make([]float64, len(rows))
	for i, r := range rows {
		score[i] = base(r.x)
	}
	grad := make([]float64, len(rows))
	hess := make([]float64, len(rows))
	var trees []answer.Tree
	for range cfg.rounds {
		// Gradient and curvature of the negative log-likelihood of each
		// group: p softmax over its candidates, q over the right ones.
		start := 0
		for _, g := range groups {
			n := len(g.xs)
			p, q := softmaxes(score[start:start+n], g.positive)
			for k := range n {
				grad[start+k] = g.weight * (p[k] - q[k])
				hess[start+k] = g.weight * math.Max(p[k]*(1-p[k]), 1e-6)
			}
			start += n
		}
		all := make([]int, len(rows))
		for i := range all {
			all[i] = i
		}
		t := answer.Tree{}
		var grow func(idx []int, level int) int
		grow = func(idx []int, level int) int {
			var G, H float64
			for _, i := range idx {
				G += grad[i]
				H += hess[i]
			}
			at := len(t.Nodes)
			t.Nodes = append(t.Nodes, answer.TreeNode{})
			bestGain, bestF, bestK := 0.0, -1, -1
			if level < cfg.depth {
				parent := G * G / (H + cfg.l2)
				for f := range d {
					nb := len(thresholds[f]) + 1
					if nb < 2 {
						continue
					}
					hg := make([]float64, nb)
					hh := make([]float64, nb)
					for _, i := range idx {
						b := bin[f][i]
						hg[b] += grad[i]
						hh[b] += hess[i]
					}
					var gl, hl float64
					for k := 0; k < nb-1; k++ {
						gl += hg[k]
						hl += hh[k]
						gr, hr := G-gl, H-hl
						if hl < cfg.minHessian || hr < cfg.minHessian {
							continue
						}
						if gain := gl*gl/(hl+cfg.l2) + gr*gr/(hr+cfg.l2) - parent; gain > bestGain+1e-9 {
							bestGain, bestF, bestK = gain, f, k
						}
					}
				}
			}
			if bestF < 0 {
				t.Nodes[at].Value = roundSignificant(-G / (H + cfg.l2) * cfg.rate)
				return at
			}
			th := thresholds[bestF][bestK]
			var left, right []int
			for _, i := range idx {
				if rows[i].x[bestF] < th {
					left = append(left, i)
				} else {
					right = append(right, i)
				}
			}
			l := grow(left, level+1)
			r := grow(right, level+1)
			t.Nodes[at] = answer.TreeNode{Feature: bestF, Threshold: th, Left: l, Right: r}
			return at
		}
		grow(all, 0)
		for i, r := range rows {
			score[i] += t.Value(r.x)
		}
		trees = append(trees, t)
	}
	return trees
}

// fitBagged fits cfg.bags boosted sums of trees, each on the groups a
// fixed hash of the bag and the group's key draws (cfg.share of them),
// and returns them all, each leaf divided by the number of bags: their
// average. Greedy splits on near ties make one boosted fit jump when a
// few questions change; the average of fits on overlapping samples
// moves less. Deterministic, and a group's draws do not depend on the
// other groups.
func fitBagged(groups []group, base func([]float64) float64, cfg boosting) []answer.Tree {
	if cfg.bags <= 1 {
		return fitBoosted(groups, base, cfg)
	}
	var out []answer.Tree
	for b := range cfg.bags {
		var drawn []group
		for _, g := range groups {
			if draws(uint64(b), g.key, cfg.share) {
				drawn = append(drawn, g)
			}
		}
		for _, t := range fitBoosted(drawn, base, cfg) {
			for i, n := range t.Nodes {
				if n.Left == 0 {
					t.Nodes[i].Value = roundSignificant(n.Value / float64(cfg.bags))
				}
			}
			out = append(out, t)
		}
	}
	return out
}

// draws reports whether bag b draws the group with key k: a fixed hash
// (splitmix64) of both, below share.
func draws(b, k uint64, share float64) bool {
	x := k ^ (b+1)*0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11)/float64(1<<53) < share
}

// keyOf hashes a question's id (FNV-1a) into a group's key.
func keyOf(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()
}
