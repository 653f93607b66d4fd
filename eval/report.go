package eval

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"

	"wenda/retrieval"
)

// Report is the outcome of one run: the metrics over every question, per
// tag, and per question. Its JSON names are a stable interface that CI
// scripts read.
type Report struct {
	Summary
	ByTag       map[string]Summary `json:"by_tag"`
	PerQuestion []QuestionResult   `json:"per_question"`
	// RefusalROC is the curve of the refusal decision over every question
	// that was given an answerability score (see rocCurve).
	RefusalROC []ROCPoint `json:"refusal_roc,omitempty"`
	// Threshold is the answerability threshold the answers were refused
	// below, when the answerer reported one.
	Threshold float64 `json:"threshold,omitempty"`

	// What was run, for the headings of rendered reports.
	Name     string         `json:"-"` // the question set
	Split    string         `json:"-"`
	Mode     retrieval.Mode `json:"-"`
	K        int            `json:"-"`
	Answerer string         `json:"-"` // "extractive", "llm (model)"; "" when answers were not asked
}

// Summary holds the metrics of a set of questions.
type Summary struct {
	Questions int              `json:"questions"`
	Retrieval RetrievalMetrics `json:"retrieval"`
	Answers   AnswerMetrics    `json:"answers"`
	Latency   LatencyMetrics   `json:"latency_ms"`
}

// RetrievalMetrics are computed over answerable questions; see the package
// documentation for their definitions.
type RetrievalMetrics struct {
	HitAt1    Metric `json:"hit_at_1"`
	HitAt5    Metric `json:"hit_at_5"`
	RecallAt5 Metric `json:"recall_at_5"`
	MRRAt10   Metric `json:"mrr_at_10"`
	NDCGAt10  Metric `json:"ndcg_at_10"`
}

// AnswerMetrics judge the answers and their citations; see the package
// documentation for their definitions.
type AnswerMetrics struct {
	FactRecall        Metric `json:"fact_recall"`
	CitationValidity  Metric `json:"citation_validity"`
	CitationPrecision Metric `json:"citation_precision"`
	CitationRecall    Metric `json:"citation_recall"`
	NegativeRejection Metric `json:"negative_rejection"`
	FalseRefusal      Metric `json:"false_refusal"`
	// RefusalAUC is the area under the refusal ROC: the probability that
	// an unanswerable question gets a lower answerability score than an
	// answerable one.
	RefusalAUC Metric `json:"refusal_auc"`
	// RejectionAtBudget is the negative rejection the answerability
	// scores reach while refusing at most RefusalBudget of the
	// answerable questions, read off the refusal ROC: how well the scores
	// rank, at the operating point, whatever threshold a model
	// shipped with. NegativeRejection and FalseRefusal are what the
	// shipped threshold does; a retrained model that ranks better may
	// still move that point.
	RejectionAtBudget Metric `json:"rejection_at_budget"`
	// ShortEM and ShortF1 score the short answer against the gold answer
	// facts with CMRC 2018's official exact match and character F1, over
	// every answerable question (a refusal or a missing short answer
	// scores 0); FactoidEM and FactoidF1 over the factoid ones (see
	// isFactoid).
	ShortEM   Metric `json:"short_em"`
	ShortF1   Metric `json:"short_f1"`
	FactoidEM Metric `json:"factoid_em"`
	FactoidF1 Metric `json:"factoid_f1"`
	// FactoidAnswerRunes is the median length of the answers to factoid
	// questions, in characters (markers and white space left out).
	FactoidAnswerRunes Metric `json:"factoid_answer_runes"`
	// RepeatedSentences is the share of answers that say one sentence
	// twice.
	RepeatedSentences Metric `json:"repeated_sentences"`
	// Faithfulness is set only when a Judge ran.
	Faithfulness Metric `json:"faithfulness,omitzero"`
}

// LatencyMetrics are per-stage latencies in milliseconds.
type LatencyMetrics struct {
	Retrieval    Latency `json:"retrieval"`
	Generation   Latency `json:"generation"`
	Verification Latency `json:"verification"`
	Total        Latency `json:"total"`
}

// Metric is the mean of a per-question value over the N questions it
// applies to. With N zero the metric does not apply (no unanswerable
// questions for negative rejection, say) and is written as null.
type Metric struct {
	Mean float64
	N    int
}

// Defined reports whether any question contributed to m.
func (m Metric) Defined() bool { return m.N > 0 }

// MarshalJSON writes the mean rounded to four decimals, or null.
func (m Metric) MarshalJSON() ([]byte, error) {
	if m.N == 0 {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, round(m.Mean, 4), 'f', -1, 64), nil
}

// UnmarshalJSON reads what MarshalJSON wrote. The count is not in the JSON;
// a decoded metric that is not null has N 1.
func (m *Metric) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*m = Metric{}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*m = Metric{Mean: v, N: 1}
	return nil
}

// UnmarshalJSON reads a report saved with --json. The threshold each
// answer was decided at is saved once, as the report's Threshold; each
// question gets it back, so that a refusal reads as it did in the run
// (refusalScore).
func (r *Report) UnmarshalJSON(b []byte) error {
	type plain Report // the fields, without this method
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	for i := range p.PerQuestion {
		p.PerQuestion[i].threshold = p.Threshold
	}
	*r = Report(p)
	return nil
}

// Latency is the 50th and 95th percentile of one stage, in milliseconds,
// over N questions.
type Latency struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	N   int     `json:"-"`
}

// MarshalJSON writes {"p50":…,"p95":…}, or null when no question was
// timed.
func (l Latency) MarshalJSON() ([]byte, error) {
	if l.N == 0 {
		return []byte("null"), nil
	}
	type plain Latency
	return json.Marshal(plain{P50: round(l.P50, 2), P95: round(l.P95, 2)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (l *Latency) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*l = Latency{}
		return nil
	}
	type plain Latency
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*l = Latency(p)
	l.N = 1
	return nil
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// QuestionResult is what one question scored. Retrieval fields apply to
// answerable questions; answer fields are zero when answers were not asked.
type QuestionResult struct {
	ID         string   `json:"id"`
	Question   string   `json:"question"`
	Tags       []string `json:"tags"`
	Answerable bool     `json:"answerable"`

	// HitRank is the rank of the first relevant passage within 10, or 0.
	HitRank   int     `json:"hit_rank"`
	RecallAt5 float64 `json:"recall_at_5"`
	NDCGAt10  float64 `json:"ndcg_at_10"`

	Refused bool `json:"refused"`
	// Factoid marks an answerable question with a short gold answer.
	Factoid bool `json:"factoid,omitempty"`
	// ShortAnswer is the answer's short answer, if any, and ExactMatch and
	// CharF1 its scores against the gold answer facts.
	ShortAnswer string  `json:"short_answer,omitempty"`
	ExactMatch  float64 `json:"exact_match"`
	CharF1      float64 `json:"char_f1"`
	// AnswerRunes is the answer's length in characters; Repeats says it
	// repeats a sentence.
	AnswerRunes int  `json:"answer_runes,omitempty"`
	Repeats     bool `json:"repeats,omitempty"`
	// Answerability is the answerer's estimate that the passages answer
	// the question, when it gave one, and Features what it weighed.
	Answerability *float64           `json:"answerability,omitempty"`
	Features      map[string]float64 `json:"features,omitempty"`
	FactsFound    int                `json:"facts_found"`
	FactsTotal    int                `json:"facts_total"`
	Answer        string             `json:"answer,omitempty"`
	Reason        string             `json:"reason,omitempty"`
	// ReasonCode names the kind of a refusal (answer.Refusal…).
	ReasonCode string `json:"reason_code,omitempty"`
	// Fallback is set when the LLM failed and the extractive answerer
	// answered instead; the metrics then measure that answer.
	Fallback bool `json:"fallback,omitempty"`
	// Markers and citations: how many there were and how many passed.
	Markers        int `json:"markers"`
	ValidMarkers   int `json:"valid_markers"`
	Citations      int `json:"citations"`
	EvidenceCites  int `json:"evidence_citations"`
	Claims         int `json:"claims"`
	EvidenceClaims int `json:"claims_citing_evidence"`
	// Faithful and JudgedClaims are set when a Judge ran.
	Faithful     int `json:"faithful_claims,omitempty"`
	JudgedClaims int `json:"judged_claims,omitempty"`

	RetrievalMS    float64 `json:"retrieval_ms"`
	GenerationMS   float64 `json:"generation_ms"`
	VerificationMS float64 `json:"verification_ms"`
	TotalMS        float64 `json:"total_ms"`

	asked     bool    // an answer was asked for
	threshold float64 // the answerability threshold the answer was decided at
	judged    bool    // a judge scored the answer
}

// mean accumulates a Metric.
type mean struct {
	sum float64
	n   int
}

func (m *mean) add(v float64)  { m.sum += v; m.n++ }
func (m *mean) addBool(b bool) { m.add(b2f(b)) }
func (m *mean) addRatio(r ratio) {
	if v, ok := r.value(); ok {
		m.add(v)
	}
}

func (m mean) metric() Metric {
	if m.n == 0 {
		return Metric{}
	}
	return Metric{Mean: m.sum / float64(m.n), N: m.n}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// summarize computes the metrics of a set of question results.
func summarize(rs []QuestionResult) Summary {
	var (
		hit1, hit5, rec5, mrr, ndcg             mean
		facts, valid, prec, crec, neg, fr, fait mean
		em, f1, fem, ff1, rep                   mean
		lengths                                 []float64
		scores                                  []float64
		labels                                  []bool
		lat                                     [4][]float64
	)
	for _, r := range rs {
		if r.Answerable {
			hit1.addBool(r.HitRank == 1)
			hit5.addBool(r.HitRank >= 1 && r.HitRank <= cutHit)
			rec5.add(r.RecallAt5)
			if r.HitRank > 0 {
				mrr.add(1 / float64(r.HitRank))
			} else {
				mrr.add(0)
			}
			ndcg.add(r.NDCGAt10)
		}
		lat[0] = append(lat[0], r.RetrievalMS)
		lat[3] = append(lat[3], r.TotalMS)
		if !r.asked {
			continue
		}
		lat[1] = append(lat[1], r.GenerationMS)
		lat[2] = append(lat[2], r.VerificationMS)
		if p, ok := refusalScore(r); ok {
			scores = append(scores, p)
			labels = append(labels, r.Answerable)
		}
		if !r.Refused {
			rep.addBool(r.Repeats)
		}
		if r.Answerable {
			em.add(r.ExactMatch)
			f1.add(r.CharF1)
			if r.Factoid {
				fem.add(r.ExactMatch)
				ff1.add(r.CharF1)
				if !r.Refused {
					lengths = append(lengths, float64(r.AnswerRunes))
				}
			}
		}
		if !r.Answerable {
			neg.addBool(r.Refused)
			continue
		}
		fr.addBool(r.Refused)
		// A refused answerable question states none of its facts.
		facts.addRatio(ratio{r.FactsFound, r.FactsTotal})
		if r.Refused {
			continue
		}
		valid.addRatio(ratio{r.ValidMarkers, r.Markers})
		prec.addRatio(ratio{r.EvidenceCites, r.Citations})
		crec.addRatio(ratio{r.EvidenceClaims, r.Claims})
		if r.judged {
			fait.addRatio(ratio{r.Faithful, r.JudgedClaims})
		}
	}
	auc, atBudget := refusalMetrics(scores, labels, RefusalBudget)
	return Summary{
		Questions: len(rs),
		Retrieval: RetrievalMetrics{
			HitAt1: hit1.metric(), HitAt5: hit5.metric(), RecallAt5: rec5.metric(),
			MRRAt10: mrr.metric(), NDCGAt10: ndcg.metric(),
		},
		Answers: AnswerMetrics{
			FactRecall: facts.metric(), CitationValidity: valid.metric(),
			CitationPrecision: prec.metric(), CitationRecall: crec.metric(),
			NegativeRejection: neg.metric(), FalseRefusal: fr.metric(),
			Faithfulness: fait.metric(),
			ShortEM:      em.metric(), ShortF1: f1.metric(), FactoidEM: fem.metric(), FactoidF1: ff1.metric(),
			FactoidAnswerRunes: median(lengths), RepeatedSentences: rep.metric(),
			RefusalAUC: auc, RejectionAtBudget: atBudget,
		},
		Latency: LatencyMetrics{
			Retrieval: latency(lat[0]), Generation: latency(lat[1]),
			Verification: latency(lat[2]), Total: latency(lat[3]),
		},
	}
}

// byTag summarises the results of each tag.
func byTag(rs []QuestionResult) map[string]Summary {
	groups := map[string][]QuestionResult{}
	for _, r := range rs {
		for _, t := range r.Tags {
			groups[t] = append(groups[t], r)
		}
	}
	out := make(map[string]Summary, len(groups))
	for t, g := range groups {
		out[t] = summarize(g)
	}
	return out
}

// Tags returns the tags of the report in order.
func (r Report) Tags() []string {
	ts := make([]string, 0, len(r.ByTag))
	for t := range r.ByTag {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	return ts
}

// shownTags are the tags rendered reports break the metrics down by: those
// that cover only part of the questions ("dev" in a dev run would only
// repeat the overall row).
func (r Report) shownTags() []string {
	var out []string
	for _, t := range r.Tags() {
		if r.ByTag[t].Questions < r.Questions {
			out = append(out, t)
		}
	}
	return out
}

// median is the median of xs as a Metric over len(xs) questions.
func median(xs []float64) Metric {
	if len(xs) == 0 {
		return Metric{}
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Metric{Mean: m, N: len(s)}
}

// RefusalBudget is the share of answerable questions a refusal may
// cost: the false refusal of RejectionAtBudget.
const RefusalBudget = 0.05

// refusalMetrics reads the refusal ROC of scores once: its area, and the
// highest negative rejection at a false refusal of at most budget; both
// undefined without answerable and unanswerable questions.
func refusalMetrics(scores []float64, answerable []bool, budget float64) (auc, atBudget Metric) {
	points, a, ok := rocCurve(scores, answerable)
	if !ok {
		return Metric{}, Metric{}
	}
	best := 0.0
	for _, p := range points {
		if p.FalseRefusal <= budget+1e-12 {
			best = max(best, p.NegativeRejection)
		}
	}
	return Metric{Mean: a, N: len(scores)}, Metric{Mean: best, N: len(scores)}
}
