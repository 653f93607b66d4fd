package corpus

import (
	"regexp"
	"strings"
)

// Chinese writing numbers its sections "一、", "（一）", "第一章" in every kind
// of source, so these are recognised as headings whatever the format.

const maxHeadingRunes = 40

var chineseHeading = regexp.MustCompile(`^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十百零〇0-9]{1,4}[章节節部篇])\s*\S`)

// isChineseHeading reports whether a paragraph is a numbered section
// heading rather than a numbered sentence ("一、加强合作，……。").
func isChineseHeading(s string) bool {
	if runeLen(s) > maxHeadingRunes || !chineseHeading.MatchString(s) {
		return false
	}
	return !strings.ContainsAny(s, "。；") && !endsContinuing(s)
}

// markChineseHeadings records numbered Chinese headings as sections.
func markChineseHeadings(ps []para) []para {
	for i := range ps {
		if !ps[i].heading && isChineseHeading(ps[i].text) {
			ps[i].heading = true
		}
	}
	return ps
}

// isShortHeading reports whether a line standing alone is an unnumbered
// heading, as PDF reports print "引言" or "结论": short, mostly Han, and
// without the punctuation of a sentence.
func isShortHeading(s string) bool {
	const maxRunes = 20
	n := runeLen(s)
	return n <= maxRunes && !hasClausePunct(s) && hanCount(s) >= 2 && 2*hanCount(s) >= n
}
