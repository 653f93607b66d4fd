package retrieval

import (
	"context"
	"strings"
	"testing"

	"wenda/question"
)

func TestExactExprs(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"会晤为什么只谈了30分钟？", []string{"30分钟"}},
		{"2025年12月那笔111亿美元的军售", []string{"2025年", "12月", "111亿"}},
		{"英伟达H200芯片与TikTok", []string{"h200", "tiktok"}},
		{"Gupta的报告怎么说？", []string{"gupta"}},
		{"According to Gupta, what did APLN find?", []string{"apln"}},
		{"增加了４.１％吗", []string{"4.1%"}},
		{"What is the G2 idea?", []string{"g2"}},
		// Route names are names: "41" alone is never asked for.
		{"41R和95M路公交车经过哪些地方？", []string{"41r", "95m"}},
		{"4,000年前的遗址", []string{"4000年"}},
	}
	for _, tt := range tests {
		got := exactExprs(question.Analyze(tt.q))
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("exactExprs(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestRelevanceMissingExactTerms(t *testing.T) {
	ix := realIndex(t)
	tests := []struct {
		q       string
		exact   bool
		missing string
	}{
		// The Busan meeting lasted 1 hour 40 minutes, never 30 minutes.
		{"习近平和特朗普在釜山的会晤为什么只谈了30分钟？", false, "30分钟"},
		{"美国批准英伟达向中国出售B300芯片了吗？", false, "b300"},
		{"美国同意英伟达对华出售H200芯片了吗？", true, ""},
		{"习近平与特朗普在釜山的会晤持续了1小时40分钟吗？", true, ""},
		// Named only in the report's metadata, found through the header.
		{"Gupta的报告如何看待脱钩？", true, ""},
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), Query{Text: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		r := res.Relevance
		if r.Exact != tt.exact || (tt.missing != "" && !strings.Contains(strings.Join(r.Missing, " "), tt.missing)) {
			t.Errorf("%q: exact %v missing %q, want exact %v missing %q", tt.q, r.Exact, r.Missing, tt.exact, tt.missing)
		}
		if !r.Exact && r.Score != 0 {
			t.Errorf("%q: score %.2f with exact terms missing", tt.q, r.Score)
		}
	}
}

func TestTitleAndAuthorFindTheArticle(t *testing.T) {
	ix := realIndex(t)
	res, err := ix.Search(context.Background(), Query{Text: "Rukmani Gupta", Mode: ModeBM25})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Passages) == 0 || res.Passages[0].DocID != "decoupling-misconceptions" {
		t.Errorf("author search found %s", ids(res.Passages))
	}
}
