package answer

import (
	"context"
	"strings"
	"testing"

	"wenda/hanzi"
	"wenda/question"
)

// TestShortAnswerOnRealArticles asks factoid questions about the real
// articles offline and checks the short answer a reader would check: it
// is the expected fact, its offsets select those very words in the
// article, and its citation is one of the answer's, on the same article.
func TestShortAnswerOnRealArticles(t *testing.T) {
	ix := realIndex(t)
	svc := NewService(ix, Options{})
	tests := []struct {
		question, want string
	}{
		{"习近平和特朗普在釜山会晤持续了多长时间？", "1小时40分钟"},
		{"第五届双C论坛是在哪一天举行的？", "11月2日"},
		// Traditional question, Simplified article: the short answer is in
		// the question's script, the offsets in the article's text.
		{"第五屆雙C論壇是在哪一天舉行的？", "11月2日"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a, err := svc.Ask(context.Background(), Request{Question: tt.question})
			if err != nil {
				t.Fatal(err)
			}
			sa := a.ShortAnswer
			if !a.Answerable || sa == nil {
				t.Fatalf("answerable %v, short answer %+v: %s", a.Answerable, sa, a.Text)
			}
			if hanzi.Fold(sa.Text) != hanzi.Fold(tt.want) {
				t.Errorf("short answer %q, want %q", sa.Text, tt.want)
			}
			doc, ok := ix.Doc(sa.DocID)
			if !ok {
				t.Fatalf("unknown document %s", sa.DocID)
			}
			if got := string([]rune(doc.Text)[sa.Start:sa.End]); hanzi.Fold(got) != hanzi.Fold(sa.Text) {
				t.Errorf("offsets %d..%d select %q, not %q", sa.Start, sa.End, got, sa.Text)
			}
			if sa.Citation < 1 || sa.Citation > len(a.Citations) || a.Citations[sa.Citation-1].DocID != sa.DocID {
				t.Errorf("short answer cites %d of %d citations", sa.Citation, len(a.Citations))
			}
			if !strings.Contains(hanzi.Fold(stripMarkers(a.Text)), hanzi.Fold(sa.Text)) {
				t.Errorf("the answer text does not state the short answer: %s", a.Text)
			}
		})
	}
}

// TestListQuestionGetsTheItems: a question about an announced list is
// answered with the items, not with the sentence that announces them.
func TestListQuestionGetsTheItems(t *testing.T) {
	svc := NewService(realIndex(t), Options{})
	a, err := svc.Ask(context.Background(), Request{Question: "中美在经贸磋商中维持稳定关系有几个要素是必不可少的？"})
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range []string{"平等相待", "尊重对方的合理利益关切"} {
		if !strings.Contains(a.Text, item) {
			t.Errorf("answer lacks %q: %s", item, a.Text)
		}
	}
	if a.ShortAnswer != nil {
		t.Errorf("a list has no short answer, got %+v", a.ShortAnswer)
	}
}

func TestComposeNeverRepeatsASentence(t *testing.T) {
	s1 := &sentence{passage: 0, text: "美方同意暂停一年。", folded: []rune("美方同意暂停一年。")}
	s2 := &sentence{passage: 1, text: "美方同意暫停一年。", folded: []rune("美方同意暂停一年。")}
	s3 := &sentence{passage: 1, text: "中方也同意。", folded: []rune("中方也同意。")}
	got := compose([]*sentence{s1, s2, s3, s1}, hanzi.Simplified)
	if want := "美方同意暂停一年[1]。中方也同意[2]。"; got != want {
		t.Errorf("compose = %q, want %q", got, want)
	}
}

// TestNoSentenceFromAnUnrelatedArticle: a sentence of another article that
// shares only common word pairs with the question is not stitched onto
// the answer.
func TestNoSentenceFromAnUnrelatedArticle(t *testing.T) {
	ps := passages(
		"谢尔是法国的一个市镇。谢尔的人口为1.2万人，位于卢瓦尔河畔。",
		"另一座城市的人口约有3万人，是该地区的重要城市。",
	)
	ps[1].DocID = "other"
	svc := NewService(&stubSearcher{ps: ps, relevance: 0.9}, Options{Answerability: fixedModel(0.9, 0.5)})
	a, err := svc.Ask(context.Background(), Request{Question: "谢尔人口有多少？"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Answerable || !strings.Contains(a.Text, "1.2万人") {
		t.Fatalf("answer %q", a.Text)
	}
	if strings.Contains(a.Text, "3万人") {
		t.Errorf("quoted another city's population: %s", a.Text)
	}
	if a.ShortAnswer == nil || a.ShortAnswer.Text != "1.2万人" {
		t.Errorf("short answer %+v", a.ShortAnswer)
	}
}

// TestSpanFollowsTheEchoingSentence: the answer stands in the sentence
// after the one that echoes the question.
func TestSpanFollowsTheEchoingSentence(t *testing.T) {
	ps := passages("文周王（）百济第22代国王。475年至477年在位。其父为盖卤王。")
	svc := NewService(&stubSearcher{ps: ps, relevance: 0.9}, Options{Answerability: fixedModel(0.9, 0.5)})
	a, err := svc.Ask(context.Background(), Request{Question: "文周王是哪年到哪年在位？"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "475年至477年在位") {
		t.Errorf("answer %q skips the sentence that answers", a.Text)
	}
}

func TestQuestionAnalysisReachesThePrompt(t *testing.T) {
	if got := expectation(question.Analyze("第五届双C论坛是在哪一天举行的？").Type); got != "a date, year or period" {
		t.Errorf("expectation = %q", got)
	}
	if got := expectation(question.Analyze("为什么中美关系缓和了？").Type); got != "" {
		t.Errorf("a reason question expects %q", got)
	}
}
