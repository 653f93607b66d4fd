package eval

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"wenda/feedback"
)

func TestFromFeedback(t *testing.T) {
	cite := feedback.Citation{N: 1, DocID: "g2-busan-summit", Start: 858, End: 1466,
		Evidence: []feedback.Evidence{{Start: 1049, End: 1118, Text: "美方同意暫停實施其9月29日公佈的出口管制50%穿透性規則一年"}}}
	entries := []feedback.Entry{
		{ID: "a", Rating: "up", Question: "美方同意暂停实施50%穿透性规则多长时间？", Answer: "…一年[1]。", Answerable: true,
			ShortAnswer: "一年", Citations: []feedback.Citation{cite}},
		{ID: "b", Rating: "up", Question: "欧盟对中国电动汽车加征了多少关税？", Answer: "文章中没有找到这个问题的答案。"},
		{ID: "c", Rating: "down", Note: "文章没说", Question: "中美在北极合作了吗？", Answer: "…[1]。", Answerable: true, Citations: []feedback.Citation{cite}},
		{ID: "d", Rating: "down", Question: "穿透性规则暂停多久？", Answer: "文章中没有找到这个问题的答案。"},
		{ID: "e", Rating: "up", Question: "那中方呢？", History: []string{"美方暂停了什么？"}, Standalone: "中方暂停实施了哪些出口管制措施？",
			Answer: "…[1]。", Answerable: true, Citations: []feedback.Citation{cite}},
		{ID: "f", Rating: "up", Question: "那中方呢？", History: []string{"美方暂停了什么？"}, Answer: "…[1]。", Answerable: true, Citations: []feedback.Citation{cite}},
	}
	qs := FromFeedback(entries)
	want := []struct {
		question   string
		answerable bool
		evidence   int
		review     bool
	}{
		{"美方同意暂停实施50%穿透性规则多长时间？", true, 1, false},
		{"欧盟对中国电动汽车加征了多少关税？", false, 0, false},
		{"中美在北极合作了吗？", false, 0, true},
		{"穿透性规则暂停多久？", true, 0, true},
		{"中方暂停实施了哪些出口管制措施？", true, 1, false},
		{"那中方呢？", true, 1, true},
	}
	if len(qs) != len(want) {
		t.Fatalf("%d questions from %d entries", len(qs), len(entries))
	}
	for i, w := range want {
		q := qs[i]
		if q.Question.Question != w.question || q.Answerable != w.answerable || len(q.Evidence) != w.evidence || q.HasTag(TagNeedsReview) != w.review {
			t.Errorf("entry %s became %+v, want %+v", entries[i].ID, q, w)
		}
		if q.ID != "fb-"+entries[i].ID || !q.HasTag(TagFeedback) {
			t.Errorf("entry %s: id %q tags %v", entries[i].ID, q.ID, q.Tags)
		}
	}
	if f := qs[0].AnswerFacts; len(f) != 1 || f[0][0] != "一年" || !qs[0].HasTag("doc:g2-busan-summit") {
		t.Errorf("answer facts %v tags %v", f, qs[0].Tags)
	}
	if qs[2].Note != "文章没说" || qs[2].Answer == "" {
		t.Errorf("the reviewer does not see the note and the answer: %+v", qs[2])
	}

	// What is ready loads as a question set; the draft of a wrong refusal
	// is held back until someone adds evidence.
	var ready, all bytes.Buffer
	for _, q := range qs {
		line, _ := json.Marshal(q)
		all.Write(append(line, '\n'))
		if !q.HasTag(TagNeedsReview) || !q.Answerable {
			ready.Write(append(line, '\n'))
		}
	}
	loaded, err := LoadQuestions(&ready)
	if err != nil || len(loaded) != 4 {
		t.Fatalf("loaded %d: %v", len(loaded), err)
	}
	if _, err := LoadQuestions(&all); err == nil || !strings.Contains(err.Error(), "fb-d") {
		t.Errorf("a draft without evidence loaded: %v", err)
	}
}
