package eval

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"strings"
)

// WriteHTML writes reports as one self-contained HTML page: inline CSS and
// inline SVG bar charts, no script and nothing loaded from elsewhere, every
// piece of text escaped. Several reports (the same questions in different
// modes) are charted side by side.
func WriteHTML(w io.Writer, reports ...Report) error {
	if len(reports) == 0 {
		return errors.New("html: no report")
	}
	ss := make([]Summary, len(reports))
	series := make([]htmlSeries, len(reports))
	for i, r := range reports {
		ss[i] = r.Summary
		series[i] = htmlSeries{Name: string(r.Mode), Color: palette[i%len(palette)]}
	}
	if len(reports) == 1 {
		series[0].Name = "value"
	}
	defs := tableDefs(ss...)
	var rows []htmlRow
	for _, d := range defs {
		if d.count {
			continue // not a share: it has no place on a 0–1 axis
		}
		row := htmlRow{Label: d.label}
		for _, s := range ss {
			row.Values = append(row.Values, d.get(s))
		}
		rows = append(rows, row)
	}
	page := htmlPage{
		Heading: reports[0].heading(len(reports) == 1),
		Chart:   barChart(series, rows),
	}
	for _, r := range reports {
		page.Reports = append(page.Reports, htmlReportOf(r, len(reports) > 1))
	}
	if len(reports) > 1 {
		page.Compare = compareTable(reports, defs)
	}
	if err := htmlTmpl.Execute(w, page); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	return nil
}

var palette = []string{"#3b6fb6", "#d9822b", "#3a9a5b", "#b03a48", "#7a5cb8"}

type htmlPage struct {
	Heading string
	Chart   htmlChart
	Compare *htmlTable
	Reports []htmlReport
}

type htmlReport struct {
	Title    string
	Heading  string
	ROC      *htmlROC
	Metrics  htmlTable
	Latency  htmlTable
	TagChart *htmlChart
	Tags     *htmlTable
	Misses   []htmlMiss
	Qs       htmlTable
}

type htmlMiss struct{ ID, What string }

type htmlTable struct {
	Head []string
	Rows [][]string
}

type htmlSeries struct{ Name, Color string }

type htmlRow struct {
	Label  string
	Values []Metric
}

// htmlChart is a horizontal grouped bar chart of values in [0, 1], laid
// out in Go so that the template only places numbers and escaped text.
type htmlChart struct {
	Width, Height int
	Legend        []htmlLegend
	Labels        []htmlText
	Bars          []htmlBar
	Grid          []htmlGrid
}

type htmlLegend struct {
	X, Y  int
	Color string
	Name  string
}

type htmlText struct {
	X, Y int
	Text string
}

type htmlBar struct {
	X, Y, W, H int
	Color      string
	Value      htmlText
	Title      string
}

type htmlGrid struct {
	X, Y1, Y2 int
	Label     string
}

const (
	chartLabelW = 170
	chartBarW   = 420
	chartBarH   = 14
)

func barChart(series []htmlSeries, rows []htmlRow) htmlChart {
	c := htmlChart{Width: chartLabelW + chartBarW + 70}
	y := 28
	for i, s := range series {
		c.Legend = append(c.Legend, htmlLegend{X: chartLabelW + i*110, Y: 6, Color: s.Color, Name: s.Name})
	}
	top := y
	for _, r := range rows {
		groupH := len(series)*(chartBarH+2) + 8
		c.Labels = append(c.Labels, htmlText{X: chartLabelW - 8, Y: y + groupH/2, Text: r.Label})
		for i, v := range r.Values {
			by := y + i*(chartBarH+2)
			b := htmlBar{X: chartLabelW, Y: by, H: chartBarH, Color: series[i].Color}
			b.Title = series[i].Name + ": " + fmtMetric(v)
			if v.Defined() {
				b.W = int(min(max(v.Mean, 0), 1)*chartBarW + 0.5)
			}
			b.Value = htmlText{X: chartLabelW + b.W + 4, Y: by + chartBarH - 3, Text: fmtMetric(v)}
			c.Bars = append(c.Bars, b)
		}
		y += groupH
	}
	for _, f := range []float64{0, 0.25, 0.5, 0.75, 1} {
		x := chartLabelW + int(f*chartBarW)
		c.Grid = append(c.Grid, htmlGrid{X: x, Y1: top - 4, Y2: y, Label: fmt.Sprintf("%.2g", f)})
	}
	c.Height = y + 16
	return c
}

func htmlReportOf(r Report, titled bool) htmlReport {
	var hr htmlReport
	if titled {
		hr.Title, hr.Heading = "Mode "+string(r.Mode), r.heading(true)
	}
	hr.Metrics.Head = []string{"metric", "value", "questions"}
	for _, d := range tableDefs(r.Summary) {
		m := d.get(r.Summary)
		label := d.label
		if d.lowerIsBetter {
			label += " (lower is better)"
		}
		hr.Metrics.Rows = append(hr.Metrics.Rows, []string{label, d.format(m), fmt.Sprint(m.N)})
	}
	hr.ROC = rocChart(r)
	hr.Latency.Head = []string{"stage", "p50 ms", "p95 ms"}
	for _, l := range latencyRows(r.Latency) {
		hr.Latency.Rows = append(hr.Latency.Rows, []string{l.name, fmtMS(l.lat, false), fmtMS(l.lat, true)})
	}
	if len(r.shownTags()) > 0 {
		ss := []Summary{r.Summary}
		for _, t := range r.shownTags() {
			ss = append(ss, r.ByTag[t])
		}
		defs := tableDefs(ss...)
		t := &htmlTable{Head: []string{"tag", "n"}}
		for _, d := range defs {
			t.Head = append(t.Head, shortLabels[d.name])
		}
		add := func(name string, s Summary) {
			row := []string{name, fmt.Sprint(s.Questions)}
			for _, d := range defs {
				row = append(row, d.format(d.get(s)))
			}
			t.Rows = append(t.Rows, row)
		}
		add("all", r.Summary)
		for _, tag := range r.shownTags() {
			add(tag, r.ByTag[tag])
		}
		hr.Tags = t

		hit5, _ := lookupMetric("retrieval.hit_at_5")
		facts, _ := lookupMetric("answers.fact_recall")
		series := []htmlSeries{{Name: hit5.label, Color: palette[0]}, {Name: facts.label, Color: palette[1]}}
		var rows []htmlRow
		for _, tag := range r.shownTags() {
			s := r.ByTag[tag]
			rows = append(rows, htmlRow{Label: tag, Values: []Metric{hit5.get(s), facts.get(s)}})
		}
		ch := barChart(series, rows)
		hr.TagChart = &ch
	}
	for _, m := range misses(r) {
		hr.Misses = append(hr.Misses, htmlMiss{ID: m.id, What: m.what})
	}
	hr.Qs.Head = []string{"id", "question", "answerable", "hit rank", "R@5", "refused", "facts", "markers valid", "citations with evidence", "answer"}
	for _, q := range r.PerQuestion {
		hr.Qs.Rows = append(hr.Qs.Rows, []string{
			q.ID, q.Question, yesNo(q.Answerable), rankText(q), recallText(q), refusedText(q),
			fraction(q.FactsFound, q.FactsTotal, q.asked && q.Answerable),
			fraction(q.ValidMarkers, q.Markers, q.asked),
			fraction(q.EvidenceCites, q.Citations, q.asked && q.Answerable),
			shorten(q.Answer, 200),
		})
	}
	return hr
}

func compareTable(rs []Report, defs []metricDef) *htmlTable {
	t := &htmlTable{Head: []string{"metric"}}
	for _, r := range rs {
		t.Head = append(t.Head, string(r.Mode))
	}
	for _, d := range defs {
		row := []string{d.label}
		for _, r := range rs {
			row = append(row, d.format(d.get(r.Summary)))
		}
		t.Rows = append(t.Rows, row)
	}
	row := []string{"total latency p50 / p95 ms"}
	for _, r := range rs {
		row = append(row, fmtMS(r.Latency.Total, false)+" / "+fmtMS(r.Latency.Total, true))
	}
	t.Rows = append(t.Rows, row)
	return t
}

var htmlTmpl = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>wenda evaluation</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{font-size:1.3em;margin-top:2em}h3{font-size:1.1em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f3f3f3}
.heading{color:#555}
svg text{font-size:12px;fill:#222}
svg .grid{stroke:#ddd}
</style>
</head>
<body>
<h1>wenda evaluation</h1>
<p class="heading">{{.Heading}}</p>
{{template "chart" .Chart}}
{{with .Compare}}{{template "table" .}}{{end}}
{{range .Reports}}
{{if .Title}}<h2>{{.Title}}</h2>{{end}}
{{if .Heading}}<p class="heading">{{.Heading}}</p>{{end}}
<h3>Metrics</h3>
{{template "table" .Metrics}}
{{with .ROC}}<h3>Refusal: ROC of the answerability score</h3>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Size}}" height="{{.Size}}" viewBox="0 0 {{.Size}} {{.Size}}" role="img">
<rect class="grid" x="{{.X0}}" y="{{.Y0}}" width="{{.Side}}" height="{{.Side}}" fill="none"/>
<line class="grid" x1="{{.X0}}" y1="{{.Y1}}" x2="{{.X1}}" y2="{{.Y0}}"/>
<polyline points="{{.Points}}" fill="none" stroke="#3b6fb6" stroke-width="2"/>
{{with .Budget}}<line class="grid" x1="{{.X}}" y1="{{.Top}}" x2="{{.X}}" y2="{{.Bottom}}" stroke-dasharray="4 3"/><text x="{{.X}}" y="{{.Y}}" dx="4" dy="-6">{{.Text}}</text>{{end}}
{{with .Chosen}}<circle cx="{{.X}}" cy="{{.Y}}" r="5" fill="#d9822b"><title>{{.Text}}</title></circle><text x="{{.X}}" y="{{.Y}}" dx="8" dy="14">{{.Text}}</text>{{end}}
<text x="{{.X0}}" y="{{.Size}}" dy="-4">false refusal (answerable questions refused) →</text>
<text x="12" y="{{.Y1}}" transform="rotate(-90 12 {{.Y1}})" dx="4">negative rejection (unanswerable refused) →</text>
<text x="{{.X1}}" y="{{.Y1}}" dx="-8" dy="-8" text-anchor="end">AUC {{.AUC}}</text>
</svg>{{end}}
<h3>Latency</h3>
{{template "table" .Latency}}
{{with .TagChart}}<h3>By tag: hit@5 and fact recall</h3>{{template "chart" .}}{{end}}
{{with .Tags}}{{template "table" .}}{{end}}
{{with .Misses}}<h3>What went wrong</h3><ul>{{range .}}<li><b>{{.ID}}</b>: {{.What}}</li>{{end}}</ul>{{end}}
<h3>Questions</h3>
{{template "table" .Qs}}
{{end}}
</body>
</html>
{{define "table"}}<table><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range $i, $c := .}}{{if $i}}<td class="n">{{$c}}</td>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>
{{end}}</table>{{end}}
{{define "chart"}}<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img">
{{range .Grid}}<line class="grid" x1="{{.X}}" y1="{{.Y1}}" x2="{{.X}}" y2="{{.Y2}}"/><text x="{{.X}}" y="{{.Y2}}" dy="12" text-anchor="middle">{{.Label}}</text>
{{end}}{{range .Legend}}<rect x="{{.X}}" y="{{.Y}}" width="12" height="12" fill="{{.Color}}"/><text x="{{.X}}" y="{{.Y}}" dx="16" dy="10">{{.Name}}</text>
{{end}}{{range .Labels}}<text x="{{.X}}" y="{{.Y}}" text-anchor="end" dominant-baseline="middle">{{.Text}}</text>
{{end}}{{range .Bars}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Color}}"><title>{{.Title}}</title></rect><text x="{{.Value.X}}" y="{{.Value.Y}}">{{.Value.Text}}</text>
{{end}}</svg>{{end}}
`))

// htmlROC is the refusal ROC drawn as an SVG polyline: false refusal on
// the x axis, negative rejection on the y axis, the threshold in use
// marked.
type htmlROC struct {
	Size, Side, X0, Y0, X1, Y1 int
	Points                     string
	Chosen                     *htmlText
	// Budget marks the false refusal of RefusalBudget, with the negative
	// rejection the curve reaches there.
	Budget *htmlBudget
	AUC    string
}

// htmlBudget is a dashed vertical line from Top to Bottom at X, labelled
// at Y.
type htmlBudget struct {
	X, Y, Top, Bottom int
	Text              string
}

func rocChart(r Report) *htmlROC {
	if len(r.RefusalROC) < 2 {
		return nil
	}
	c := &htmlROC{Size: 360, Side: 300, X0: 40, Y0: 20}
	c.X1, c.Y1 = c.X0+c.Side, c.Y0+c.Side
	at := func(fr, nr float64) (int, int) {
		return c.X0 + int(fr*float64(c.Side)+0.5), c.Y1 - int(nr*float64(c.Side)+0.5)
	}
	var pts []string
	for _, p := range r.RefusalROC {
		x, y := at(p.FalseRefusal, p.NegativeRejection)
		pts = append(pts, fmt.Sprintf("%d,%d", x, y))
	}
	c.Points = strings.Join(pts, " ")
	c.AUC = fmtMetric(r.Answers.RefusalAUC)
	if m := r.Answers.RejectionAtBudget; m.N > 0 {
		x, y := at(RefusalBudget, m.Mean)
		c.Budget = &htmlBudget{X: x, Y: y, Top: c.Y0, Bottom: c.Y1, Text: fmt.Sprintf("%.0f%% false refusal: negative rejection %.3f", RefusalBudget*100, m.Mean)}
	}
	if th := r.Threshold; th > 0 {
		// The point of the curve where refusing starts at th.
		best := r.RefusalROC[0]
		for _, p := range r.RefusalROC {
			if p.Threshold <= th {
				best = p
			}
		}
		x, y := at(best.FalseRefusal, best.NegativeRejection)
		c.Chosen = &htmlText{X: x, Y: y, Text: fmt.Sprintf("threshold %.3f: false refusal %.3f, negative rejection %.3f", th, best.FalseRefusal, best.NegativeRejection)}
	}
	return c
}
