package analysis

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestTermsFoldScriptsAndWidth(t *testing.T) {
	a, b := Terms("關稅與ＴｉｋＴｏｋ"), Terms("关税与tiktok")
	if !slices.Equal(a, b) {
		t.Errorf("Terms differ across scripts and widths: %q vs %q", a, b)
	}
	if !slices.Contains(a, "tiktok") || !slices.Contains(a, "关税") {
		t.Errorf("Terms = %q, want the bigram 关税 and the word tiktok", a)
	}
}

func TestQueryTermsDropGrammarAndQuestionWords(t *testing.T) {
	got := " " + strings.Join(QueryTerms(fold("马德里会谈讨论了哪些议题？")), " ") + " "
	for _, junk := range []string{"论了", "了哪", "哪些", "些议"} {
		if strings.Contains(got, " "+junk+" ") {
			t.Errorf("QueryTerms kept %q: %s", junk, got)
		}
	}
	for _, want := range []string{"马德", "德里", "会谈", "讨论", "议题"} {
		if !strings.Contains(got, " "+want+" ") {
			t.Errorf("QueryTerms lost %q: %s", want, got)
		}
	}
}

func TestBM25(t *testing.T) {
	// An unseen term in 10 documents: log(1 + 10.5/0.5).
	if got, want := IDF(10, 0), math.Log(22); math.Abs(got-want) > 1e-12 {
		t.Errorf("IDF(10,0) = %v, want %v", got, want)
	}
	if IDF(10, 10) >= IDF(10, 1) {
		t.Error("a term in every document weighs as much as a rare one")
	}
	// At average length with tf 1 the score is the IDF itself.
	if got := BM25(2, 1, 50, 50); math.Abs(got-2) > 1e-12 {
		t.Errorf("BM25 at average length, tf 1 = %v, want 2", got)
	}
	if BM25(2, 1, 100, 50) >= BM25(2, 1, 25, 50) {
		t.Error("a longer text scores a term as high as a shorter one")
	}
	if BM25(2, 3, 50, 50) <= BM25(2, 1, 50, 50) || BM25(2, 3, 50, 50) >= 2*(BM25K1+1) {
		t.Error("term frequency does not saturate as BM25 says")
	}
	if BM25(2, 0, 50, 50) != 0 {
		t.Error("an absent term scores")
	}
}

// TestTermsSeparateAtChinesePunctuation: the punctuation that Unicode's
// word rules let join Latin words or numbers (a colon, a semicolon, a
// middle dot, a comma between digits) separates them where Chinese text
// writes it, full-width or not, and a comma grouping thousands does not.
func TestTermsSeparateAtChinesePunctuation(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"abc：APLN", []string{"abc", "apln"}},
		{"abc:APLN", []string{"abc", "apln"}},
		{"APEC：亚太经合组织", []string{"apec", "亚太", "太经", "经合", "合组", "组织"}},
		{"TikTok︓App", []string{"tiktok", "app"}},
		{"1998，2002，2006年", []string{"1998", "2002", "2006", "年"}},
		{"1，2，3", []string{"1", "2", "3"}},
		{"3；5", []string{"3", "5"}},
		{"abc;def", []string{"abc", "def"}},
		{"Jean·Paul", []string{"jean", "paul"}},
		{"Jean‧Paul", []string{"jean", "paul"}},
		{"10:30", []string{"10", "30"}},
		// What stays whole: thousands, decimals, versions, abbreviations,
		// contractions, and Han names with a dot (bigrams either way).
		{"4,000年", []string{"4,000", "年"}},
		{"12,345,678人", []string{"12,345,678", "人"}},
		{"3.5%", []string{"3.5"}},
		{"v1.2", []string{"v1.2"}},
		{"U.S.", []string{"u.s"}},
		{"don't", []string{"don't"}},
		{"威廉‧莎士", []string{"威廉", "莎士"}},
	} {
		if got := Terms(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("Terms(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
