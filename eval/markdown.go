package eval

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes reports as a Markdown document. One report gets its
// metrics, latency, per-tag and per-question tables; several (the same
// questions in different modes) get a comparison table first, then each
// report in full.
func WriteMarkdown(w io.Writer, reports ...Report) error {
	if len(reports) == 0 {
		return errors.New("markdown: no report")
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "# wenda evaluation")
	fmt.Fprintln(bw)
	if len(reports) > 1 {
		writeMarkdownCompare(bw, reports)
	}
	for _, r := range reports {
		level := "##"
		if len(reports) > 1 {
			fmt.Fprintf(bw, "## Mode %s\n\n", r.Mode)
			level = "###"
		}
		writeMarkdownReport(bw, r, level)
	}
	return bw.Flush()
}

func writeMarkdownCompare(w io.Writer, rs []Report) {
	ss := make([]Summary, len(rs))
	fmt.Fprintf(w, "%s\n\n", mdEscape(rs[0].heading(false)))
	fmt.Fprint(w, "| metric |")
	for i, r := range rs {
		ss[i] = r.Summary
		fmt.Fprintf(w, " %s |", mdEscape(string(r.Mode)))
	}
	fmt.Fprint(w, "\n|---|")
	fmt.Fprintln(w, strings.Repeat("---:|", len(rs)))
	for _, d := range tableDefs(ss...) {
		fmt.Fprintf(w, "| %s |", d.label)
		for _, s := range ss {
			fmt.Fprintf(w, " %s |", d.format(d.get(s)))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "| total latency p50 / p95 (ms) |")
	for _, s := range ss {
		fmt.Fprintf(w, " %s / %s |", fmtMS(s.Latency.Total, false), fmtMS(s.Latency.Total, true))
	}
	fmt.Fprint(w, "\n\n")
}

func writeMarkdownReport(w io.Writer, r Report, h string) {
	fmt.Fprintf(w, "%s\n\n", mdEscape(r.heading(true)))

	fmt.Fprintf(w, "%s Metrics\n\n| metric | value | questions |\n|---|---:|---:|\n", h)
	for _, d := range tableDefs(r.Summary) {
		m := d.get(r.Summary)
		label := d.label
		if d.lowerIsBetter {
			label += " (lower is better)"
		}
		fmt.Fprintf(w, "| %s | %s | %d |\n", label, d.format(m), m.N)
	}

	fmt.Fprintf(w, "\n%s Latency (ms)\n\n| stage | p50 | p95 |\n|---|---:|---:|\n", h)
	for _, l := range latencyRows(r.Latency) {
		fmt.Fprintf(w, "| %s | %s | %s |\n", l.name, fmtMS(l.lat, false), fmtMS(l.lat, true))
	}

	if len(r.shownTags()) > 0 {
		ss := []Summary{r.Summary}
		for _, t := range r.shownTags() {
			ss = append(ss, r.ByTag[t])
		}
		defs := tableDefs(ss...)
		fmt.Fprintf(w, "\n%s By tag\n\n| tag | n |", h)
		for _, d := range defs {
			fmt.Fprintf(w, " %s |", shortLabels[d.name])
		}
		fmt.Fprintf(w, "\n|---|---:|%s\n", strings.Repeat("---:|", len(defs)))
		row := func(name string, s Summary) {
			fmt.Fprintf(w, "| %s | %d |", mdEscape(name), s.Questions)
			for _, d := range defs {
				fmt.Fprintf(w, " %s |", d.format(d.get(s)))
			}
			fmt.Fprintln(w)
		}
		row("all", r.Summary)
		for _, t := range r.shownTags() {
			row(t, r.ByTag[t])
		}
	}

	if ms := misses(r); len(ms) > 0 {
		fmt.Fprintf(w, "\n%s What went wrong\n\n", h)
		for _, m := range ms {
			fmt.Fprintf(w, "- **%s**: %s\n", mdEscape(m.id), mdEscape(m.what))
		}
	}

	fmt.Fprintf(w, "\n%s Questions\n\n| id | question | answerable | hit rank | R@5 | refused | facts | markers valid | citations with evidence | answer |\n|---|---|---|---:|---:|---|---:|---:|---:|---|\n", h)
	for _, q := range r.PerQuestion {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			mdEscape(q.ID), mdEscape(q.Question), yesNo(q.Answerable),
			rankText(q), recallText(q), mdEscape(refusedText(q)),
			fraction(q.FactsFound, q.FactsTotal, q.asked && q.Answerable),
			fraction(q.ValidMarkers, q.Markers, q.asked),
			fraction(q.EvidenceCites, q.Citations, q.asked && q.Answerable),
			mdEscape(shorten(q.Answer, 120)))
	}
	fmt.Fprintln(w)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func rankText(q QuestionResult) string {
	switch {
	case !q.Answerable:
		return ""
	case q.HitRank == 0:
		return ">10"
	}
	return fmt.Sprint(q.HitRank)
}

func recallText(q QuestionResult) string {
	if !q.Answerable {
		return ""
	}
	return fmt.Sprintf("%.2f", q.RecallAt5)
}

func refusedText(q QuestionResult) string {
	if !q.asked {
		return ""
	}
	return yesNo(q.Refused) + because(q)
}

func fraction(hit, total int, applies bool) string {
	if !applies || total == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", hit, total)
}

// shorten puts text on one line and cuts it to n characters.
func shorten(text string, n int) string {
	r := []rune(strings.Join(strings.Fields(text), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}

// mdEscape keeps text from breaking a table or turning into markup.
var mdReplacer = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "#", `\#`, "\n", " ", "\r", " ",
)

func mdEscape(s string) string { return mdReplacer.Replace(s) }
