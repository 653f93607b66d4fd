package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wenda/answer"
	"wenda/eval"
	"wenda/internal/devsets"
)

// smallSet writes a folder-style question set made of two of the real
// articles and questions about them, answerable and not.
func smallSet(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "small-set")
	if err := os.MkdirAll(filepath.Join(dir, "corpus"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"apec-forum-observations.txt", "g2-busan-summit.txt"} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "corpus", "articles", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "corpus", name), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	qs := strings.Join([]string{
		`{"id":"s1","question":"第五届双C论坛由谁主持？","answerable":true,"evidence":[["达巍主持"]],"answer_facts":[["达巍"]]}`,
		`{"id":"s2","question":"第五届双C论坛是在哪一天举行的？","answerable":true,"evidence":[["11月2日下午"]],"answer_facts":[["11月2日"]]}`,
		`{"id":"s3","question":"习近平和特朗普在釜山会晤持续了多长时间？","answerable":true,"evidence":[["1小时40分钟"]],"answer_facts":[["1小时40分钟"]]}`,
		`{"id":"s4","question":"欧盟对中国电动汽车加征了多少关税？","answerable":false}`,
		`{"id":"s5","question":"中美在北极航道开发上达成了什么合作计划？","answerable":false}`,
	}, "\n")
	if err := os.WriteFile(filepath.Join(dir, "questions.jsonl"), []byte(qs), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestEvalSet runs "wenda eval --set DIR" on a folder-style set and checks
// the report has the set's name and the short-answer and refusal metrics.
func TestEvalSet(t *testing.T) {
	set := smallSet(t)
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"eval", "--data", t.TempDir(), "--set", set, "--json"}, &out, &errb, func(string) string { return "" })
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var reps map[string]struct {
		Questions int                 `json:"questions"`
		Answers   map[string]*float64 `json:"answers"`
	}
	if err := json.Unmarshal(out.Bytes(), &reps); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	rep, ok := reps["small-set"]
	if !ok || rep.Questions != 5 {
		t.Fatalf("reports %v", reps)
	}
	for _, m := range []string{"factoid_em", "factoid_f1", "refusal_auc", "repeated_sentences", "factoid_answer_runes"} {
		if rep.Answers[m] == nil {
			t.Errorf("metric %s missing", m)
		}
	}
	code = Main(context.Background(), []string{"eval", "--data", t.TempDir(), "--set", t.TempDir()}, &out, &errb, func(string) string { return "" })
	if code == 0 || !strings.Contains(errb.String(), "not a question set") {
		t.Errorf("a folder without corpus/: exit %d, %s", code, errb.String())
	}
}

// TestTrainCommand trains both models on a small set and checks that the
// files written are models this build reads.
func TestTrainCommand(t *testing.T) {
	set := smallSet(t)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"train", "--data", t.TempDir(), "--set", set, "--out", out, "--json"}, &stdout, &stderr, func(string) string { return "" })
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for name, features := range map[string][]string{"spanmodel.json": answer.SpanFeatureNames, "answerability.json": answer.FeatureNames} {
		raw, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		m, err := answer.ParseModel(raw, features)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !strings.Contains(strings.Join(m.Comment, " "), "wenda train --set") {
			t.Errorf("%s does not say how to retrain it: %q", name, m.Comment)
		}
	}
	var scores []struct {
		Name       string              `json:"name"`
		InSample   eval.RefusalScores  `json:"in_sample"`
		AtPrevious *eval.RefusalScores `json:"at_previous_threshold"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &scores); err != nil || len(scores) != 2 {
		t.Fatalf("scores %s: %v", stdout.String(), err)
	}
	// Each set is scored at the threshold the binary ships too, so that a
	// retrain shows what the model changed apart from what the threshold
	// moved.
	shipped := answer.DefaultAnswerabilityModel().Threshold
	for _, s := range scores {
		if s.AtPrevious == nil || math.Abs(s.AtPrevious.Threshold-shipped) > 1e-9 {
			t.Errorf("%s: scores at the shipped threshold %v: %+v", s.Name, shipped, s.AtPrevious)
		}
	}
}

// TestShippedModelsAreReproducible runs the command each shipped model
// names in its comment and checks that it writes that model: the weights
// wenda ships are what its code and the development sets produce, not
// left over from an earlier version of either. It skips with -short and
// under the race detector (it retrains on 3,866 questions, about two
// minutes on two cores); in CI the sets must be there.
func TestShippedModelsAreReproducible(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("retrains both models; skipped with -short and under -race")
	}
	dir := devsets.Require(t)
	shipped := map[string][]string{"spanmodel.json": answer.SpanFeatureNames, "answerability.json": answer.FeatureNames}
	models := map[string]*answer.LinearModel{}
	command := ""
	for name, features := range shipped {
		raw, err := os.ReadFile(filepath.Join("..", "..", "answer", name))
		if err != nil {
			t.Fatal(err)
		}
		m, err := answer.ParseModel(raw, features)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		models[name] = m
		c := retrainCommand(m.Comment)
		if c == "" {
			t.Fatalf("%s names no command that retrains it: %q", name, m.Comment)
		}
		if command != "" && c != command {
			t.Fatalf("the models name different commands: %q and %q", command, c)
		}
		command = c
	}
	args := []string{"train"}
	for _, f := range strings.Fields(command)[2:] {
		args = append(args, strings.ReplaceAll(f, "<sets>", dir))
	}
	out := t.TempDir()
	// Cross-validation and leave-one-set-out only score the models; they
	// do not change them.
	args = append(args, "--data", t.TempDir(), "--out", out, "--folds", "0", "--leave-one-set-out=false", "--parallel", "2")
	var stdout, stderr bytes.Buffer
	if code := Main(context.Background(), args, &stdout, &stderr, func(string) string { return "" }); code != 0 {
		t.Fatalf("%s: exit %d: %s", command, code, stderr.String())
	}
	for name, features := range shipped {
		raw, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := answer.ParseModel(raw, features)
		if err != nil {
			t.Fatal(err)
		}
		want := models[name]
		if c := retrainCommand(got.Comment); c != command {
			t.Errorf("%s: retrained model names %q, the shipped one %q", name, c, command)
		}
		// Written with six significant digits: equal up to the last one.
		same := func(a, b float64) bool { return math.Abs(a-b) <= 2e-5*math.Max(1, math.Abs(b)) }
		if !same(got.Bias, want.Bias) || !same(got.Threshold, want.Threshold) {
			t.Errorf("%s: bias %v threshold %v retrained, %v %v shipped", name, got.Bias, got.Threshold, want.Bias, want.Threshold)
		}
		for i, f := range features {
			if !same(got.Weights[i], want.Weights[i]) || !same(got.Mean[i], want.Mean[i]) || !same(got.Scale[i], want.Scale[i]) {
				t.Errorf("%s: feature %s retrained weight %v mean %v scale %v, shipped %v %v %v (rerun %q and commit what it writes)",
					name, f, got.Weights[i], got.Mean[i], got.Scale[i], want.Weights[i], want.Mean[i], want.Scale[i], command)
			}
		}
	}
}

// retrainCommand is the "wenda train …" command a model's comment names.
func retrainCommand(comment []string) string {
	for _, c := range comment {
		if _, rest, ok := strings.Cut(c, "Retrain with: "); ok {
			if cmd, _, _ := strings.Cut(rest, " ("); strings.HasPrefix(cmd, "wenda train") {
				return cmd
			}
		}
	}
	return ""
}

// With the weaviate engine configured, "wenda eval --set" evaluates on the
// cluster and says so when it cannot reach it, rather than quietly
// measuring the embedded engine instead.
func TestEvalSetUsesConfiguredEngine(t *testing.T) {
	set := smallSet(t)
	var out, errb bytes.Buffer
	args := []string{"eval", "--data", t.TempDir(), "--set", set, "--engine", "weaviate", "--weaviate-url", "http://127.0.0.1:1", "--weaviate-grpc", "127.0.0.1:1"}
	code := Main(context.Background(), args, &out, &errb, func(string) string { return "" })
	if code == 0 || !strings.Contains(errb.String(), "127.0.0.1:1") {
		t.Fatalf("eval on an unreachable cluster: exit %d, %s", code, errb.String())
	}
}
