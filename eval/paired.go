package eval

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"text/tabwriter"
)

// PairedChange is how one metric moved between two runs over the same
// questions, question by question.
//
// A difference of a few questions between two configurations is often
// chance: which questions sit just above the refusal threshold, which
// near-tie between two spans. The sign test says how often a split of
// Better against Worse at least this uneven arises when neither run is
// better: a small P means the change is unlikely to be chance, a large
// one that the figures cannot tell the runs apart.
type PairedChange struct {
	Name          string // as in the gate files: answers.factoid_em
	Label         string
	LowerIsBetter bool
	// N is the number of questions the metric applies to, in both runs.
	N int
	// Before and After are the metric's means over those questions.
	Before, After float64
	// Better and Worse count the questions whose score moved the good way
	// and the bad way.
	Better, Worse int
	// P is the two-sided sign test's p-value of Better against Worse; 1
	// when no question moved.
	P float64
	// Ranked marks a metric of the whole refusal ranking (the refusal AUC,
	// the negative rejection at the false-refusal budget), which no
	// question scores on its own: a paired bootstrap judges its change.
	// Better and Worse are then zero, P is the bootstrap's two-sided
	// p-value and Interval the 90% interval of After − Before.
	Ranked   bool
	Interval [2]float64
}

// pairedDef is a metric scored per question, for a paired comparison.
type pairedDef struct {
	name, label   string
	lowerIsBetter bool
	// score returns the question's score and whether the metric applies
	// to it.
	score func(q QuestionResult) (float64, bool)
	// answers marks a metric of answers, skipped for a retrieval-only
	// run.
	answers bool
}

// pairedDefs are the metrics compared question by question: those with a
// score per question (the refusal AUC, the medians and the latency
// are not).
var pairedDefs = []pairedDef{
	{name: "retrieval.hit_at_5", label: "hit@5", score: func(q QuestionResult) (float64, bool) {
		return b2f(q.HitRank >= 1 && q.HitRank <= cutHit), q.Answerable
	}},
	{name: "retrieval.mrr_at_10", label: "MRR@10", score: func(q QuestionResult) (float64, bool) {
		if q.HitRank == 0 {
			return 0, q.Answerable
		}
		return 1 / float64(q.HitRank), q.Answerable
	}},
	{name: "answers.fact_recall", label: "fact recall", answers: true, score: func(q QuestionResult) (float64, bool) {
		v, ok := ratio{q.FactsFound, q.FactsTotal}.value()
		return v, q.Answerable && ok
	}},
	{name: "answers.negative_rejection", label: "negative rejection", answers: true, score: func(q QuestionResult) (float64, bool) {
		return b2f(q.Refused), !q.Answerable
	}},
	{name: "answers.false_refusal", label: "false refusal", lowerIsBetter: true, answers: true, score: func(q QuestionResult) (float64, bool) {
		return b2f(q.Refused), q.Answerable
	}},
	{name: "answers.factoid_em", label: "factoid EM", answers: true, score: func(q QuestionResult) (float64, bool) {
		return q.ExactMatch, q.Answerable && q.Factoid
	}},
	{name: "answers.factoid_f1", label: "factoid F1", answers: true, score: func(q QuestionResult) (float64, bool) {
		return q.CharF1, q.Answerable && q.Factoid
	}},
}

// rankedMetrics are the metrics of the whole refusal ranking
// (refusalMetrics), as metricDefs names them. Which questions sit just
// below the threshold the budget sets is what moves them, so a change of
// a few questions is often chance: on a set of 113 unanswerable questions,
// one question is 0.009 of the negative rejection.
var rankedMetrics = func() []metricDef {
	var out []metricDef
	for _, name := range []string{"answers.refusal_auc", "answers.rejection_at_budget"} {
		d, ok := lookupMetric(name)
		if !ok {
			panic("eval: no metric " + name)
		}
		out = append(out, d)
	}
	return out
}()

// bootstrapResamples is how many resamples judge a change of a ranked
// metric. The generator's seed is fixed: the same two runs always get the
// same interval.
const bootstrapResamples = 2000

// answered reports a question that was asked for an answer: it has one
// or was refused. A report read back from JSON has no other mark of it.
func answered(q QuestionResult) bool { return q.asked || q.Answer != "" || q.Refused }

// Paired compares two runs over the questions they share, matched by id
// (with the same answerability), metric by metric. It returns how many
// questions matched, how many of after's questions the baseline lacks,
// and the changes. Answer metrics are left out unless both runs asked
// for answers.
func Paired(before, after Report) (matched, unmatched int, changes []PairedChange) {
	byID := make(map[string]QuestionResult, len(before.PerQuestion))
	for _, q := range before.PerQuestion {
		byID[q.ID] = q
	}
	type pair struct{ b, a QuestionResult }
	var pairs []pair
	anyB, anyA := false, false
	for _, a := range after.PerQuestion {
		b, ok := byID[a.ID]
		if !ok || b.Answerable != a.Answerable {
			unmatched++
			continue
		}
		pairs = append(pairs, pair{b, a})
		anyB = anyB || answered(b)
		anyA = anyA || answered(a)
	}
	bothAnswered := anyB && anyA
	for _, d := range pairedDefs {
		if d.answers && !bothAnswered {
			continue
		}
		c := PairedChange{Name: d.name, Label: d.label, LowerIsBetter: d.lowerIsBetter}
		var sb, sa float64
		for _, p := range pairs {
			vb, okb := d.score(p.b)
			va, oka := d.score(p.a)
			if !okb || !oka {
				continue
			}
			c.N++
			sb += vb
			sa += va
			up, down := va > vb, va < vb
			if d.lowerIsBetter {
				up, down = down, up
			}
			if up {
				c.Better++
			} else if down {
				c.Worse++
			}
		}
		if c.N == 0 {
			continue
		}
		c.Before, c.After = sb/float64(c.N), sa/float64(c.N)
		c.P = signTest(c.Better, c.Worse)
		changes = append(changes, c)
	}
	if bothAnswered {
		var sb, sa []float64
		var labels []bool
		for _, p := range pairs {
			vb, okb := refusalScore(p.b)
			va, oka := refusalScore(p.a)
			if okb && oka {
				sb, sa = append(sb, vb), append(sa, va)
				labels = append(labels, p.a.Answerable)
			}
		}
		changes = append(changes, rankedChanges(sb, sa, labels)...)
	}
	return len(pairs), unmatched, changes
}

// rankedChanges compares the ranked metrics of two runs' refusal scores
// of the same questions (before[i] and after[i] score question i) by a
// paired bootstrap: the answerable and the unanswerable questions are
// each drawn again, with replacement, as many times as there are, and
// each draw is scored in both runs. None when the questions are not of
// both kinds.
func rankedChanges(before, after []float64, answerable []bool) []PairedChange {
	var pos, neg []int
	for i, a := range answerable {
		if a {
			pos = append(pos, i)
		} else {
			neg = append(neg, i)
		}
	}
	if len(pos) == 0 || len(neg) == 0 {
		return nil
	}
	metrics := func(scores []float64, labels []bool) []float64 {
		auc, at := refusalMetrics(scores, labels, RefusalBudget)
		s := Summary{Answers: AnswerMetrics{RefusalAUC: auc, RejectionAtBudget: at}}
		out := make([]float64, len(rankedMetrics))
		for k, d := range rankedMetrics {
			out[k] = d.get(s).Mean
		}
		return out
	}
	mb, ma := metrics(before, answerable), metrics(after, answerable)
	diffs := make([][]float64, len(rankedMetrics))
	rng := rand.New(rand.NewPCG(1, 2))
	n := len(answerable)
	rb, ra := make([]float64, n), make([]float64, n)
	labels := make([]bool, n)
	for range bootstrapResamples {
		k := 0
		for _, group := range [][]int{pos, neg} {
			for range group {
				i := group[rng.IntN(len(group))]
				rb[k], ra[k], labels[k] = before[i], after[i], answerable[i]
				k++
			}
		}
		b, a := metrics(rb, labels), metrics(ra, labels)
		for m := range rankedMetrics {
			diffs[m] = append(diffs[m], a[m]-b[m])
		}
	}
	var out []PairedChange
	for m, d := range rankedMetrics {
		ds := diffs[m]
		below, above := 0, 0
		for _, x := range ds {
			if x <= 0 {
				below++
			}
			if x >= 0 {
				above++
			}
		}
		out = append(out, PairedChange{
			Name: d.name, Label: d.label, LowerIsBetter: d.lowerIsBetter, N: n, Ranked: true,
			Before: mb[m], After: ma[m],
			Interval: [2]float64{percentile(ds, 5), percentile(ds, 95)},
			P:        math.Min(1, 2*float64(min(below, above))/float64(len(ds))),
		})
	}
	return out
}

// signTest returns the two-sided p-value of an exact binomial test of k
// successes against m failures with even odds: the chance of a split at
// least this uneven.
func signTest(k, m int) float64 {
	n := k + m
	if n == 0 {
		return 1
	}
	lo := min(k, m)
	logHalf := float64(n) * math.Log(0.5)
	sum := 0.0
	for i := 0; i <= lo; i++ {
		sum += math.Exp(logChoose(n, i) + logHalf)
	}
	return math.Min(1, 2*sum)
}

func logChoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// WritePaired prints the paired comparison of a run with a baseline run
// of the same questions.
func WritePaired(w io.Writer, before, after Report) error {
	matched, unmatched, changes := Paired(before, after)
	fmt.Fprintf(w, "against the baseline: %d questions matched by id", matched)
	if unmatched > 0 {
		fmt.Fprintf(w, ", %d not in the baseline (or of another answerability) left out", unmatched)
	}
	fmt.Fprintln(w)
	if matched == 0 {
		return nil
	}
	fmt.Fprintln(w, "p: two-sided sign test on the questions that moved; above 0.05 the runs are not told apart")
	fmt.Fprintf(w, "for the refusal AUC and rejection, which read the whole ranking: a paired bootstrap (%d resamples of the questions), with the 90%% interval of the change\n", bootstrapResamples)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tbaseline\tnow\tchange\tbetter\tworse\tp\tquestions\t")
	for _, c := range changes {
		label := c.Label
		if c.LowerIsBetter {
			label += " (lower is better)"
		}
		change := fmt.Sprintf("%+.3f", c.After-c.Before)
		better, worse := fmt.Sprint(c.Better), fmt.Sprint(c.Worse)
		if c.Ranked {
			change += fmt.Sprintf(" [%+.3f, %+.3f]", c.Interval[0], c.Interval[1])
			better, worse = "-", "-"
		}
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%s\t%s\t%s\t%s\t%d\t\n", label, c.Before, c.After, change, better, worse, fmtP(c.P), c.N)
	}
	return tw.Flush()
}

// fmtP prints a p-value with two significant digits, or "<0.001".
func fmtP(p float64) string {
	if p < 0.001 {
		return "<0.001"
	}
	return fmt.Sprintf("%.2g", p)
}
