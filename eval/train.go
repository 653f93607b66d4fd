package eval

import (
	"context"
	"fmt"
	"math"
	"sort"

	"wenda/answer"
	"wenda/retrieval"
)

// Training. wenda's reader has two learned parts: the span model, which
// ranks the candidate short answers of a factoid question, and the
// answerability model, which estimates whether the retrieved passages
// answer a question at all and refuses below a threshold. Both are fitted
// here on labelled question sets — the development sets and the dev split
// of the shipped questions — and checked by leaving one set out: a model
// fitted on the other sets is scored on the one it never saw, which is how
// it will meet the collections users bring.

// TrainingSet is a labelled question set and the index it is asked
// against.
type TrainingSet struct {
	Name      string
	Questions []Question
	Searcher  answer.Searcher
}

// TrainConfig sets how the models are trained.
type TrainConfig struct {
	K    int
	Mode retrieval.Mode
	// Budget is the share of answerable questions the threshold may
	// refuse on each set (0.05 when zero).
	Budget float64
	// L2 is the penalty on the weights (1 when zero).
	L2 float64
	// Progress, when set, is told what is being done.
	Progress func(msg string)
	// Dump, when set, receives every question's final trace: for
	// studying the features.
	Dump func(set, id string, answerable bool, gold []string, tr answer.Trace)
}

// TrainResult holds the trained models and how they did.
type TrainResult struct {
	Spans         *answer.LinearModel
	Answerability *answer.LinearModel
	// PerSet reports each set: held out (models fitted on the other sets)
	// and in sample (the final models).
	PerSet []SetScores
}

// SetScores is how the models did on one set.
type SetScores struct {
	Name string `json:"name"`
	// Factoid is the number of answerable questions whose candidates
	// hold a right span; SpanRecall their share: the best any ranking of
	// these candidates could do.
	Answerable int     `json:"answerable"`
	SpanRecall float64 `json:"span_recall"`
	// HeldOutEM and InSampleEM are the share of answerable questions
	// whose top-ranked candidate is exactly right.
	HeldOutEM  float64 `json:"held_out_em"`
	InSampleEM float64 `json:"in_sample_em"`
	// Refusal with the model fitted on the other sets, at the threshold
	// those sets chose, and with the final model at the final threshold.
	HeldOut  RefusalScores `json:"held_out"`
	InSample RefusalScores `json:"in_sample"`
}

// RefusalScores describe a refusal decision on one set.
type RefusalScores struct {
	AUC               float64 `json:"auc"`
	Threshold         float64 `json:"threshold"`
	NegativeRejection float64 `json:"negative_rejection"`
	FalseRefusal      float64 `json:"false_refusal"`
}

// traced is one question's trace with its labels.
type traced struct {
	set        int
	id         string
	answerable bool
	gold       []string // first answer-fact group
	trace      answer.Trace
}

// Train fits the span model, then, with it in place, the answerability
// model, and scores both per set.
func Train(ctx context.Context, sets []TrainingSet, cfg TrainConfig) (TrainResult, error) {
	if cfg.Budget <= 0 {
		cfg.Budget = 0.05
	}
	if cfg.L2 <= 0 {
		cfg.L2 = 1
	}
	if cfg.K <= 0 {
		cfg.K = 5
	}
	say := func(format string, args ...any) {
		if cfg.Progress != nil {
			cfg.Progress(fmt.Sprintf(format, args...))
		}
	}
	// 1. Spans: the candidates do not depend on the span model.
	say("tracing %d sets for the span model", len(sets))
	ts, err := traceAll(ctx, sets, cfg, answer.Options{})
	if err != nil {
		return TrainResult{}, err
	}
	res := TrainResult{PerSet: make([]SetScores, len(sets))}
	groups := make([][]group, len(sets))
	for _, t := range ts {
		if !t.answerable || len(t.gold) == 0 || !t.trace.Type.Factoid() {
			continue
		}
		s := &res.PerSet[t.set]
		s.Answerable++
		g := group{}
		any := false
		for _, sp := range t.trace.Spans {
			ok := exactMatch(sp.Text, t.gold) == 1
			any = any || ok
			g.xs = append(g.xs, sp.Features)
			g.positive = append(g.positive, ok)
		}
		if any {
			s.SpanRecall++
			groups[t.set] = append(groups[t.set], g)
		}
	}
	for i := range res.PerSet {
		res.PerSet[i].Name = sets[i].Name
		if n := res.PerSet[i].Answerable; n > 0 {
			res.PerSet[i].SpanRecall /= float64(n)
		}
	}
	fitSpans := func(skip int) (fitted, error) {
		var gs []group
		for i, sg := range groups {
			if i == skip || len(sg) == 0 {
				continue
			}
			for _, g := range sg {
				g.weight = 1000 / float64(len(sg)) // each set weighs the same
				gs = append(gs, g)
			}
		}
		return fitConditional(gs, cfg.L2)
	}
	topEM := func(f fitted, set int) float64 {
		hit, n := 0.0, 0
		for _, t := range ts {
			if t.set != set || !t.answerable || len(t.gold) == 0 || !t.trace.Type.Factoid() {
				continue
			}
			n++
			best, bestScore := "", math.Inf(-1)
			for _, sp := range t.trace.Spans {
				if s := f.score(sp.Features); s > bestScore {
					best, bestScore = sp.Text, s
				}
			}
			hit += exactMatch(best, t.gold)
		}
		if n == 0 {
			return 0
		}
		return hit / float64(n)
	}
	for i := range sets {
		if len(sets) < 2 {
			break
		}
		say("span model without %s", sets[i].Name)
		f, err := fitSpans(i)
		if err != nil {
			return TrainResult{}, fmt.Errorf("span model without %s: %w", sets[i].Name, err)
		}
		res.PerSet[i].HeldOutEM = topEM(f, i)
	}
	say("span model on every set")
	spanFit, err := fitSpans(-1)
	if err != nil {
		return TrainResult{}, fmt.Errorf("span model: %w", err)
	}
	for i := range sets {
		res.PerSet[i].InSampleEM = topEM(spanFit, i)
	}
	res.Spans = linearModel(spanFit, answer.SpanFeatureNames, 0)

	// 2. Answerability, on traces read with the new span model.
	say("tracing %d sets for the answerability model", len(sets))
	ts, err = traceAll(ctx, sets, cfg, answer.Options{Spans: res.Spans})
	if err != nil {
		return TrainResult{}, err
	}
	fitRefusal := func(skip int) (fitted, float64, error) {
		var xs [][]float64
		var ys []bool
		var ws []float64
		count := make([]int, len(sets))
		for _, t := range ts {
			count[t.set]++
		}
		for _, t := range ts {
			if t.set == skip {
				continue
			}
			xs = append(xs, answer.Vector(t.trace.Features))
			ys = append(ys, t.answerable)
			ws = append(ws, 1000/float64(count[t.set]))
		}
		f, err := fitLogistic(xs, ys, ws, cfg.L2)
		if err != nil {
			return fitted{}, 0, err
		}
		// The threshold: the highest at which the false refusal rate,
		// averaged over the sets it was fitted on (each set weighing the
		// same), stays within the budget.
		var pos [][]float64
		for i := range sets {
			if i == skip {
				continue
			}
			var ps []float64
			for _, t := range ts {
				if t.set == i && t.answerable {
					ps = append(ps, sigmoid(f.score(answer.Vector(t.trace.Features))))
				}
			}
			if len(ps) > 0 {
				pos = append(pos, ps)
			}
		}
		th := budgetThreshold(pos, cfg.Budget)
		return f, th, nil
	}
	refusalOn := func(f fitted, th float64, set int) RefusalScores {
		var scores []float64
		var labels []bool
		var pos, neg, fr, nr int
		for _, t := range ts {
			if t.set != set {
				continue
			}
			p := sigmoid(f.score(answer.Vector(t.trace.Features)))
			scores = append(scores, p)
			labels = append(labels, t.answerable)
			refused := p < th
			if t.answerable {
				pos++
				if refused {
					fr++
				}
			} else {
				neg++
				if refused {
					nr++
				}
			}
		}
		_, auc, _ := rocCurve(scores, labels)
		return RefusalScores{AUC: auc, Threshold: th, NegativeRejection: share(nr, neg), FalseRefusal: share(fr, pos)}
	}
	for i := range sets {
		if len(sets) < 2 {
			break
		}
		say("answerability model without %s", sets[i].Name)
		f, th, err := fitRefusal(i)
		if err != nil {
			return TrainResult{}, fmt.Errorf("answerability model without %s: %w", sets[i].Name, err)
		}
		res.PerSet[i].HeldOut = refusalOn(f, th, i)
	}
	say("answerability model on every set")
	f, th, err := fitRefusal(-1)
	if err != nil {
		return TrainResult{}, fmt.Errorf("answerability model: %w", err)
	}
	for i := range sets {
		res.PerSet[i].InSample = refusalOn(f, th, i)
	}
	res.Answerability = linearModel(f, answer.FeatureNames, th)
	if cfg.Dump != nil {
		for _, t := range ts {
			cfg.Dump(sets[t.set].Name, t.id, t.answerable, t.gold, t.trace)
		}
	}
	return res, nil
}

// traceAll traces every question of every set with a service built with
// opts.
func traceAll(ctx context.Context, sets []TrainingSet, cfg TrainConfig, opts answer.Options) ([]traced, error) {
	var out []traced
	for i, s := range sets {
		svc := answer.NewService(s.Searcher, opts)
		for _, q := range s.Questions {
			tr, err := svc.Trace(ctx, answer.Request{Question: q.Question, K: cfg.K, Mode: cfg.Mode})
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", s.Name, q.ID, err)
			}
			t := traced{set: i, id: q.ID, answerable: q.Answerable, trace: tr}
			if len(q.AnswerFacts) > 0 {
				t.gold = q.AnswerFacts[0]
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// budgetThreshold is the highest threshold at which the share of
// answerable questions refused (scoring strictly below it), averaged over
// the sets, is at most budget. The candidates are the scores themselves.
func budgetThreshold(sets [][]float64, budget float64) float64 {
	var cands []float64
	for _, ps := range sets {
		sort.Float64s(ps)
		cands = append(cands, ps...)
	}
	if len(cands) == 0 {
		return 1
	}
	sort.Float64s(cands)
	meanFR := func(th float64) float64 {
		sum := 0.0
		for _, ps := range sets {
			sum += float64(sort.SearchFloat64s(ps, th)) / float64(len(ps))
		}
		return sum / float64(len(sets))
	}
	best := cands[0]
	for _, th := range cands {
		if meanFR(th) <= budget+1e-12 {
			best = th
		}
	}
	return best
}

// linearModel writes a fitted model in the form the answer package reads.
func linearModel(f fitted, names []string, threshold float64) *answer.LinearModel {
	// Six significant digits; the threshold rounded down, so that it
	// refuses no question the exact one answers.
	round := func(x float64) float64 {
		if x == 0 {
			return 0
		}
		p := math.Pow(10, 5-math.Floor(math.Log10(math.Abs(x))))
		return math.Round(x*p) / p
	}
	m := &answer.LinearModel{Features: names, Bias: round(f.bias), Threshold: math.Floor(threshold*1e6) / 1e6}
	for j := range names {
		m.Mean = append(m.Mean, round(f.st.mean[j]))
		m.Scale = append(m.Scale, round(f.st.scale[j]))
		m.Weights = append(m.Weights, round(f.weights[j]))
	}
	return m
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}
