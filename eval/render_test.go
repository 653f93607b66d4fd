package eval

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"wenda/retrieval"
)

func fixtureReport(t *testing.T) Report {
	t.Helper()
	qs, s, a := fixture()
	// A question text that would break a table or inject markup.
	qs[0].Question = "穿透性规则暂停多久？"
	rep, err := (&Runner{Searcher: s, Asker: a}).Run(context.Background(), qs, Config{Mode: retrieval.ModeHybrid, Name: "fixture", Split: "all"})
	if err != nil {
		t.Fatal(err)
	}
	rep.PerQuestion[0].Question = `<script>alert("x")</script> | *bold*`
	return rep
}

func TestWriteTable(t *testing.T) {
	rep := fixtureReport(t)
	var b bytes.Buffer
	if err := WriteTable(&b, rep); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"fixture, split all, 4 questions (2 answerable, 2 unanswerable), mode hybrid, k 5, answerer extractive",
		"hit@5", "MRR@10", "false refusal (lower is better)",
		"q2     refused an answerable question (low_relevance)",
		"q4     answered an unanswerable question",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	// The metric rows carry the values.
	for _, re := range []string{`hit@1\s+0\.500\s+2`, `negative rejection\s+0\.500\s+2`, `total\s+8\.0\s+32\.0`, `(?m)^\s*test\s+2\s+—`} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("table does not match %s:\n%s", re, out)
		}
	}
	if strings.Contains(out, "faithful") {
		t.Errorf("table shows faithfulness without a judge")
	}
}

func TestWriteCompare(t *testing.T) {
	a, b := fixtureReport(t), fixtureReport(t)
	b.Mode = retrieval.ModeBM25
	b.Retrieval.HitAt1 = Metric{Mean: 0.25, N: 2}
	var buf bytes.Buffer
	if err := WriteCompare(&buf, []Report{a, b}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, re := range []string{`metric\s+hybrid\s+bm25`, `hit@1\s+0\.500\s+0\.250`, `total p95 ms\s+32\.0\s+32\.0`} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("compare does not match %s:\n%s", re, out)
		}
	}
}

func TestWriteMarkdown(t *testing.T) {
	rep := fixtureReport(t)
	var b bytes.Buffer
	if err := WriteMarkdown(&b, rep); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"# wenda evaluation",
		"| hit@1 | 0.500 | 2 |",
		"| total | 8.0 | 32.0 |",
		`&lt;script&gt;alert("x")&lt;/script&gt; \| \*bold\*`,
		`- **q2**: refused an answerable question (low\_relevance)`,
		`| yes (low\_relevance) |`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<script>") {
		t.Errorf("markdown carries raw markup")
	}
	// Every table row has as many cells as its header.
	checkMarkdownTables(t, out)

	b.Reset()
	other := rep
	other.Mode = retrieval.ModeVector
	if err := WriteMarkdown(&b, rep, other); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "| metric | hybrid | vector |") || !strings.Contains(b.String(), "## Mode vector") {
		t.Errorf("comparison markdown:\n%s", b.String())
	}
	checkMarkdownTables(t, b.String())
	if err := WriteMarkdown(&b); err == nil {
		t.Errorf("WriteMarkdown with no report succeeded")
	}
}

func checkMarkdownTables(t *testing.T, md string) {
	t.Helper()
	cells := func(line string) int { return len(regexp.MustCompile(`(^|[^\\])\|`).FindAllString(line, -1)) }
	want := 0
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			want = 0
			continue
		}
		if want == 0 {
			want = cells(line)
			continue
		}
		if got := cells(line); got != want {
			t.Errorf("row has %d cell bars, header %d: %s", got, want, line)
		}
	}
}

func TestWriteHTML(t *testing.T) {
	rep := fixtureReport(t)
	other := rep
	other.Mode = retrieval.ModeBM25
	for _, reports := range [][]Report{{rep}, {rep, other}} {
		var b bytes.Buffer
		if err := WriteHTML(&b, reports...); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, want := range []string{"<!DOCTYPE html>", "<svg", "<rect", "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;", "q2</b>: refused an answerable question"} {
			if !strings.Contains(out, want) {
				t.Errorf("html lacks %q", want)
			}
		}
		if strings.Contains(out, "<script") {
			t.Errorf("html carries a script element")
		}
		// Self-contained: the only URL is the SVG namespace.
		for _, m := range regexp.MustCompile(`https?://[^"' >]+`).FindAllString(out, -1) {
			if m != "http://www.w3.org/2000/svg" {
				t.Errorf("html refers to %s", m)
			}
		}
		// A bar of 0.500 is half the chart width.
		if !strings.Contains(out, `width="210" height="14"`) {
			t.Errorf("no half-width bar in the chart")
		}
	}
}
