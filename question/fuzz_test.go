package question

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzAnalyze analyses arbitrary text as a question: it never panics,
// the interrogative phrase lies inside the question, a premise is a
// why-question's and shorter than it, and a question cut into parts is cut
// without losing or adding a character.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"2021年美国从中国的进口额是多少？2017年又是多少？",
		"截至马德里会谈，中美经贸谈判进行了几轮？吴心伯的论文说2025年5月至10月中美一共谈了几轮？",
		"中美馬德里經貿會談在哪幾天舉行？美方由誰牽頭？",
		"What did Bessent say? Who led the talks?",
		"？？，，哪一年",
		"特朗普政府为什么批准了那项价值4亿美元的对台军售案？",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := Analyze(s)
		if a.Wh.Start < 0 || a.Wh.End > len(a.Runes) || a.Wh.Start > a.Wh.End {
			t.Fatalf("interrogative %v outside %d runes", a.Wh, len(a.Runes))
		}
		if len(a.Parts) == 1 {
			t.Fatalf("one part: %q", a.Parts[0].Text)
		}
		if p := a.Premise(); p != "" && (a.Type != Reason || len([]rune(p)) >= len(a.Runes)) {
			t.Fatalf("premise %q of a %s question of %d runes", p, a.Type, len(a.Runes))
		}
		if a.Parts != nil {
			var texts []string
			for _, p := range a.Parts {
				if p.Parts != nil {
					t.Fatalf("part %q has parts", p.Text)
				}
				texts = append(texts, p.Text)
			}
			if got, want := dropSpace(strings.Join(texts, "")), dropSpace(a.Text); got != want {
				t.Fatalf("parts %q do not make up %q", texts, a.Text)
			}
		}
	})
}

func dropSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
