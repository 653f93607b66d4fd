package eval

import (
	"errors"
	"fmt"
)

// metricDef names one metric of a Summary the way the JSON report does
// ("retrieval.hit_at_5") and says how to read it.
type metricDef struct {
	name  string // group.key, as in the JSON report
	label string // for tables
	get   func(Summary) Metric
	// lowerIsBetter marks false refusal, whose gate is a ceiling.
	lowerIsBetter bool
	// count marks a metric that is not a share in [0, 1] (a length in
	// characters): it is printed without decimals and not charted.
	count bool
}

var metricDefs = []metricDef{
	{name: "retrieval.hit_at_1", label: "hit@1", get: func(s Summary) Metric { return s.Retrieval.HitAt1 }},
	{name: "retrieval.hit_at_5", label: "hit@5", get: func(s Summary) Metric { return s.Retrieval.HitAt5 }},
	{name: "retrieval.recall_at_5", label: "recall@5", get: func(s Summary) Metric { return s.Retrieval.RecallAt5 }},
	{name: "retrieval.mrr_at_10", label: "MRR@10", get: func(s Summary) Metric { return s.Retrieval.MRRAt10 }},
	{name: "retrieval.ndcg_at_10", label: "nDCG@10", get: func(s Summary) Metric { return s.Retrieval.NDCGAt10 }},
	{name: "answers.fact_recall", label: "fact recall", get: func(s Summary) Metric { return s.Answers.FactRecall }},
	{name: "answers.citation_validity", label: "citation validity", get: func(s Summary) Metric { return s.Answers.CitationValidity }},
	{name: "answers.citation_precision", label: "citation precision", get: func(s Summary) Metric { return s.Answers.CitationPrecision }},
	{name: "answers.citation_recall", label: "citation recall", get: func(s Summary) Metric { return s.Answers.CitationRecall }},
	{name: "answers.negative_rejection", label: "negative rejection", get: func(s Summary) Metric { return s.Answers.NegativeRejection }},
	{name: "answers.false_refusal", label: "false refusal", get: func(s Summary) Metric { return s.Answers.FalseRefusal }, lowerIsBetter: true},
	{name: "answers.refusal_auc", label: "refusal AUC", get: func(s Summary) Metric { return s.Answers.RefusalAUC }},
	{name: "answers.rejection_at_budget", label: "negative rejection at 5% false refusal (ROC)", get: func(s Summary) Metric { return s.Answers.RejectionAtBudget }},
	{name: "answers.short_em", label: "short answer EM", get: func(s Summary) Metric { return s.Answers.ShortEM }},
	{name: "answers.short_f1", label: "short answer F1", get: func(s Summary) Metric { return s.Answers.ShortF1 }},
	{name: "answers.factoid_em", label: "factoid EM", get: func(s Summary) Metric { return s.Answers.FactoidEM }},
	{name: "answers.factoid_f1", label: "factoid F1", get: func(s Summary) Metric { return s.Answers.FactoidF1 }},
	{name: "answers.factoid_answer_runes", label: "factoid answer length (median chars)", get: func(s Summary) Metric { return s.Answers.FactoidAnswerRunes }, lowerIsBetter: true, count: true},
	{name: "answers.repeated_sentences", label: "answers repeating a sentence", get: func(s Summary) Metric { return s.Answers.RepeatedSentences }, lowerIsBetter: true},
	{name: "answers.faithfulness", label: "faithfulness (judge)", get: func(s Summary) Metric { return s.Answers.Faithfulness }},
}

// ErrUnknownMetric is returned by Summary.Metric for a name it does not
// know.
var ErrUnknownMetric = errors.New("unknown metric")

// Metric returns a metric by its JSON path, such as "retrieval.hit_at_5"
// or "answers.false_refusal".
func (s Summary) Metric(name string) (Metric, error) {
	d, ok := lookupMetric(name)
	if !ok {
		return Metric{}, fmt.Errorf("%q: %w", name, ErrUnknownMetric)
	}
	return d.get(s), nil
}

// LowerIsBetter reports whether a smaller value of the named metric is the
// better one (false refusal).
func LowerIsBetter(name string) bool {
	d, _ := lookupMetric(name)
	return d.lowerIsBetter
}

func lookupMetric(name string) (metricDef, bool) {
	for _, d := range metricDefs {
		if d.name == name {
			return d, true
		}
	}
	return metricDef{}, false
}
