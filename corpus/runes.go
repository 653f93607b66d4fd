package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"wenda/analysis"
	"wenda/hanzi"
)

// Character classes the cleaning rules share. Where a sentence ends is
// package analysis's to say, for the cleaner as for the chunker and the
// reader. Chinese text needs no space between words, so whether two pieces
// of a wrapped line are joined with a space depends on the characters
// meeting at the join.

const (
	// continuers at the end of a line promise more of the same sentence.
	continuers = "，、：；（“《—–-,:;("
	// clausePunct is punctuation that a heading or a byline does not contain.
	clausePunct = "，。；：！？、,;:!?"
)

// cjk reports whether r is a CJK character or full-width punctuation: text
// on either side of it is joined without a space.
func cjk(r rune) bool {
	switch {
	case hanzi.IsHan(r):
		return true
	case r >= 0x3000 && r <= 0x30FF: // CJK punctuation, kana
		return true
	case r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6: // full-width forms
		return true
	case r >= 0xAC00 && r <= 0xD7AF: // Hangul
		return true
	}
	return false
}

// cjkPunct reports whether r is full-width punctuation, next to which a
// space is never meaningful.
func cjkPunct(r rune) bool {
	if r == '“' || r == '”' || r == '‘' || r == '’' {
		return true
	}
	return (r >= 0x3001 && r <= 0x303F) || (r >= 0xFF01 && r <= 0xFF0F) ||
		(r >= 0xFF1A && r <= 0xFF20) || (r >= 0xFF3B && r <= 0xFF40) ||
		(r >= 0xFF5B && r <= 0xFF65)
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// hanCount returns the number of Han characters in s.
func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if hanzi.IsHan(r) {
			n++
		}
	}
	return n
}

// displayWidth approximates how wide s is printed: CJK characters take two
// columns, Latin ones one. Hard-wrapped lines fill the same width, whatever
// mix of scripts they hold.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		case width.EastAsianAmbiguous:
			if r >= 0x2000 { // curly quotes, dashes: full width in Chinese type
				n += 2
			} else {
				n++
			}
		default:
			n++
		}
	}
	return n
}

// trimNoteDigits drops a footnote number glued after the end of a sentence
// ("……影响。12" → "……影响。"), so that the sentence still counts as ended.
func trimNoteDigits(s string) string {
	t := strings.TrimRightFunc(s, func(r rune) bool { return r >= '0' && r <= '9' })
	if len(s)-len(t) == 0 || len(s)-len(t) > 3 || t == "" {
		return s
	}
	if u := strings.TrimSuffix(t, "."); u != t && u != "" && isDigit(lastRune(u)) {
		return s // "2232.5": a decimal number, not a sentence and a marker
	}
	if r := lastRune(t); analysis.EndsSentence(string(r)) || analysis.IsCloser(r) {
		return t
	}
	return s
}

// endsSentence reports whether s ends with the end of a sentence, a
// footnote number glued after it aside.
func endsSentence(s string) bool {
	return analysis.EndsSentence(trimNoteDigits(strings.TrimSpace(s)))
}

// endsContinuing reports whether s ends with punctuation that the sentence
// must continue after.
func endsContinuing(s string) bool {
	return s != "" && strings.ContainsRune(continuers, lastRune(s))
}

// hasClausePunct reports whether s contains sentence or clause punctuation.
func hasClausePunct(s string) bool {
	return strings.ContainsAny(s, clausePunct)
}

// joinWrapped joins two pieces of one paragraph that a line break split.
func joinWrapped(a, b string, spaced bool) string {
	var j wrapJoiner
	j.add(a, false)
	j.add(b, spaced)
	return j.String()
}

// wrapSep says what goes between two pieces of one paragraph that a line
// break split. CJK text joins directly; Latin words get a space, except
// inside a hyphenated word or a URL. spaced says the first piece was
// followed by white space in the source, which PDF extractors use to mark a
// word break.
func wrapSep(a, b string, spaced bool) string {
	x, y := lastRune(a), firstRune(b)
	switch {
	case cjk(x) || cjk(y):
		return ""
	case isDigit(x) && isDigit(y) && !spaced && cjk(lastRune(strings.TrimRight(a, "0123456789"))):
		// "。20" then "09 年": Chinese lines break inside numbers too.
		return ""
	case x == '-' && (unicode.IsLetter(y) || unicode.IsDigit(y)):
		return ""
	case spaced:
		return " "
	case endsWithURL(a):
		return ""
	}
	return " "
}

// wordBreak reports whether r ends a word: a URL never runs over it.
func wordBreak(r rune) bool { return r == ' ' || r == ',' || r == ';' || cjk(r) }

// endsWithURL reports whether the last word of s is (part of) a URL.
func endsWithURL(s string) bool {
	i := strings.LastIndexFunc(s, wordBreak)
	if i >= 0 {
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n - 1
	}
	w := s[i+1:]
	return strings.Contains(w, "//") || strings.HasPrefix(w, "www.")
}

// wrapJoiner builds a paragraph from wrapped pieces in linear time.
type wrapJoiner struct {
	b    strings.Builder
	tail string // the end of the text so far, from the start of its last word
}

// add appends a piece and returns the byte offset it starts at.
func (j *wrapJoiner) add(piece string, spaced bool) int {
	if piece == "" {
		return j.b.Len()
	}
	sep := ""
	if j.b.Len() > 0 {
		sep = wrapSep(j.tail, piece, spaced)
	}
	j.b.WriteString(sep)
	at := j.b.Len()
	j.b.WriteString(piece)
	if sep != "" || strings.IndexFunc(piece, wordBreak) >= 0 || len(j.tail) > 1024 {
		j.tail = piece
	} else {
		j.tail += piece // a word, such as a URL, running on from the last piece
	}
	return at
}

func (j *wrapJoiner) String() string { return j.b.String() }

func (j *wrapJoiner) Len() int { return j.b.Len() }

// tidySpaces collapses runs of spaces and drops spaces that touch
// full-width punctuation, such as the one a removed footnote marker leaves
// between "。" and the next sentence.
func tidySpaces(s string) string {
	var b strings.Builder
	rs := []rune(strings.Join(strings.Fields(s), " "))
	for i, r := range rs {
		if r == ' ' && i > 0 && i+1 < len(rs) && (cjkPunct(rs[i-1]) || cjkPunct(rs[i+1])) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }
