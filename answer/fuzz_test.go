package answer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"wenda/analysis"
	"wenda/question"
)

// seedAnswers adds answer-like text to a fuzz corpus: sentences of the real
// articles with markers after them, as a model writes them.
func seedAnswers(f *testing.F, add func(text string)) {
	f.Helper()
	files, err := filepath.Glob("../corpus/articles/*")
	if err != nil || len(files) == 0 {
		f.Fatalf("no articles: %v", err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		ss := analysis.SplitSentences(string(b))
		for i := 0; i+3 < len(ss) && i < 60; i += 20 {
			add(ss[i] + "[1]" + ss[i+1] + "[2][3]" + ss[i+2] + "[1,4]\n" + ss[i+3])
		}
	}
	add("何立峰与贝森特在西班牙马德里举行会谈[1][2025[7]]。")
	add("The talks were held in Madrid [1]. The U.S. side asked for more [2].")
	add("不打不相识；第二阶段是打打谈谈[1]。")
}

// cut splits text into pieces at the rune positions the fuzzer chose.
func cut(text string, cuts []byte) []string {
	rs := []rune(text)
	var out []string
	start := 0
	for _, c := range cuts {
		if start >= len(rs) {
			break
		}
		end := min(start+1+int(c)%8, len(rs))
		out = append(out, string(rs[start:end]))
		start = end
	}
	return append(out, string(rs[start:]))
}

// FuzzSplitter: however a stream is cut into pieces, the sentences the
// splitter releases, with what flush returns, rejoin to the input, and no
// sentence but the last ends inside a marker.
func FuzzSplitter(f *testing.F) {
	seedAnswers(f, func(s string) { f.Add(s, []byte{1, 2, 3, 250, 7}) })
	f.Fuzz(func(t *testing.T, text string, cuts []byte) {
		if !utf8.ValidString(text) {
			return // a model's reply reaches the splitter decoded from JSON: valid UTF-8
		}
		var sp splitter
		var got []string
		for _, p := range cut(text, cuts) {
			got = append(got, sp.feed(p)...)
		}
		released := len(got)
		got = append(got, sp.flush()...)
		if strings.Join(got, "") != text && strings.TrimSpace(text) != "" {
			t.Fatalf("pieces %q do not rejoin to %q", got, text)
		}
		for _, s := range got[:released] {
			if partialMarkerRE.MatchString(lastLine(s)) && strings.ContainsAny(s, "[［") && !markerRE.MatchString(s) {
				t.Fatalf("sentence %q ends inside a marker", s)
			}
		}
	})
}

func lastLine(s string) string {
	if i := strings.LastIndexAny(s, "。！？!?\n"); i >= 0 {
		return s[i:]
	}
	return s
}

// FuzzComposer: whatever a model writes, however it is streamed, the
// streamed deltas rejoin to the final text, every marker shown has a
// citation (numbers 1..n, each used, each sent with the delta that first
// uses it), and no delta ends inside a marker.
func FuzzComposer(f *testing.F) {
	seedAnswers(f, func(s string) { f.Add(s, []byte{3, 1, 4, 1, 5, 9, 2, 6}) })
	texts := []string{madridPassage, tiktokPassage, fentanylPassage, bessentPassage, injectionPassage}
	v := newVerifier(texts, DefaultMinOverlap, false)
	ps := passages(texts...)
	f.Fuzz(func(t *testing.T, raw string, cuts []byte) {
		var (
			deltas []string
			firsts []int
		)
		c := newComposer(v, ps, func(s string, first []Citation) error {
			deltas = append(deltas, s)
			for _, ci := range first {
				firsts = append(firsts, ci.N)
			}
			return nil
		})
		for _, p := range cut(raw, cuts) {
			if err := c.write(p); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.close(); err != nil {
			t.Fatal(err)
		}
		text, cites := c.text.String(), c.citations()
		if strings.Join(deltas, "") != text {
			t.Fatalf("deltas %q do not rejoin to %q", deltas, text)
		}
		used := markersIn(text)
		if len(used) != len(cites) {
			t.Fatalf("text %q has markers %v for %d citations", text, used, len(cites))
		}
		for i, n := range used {
			if n != i+1 || i >= len(firsts) || firsts[i] != n {
				t.Fatalf("markers %v are not 1..%d in order of use, each brought by the delta that first uses it (%v): %q", used, len(cites), firsts, text)
			}
		}
		for _, d := range deltas {
			if partialMarkerRE.MatchString(d[strings.LastIndexAny(d, "[［")+1:]) && strings.HasSuffix(strings.TrimSpace(d), "[") {
				t.Fatalf("delta %q ends inside a marker", d)
			}
		}
	})
}

// FuzzRewriteMarkers: the markers left after rewriting are exactly the
// ones the mapping produced; removing one never forms another.
func FuzzRewriteMarkers(f *testing.F) {
	seedAnswers(f, func(s string) { f.Add(s, uint8(3)) })
	f.Fuzz(func(t *testing.T, text string, keep uint8) {
		k := int(keep%6) + 1
		out := rewriteMarkers(text, func(n int) (int, bool) { return n, n >= 1 && n <= k })
		for _, n := range markersIn(out) {
			if n < 1 || n > k {
				t.Fatalf("rewrite of %q left marker [%d], outside 1..%d: %q", text, n, k, out)
			}
		}
		if strings.Contains(stripMarkers(text), "\x00") {
			return
		}
		if got := stripMarkers(out); markerRE.MatchString(got) {
			t.Fatalf("stripping %q left a marker", out)
		}
	})
}

// FuzzPremiseDenied reads arbitrary sentences for the denial of an
// arbitrary why-question's premise: it never panics, and what it returns
// is one of the sentences, as written.
func FuzzPremiseDenied(f *testing.F) {
	f.Add("特朗普政府为什么批准了那项价值4亿美元的对台军售案？", "特朗普政府取消了台湾防务部门负责人访美计划，拒绝批准一项价值4亿美元的对台军售案。")
	f.Add("为什么不不？", "不不不。不")
	f.Add("為何被削職", "因鎮壓不力而被削職[3]。")
	f.Fuzz(func(t *testing.T, q, text string) {
		sents := extractive{}.sentences(passages(text))
		got := premiseDenied(question.Analyze(q).Premise(), sents)
		if got == "" {
			return
		}
		for _, s := range sents {
			if got == strings.TrimSpace(stripMarkers(s.text)) {
				return
			}
		}
		t.Fatalf("premiseDenied(%q, %q) = %q, none of the sentences", q, text, got)
	})
}
