package corpus

import (
	"path"
	"regexp"
	"strings"
)

var (
	mdHeadingLine = regexp.MustCompile(`(?m)^#{1,6}\s+\S`)
	mdTraits      = regexp.MustCompile(`(?m)<sup>|\]\(https?://|^\s*(?:-{3,}|\*{3,})\s*$|\*\*\S|^\s*>\s`)
)

// DetectFormat guesses the kind of source a file without front matter came
// from, by its name and by traits of its text: portal chrome for a scraped
// web page, page layout for PDF extraction, markup for Markdown.
func DetectFormat(name, body string) Format {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown":
		return FormatMarkdown
	}
	lines := normalize(body)
	switch {
	case looksWeb(lines):
		return FormatWeb
	case looksPDF(lines):
		return FormatPDF
	case looksMarkdown(body):
		return FormatMarkdown
	}
	return FormatPlain
}

// looksWeb reports whether the text carries portal chrome: breadcrumbs,
// share widgets, recommendation headings, headline timestamps.
func looksWeb(lines []line) bool {
	const minTraits = 3
	n := 0
	for _, l := range lines {
		t := l.text
		if t == "" || countLine.MatchString(t) {
			continue
		}
		if breadcrumb.MatchString(t) || isChrome(t) || startsBlock(t) || headlineTime.MatchString(t) || statLine.MatchString(t) {
			n++
		}
	}
	return n >= minTraits
}

// looksPDF reports whether the text has a PDF page's layout: runs of lines
// holding only spaces, or most long lines breaking mid-sentence.
func looksPDF(raw []line) bool {
	const minLines = 10
	spaces, long, wrapped := 0, 0, 0
	for _, l := range raw {
		if l.white {
			spaces++
		}
		if runeLen(l.text) >= 15 {
			long++
			if !endsSentence(l.text) {
				wrapped++
			}
		}
	}
	if long < minLines {
		return false
	}
	return spaces*10 >= len(raw) || wrapped*10 >= long*6
}

// looksMarkdown reports whether a .txt file is written in Markdown.
func looksMarkdown(body string) bool {
	h := len(mdHeadingLine.FindAllStringIndex(body, 3))
	return h >= 2 || (h == 1 && mdTraits.MatchString(body))
}
