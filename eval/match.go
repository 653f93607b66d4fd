package eval

import (
	"regexp"
	"strings"
	"unicode"

	"wenda/hanzi"
)

// Normalize returns the form in which spans, facts, passages and answers are
// compared: NFKC, Traditional→Simplified and lower case (hanzi.Fold), then
// every white-space character removed, so that a span matches across a hard
// wrap, and every digit-grouping comma removed, so that "1,304" matches
// "1304". A comma is a grouping comma when a digit precedes it and exactly
// three digits follow it; "1,2,3" keeps its commas.
func Normalize(s string) string {
	s = hanzi.Fold(s)
	r := make([]rune, 0, len(s))
	for _, c := range s {
		if !unicode.IsSpace(c) {
			r = append(r, c)
		}
	}
	out := make([]rune, 0, len(r))
	for i, c := range r {
		if c == ',' && i > 0 && isDigit(r[i-1]) && groupOfThree(r, i+1) {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// groupOfThree reports whether r[i:] starts with exactly three digits.
func groupOfThree(r []rune, i int) bool {
	if i+3 > len(r) {
		return false
	}
	for _, c := range r[i : i+3] {
		if !isDigit(c) {
			return false
		}
	}
	return i+3 == len(r) || !isDigit(r[i+3])
}

// matcher holds a question's groups in normalised form.
type matcher []Group

func newMatcher(gs []Group) matcher {
	m := make(matcher, len(gs))
	for i, g := range gs {
		m[i] = make(Group, len(g))
		for j, s := range g {
			m[i][j] = Normalize(s)
		}
	}
	return m
}

// groups reports, for a normalised text, which groups it contains a string
// of.
func (m matcher) groups(norm string) []bool {
	out := make([]bool, len(m))
	for i, g := range m {
		for _, s := range g {
			if strings.Contains(norm, s) {
				out[i] = true
				break
			}
		}
	}
	return out
}

// any reports whether a normalised text contains a string of any group.
func (m matcher) any(norm string) bool {
	for _, hit := range m.groups(norm) {
		if hit {
			return true
		}
	}
	return false
}

// count is how many groups a normalised text contains a string of.
func (m matcher) count(norm string) int {
	n := 0
	for _, hit := range m.groups(norm) {
		if hit {
			n++
		}
	}
	return n
}

// markerRE matches citation markers: [1], [1][2], [1, 2], [1，2], and the
// same in full-width brackets.
var markerRE = regexp.MustCompile(`[\[［]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]］]`)

// markers returns the numbers of the citation markers in text, in order.
func markers(text string) []int {
	var out []int
	for _, m := range markerRE.FindAllStringSubmatch(text, -1) {
		for _, f := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == '，' || r == '、' || unicode.IsSpace(r) }) {
			n := 0
			for _, c := range f {
				n = n*10 + int(c-'0')
				if n > 1e6 {
					break
				}
			}
			out = append(out, n)
		}
	}
	return out
}

// stripMarkers removes citation markers from text.
func stripMarkers(text string) string { return markerRE.ReplaceAllString(text, "") }
