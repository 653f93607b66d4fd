package analysis

import (
	"strings"
	"sync"
	"unicode"

	bleveanalysis "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/registry"

	"wenda/hanzi"
)

// Analyzer names the bleve analyzer that the BM25 index applies to folded
// text. Terms and FoldedTerms run the same analyzer, so that a term
// counted here is a term the index holds: bleve's CJK analyzer, which
// segments by Unicode word rules, folds width, lower-cases, and cuts runs
// of CJK characters into overlapping bigrams, so "马德里会谈" yields 马德
// 德里 里会 会谈 while "TikTok", "301" and "5600" stay whole terms.
const Analyzer = cjk.AnalyzerName

var (
	analyzerOnce sync.Once
	analyzer     bleveanalysis.Analyzer
)

func termAnalyzer() bleveanalysis.Analyzer {
	analyzerOnce.Do(func() {
		a, err := registry.NewCache().AnalyzerNamed(Analyzer)
		if err != nil {
			panic("analysis: build " + Analyzer + " analyzer: " + err.Error())
		}
		analyzer = a
	})
	return analyzer
}

// Terms returns the index terms of s: it folds s (hanzi.Fold) and analyzes
// it as the BM25 index does. Terms repeat as often as they occur.
func Terms(s string) []string { return FoldedTerms(hanzi.Fold(s)) }

// FoldedTerms returns the index terms of text that is already folded.
func FoldedTerms(folded string) []string {
	toks := termAnalyzer().Analyze([]byte(separate(folded)))
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, string(t.Term))
	}
	return out
}

// separate puts a space in place of the punctuation that Unicode's word
// rules (UAX #29) let join two Latin words or numbers into one term, where
// Chinese text means it as punctuation. Folding writes the full-width
// marks of Chinese text in their ASCII forms, so "APLN：abc" arrives as
// "APLN:abc", which the rules keep whole (the colon joins letters for
// Swedish "c:a"); likewise "1998，2002年" as one number "1998,2002" and
// "3；5" as "3;5". A colon, a semicolon or a middle dot (Chinese writes
// one between the parts of a foreign name) between letters or digits
// therefore separates them, and so does a comma between digits unless it
// groups thousands ("4,000" stays one number, as StripGrouping reads it).
// Full stops and apostrophes keep their joining part: "u.s", "3.5",
// "don't".
func separate(folded string) string {
	if !strings.ContainsAny(folded, ":;,\u00b7\u2027") {
		return folded
	}
	rs := []rune(folded)
	changed := false
	for i := 1; i+1 < len(rs); i++ {
		r := rs[i]
		if !strings.ContainsRune(":;,\u00b7\u2027", r) || !isWordRune(rs[i-1]) || !isWordRune(rs[i+1]) {
			continue
		}
		if r == ',' && unicode.IsDigit(rs[i-1]) && groupOfThree(string(rs[i+1:min(len(rs), i+5)]), 0) {
			continue
		}
		rs[i] = ' '
		changed = true
	}
	if !changed {
		return folded
	}
	return string(rs)
}

// isWordRune reports a letter or digit that Unicode's word rules join
// across punctuation: not a CJK ideograph, which stands alone.
func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !hanzi.IsHan(r)
}

// TermSet returns the distinct index terms of folded text.
func TermSet(folded string) map[string]bool {
	out := map[string]bool{}
	for _, t := range FoldedTerms(folded) {
		out[t] = true
	}
	return out
}

// IsExactTerm reports whether a term is a number or a Latin word: the
// terms that vector search tends to blur and that must match literally.
func IsExactTerm(t string) bool {
	for _, r := range t {
		if r >= 0x2E80 {
			return false
		}
	}
	return t != ""
}

// IsHanTerm reports whether every rune of t is a CJK ideograph.
func IsHanTerm(t string) bool {
	for _, r := range t {
		if !hanzi.IsHan(r) {
			return false
		}
	}
	return t != ""
}

// questionTerms are terms of interrogative and filler words that say how a
// question is asked, not what it is about; they would let any passage
// "cover" part of an unanswerable question.
var questionTerms = map[string]bool{
	"什么": true, "哪些": true, "哪个": true, "哪里": true, "多少": true, "如何": true,
	"怎么": true, "怎样": true, "为什": true, "为何": true, "是否": true, "有没": true,
	"没有": true, "是什": true, "么样": true, "么时": true, "时候": true, "请问": true,
	"哪一": true, "一个": true, "提到": true, "文章": true, "认为": true, "根据": true,
	"何时": true, "何处": true, "何人": true, "何地": true, "何年": true, "是谁": true,
	"哪儿": true, "哪位": true, "几个": true, "多大": true, "多长": true, "多久": true,
	"what": true, "which": true, "who": true, "how": true, "when": true, "why": true,
	"where": true, "whom": true, "whose": true, "was": true, "were": true, "many": true, "much": true,
	"the": true, "of": true, "and": true, "did": true, "does": true, "is": true, "are": true,
	"a": true, "an": true, "in": true, "to": true, "for": true, "on": true, "do": true,
	"吗": true, "呢": true, "了": true, "的": true, "是": true, "有": true, "在": true,
}

// particles are characters that carry grammar, not content; a bigram
// holding one ("论了" of 讨论了, "的关" of 的关系) straddles a word boundary
// and would let any sentence with the same grammar cover the question.
const particles = "了的吗呢么哪些吧啊呀着过"

// IsContentTerm reports whether a term of a question says what it is
// about, rather than how it is asked.
func IsContentTerm(t string) bool {
	if questionTerms[t] {
		return false
	}
	return !(len([]rune(t)) == 2 && strings.ContainsAny(t, particles))
}

// QueryTerms returns the distinct content terms of a folded query, in
// order.
func QueryTerms(folded string) []string {
	var out []string
	seen := make(map[string]bool)
	for _, t := range FoldedTerms(folded) {
		if seen[t] || !IsContentTerm(t) {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}
