package analysis

import (
	"strings"
	"unicode"
)

// Span is a rune range [Start, End) of a text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Len is the number of runes in the span.
func (s Span) Len() int { return s.End - s.Start }

// IsFullStop reports whether r ends a sentence wherever it stands: the
// Chinese full stop, exclamation and question marks (full and half width)
// and the ellipsis. The Latin . ! ? end a sentence only before white space
// (see EndsAt).
func IsFullStop(r rune) bool {
	switch r {
	case '。', '！', '？', '…', '｡':
		return true
	}
	return false
}

// IsClauseStop reports whether r ends a clause that the chunker and the
// reader treat as a sentence of its own, though the sentence goes on:
// the Chinese semicolon. (The Latin ; does so only before white space.)
// The cleaner does not end a paragraph on it.
func IsClauseStop(r rune) bool { return r == '；' }

// IsCoordinator reports whether r joins the items of a list: a
// conjunction of one character (和, 与, 及, 或, 跟, 同), folded, or the
// enumeration comma 、.
func IsCoordinator(r rune) bool { return strings.ContainsRune("、和与及或跟同", r) }

// IsStop reports whether r is a Chinese full stop or clause stop: where a
// sentence unit ends whatever follows.
func IsStop(r rune) bool { return IsFullStop(r) || IsClauseStop(r) }

// IsLatinStop reports the Latin punctuation that ends a sentence (. ! ?)
// or a clause (;) when white space follows it.
func IsLatinStop(r rune) bool {
	switch r {
	case '.', '!', '?', ';':
		return true
	}
	return false
}

// IsCloser reports whether r closes a quotation or bracket and so may
// follow a sentence's stop and belong to it: "……成功。”" ends after ”.
func IsCloser(r rune) bool {
	switch r {
	case '”', '’', '」', '』', '）', ')', '"', '\'', '》', '〉', '】', '〕', '〗':
		return true
	}
	return false
}

// IsQuestionMark reports ？ and ?.
func IsQuestionMark(r rune) bool { return r == '？' || r == '?' }

// LastNonCloser returns the last rune of s that is not a closing quote or
// bracket, or 0.
func LastNonCloser(s string) rune {
	rs := []rune(strings.TrimRightFunc(s, unicode.IsSpace))
	for i := len(rs) - 1; i >= 0; i-- {
		if !IsCloser(rs[i]) {
			return rs[i]
		}
	}
	return 0
}

// EndsSentence reports whether s, trimmed, ends with the end of a sentence
// — a full stop, or a Latin . ! ? — possibly followed by closers. A clause
// stop does not end it: a line ending in ；goes on.
func EndsSentence(s string) bool {
	r := LastNonCloser(s)
	return IsFullStop(r) || r == '.' || r == '!' || r == '?'
}

// EndsAt reports whether text[i] ends a sentence that began at from: a line
// break; a Chinese full or clause stop that is not part of a title in 《》
// (《卡拉OK.LIVE！‧台北‧我》); a Latin stop followed by white
// space that is not the dot of a number ("3.5"), of an initial ("U.S.") or
// of a list number at the start of a line ("2. "); or a Latin ! ? ; that
// Chinese text follows ("是的!他说"). When nothing but closers follows a
// Latin stop, whether it ends a sentence depends on what comes next:
// final says no more text will.
func EndsAt(text []rune, from, i int, final bool) bool {
	r := text[i]
	switch {
	case r == '\n':
		return true
	case (IsStop(r) || IsLatinStop(r)) && inTitle(text, from, i, final):
		return false
	case IsStop(r):
		return true
	case IsLatinStop(r):
		j := i + 1
		for j < len(text) && IsCloser(text[j]) {
			j++
		}
		switch {
		case j == len(text):
			return final
		case unicode.IsSpace(text[j]):
			return r != '.' || !isAbbrevDot(text, from, i)
		case r != '.' && text[j] >= 0x2E80:
			return true
		}
		return false
	}
	return false
}

// maxTitleRunes bounds how far a stop may stand from the 《 and 》 of the
// title it belongs to.
const maxTitleRunes = 40

// inTitle reports whether text[i] stands inside a title in 《》: after a 《
// that nothing closed since from, and before a 》 on the same line, each
// within maxTitleRunes. When the text ends before a 》 shows, final says
// no more text will: then the stop ends the sentence, and otherwise it
// waits.
func inTitle(text []rune, from, i int, final bool) bool {
	open := false
	for k := i - 1; k >= from && k >= i-maxTitleRunes; k-- {
		if text[k] == '》' || text[k] == '\n' {
			return false
		}
		if text[k] == '《' {
			open = true
			break
		}
	}
	if !open {
		return false
	}
	for k := i + 1; k < len(text) && k <= i+maxTitleRunes; k++ {
		switch text[k] {
		case '》':
			return true
		case '《', '\n':
			return false
		}
	}
	return !final && len(text) <= i+maxTitleRunes
}

// RunEnd returns the position after the stop at text[i] and the stops and
// closers that run on from it ("？！", "……", "。”").
func RunEnd(text []rune, i int) int {
	j := i + 1
	for j < len(text) && (IsStop(text[j]) || IsCloser(text[j])) {
		j++
	}
	return j
}

// isAbbrevDot reports a full stop that belongs to a number ("3.5"), a
// single-letter initial ("U.S.", "J. Frank", "的J. Frank"), an
// abbreviation of letters with dots ("e.g."), a title before a name ("Dr.
// Virginia Apgar", "Mr. Fighting"), or a list number at the start of a line
// ("2. "), none of which ends a sentence.
func isAbbrevDot(text []rune, from, i int) bool {
	if i+1 < len(text) && unicode.IsDigit(text[i+1]) {
		return true
	}
	if i-1 >= from && isLatinLetter(text[i-1]) && (i-2 < from || !isLatinLetter(text[i-2])) &&
		(unicode.IsUpper(text[i-1]) || i-2 >= from && text[i-2] == '.') {
		return true
	}
	if w := latinWordBefore(text, from, i); nameTitles[w] {
		return true
	}
	k := i - 1
	for k >= from && unicode.IsDigit(text[k]) {
		k--
	}
	if k == i-1 {
		return false
	}
	for k >= from && (text[k] == ' ' || text[k] == '\t') {
		k--
	}
	return k < from || text[k] == '\n'
}

// nameTitles are the abbreviated titles written before a name, whose dot
// does not end a sentence.
var nameTitles = map[string]bool{
	"Mr": true, "Mrs": true, "Ms": true, "Dr": true, "Prof": true, "St": true, "Mt": true,
	"Gen": true, "Col": true, "Lt": true, "Capt": true, "Sgt": true, "Rev": true,
	"Sen": true, "Rep": true, "Gov": true, "Fr": true,
}

// latinWordBefore returns the word of Latin letters that ends right
// before text[i], or "".
func latinWordBefore(text []rune, from, i int) string {
	k := i
	for k > from && isLatinLetter(text[k-1]) {
		k--
	}
	return string(text[k:i])
}

// isLatinLetter reports the letters of the Latin script.
func isLatinLetter(r rune) bool { return unicode.Is(unicode.Latin, r) }

// Sentences splits text[from:to] into sentence spans (see EndsAt). Spans
// are trimmed of surrounding white space; empty ones are dropped.
func Sentences(text []rune, from, to int) []Span {
	text = text[:to]
	var out []Span
	start := from
	emit := func(end int) {
		if s := Trim(text, Span{start, end}); s.End > s.Start {
			out = append(out, s)
		}
		start = end
	}
	for i := from; i < to; i++ {
		if !EndsAt(text, start, i, true) {
			continue
		}
		j := i + 1
		if text[i] != '\n' {
			j = RunEnd(text, i)
		}
		emit(j)
		i = j - 1
	}
	emit(to)
	return out
}

// SentenceSpans returns the rune spans of the sentences of s.
func SentenceSpans(s string) []Span {
	text := []rune(s)
	return Sentences(text, 0, len(text))
}

// SplitSentences returns the sentences of s as strings.
func SplitSentences(s string) []string {
	text := []rune(s)
	var out []string
	for _, sp := range Sentences(text, 0, len(text)) {
		out = append(out, string(text[sp.Start:sp.End]))
	}
	return out
}

// Trim drops leading and trailing white space from a span of text.
func Trim(text []rune, s Span) Span {
	for s.Start < s.End && unicode.IsSpace(text[s.Start]) {
		s.Start++
	}
	for s.End > s.Start && unicode.IsSpace(text[s.End-1]) {
		s.End--
	}
	return s
}
