package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalCommand runs "wenda eval" in-process the way a user does, on a
// small question file and on the embedded set.
func TestEvalCommand(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	small := filepath.Join(dir, "small.jsonl")
	if err := os.WriteFile(small, []byte(strings.Join([]string{
		`{"id":"s1","question":"第五届双C论坛由谁主持？","answerable":true,"evidence":[["达巍主持"]],"answer_facts":[["达巍"]],"tags":["dev"]}`,
		`{"id":"s2","question":"欧盟对中国电动汽车加征了多少关税？","answerable":false,"evidence":[],"answer_facts":[],"tags":["dev"]}`,
	}, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte(`{"id":"b1","question":"q","answerable":false}`+"\n"+`{"id":"b2",`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "report.html")
	getenv := func(string) string { return "" }
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(context.Background(), append([]string{"eval", "--data", data}, args...), &out, &errb, getenv)
		return code, out.String(), errb.String()
	}

	// A baseline: the small set answered with hybrid retrieval, saved as
	// JSON, and a file that is JSON but no report.
	baseline := filepath.Join(dir, "baseline.json")
	if code, stdout, stderr := run("--questions", small, "--json"); code != 0 {
		t.Fatalf("baseline run: exit %d: %s", code, stderr)
	} else if err := os.WriteFile(baseline, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	notReport := filepath.Join(dir, "not-report.json")
	if err := os.WriteFile(notReport, []byte(`{"hybrid": {"questions": 2}}`), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		args     []string
		code     int
		check    func(t *testing.T, stdout, stderr string)
		wantText string // in stdout, or in stderr when code is not 0
	}{
		{
			name: "table with answers", args: []string{"--questions", small, "--out", report},
			wantText: "2 questions (1 answerable, 1 unanswerable), mode hybrid, k 5, answerer extractive",
			check: func(t *testing.T, _, stderr string) {
				html, err := os.ReadFile(report)
				if err != nil || !bytes.Contains(html, []byte("<svg")) {
					t.Errorf("report.html: %v, svg %v", err, bytes.Contains(html, []byte("<svg")))
				}
			},
		},
		{
			name: "JSON on the embedded dev split", args: []string{"--split", "dev", "--retrieval-only", "--json"},
			check: func(t *testing.T, stdout, _ string) {
				var rep struct {
					Questions int                 `json:"questions"`
					Retrieval map[string]*float64 `json:"retrieval"`
					Answers   map[string]*float64 `json:"answers"`
				}
				if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
					t.Fatalf("stdout is not one JSON object: %v", err)
				}
				if rep.Questions == 0 || rep.Retrieval["hit_at_5"] == nil || rep.Answers["fact_recall"] != nil {
					t.Errorf("report: %d questions, hit@5 %v, fact recall %v", rep.Questions, rep.Retrieval["hit_at_5"], rep.Answers["fact_recall"])
				}
			},
		},
		{
			name: "compare as JSON", args: []string{"--questions", small, "--compare", "--json"},
			check: func(t *testing.T, stdout, _ string) {
				var byMode map[string]json.RawMessage
				if err := json.Unmarshal([]byte(stdout), &byMode); err != nil {
					t.Fatal(err)
				}
				for _, m := range []string{"bm25", "vector", "hybrid"} {
					if byMode[m] == nil {
						t.Errorf("no %s report", m)
					}
				}
			},
		},
		{name: "compare table", args: []string{"--questions", small, "--compare"}, wantText: "bm25  vector  hybrid"},
		{
			name: "against a baseline", args: []string{"--questions", small, "--mode", "bm25", "--baseline", baseline},
			wantText: "against the baseline: 2 questions matched by id",
			check: func(t *testing.T, stdout, _ string) {
				for _, s := range []string{"negative rejection", "false refusal (lower is better)", "p: two-sided sign test"} {
					if !strings.Contains(stdout, s) {
						t.Errorf("comparison lacks %q:\n%s", s, stdout)
					}
				}
			},
		},
		{name: "baseline is not a report", args: []string{"--questions", small, "--baseline", notReport}, code: 1, wantText: "not a report saved with --json"},
		{name: "baseline with JSON output", args: []string{"--questions", small, "--baseline", baseline, "--json"}, code: 2, wantText: "--baseline prints a comparison table"},
		{name: "malformed file names its line", args: []string{"--questions", bad}, code: 1, wantText: "line 2: invalid JSON"},
		{name: "missing file", args: []string{"--questions", filepath.Join(dir, "none.jsonl")}, code: 1, wantText: "none.jsonl"},
		{name: "unknown split", args: []string{"--split", "train"}, code: 1, wantText: `split "train"`},
		{name: "judge needs an LLM", args: []string{"--questions", small, "--judge"}, code: 2, wantText: "--judge needs an LLM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			where := stdout
			if code != 0 {
				where = stderr
			}
			if !strings.Contains(where, tt.wantText) {
				t.Errorf("output lacks %q:\n%s", tt.wantText, where)
			}
			if tt.check != nil {
				tt.check(t, stdout, stderr)
			}
		})
	}
}

// TestEvalFromFeedback turns a feedback file into questions and runs the
// eval on them.
func TestEvalFromFeedback(t *testing.T) {
	dir := t.TempDir()
	fb := filepath.Join(dir, "feedback.jsonl")
	lines := []string{
		`{"id":"1","time":"2026-11-02T10:00:00Z","rating":"up","question":"美方同意暂停实施50%穿透性规则多长时间？","answer":"…一年[1]。","answerable":true,"short_answer":"一年",` +
			`"citations":[{"n":1,"doc_id":"g2-busan-summit","start":858,"end":1466,"evidence":[{"start":1049,"end":1118,"text":"通過在吉隆坡的磋商，美方同意暫停實施其9月29日公佈的出口管制50%穿透性規則一年"}]}]}`,
		`{"id":"2","time":"2026-11-02T10:01:00Z","rating":"up","question":"欧盟对中国电动汽车加征了多少关税？","answer":"文章中没有找到这个问题的答案。","answerable":false,"reason_code":"low_relevance"}`,
		`{"id":"3","time":"2026-11-02T10:02:00Z","rating":"down","note":"文章没有提到北极","question":"中美在北极航道开发上达成了什么合作？","answer":"…[1]。","answerable":true}`,
	}
	if err := os.WriteFile(fb, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	questions := filepath.Join(dir, "questions.jsonl")
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(context.Background(), append([]string{"eval", "--data", filepath.Join(dir, "data")}, args...), &out, &errb, func(string) string { return "" })
		return code, out.String(), errb.String()
	}
	code, _, stderr := run("--from-feedback", fb, "--out", questions)
	if code != 0 || !strings.Contains(stderr, "3 questions from 3 feedback entries: 2 ready to run, 1 tagged needs-review") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	code, stdout, stderr := run("--questions", questions, "--json")
	if code != 0 {
		t.Fatalf("eval on the questions from feedback: exit %d: %s", code, stderr)
	}
	var rep struct {
		Questions int `json:"questions"`
		Retrieval struct {
			HitAt5 *float64 `json:"hit_at_5"`
		} `json:"retrieval"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || rep.Questions != 3 || rep.Retrieval.HitAt5 == nil || *rep.Retrieval.HitAt5 != 1 {
		t.Errorf("report %s (%v): want 3 questions and the confirmed answer's evidence found in the top 5", stdout, err)
	}
}
