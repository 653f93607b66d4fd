package retrieval

import (
	"context"
	"errors"
	"strings"
	"testing"

	"wenda/hanzi"
	"wenda/index"
)

// containsFolded reports whether a passage contains span once both are
// folded and stripped of white space (the PDF article wraps lines).
func containsFolded(text, span string) bool {
	strip := func(s string) string { return strings.Join(strings.Fields(hanzi.Fold(s)), "") }
	return strings.Contains(strip(text), strip(span))
}

func rankOf(ps []Passage, span string) int {
	for i, p := range ps {
		if containsFolded(p.Text, span) {
			return i + 1
		}
	}
	return 0
}

func TestExactTermsAreMatched(t *testing.T) {
	ix := realIndex(t)
	tests := []struct {
		question, span string
	}{
		{"贝森特在TikTok问题上怎么评价中方？", "TikTok問題上，中方立場強硬"},
		{"美方暂停了哪项301调查措施？", "301調查措施一年"},
		{"联合国2758号决议确认了什么原则？", "2758号决议"},
		{"关税战下中美货物贸易总额有多少？5600亿美元", "5600亿美元"},
		{"2017年美国对华出口额是1304亿美元吗？", "1304 亿美元"},
	}
	for _, tt := range tests {
		for _, mode := range []Mode{ModeBM25, ModeHybrid} {
			t.Run(string(mode)+"/"+tt.question, func(t *testing.T) {
				res, err := ix.Search(context.Background(), Query{Text: tt.question, K: 5, Mode: mode})
				if err != nil {
					t.Fatal(err)
				}
				if r := rankOf(res.Passages, tt.span); r == 0 {
					t.Errorf("no passage in the top 5 contains %q", tt.span)
				}
				if !res.Relevance.Exact {
					t.Errorf("relevance says exact terms missing: %+v", res.Relevance)
				}
			})
		}
	}
}

func TestCrossScript(t *testing.T) {
	ix := realIndex(t)
	tests := []struct {
		name, question, span string
	}{
		// Traditional question, Simplified article.
		{"trad→simp", "聯合國2758號決議所確認的是什麼原則？", "2758号决议所确认的一个中国原则"},
		{"trad→simp", "中美雙邊貨物貿易總額有多少？", "5600亿美元"},
		// Simplified question, Traditional article.
		{"simp→trad", "特朗普在社交媒体上用大写英文发了什么？", "G2即將召開"},
		{"simp→trad", "习近平与特朗普在釜山的会晤持续了多长时间？", "1小時40分鐘"},
	}
	for _, tt := range tests {
		for _, mode := range []Mode{ModeBM25, ModeVector} {
			t.Run(tt.name+"/"+string(mode)+"/"+tt.question, func(t *testing.T) {
				res, err := ix.Search(context.Background(), Query{Text: tt.question, K: 5, Mode: mode})
				if err != nil {
					t.Fatal(err)
				}
				if r := rankOf(res.Passages, tt.span); r == 0 {
					t.Errorf("no passage in the top 5 contains %q", tt.span)
				}
			})
		}
	}
}

func TestScriptsGiveSameResults(t *testing.T) {
	ix := realIndex(t)
	simp := "马德里会谈讨论了哪些议题"
	trad := hanzi.ToTraditional(simp)
	if trad == simp {
		t.Fatal("conversion did nothing")
	}
	for _, mode := range []Mode{ModeBM25, ModeVector, ModeHybrid} {
		a, err := ix.Search(context.Background(), Query{Text: simp, Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		b, err := ix.Search(context.Background(), Query{Text: trad, Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		if ids(a.Passages) != ids(b.Passages) {
			t.Errorf("%s: simplified %s, traditional %s", mode, ids(a.Passages), ids(b.Passages))
		}
	}
}

func ids(ps []Passage) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.ID)
	}
	return strings.Join(s, ",")
}

func TestFiltersAndK(t *testing.T) {
	ix := realIndex(t)
	ctx := context.Background()
	q := "中美关系"
	res, err := ix.Search(ctx, Query{Text: q, K: 8, Filter: index.Filter{DocIDs: []string{"madrid-talks-interview"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Passages) == 0 {
		t.Fatal("no passages")
	}
	for _, p := range res.Passages {
		if p.DocID != "madrid-talks-interview" {
			t.Errorf("filter by doc let %s through", p.DocID)
		}
	}
	// A date range that excludes every dated document returns nothing.
	res, err = ix.Search(ctx, Query{Text: q, Filter: index.Filter{From: "1990", To: "1991"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Passages) != 0 {
		t.Errorf("date filter 1990–1991 returned %d passages", len(res.Passages))
	}
	// K larger than the collection is clamped, not an error.
	res, err = ix.Search(ctx, Query{Text: q, K: 1000, Mode: ModeVector})
	if err != nil {
		t.Fatalf("k beyond collection size: %v", err)
	}
	if len(res.Passages) == 0 || len(res.Passages) > MaxK {
		t.Errorf("got %d passages", len(res.Passages))
	}
	if _, err := ix.Search(ctx, Query{Text: "  "}); !errors.Is(err, ErrEmptyQuery) {
		t.Errorf("empty query: %v", err)
	}
	if _, err := ix.Search(ctx, Query{Text: q, Mode: "fuzzy"}); !errors.Is(err, ErrUnknownMode) {
		t.Errorf("unknown mode: %v", err)
	}
}

func TestMergedPassagesDoNotOverlap(t *testing.T) {
	ix := realIndex(t)
	for _, q := range []string{"中美经贸团队在哪些城市举行了谈判", "脱钩", "G2"} {
		res, err := ix.Search(context.Background(), Query{Text: q, K: 10})
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range res.Passages {
			for _, b := range res.Passages[i+1:] {
				if a.DocID == b.DocID && a.Start < b.End && b.Start < a.End {
					t.Errorf("%q: passages %s [%d,%d) and %s [%d,%d) overlap", q, a.ID, a.Start, a.End, b.ID, b.Start, b.End)
				}
			}
			d, err := fixtureEngine.Document(context.Background(), index.DefaultCollection, a.DocID)
			if err != nil {
				t.Fatal(err)
			}
			if got := string([]rune(d.Text)[a.Start:a.End]); got != a.Text {
				t.Errorf("%q: passage %s offsets do not round-trip", q, a.ID)
			}
		}
	}
}

func TestMMRSpreadsAcrossDocuments(t *testing.T) {
	ix := realIndex(t)
	q := "特朗普 中美关系 关税"
	plain, err := ix.Search(context.Background(), Query{Text: q, K: 5})
	if err != nil {
		t.Fatal(err)
	}
	div, err := ix.Search(context.Background(), Query{Text: q, K: 5, MMR: true})
	if err != nil {
		t.Fatal(err)
	}
	if docCount(div.Passages) < docCount(plain.Passages) {
		t.Errorf("MMR covers %d documents, plain %d", docCount(div.Passages), docCount(plain.Passages))
	}
	if div.Passages[0].ID != plain.Passages[0].ID {
		t.Errorf("MMR changed the best passage: %s vs %s", div.Passages[0].ID, plain.Passages[0].ID)
	}
}

func docCount(ps []Passage) int {
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.DocID] = true
	}
	return len(seen)
}

func TestRelevanceSeparatesAnswerableFromNot(t *testing.T) {
	ix := realIndex(t)
	score := func(q string) Relevance {
		res, err := ix.Search(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		return res.Relevance
	}
	in := score("中美经贸团队在马德里举行了会谈吗")
	out := score("欧盟对中国电动汽车加征了多少关税？")
	if in.Score <= out.Score {
		t.Errorf("answerable %.3f not above unanswerable %.3f", in.Score, out.Score)
	}
	if r := score("2031年世界杯在哪里举办"); r.Exact {
		t.Errorf("a year the corpus never mentions counted as an exact match: %+v", r)
	}
}
