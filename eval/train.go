package eval

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"sort"

	"golang.org/x/sync/errgroup"

	"wenda/answer"
	"wenda/retrieval"
)

// Training. wenda's reader has two learned parts: the span model, which
// ranks the candidate short answers of a factoid question, and the
// answerability model, which estimates whether the retrieved passages
// answer a question at all and refuses below a threshold. Both are fitted
// here on labelled question sets — the development sets and the dev split
// of the shipped questions — and checked on questions they were not
// fitted on, in two ways: by cross-validation that holds out whole
// articles (a question is never scored by a model fitted on another
// question about the same article), and by leaving one set out (a model
// fitted on the other sets is scored on a collection it never saw, which
// is how it will meet the collections users bring).
//
// Training is deterministic: the same sets, index and code give the same
// models, bit for bit, whatever the checks asked for; the models shipped
// with wenda are what "wenda train" writes.

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
	// Folds is the number of article-held-out cross-validation folds; 0
	// or 1 skips cross-validation.
	Folds int
	// LeaveOneSetOut also scores each set with models fitted on the
	// others.
	LeaveOneSetOut bool
	// PreviousThreshold, when above zero, is the threshold of the model
	// in use before this training: each set is also scored with the new
	// model at it (SetScores.AtPrevious), which tells a change of the
	// model's ranking from a move of the threshold the budget chose.
	PreviousThreshold float64
	// Parallel is how many questions are traced at once (1 when zero).
	// It does not change the models.
	Parallel int
	// Progress, when set, is told what is being done.
	Progress func(msg string)
	// Dump, when set, receives every question's final trace: for
	// studying the features.
	Dump func(set, id string, answerable bool, gold []string, tr answer.Trace)
}

// TrainResult holds the trained models and how they did.
type TrainResult struct {
	Spans         *answer.SpanModel
	Answerability *answer.LinearModel
	// PerSet reports each set: cross-validated, held out (models fitted
	// on the other sets) and in sample (the final models).
	PerSet []SetScores
}

// SetScores is how the models did on one set.
type SetScores struct {
	Name string `json:"name"`
	// Answerable is the number of answerable factoid questions (of a
	// type the reader answers with a span, with a gold answer);
	// SpanRecall is the share for which some candidate gives a right
	// short answer: the best any ranking of these candidates could do.
	Answerable int     `json:"answerable"`
	SpanRecall float64 `json:"span_recall"`
	// CrossValidatedEM, HeldOutEM and InSampleEM are the share of those
	// questions whose top-ranked candidate gives an exactly right short
	// answer (as the reader shows it, refined: TracedSpan.Answer), with span
	// models fitted without the question's article, without its set,
	// and on everything.
	CrossValidatedEM float64 `json:"cross_validated_em"`
	HeldOutEM        float64 `json:"held_out_em"`
	InSampleEM       float64 `json:"in_sample_em"`
	// Refusal with the models fitted without the question's article (at
	// the threshold their training folds chose), without the set, and
	// with the final model at the final threshold.
	CrossValidated RefusalScores `json:"cross_validated"`
	HeldOut        RefusalScores `json:"held_out"`
	InSample       RefusalScores `json:"in_sample"`
	// AtPrevious is the final model at TrainConfig.PreviousThreshold,
	// when one was given.
	AtPrevious *RefusalScores `json:"at_previous_threshold,omitempty"`
}

// RefusalScores describe a refusal decision on one set: its ROC (the
// area, and the negative rejection at RefusalBudget false refusal, as the
// eval reports them), and the decision at the threshold.
type RefusalScores struct {
	AUC               float64 `json:"auc"`
	RejectionAtBudget float64 `json:"rejection_at_budget"`
	Threshold         float64 `json:"threshold"`
	NegativeRejection float64 `json:"negative_rejection"`
	FalseRefusal      float64 `json:"false_refusal"`
}

// traced is one question's trace with its labels.
type traced struct {
	set        int
	fold       int
	id         string
	answerable bool
	gold       []string // first answer-fact group
	trace      answer.Trace
}

// factoid reports a question the span model learns from and is scored
// on: answerable, with a gold answer, of a type answered with a span.
func (t traced) factoid() bool {
	return t.answerable && len(t.gold) > 0 && t.trace.Type.Factoid()
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
	tr := trainer{sets: sets, cfg: cfg}
	res := TrainResult{PerSet: make([]SetScores, len(sets))}
	for i := range sets {
		res.PerSet[i].Name = sets[i].Name
	}

	// 1. Spans: the candidates and their features do not depend on the
	// span model.
	say("tracing %d sets for the span model", len(sets))
	ts, err := tr.traceAll(ctx, answer.Options{Spans: &answer.SpanModel{LinearModel: *neutral(answer.SpanFeatureNames)}, Answerability: neutral(answer.FeatureNames)})
	if err != nil {
		return TrainResult{}, err
	}
	for _, t := range ts {
		if !t.factoid() {
			continue
		}
		s := &res.PerSet[t.set]
		s.Answerable++
		if slices.ContainsFunc(t.trace.Spans, func(sp answer.TracedSpan) bool { return exactMatch(sp.Answer, t.gold) == 1 }) {
			s.SpanRecall++
		}
	}
	for i := range res.PerSet {
		if n := res.PerSet[i].Answerable; n > 0 {
			res.PerSet[i].SpanRecall /= float64(n)
		}
	}
	say("span model on every set")
	res.Spans, err = tr.fitSpans(ts, func(traced) bool { return true })
	if err != nil {
		return TrainResult{}, fmt.Errorf("span model: %w", err)
	}
	for i := range sets {
		res.PerSet[i].InSampleEM = topEM(ts, res.Spans, func(t traced) bool { return t.set == i })
	}

	// 2. Answerability, on traces read with the final span model.
	say("tracing %d sets for the answerability model", len(sets))
	final, err := tr.traceAll(ctx, answer.Options{Spans: res.Spans, Answerability: neutral(answer.FeatureNames)})
	if err != nil {
		return TrainResult{}, err
	}
	say("answerability model on every set")
	f, th, err := tr.fitRefusal(final, func(traced) bool { return true })
	if err != nil {
		return TrainResult{}, fmt.Errorf("answerability model: %w", err)
	}
	res.Answerability = linearModel(f, answer.FeatureNames, th)
	for i := range sets {
		res.PerSet[i].InSample = refusalOn(final, func(t traced) bool { return t.set == i }, func(traced) (fitted, float64) { return f, th })
		if prev := cfg.PreviousThreshold; prev > 0 {
			at := refusalOn(final, func(t traced) bool { return t.set == i }, func(traced) (fitted, float64) { return f, prev })
			res.PerSet[i].AtPrevious = &at
		}
	}

	// 3. The checks: each held-out part is scored by models fitted
	// without it, the answerability model on traces read with the span
	// model fitted without it too.
	heldOut := func(name string, out func(traced) bool) (em []float64, scores []heldScore, err error) {
		in := func(t traced) bool { return !out(t) }
		say("models without %s", name)
		sf, err := tr.fitSpans(ts, in)
		if err != nil {
			return nil, nil, fmt.Errorf("span model without %s: %w", name, err)
		}
		for i := range sets {
			em = append(em, topEM(ts, sf, func(t traced) bool { return t.set == i && out(t) }))
		}
		again, err := tr.traceAll(ctx, answer.Options{Spans: sf, Answerability: neutral(answer.FeatureNames)})
		if err != nil {
			return nil, nil, err
		}
		af, th, err := tr.fitRefusal(again, in)
		if err != nil {
			return nil, nil, fmt.Errorf("answerability model without %s: %w", name, err)
		}
		for _, t := range again {
			if out(t) {
				scores = append(scores, heldScore{t: t, p: t.answerability(af), th: th})
			}
		}
		return em, scores, nil
	}
	if cfg.LeaveOneSetOut && len(sets) > 1 {
		for i := range sets {
			em, scores, err := heldOut(sets[i].Name, func(t traced) bool { return t.set == i })
			if err != nil {
				return TrainResult{}, err
			}
			res.PerSet[i].HeldOutEM = em[i]
			res.PerSet[i].HeldOut = refusalScores(scores, i)
		}
	}
	if cfg.Folds > 1 {
		var all []heldScore
		hits := make([]float64, len(sets))
		for k := range cfg.Folds {
			em, scores, err := heldOut(fmt.Sprintf("fold %d of %d", k+1, cfg.Folds), func(t traced) bool { return t.fold == k })
			if err != nil {
				return TrainResult{}, err
			}
			// topEM is a share of each fold's questions: weigh it back
			// into a count.
			for i := range sets {
				n := 0
				for _, t := range ts {
					if t.set == i && t.fold == k && t.factoid() {
						n++
					}
				}
				hits[i] += em[i] * float64(n)
			}
			all = append(all, scores...)
		}
		for i := range sets {
			if n := res.PerSet[i].Answerable; n > 0 {
				res.PerSet[i].CrossValidatedEM = hits[i] / float64(n)
			}
			res.PerSet[i].CrossValidated = refusalScores(all, i)
		}
	}
	if cfg.Dump != nil {
		for _, t := range final {
			cfg.Dump(sets[t.set].Name, t.id, t.answerable, t.gold, t.trace)
		}
	}
	return res, nil
}

// neutral is a model that weighs nothing: what a trace is read with where
// the model it would use is the one being trained, so that training never
// depends on the models shipped (which may weigh other features).
func neutral(features []string) *answer.LinearModel {
	m := &answer.LinearModel{Features: features}
	for range features {
		m.Mean = append(m.Mean, 0)
		m.Scale = append(m.Scale, 1)
		m.Weights = append(m.Weights, 0)
	}
	return m
}

// trainer holds what every fit of one training run shares.
type trainer struct {
	sets []TrainingSet
	cfg  TrainConfig
}

// ArticleFold is the cross-validation fold of a question of a set: by a
// hash of its article, so that the questions about one article are held
// out together (a question with no known article is its own).
func ArticleFold(set string, q Question, folds int) int {
	key := q.Article()
	if key == "" {
		key = "question:" + q.ID
	}
	h := fnv.New32a()
	h.Write([]byte(set + "\x00" + key))
	return int(h.Sum32() % uint32(max(folds, 1)))
}

// traceAll traces every question of every set with a service built with
// opts, in the order of the sets and their questions.
func (tr trainer) traceAll(ctx context.Context, opts answer.Options) ([]traced, error) {
	var out []traced
	for i, s := range tr.sets {
		for _, q := range s.Questions {
			t := traced{set: i, fold: ArticleFold(s.Name, q, tr.cfg.Folds), id: q.ID, answerable: q.Answerable}
			if len(q.AnswerFacts) > 0 {
				t.gold = q.AnswerFacts[0]
			}
			out = append(out, t)
		}
	}
	svcs := make([]*answer.Service, len(tr.sets))
	for i, s := range tr.sets {
		svcs[i] = answer.NewService(s.Searcher, opts)
	}
	questions := make([]Question, 0, len(out))
	for _, s := range tr.sets {
		questions = append(questions, s.Questions...)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(tr.cfg.Parallel, 1))
	for j := range out {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			t := &out[j]
			trace, err := svcs[t.set].Trace(gctx, answer.Request{Question: questions[j].Question, K: tr.cfg.K, Mode: tr.cfg.Mode})
			if err != nil {
				return fmt.Errorf("%s %s: %w", tr.sets[t.set].Name, t.id, err)
			}
			t.trace = trace
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// spanGroup is a question's candidates as one group of the conditional
// logit. A candidate is right when its own span is, before the reader
// refines it: labelled by the refined answer, which makes more candidates
// right (1947年初 as well as 1947年 for 何年), the ranker chose worse
// (cross-validated by article on DRCD dev, over each question's 20 best
// candidates: EM 0.425 → 0.419; CMRC trial 0.176 either way).
func spanGroup(t traced) group {
	g := group{key: keyOf(t.id)}
	for _, sp := range t.trace.Spans {
		g.xs = append(g.xs, sp.Features)
		g.positive = append(g.positive, exactMatch(sp.Text, t.gold) == 1)
	}
	return g
}

func (g group) any() bool {
	for _, p := range g.positive {
		if p {
			return true
		}
	}
	return false
}

// fitSpans fits the span model on the factoid questions that in admits
// and whose candidates hold a right span, each set weighing the same: the
// linear model, then the trees on top of it.
func (tr trainer) fitSpans(ts []traced, in func(traced) bool) (*answer.SpanModel, error) {
	groups := make([][]group, len(tr.sets))
	for _, t := range ts {
		if !t.factoid() || !in(t) {
			continue
		}
		if g := spanGroup(t); g.any() {
			groups[t.set] = append(groups[t.set], g)
		}
	}
	var gs []group
	for _, sg := range groups {
		for _, g := range sg {
			g.weight = 1000 / float64(len(sg))
			gs = append(gs, g)
		}
	}
	f, err := fitConditional(gs, tr.cfg.L2)
	if err != nil {
		return nil, err
	}
	m := &answer.SpanModel{LinearModel: *linearModel(f, answer.SpanFeatureNames, 0), Rerank: spanBoosting.rerank}
	// The trees learn from what they will reorder: each question's best
	// candidates by the linear model, where it holds a right one, each
	// set weighing the same as for the linear model.
	var top []group
	for _, g := range gs {
		order, _ := m.Rank(g.xs)
		t := group{weight: g.weight, key: g.key}
		for _, i := range order[:min(len(order), m.Rerank)] {
			t.xs = append(t.xs, g.xs[i])
			t.positive = append(t.positive, g.positive[i])
		}
		if t.any() {
			top = append(top, t)
		}
	}
	m.Trees = fitBagged(top, m.LinearModel.Score, spanBoosting)
	return m, nil
}

// answerability is the probability f gives t, or 0 when wenda refuses t
// whatever the model says, as the evaluation's refusal ROC counts it.
func (t traced) answerability(f fitted) float64 {
	if t.trace.RefusedAnyway {
		return 0
	}
	return sigmoid(f.score(answer.Vector(t.trace.Features)))
}

// topEM is the share of the factoid questions that in admits whose
// top-ranked candidate gives an exactly right short answer, as the reader
// shows it (refined).
func topEM(ts []traced, m *answer.SpanModel, in func(traced) bool) float64 {
	hit, n := 0.0, 0
	for _, t := range ts {
		if !t.factoid() || !in(t) {
			continue
		}
		n++
		if len(t.trace.Spans) == 0 {
			continue
		}
		xs := make([][]float64, len(t.trace.Spans))
		for i, sp := range t.trace.Spans {
			xs[i] = sp.Features
		}
		order, _ := m.Rank(xs)
		hit += exactMatch(t.trace.Spans[order[0]].Answer, t.gold)
	}
	if n == 0 {
		return 0
	}
	return hit / float64(n)
}

// fitRefusal fits the answerability model on the questions that in
// admits, each set weighing the same, and chooses its threshold: the
// highest at which the false refusal rate of the median set stays within
// the budget.
func (tr trainer) fitRefusal(ts []traced, in func(traced) bool) (fitted, float64, error) {
	// The questions wenda refuses whatever the model says teach it
	// nothing it decides.
	decided := in
	in = func(t traced) bool { return decided(t) && !t.trace.RefusedAnyway }
	count := make([]int, len(tr.sets))
	for _, t := range ts {
		if in(t) {
			count[t.set]++
		}
	}
	var xs [][]float64
	var ys []bool
	var ws []float64
	for _, t := range ts {
		if !in(t) {
			continue
		}
		xs = append(xs, answer.Vector(t.trace.Features))
		ys = append(ys, t.answerable)
		ws = append(ws, 1000/float64(count[t.set]))
	}
	signs := make([]int, len(answer.FeatureNames))
	for j, n := range answer.FeatureNames {
		signs[j] = answer.FeatureSigns[n]
	}
	f, err := fitLogistic(xs, ys, ws, tr.cfg.L2, signs)
	if err != nil {
		return fitted{}, 0, err
	}
	f = f.rounded()
	// The budget bounds the false refusal an asker meets: an answerable
	// question refused whatever the model says counts against it, as
	// refused at every threshold.
	pos := make([][]float64, len(tr.sets))
	for _, t := range ts {
		if !decided(t) || !t.answerable {
			continue
		}
		p := math.Inf(-1)
		if !t.trace.RefusedAnyway {
			p = sigmoid(f.score(answer.Vector(t.trace.Features)))
		}
		pos[t.set] = append(pos[t.set], p)
	}
	var nonEmpty [][]float64
	for _, ps := range pos {
		if len(ps) > 0 {
			nonEmpty = append(nonEmpty, ps)
		}
	}
	return f, budgetThreshold(nonEmpty, tr.cfg.Budget), nil
}

// heldScore is a question's answerability as a model that never saw it
// estimates it, and that model's threshold.
type heldScore struct {
	t     traced
	p, th float64
}

// refusalScores scores the decisions of set's held-out questions.
func refusalScores(hs []heldScore, set int) RefusalScores {
	var scores []float64
	var labels []bool
	var pos, neg, fr, nr int
	th, n := 0.0, 0
	for _, h := range hs {
		if h.t.set != set {
			continue
		}
		scores = append(scores, h.p)
		labels = append(labels, h.t.answerable)
		th += h.th
		n++
		refused := h.p < h.th
		if h.t.answerable {
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
	auc, atBudget := refusalMetrics(scores, labels, RefusalBudget)
	if n > 0 {
		th /= float64(n)
	}
	return RefusalScores{AUC: auc.Mean, RejectionAtBudget: atBudget.Mean, Threshold: th, NegativeRejection: share(nr, neg), FalseRefusal: share(fr, pos)}
}

// refusalOn scores the decisions of a model on the questions in admits.
func refusalOn(ts []traced, in func(traced) bool, model func(traced) (fitted, float64)) RefusalScores {
	var hs []heldScore
	set := -1
	for _, t := range ts {
		if !in(t) {
			continue
		}
		f, th := model(t)
		hs = append(hs, heldScore{t: t, p: t.answerability(f), th: th})
		set = t.set
	}
	return refusalScores(hs, set)
}

// budgetThreshold is the highest threshold at which the share of
// answerable questions refused (scoring strictly below it) is at most
// budget on the median set: the middle one of an odd number of sets, the
// mean of the middle two of an even number. One set whose answerable
// questions the model cannot tell from the rest (a hard set, or a small
// one where two questions are a point of its rate) does not set the
// operating point of every other. A question refused whatever its score
// scores -Inf, and counts as refused at every threshold. The candidates
// are the other scores.
func budgetThreshold(sets [][]float64, budget float64) float64 {
	var cands []float64
	for _, ps := range sets {
		sort.Float64s(ps)
		for _, p := range ps {
			if !math.IsInf(p, -1) {
				cands = append(cands, p)
			}
		}
	}
	if len(cands) == 0 {
		return 1
	}
	sort.Float64s(cands)
	fr := make([]float64, len(sets))
	medianFR := func(th float64) float64 {
		for i, ps := range sets {
			fr[i] = float64(sort.SearchFloat64s(ps, th)) / float64(len(ps))
		}
		sort.Float64s(fr)
		mid := len(fr) / 2
		if len(fr)%2 == 0 {
			return (fr[mid-1] + fr[mid]) / 2
		}
		return fr[mid]
	}
	best := cands[0]
	for _, th := range cands {
		if medianFR(th) <= budget+1e-12 {
			best = th
		}
	}
	return best
}

// linearModel writes a fitted model in the form the answer package reads,
// its numbers to six significant digits; the threshold rounded down, so
// that it refuses no question the exact one answers.
func linearModel(f fitted, names []string, threshold float64) *answer.LinearModel {
	f = f.rounded()
	m := &answer.LinearModel{Features: names, Bias: f.bias, Threshold: math.Floor(threshold*1e6) / 1e6}
	for j := range names {
		m.Mean = append(m.Mean, f.st.mean[j])
		m.Scale = append(m.Scale, f.st.scale[j])
		m.Weights = append(m.Weights, f.weights[j])
	}
	return m
}

// rounded is the model as linearModel writes it: every number to six
// significant digits. A threshold is chosen on the scores of the rounded
// model, the scores the service will compute.
func (f fitted) rounded() fitted {
	all := func(xs []float64) []float64 {
		out := make([]float64, len(xs))
		for i, x := range xs {
			out[i] = roundSignificant(x)
		}
		return out
	}
	return fitted{st: standardizer{mean: all(f.st.mean), scale: all(f.st.scale)}, weights: all(f.weights), bias: roundSignificant(f.bias)}
}

// roundSignificant rounds x to six significant digits, as the models are
// written.
func roundSignificant(x float64) float64 {
	if x == 0 {
		return 0
	}
	p := math.Pow(10, 5-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}
