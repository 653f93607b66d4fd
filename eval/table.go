package eval

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// fmtMetric prints a metric with three decimals, or "—" when it does not
// apply.
func fmtMetric(m Metric) string {
	if !m.Defined() {
		return "—"
	}
	return fmt.Sprintf("%.3f", m.Mean)
}

// format prints a metric of this kind: a count without decimals.
func (d metricDef) format(m Metric) string {
	if d.count && m.Defined() {
		return fmt.Sprintf("%.0f", m.Mean)
	}
	return fmtMetric(m)
}

func fmtMS(l Latency, p95 bool) string {
	if l.N == 0 {
		return "—"
	}
	if p95 {
		return fmt.Sprintf("%.1f", l.P95)
	}
	return fmt.Sprintf("%.1f", l.P50)
}

// counts returns how many answerable and unanswerable questions a report
// covers.
func (r Report) counts() (answerable, unanswerable int) {
	for _, q := range r.PerQuestion {
		if q.Answerable {
			answerable++
		} else {
			unanswerable++
		}
	}
	return
}

// heading describes what was run, in one line; a comparison of modes
// leaves the mode out.
func (r Report) heading(withMode bool) string {
	a, u := r.counts()
	parts := []string{}
	if r.Name != "" {
		parts = append(parts, r.Name)
	}
	if r.Split != "" {
		parts = append(parts, "split "+r.Split)
	}
	parts = append(parts, fmt.Sprintf("%d questions (%d answerable, %d unanswerable)", r.Questions, a, u))
	if withMode {
		parts = append(parts, "mode "+string(r.Mode))
	}
	parts = append(parts, fmt.Sprintf("k %d", r.K))
	if r.Answerer != "" {
		parts = append(parts, "answerer "+r.Answerer)
	} else {
		parts = append(parts, "retrieval only")
	}
	return strings.Join(parts, ", ")
}

// tableDefs are the metrics a table shows: those that some summary
// defines, so that a retrieval-only run shows no answer rows and
// faithfulness appears only when a judge ran.
func tableDefs(ss ...Summary) []metricDef {
	var out []metricDef
	for _, d := range metricDefs {
		if anyDefined(d, ss) {
			out = append(out, d)
		}
	}
	return out
}

func anyDefined(d metricDef, ss []Summary) bool {
	for _, s := range ss {
		if d.get(s).Defined() {
			return true
		}
	}
	return false
}

// maxMisses bounds the list of failed questions in a table, which is read
// on a terminal.
const maxMisses = 20

// WriteTable prints a report as plain-text tables: the metrics, latency
// per stage, the metrics per tag, and the questions that went wrong.
func WriteTable(w io.Writer, r Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\n\n", r.heading(true))
	fmt.Fprintln(tw, "metric\tvalue\tquestions\t")
	for _, d := range tableDefs(r.Summary) {
		m := d.get(r.Summary)
		note := ""
		if d.lowerIsBetter {
			note = " (lower is better)"
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%d\t\n", d.label, note, d.format(m), m.N)
	}
	fmt.Fprintln(tw, "\t\t\t")
	fmt.Fprintln(tw, "latency (ms)\tp50\tp95\t")
	for _, l := range latencyRows(r.Latency) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", l.name, fmtMS(l.lat, false), fmtMS(l.lat, true))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.shownTags()) > 0 {
		fmt.Fprintln(w)
		if err := writeTagTable(w, r); err != nil {
			return err
		}
	}
	if ms := misses(r); len(ms) > 0 {
		fmt.Fprintf(w, "\nquestions that went wrong (%d):\n", len(ms))
		for i, m := range ms {
			if i == maxMisses {
				fmt.Fprintf(w, "  … and %d more (the Markdown or JSON report lists them all)\n", len(ms)-i)
				break
			}
			fmt.Fprintf(w, "  %-6s %s\n", m.id, m.what)
		}
	}
	return nil
}

type latencyRow struct {
	name string
	lat  Latency
}

func latencyRows(l LatencyMetrics) []latencyRow {
	return []latencyRow{{"retrieval", l.Retrieval}, {"generation", l.Generation}, {"verification", l.Verification}, {"total", l.Total}}
}

// shortLabels are the column headings of the per-tag and compare tables.
var shortLabels = map[string]string{
	"retrieval.hit_at_1": "hit@1", "retrieval.hit_at_5": "hit@5", "retrieval.recall_at_5": "R@5",
	"retrieval.mrr_at_10": "MRR", "retrieval.ndcg_at_10": "nDCG", "answers.fact_recall": "facts",
	"answers.citation_validity": "c.valid", "answers.citation_precision": "c.prec",
	"answers.citation_recall": "c.rec", "answers.negative_rejection": "neg.rej",
	"answers.false_refusal": "f.refuse", "answers.faithfulness": "faithful",
	"answers.refusal_auc": "AUC", "answers.rejection_at_budget": "nr@5%", "answers.short_em": "EM", "answers.short_f1": "F1",
	"answers.factoid_em": "f.EM", "answers.factoid_f1": "f.F1", "answers.factoid_answer_runes": "f.len",
	"answers.repeated_sentences": "repeats",
}

func writeTagTable(w io.Writer, r Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	ss := []Summary{r.Summary}
	for _, t := range r.shownTags() {
		ss = append(ss, r.ByTag[t])
	}
	defs := tableDefs(ss...)
	// The tag column reads better left-aligned; pad it by hand, since the
	// writer aligns every column to the right.
	width := len("tag")
	for _, t := range r.shownTags() {
		width = max(width, len(t))
	}
	fmt.Fprintf(tw, "%-*s\tn\t", width, "tag")
	for _, d := range defs {
		fmt.Fprintf(tw, "%s\t", shortLabels[d.name])
	}
	fmt.Fprintln(tw)
	row := func(name string, s Summary) {
		fmt.Fprintf(tw, "%-*s\t%d\t", width, name, s.Questions)
		for _, d := range defs {
			fmt.Fprintf(tw, "%s\t", d.format(d.get(s)))
		}
		fmt.Fprintln(tw)
	}
	row("all", r.Summary)
	for _, t := range r.shownTags() {
		row(t, r.ByTag[t])
	}
	return tw.Flush()
}

// WriteCompare prints several reports of the same questions side by side,
// one column per report, headed by its retrieval mode.
func WriteCompare(w io.Writer, rs []Report) error {
	if len(rs) == 0 {
		return nil
	}
	fmt.Fprintf(w, "%s\n\n", rs[0].heading(false))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	ss := make([]Summary, len(rs))
	width := len("retrieval p50 ms")
	for _, d := range metricDefs {
		width = max(width, len(d.label))
	}
	fmt.Fprintf(tw, "%-*s\t", width, "metric")
	for i, r := range rs {
		ss[i] = r.Summary
		fmt.Fprintf(tw, "%s\t", r.Mode)
	}
	fmt.Fprintln(tw)
	for _, d := range tableDefs(ss...) {
		fmt.Fprintf(tw, "%-*s\t", width, d.label)
		for _, s := range ss {
			fmt.Fprintf(tw, "%s\t", d.format(d.get(s)))
		}
		fmt.Fprintln(tw)
	}
	for _, stage := range []string{"retrieval", "total"} {
		for _, p95 := range []bool{false, true} {
			name := "p50"
			if p95 {
				name = "p95"
			}
			fmt.Fprintf(tw, "%-*s\t", width, stage+" "+name+" ms")
			for _, s := range ss {
				l := s.Latency.Retrieval
				if stage == "total" {
					l = s.Latency.Total
				}
				fmt.Fprintf(tw, "%s\t", fmtMS(l, p95))
			}
			fmt.Fprintln(tw)
		}
	}
	return tw.Flush()
}

// miss is a question that went wrong, in words.
type miss struct{ id, what string }

// misses lists the questions that failed a check: retrieval found nothing
// relevant in the first 5, an answerable question was refused or missed a
// fact, an unanswerable one was answered, or a marker points nowhere.
func misses(r Report) []miss {
	var out []miss
	for _, q := range r.PerQuestion {
		var what []string
		if q.Answerable {
			switch {
			case q.HitRank == 0:
				what = append(what, "no relevant passage in the first 10")
			case q.HitRank > cutHit:
				what = append(what, fmt.Sprintf("first relevant passage at rank %d", q.HitRank))
			}
		}
		if q.asked {
			switch {
			case q.Answerable && q.Refused:
				what = append(what, "refused an answerable question"+because(q))
			case !q.Answerable && !q.Refused:
				what = append(what, "answered an unanswerable question")
			}
			if q.Answerable && !q.Refused && q.FactsFound < q.FactsTotal {
				what = append(what, fmt.Sprintf("stated %d of %d facts", q.FactsFound, q.FactsTotal))
			}
			if q.Fallback {
				what = append(what, "the LLM failed; the extractive answerer answered")
			}
			if q.ValidMarkers < q.Markers {
				what = append(what, fmt.Sprintf("%d of %d markers point at no citation", q.Markers-q.ValidMarkers, q.Markers))
			}
		}
		if len(what) > 0 {
			out = append(out, miss{q.ID, strings.Join(what, "; ")})
		}
	}
	return out
}

// because is, for a refusal with a reason code, the code in parentheses
// after a space (" (premise_denied)"); "" otherwise.
func because(q QuestionResult) string {
	if !q.Refused || q.ReasonCode == "" {
		return ""
	}
	return " (" + q.ReasonCode + ")"
}
