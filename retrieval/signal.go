package retrieval

import (
	"math"
	"regexp"
	"strings"
	"unicode"

	"wenda/hanzi"
)

// questionTerms are bigrams of interrogative and filler words that say how
// a question is asked, not what it is about; they would let any passage
// "cover" part of an unanswerable question.
var questionTerms = map[string]bool{
	"什么": true, "哪些": true, "哪个": true, "哪里": true, "多少": true, "如何": true,
	"怎么": true, "怎样": true, "为什": true, "为何": true, "是否": true, "有没": true,
	"没有": true, "是什": true, "么样": true, "么时": true, "时候": true, "请问": true,
	"哪一": true, "一个": true, "提到": true, "文章": true, "认为": true, "根据": true,
	"what": true, "which": true, "who": true, "how": true, "when": true, "why": true,
	"the": true, "of": true, "and": true, "did": true, "does": true, "is": true, "are": true,
	"a": true, "an": true, "in": true, "to": true, "for": true, "on": true, "do": true,
	"吗": true, "呢": true, "了": true, "的": true, "是": true, "有": true, "在": true,
}

// QueryTerms returns the distinct content terms of a folded query, in order.
func QueryTerms(folded string) []string {
	var out []string
	seen := make(map[string]bool)
	for _, t := range analyzeFolded(folded) {
		if questionTerms[t] || seen[t] || hasParticle(t) {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

// particles are characters that carry grammar, not content; a bigram
// holding one ("论了" of 讨论了, "的关" of 的关系) straddles a word boundary
// and would let any sentence with the same grammar cover the question.
const particles = "了的吗呢么哪些吧啊呀着过"

func hasParticle(t string) bool {
	return len([]rune(t)) == 2 && strings.ContainsAny(t, particles)
}

// numberExpr matches a number with the unit or counter that follows it
// ("111亿", "30分钟", "4.1%", "10月"): a number means something only with
// its unit, and "30分钟" must not be satisfied by a "30" elsewhere.
var numberExpr = regexp.MustCompile(`\d+(?:\.\d+)?(?:%|亿|万|千|百|年|月|日|号|分钟|小时|天|个|名|次|倍|美元|元|人|岁|架|艘|家|项|条|轮)?`)

// exactExprs returns what must occur literally in a passage for it to
// answer the folded query: number expressions, and Latin names. A Latin
// word counts as a name when it has a digit or a capital after its first
// letter (TikTok, APLN, H200, G2), or, in a question written mostly in
// Chinese, any capital (Gupta). Other Latin words — an English question's
// "What" or "According" — are left to the lexical score, so that an
// English question is not refused merely for being English.
func exactExprs(original, folded string) []string {
	var out []string
	seen := map[string]bool{}
	addExpr := func(e string) {
		if e != "" && !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	compact := strings.Join(strings.Fields(folded), "")
	for _, m := range numberExpr.FindAllStringIndex(compact, -1) {
		if m[0] > 0 && isASCIIAlnum(compact[m[0]-1]) {
			continue // the digits of a name such as H200 or G2
		}
		addExpr(compact[m[0]:m[1]])
	}
	han, latin := 0, 0
	for _, r := range original {
		switch {
		case hanzi.IsHan(r):
			han++
		case r < 0x80 && unicode.IsLetter(r):
			latin++
		}
	}
	chinese := han > latin
	for _, w := range strings.FieldsFunc(original, func(r rune) bool {
		return !(r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	}) {
		if len(w) < 2 || !strings.ContainsFunc(w, unicode.IsLetter) {
			continue
		}
		inner := strings.ContainsFunc(w[1:], unicode.IsUpper) || strings.ContainsFunc(w, unicode.IsDigit)
		if inner || (chinese && unicode.IsUpper(rune(w[0]))) {
			addExpr(strings.ToLower(w))
		}
	}
	return out
}

// relevance computes the refusal signal for a query's passages.
//
// Coverage is the IDF-weighted share of the query's content terms found in
// the best passage: a question about a subject the corpus never discusses
// finds passages that share only common bigrams, whose IDF is low. BM25Norm
// is the best passage's BM25 score over the sum of the terms' IDFs (what a
// passage of average length containing each term once would score). Exact
// holds when every number expression (with its unit) and every Latin name
// of the query occurs in some retrieved passage: a question that hinges on
// "30分钟", "111亿美元" or "H200" is not answered by passages that never
// say it. Score is Coverage when Exact holds and 0 otherwise, which is the
// value the answerer compares with its threshold.
func (ix *Index) relevance(original, folded string, ps []Passage) Relevance {
	terms := QueryTerms(folded)
	if len(terms) == 0 || len(ps) == 0 {
		return Relevance{}
	}
	var total float64
	for _, t := range terms {
		total += ix.stats.IDF(t)
	}
	var r Relevance
	// Passage text as one string twice over: with white space kept, for
	// Latin words, and without, for numbers ("2021 年" in a PDF line).
	var spaced, compact strings.Builder
	for _, p := range ps {
		ft := hanzi.Fold(p.Text)
		// A passage answers for its article's title and authors too:
		// "Gupta的报告" is satisfied by any passage of Gupta's report.
		whole := ix.headers[p.DocID] + ft
		spaced.WriteString(whole)
		spaced.WriteByte('\n')
		compact.WriteString(strings.Join(strings.Fields(whole), ""))
		compact.WriteByte('\n')
		tf, length := termCounts(ft, terms)
		cov := 0.0
		for _, t := range terms {
			if tf[t] > 0 {
				cov += ix.stats.IDF(t)
			}
		}
		if total > 0 {
			r.Coverage = math.Max(r.Coverage, cov/total)
			r.BM25Norm = math.Max(r.BM25Norm, ix.stats.scoreTerms(terms, tf, length)/total)
		}
	}
	r.Exact = true
	for _, e := range exactExprs(original, folded) {
		in := spaced.String()
		if e[0] >= '0' && e[0] <= '9' {
			in = compact.String()
		}
		if !containsWhole(in, e) {
			r.Exact = false
			r.Missing = append(r.Missing, e)
		}
	}
	r.Score = r.Coverage
	if !r.Exact {
		r.Score = 0
	}
	return r
}

func isASCIIAlnum(b byte) bool {
	return b < 0x80 && (unicode.IsLetter(rune(b)) || unicode.IsDigit(rune(b)))
}

// containsWhole reports whether e occurs in s with no letter or digit
// glued to its Latin ends: "h200" is not found in "h2000", nor "30分钟" in
// "130分钟".
func containsWhole(s, e string) bool { return countWhole(s, e) > 0 }

// termCounts counts the query's terms in a folded passage without
// analysing the passage: a CJK term occurs wherever its characters do, and
// a Latin or number term wherever it stands as a whole word. length
// approximates the passage's number of index terms (one per Han character,
// one per Latin word or number), which is what BM25 normalises by.
// Analysing every returned passage was two fifths of a search.
func termCounts(folded string, terms []string) (map[string]int, int) {
	tf := make(map[string]int, len(terms))
	for _, t := range terms {
		if IsExactTerm(t) {
			tf[t] = countWhole(folded, t)
		} else {
			tf[t] = strings.Count(folded, t)
		}
	}
	length, inWord := 0, false
	for _, r := range folded {
		switch {
		case hanzi.IsHan(r):
			length++
			inWord = false
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if !inWord {
				length++
			}
			inWord = true
		default:
			inWord = false
		}
	}
	return tf, length
}

// countWhole counts the occurrences of e in s that no letter or digit is
// glued to (see containsWhole).
func countWhole(s, e string) int {
	n := 0
	for from := 0; ; {
		i := strings.Index(s[from:], e)
		if i < 0 {
			return n
		}
		i += from
		j := i + len(e)
		before := i == 0 || !isASCIIAlnum(s[i-1]) || !isASCIIAlnum(e[0])
		after := j == len(s) || !isASCIIAlnum(s[j]) || !isASCIIAlnum(e[len(e)-1])
		if before && after {
			n++
		}
		from = i + 1
	}
}
