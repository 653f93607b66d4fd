package eval

import (
	"regexp"
	"strings"
	"unicode"

	"wenda/analysis"
	"wenda/answer"
)

// ratio is a count of successes out of a total; a zero total means the
// metric does not apply to the question.
type ratio struct{ hit, total int }

func (r ratio) value() (float64, bool) {
	if r.total == 0 {
		return 0, false
	}
	return float64(r.hit) / float64(r.total), true
}

// factRecall counts the fact groups stated in an answer text. Citation
// markers are removed first so that "一年[1]" still states "一年".
func factRecall(facts matcher, text string) ratio {
	return ratio{hit: facts.count(Normalize(stripMarkers(text))), total: len(facts)}
}

// citationIndex maps marker numbers to the citations an answer supplies;
// a citation without a chunk id or quote points at no passage and is left
// out.
func citationIndex(cs []answer.Citation) map[int]answer.Citation {
	m := make(map[int]answer.Citation, len(cs))
	for _, c := range cs {
		if c.ChunkID != "" && strings.TrimSpace(c.Quote) != "" {
			m[c.N] = c
		}
	}
	return m
}

// citationValidity counts the markers in text that point at a supplied
// citation.
func citationValidity(text string, cs []answer.Citation) ratio {
	idx := citationIndex(cs)
	var r ratio
	for _, n := range markers(text) {
		r.total++
		if _, ok := idx[n]; ok {
			r.hit++
		}
	}
	return r
}

// supports reports whether a citation's quote contains a span of any
// evidence group.
func supports(evidence matcher, c answer.Citation) bool {
	return evidence.any(Normalize(c.Quote))
}

// citationPrecision counts the citations whose quote contains evidence.
func citationPrecision(evidence matcher, cs []answer.Citation) ratio {
	var r ratio
	for _, c := range cs {
		r.total++
		if supports(evidence, c) {
			r.hit++
		}
	}
	return r
}

// citationRecall counts the claims of an answer that carry at least one
// marker pointing at a citation with evidence.
func citationRecall(evidence matcher, text string, cs []answer.Citation) ratio {
	idx := citationIndex(cs)
	var r ratio
	for _, cl := range claims(text) {
		r.total++
		for _, n := range cl.marks {
			if c, ok := idx[n]; ok && supports(evidence, c) {
				r.hit++
				break
			}
		}
	}
	return r
}

// claim is one sentence of an answer with the markers attached to it.
type claim struct {
	text  string // without markers
	marks []int
}

// claims splits an answer into sentences where package analysis says a
// sentence ends (analysis.EndsAt), the rule the chunker and the answerer
// use; markers right after the end ("……一年。[1]") belong to the sentence
// they follow. Lines that carry no words (list bullets, rules) and lead-ins
// ending in a colon ("根据文章：") are not claims.
//
// The markers themselves are parsed here (markerRE), not with the answer
// package's parser, on purpose: the eval checks what the answerer wrote,
// and a parser shared with the answerer would share its mistakes.
func claims(text string) []claim {
	rs := []rune(text)
	var out []claim
	start := 0
	emit := func(end int) {
		s := string(rs[start:end])
		start = end
		plain := strings.TrimSpace(stripMarkers(s))
		if !hasWords(plain) || strings.HasSuffix(plain, ":") || strings.HasSuffix(plain, "：") {
			return
		}
		out = append(out, claim{text: plain, marks: markers(s)})
	}
	for i := 0; i < len(rs); i++ {
		if !analysis.EndsAt(rs, start, i, true) {
			continue
		}
		j := analysis.RunEnd(rs, i)
		j = skipMarkers(rs, j)
		emit(j)
		i = j - 1
	}
	emit(len(rs))
	return out
}

// skipMarkers returns the position after any markers (and the blanks
// between them) that start at rs[i:], or i when none does.
func skipMarkers(rs []rune, i int) int {
	end := i
	for {
		k := end
		for k < len(rs) && (rs[k] == ' ' || rs[k] == '\t') {
			k++
		}
		if k == len(rs) || (rs[k] != '[' && rs[k] != '［') {
			return end
		}
		c := k + 1
		for c < len(rs) && c-k < 64 && rs[c] != ']' && rs[c] != '］' {
			c++
		}
		if c == len(rs) || !wholeMarkerRE.MatchString(string(rs[k:c+1])) {
			return end
		}
		end = c + 1
	}
}

var wholeMarkerRE = regexp.MustCompile(`^` + markerRE.String() + `$`)

func hasWords(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
