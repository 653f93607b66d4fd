package eval

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"wenda/answer"
	"wenda/chunk"
	"wenda/retrieval"
)

// fakeSearcher returns fixed passages per question.
type fakeSearcher struct {
	passages map[string][]string
	err      error
}

func (f fakeSearcher) Search(_ context.Context, q retrieval.Query) (retrieval.Result, error) {
	if f.err != nil {
		return retrieval.Result{}, f.err
	}
	var res retrieval.Result
	for i, text := range f.passages[q.Text] {
		if i == q.K {
			break
		}
		res.Passages = append(res.Passages, retrieval.Passage{Chunk: chunk.Chunk{ID: q.Text + ":" + string(rune('a'+i)), Text: text}})
	}
	res.Took = 2 * time.Millisecond
	return res, nil
}

// fakeAsker returns fixed answers per question.
type fakeAsker map[string]answer.Answer

func (f fakeAsker) Ask(_ context.Context, req answer.Request) (answer.Answer, error) {
	a, ok := f[req.Question]
	if !ok {
		return answer.Answer{}, errors.New("no answer")
	}
	return a, nil
}

// fixture is four questions whose metrics are worked out by hand in
// TestRunner.
func fixture() ([]Question, fakeSearcher, fakeAsker) {
	qs := []Question{
		{ID: "q1", Question: "穿透性规则暂停多久？", Answerable: true,
			Evidence: []Group{{"穿透性規則"}}, AnswerFacts: []Group{{"一年"}}, Tags: []string{"dev", "numeric"}},
		{ID: "q2", Question: "双方谈到哪些议题？", Answerable: true,
			Evidence: []Group{{"港口费"}, {"大豆"}}, AnswerFacts: []Group{{"港口费"}, {"大豆"}}, Tags: []string{"dev", "multi-doc"}},
		{ID: "q3", Question: "欧盟加征多少关税？", Tags: []string{"test"}},
		{ID: "q4", Question: "伦敦会谈在哪天？", Tags: []string{"test", "numeric"}},
	}
	s := fakeSearcher{passages: map[string][]string{
		// q1: first relevant passage at rank 2.
		"穿透性规则暂停多久？": {"无关。", "美方暂停穿透性规则一年。", "无关。"},
		// q2: group 1 at rank 1, group 2 only at rank 7.
		"双方谈到哪些议题？": {"暂停港口费。", "无关。", "无关。", "无关。", "无关。", "无关。", "大豆采购。"},
		"欧盟加征多少关税？": {"无关。"},
		"伦敦会谈在哪天？":  {"无关。"},
	}}
	timing := func(total float64) answer.Timings {
		return answer.Timings{RetrievalMS: total / 4, GenerationMS: total / 2, VerificationMS: total / 8, TotalMS: total}
	}
	a := fakeAsker{
		"穿透性规则暂停多久？": {Answerable: true, Answerer: "extractive", Text: "美方暂停穿透性规则一年[1]。",
			Citations: []answer.Citation{{N: 1, ChunkID: "c1", Quote: "美方暂停穿透性规则一年。"}}, Timings: timing(8)},
		"双方谈到哪些议题？": {Answerable: false, Answerer: "extractive", Text: "文章没有回答这个问题。", ReasonCode: answer.RefusalLowRelevance, Timings: timing(16)},
		"欧盟加征多少关税？": {Answerable: false, Answerer: "extractive", Text: "文章没有回答这个问题。", Timings: timing(4)},
		"伦敦会谈在哪天？": {Answerable: true, Answerer: "extractive", Text: "在六月[1]。", Timings: timing(32),
			Citations: []answer.Citation{{N: 1, ChunkID: "c9", Quote: "六月在伦敦。"}}},
	}
	return qs, s, a
}

func TestRunner(t *testing.T) {
	qs, s, a := fixture()
	rep, err := (&Runner{Searcher: s, Asker: a}).Run(context.Background(), qs, Config{Mode: retrieval.ModeBM25})
	if err != nil {
		t.Fatal(err)
	}
	// q1: rel "010", one group: nDCG 1/log2(3) = 0.63093.
	// q2: rel "1000001", two groups, two found: (1+1/3)/(1+0.63093) = 0.81755.
	want := map[string]float64{
		"retrieval.hit_at_1":    0.5,
		"retrieval.hit_at_5":    1,
		"retrieval.recall_at_5": 0.75, // q1 1, q2 1/2
		"retrieval.mrr_at_10":   0.75, // q1 1/2, q2 1
		"retrieval.ndcg_at_10":  (0.63093 + 0.81755) / 2,
		// q2 was refused: its facts count as 0 of 2.
		"answers.fact_recall":        0.5,
		"answers.citation_validity":  1, // q1 only: q2 refused, q3/q4 unanswerable
		"answers.citation_precision": 1,
		"answers.citation_recall":    1,
		"answers.negative_rejection": 0.5, // q3 refused, q4 answered
		"answers.false_refusal":      0.5, // q2
	}
	for name, w := range want {
		m, err := rep.Metric(name)
		if err != nil {
			t.Fatal(err)
		}
		if !m.Defined() || !near(m.Mean, w) {
			t.Errorf("%s = %+v, want %.4f", name, m, w)
		}
	}
	if rep.Questions != 4 || rep.Retrieval.HitAt5.N != 2 || rep.Answers.NegativeRejection.N != 2 {
		t.Errorf("counts: questions %d, hit@5 over %d, negative rejection over %d", rep.Questions, rep.Retrieval.HitAt5.N, rep.Answers.NegativeRejection.N)
	}
	if rep.Answers.Faithfulness.Defined() {
		t.Errorf("faithfulness without a judge: %+v", rep.Answers.Faithfulness)
	}
	// Totals 8, 16, 4, 32: nearest rank p50 is the 2nd, p95 the 4th.
	if l := rep.Latency.Total; l.P50 != 8 || l.P95 != 32 {
		t.Errorf("total latency = %+v, want p50 8, p95 32", l)
	}
	if rep.Answerer != "extractive" || rep.K != 5 || rep.Mode != retrieval.ModeBM25 {
		t.Errorf("labels: answerer %q, k %d, mode %q", rep.Answerer, rep.K, rep.Mode)
	}

	tags := rep.Tags()
	if !slices.Equal(tags, []string{"dev", "multi-doc", "numeric", "test"}) {
		t.Fatalf("tags = %v", tags)
	}
	dev := rep.ByTag["dev"]
	if dev.Questions != 2 || !near(dev.Retrieval.MRRAt10.Mean, 0.75) || dev.Answers.NegativeRejection.Defined() {
		t.Errorf("dev = %+v", dev)
	}
	num := rep.ByTag["numeric"] // q1 answered well, q4 answered though unanswerable
	if num.Questions != 2 || num.Answers.NegativeRejection.Mean != 0 || num.Answers.NegativeRejection.N != 1 || num.Answers.FactRecall.Mean != 1 {
		t.Errorf("numeric = %+v", num)
	}

	q2 := rep.PerQuestion[1]
	if q2.ID != "q2" || q2.HitRank != 1 || q2.RecallAt5 != 0.5 || !q2.Refused || q2.FactsFound != 0 || q2.FactsTotal != 2 {
		t.Errorf("q2 = %+v", q2)
	}
}

func TestRunnerParallelGivesTheSameReport(t *testing.T) {
	qs, s, a := fixture()
	one, err := (&Runner{Searcher: s, Asker: a}).Run(context.Background(), qs, Config{})
	if err != nil {
		t.Fatal(err)
	}
	many, err := (&Runner{Searcher: s, Asker: a}).Run(context.Background(), qs, Config{Parallel: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one, many) {
		t.Errorf("parallel run differs:\n%+v\n%+v", one, many)
	}
}

func TestRunnerRetrievalOnly(t *testing.T) {
	qs, s, _ := fixture()
	rep, err := (&Runner{Searcher: s}).Run(context.Background(), qs, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Retrieval.HitAt5.Defined() || rep.Answers.FactRecall.Defined() || rep.Answers.NegativeRejection.Defined() {
		t.Errorf("retrieval only: %+v", rep.Summary)
	}
	if rep.Latency.Retrieval.P50 != 2 || rep.Latency.Generation.N != 0 {
		t.Errorf("latency = %+v", rep.Latency)
	}
	if rep.Answerer != "" {
		t.Errorf("answerer = %q", rep.Answerer)
	}
}

func TestRunnerErrors(t *testing.T) {
	qs, s, a := fixture()
	tests := []struct {
		name   string
		runner Runner
		want   string
	}{
		{"no searcher", Runner{}, "no searcher"},
		{"search fails", Runner{Searcher: fakeSearcher{err: errors.New("index closed")}}, "question q1: search: index closed"},
		{"ask fails", Runner{Searcher: s, Asker: fakeAsker{"穿透性规则暂停多久？": a["穿透性规则暂停多久？"]}}, "question q2: ask: no answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.runner.Run(context.Background(), qs, Config{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&Runner{Searcher: s, Asker: a}).Run(ctx, qs, Config{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

// TestReportJSON pins the JSON names that CI scripts read.
func TestReportJSON(t *testing.T) {
	qs, s, a := fixture()
	rep, err := (&Runner{Searcher: s, Asker: a}).Run(context.Background(), qs, Config{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	keysOf := func(raw json.RawMessage) []string {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	checks := []struct {
		name string
		raw  json.RawMessage
		want []string
	}{
		{"top level", b, []string{"answers", "by_tag", "latency_ms", "per_question", "questions", "retrieval"}},
		{"retrieval", got["retrieval"], []string{"hit_at_1", "hit_at_5", "mrr_at_10", "ndcg_at_10", "recall_at_5"}},
		{"answers", got["answers"], []string{"citation_precision", "citation_recall", "citation_validity", "fact_recall", "factoid_answer_runes", "factoid_em", "factoid_f1", "false_refusal", "negative_rejection", "refusal_auc", "rejection_at_budget", "repeated_sentences", "short_em", "short_f1"}},
		{"latency", got["latency_ms"], []string{"generation", "retrieval", "total", "verification"}},
		{"by_tag", got["by_tag"], []string{"dev", "multi-doc", "numeric", "test"}},
	}
	for _, c := range checks {
		if ks := keysOf(c.raw); !slices.Equal(ks, c.want) {
			t.Errorf("%s keys = %v, want %v", c.name, ks, c.want)
		}
	}
	var doc struct {
		Questions int `json:"questions"`
		ByTag     map[string]struct {
			Questions int                 `json:"questions"`
			Answers   map[string]*float64 `json:"answers"`
		} `json:"by_tag"`
		Latency     map[string]map[string]float64 `json:"latency_ms"`
		PerQuestion []map[string]any              `json:"per_question"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Questions != 4 || len(doc.PerQuestion) != 4 {
		t.Errorf("questions %d, per_question %d", doc.Questions, len(doc.PerQuestion))
	}
	for _, k := range []string{"id", "hit_rank", "refused", "facts_found"} {
		if _, ok := doc.PerQuestion[0][k]; !ok {
			t.Errorf("per_question lacks %q", k)
		}
	}
	if v := doc.ByTag["test"].Answers["fact_recall"]; v != nil {
		t.Errorf("fact recall of the unanswerable-only tag = %v, want null", *v)
	}
	if v := doc.ByTag["test"].Answers["negative_rejection"]; v == nil || *v != 0.5 {
		t.Errorf("negative rejection of tag test = %v, want 0.5", v)
	}
	if p := doc.Latency["total"]; p["p50"] != 8 || p["p95"] != 32 {
		t.Errorf("latency total = %v", p)
	}

	// The report reads back.
	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !near(back.Retrieval.NDCGAt10.Mean, rep.Retrieval.NDCGAt10.Mean) || back.Answers.FactRecall.Mean != 0.5 {
		t.Errorf("read back %+v", back.Summary)
	}
}
