package retrieval

import "unicode"

// Sentences splits text[from:to] into sentence spans. A sentence ends at
// 。！？；… (and any closing quotes or brackets after them), at . ! ? followed
// by white space in Latin text, and at a paragraph break. Spans are trimmed
// of surrounding white space; empty ones are dropped.
func Sentences(text []rune, from, to int) []span {
	var out []span
	start := from
	emit := func(end int) {
		if s := trim(text, span{start, end}); s.end > s.start {
			out = append(out, s)
		}
		start = end
	}
	for i := from; i < to; i++ {
		r := text[i]
		switch {
		case r == '\n':
			emit(i + 1)
		case isCJKStop(r):
			// Take runs like "？！" or "……" and closing quotes with the stop.
			j := i + 1
			for j < to && (isCJKStop(text[j]) || isCloser(text[j])) {
				j++
			}
			emit(j)
			i = j - 1
		case r == '.' || r == '!' || r == '?':
			j := i + 1
			for j < to && isCloser(text[j]) {
				j++
			}
			if j == to || unicode.IsSpace(text[j]) {
				if r != '.' || !isAbbrevDot(text, from, i) {
					emit(j)
					i = j - 1
				}
			}
		}
	}
	emit(to)
	return out
}

// SplitSentences returns the sentences of s as strings.
func SplitSentences(s string) []string {
	text := []rune(s)
	var out []string
	for _, sp := range Sentences(text, 0, len(text)) {
		out = append(out, string(text[sp.start:sp.end]))
	}
	return out
}

func isCJKStop(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '…':
		return true
	}
	return false
}

func isCloser(r rune) bool {
	switch r {
	case '”', '’', '」', '』', '）', ')', '"', '\'', '》', '】':
		return true
	}
	return false
}

// isAbbrevDot reports a full stop that belongs to a number ("3.5") or a
// single-letter initial ("U.S."), which does not end a sentence.
func isAbbrevDot(text []rune, from, i int) bool {
	if i+1 < len(text) && unicode.IsDigit(text[i+1]) {
		return true
	}
	if i-1 >= from && unicode.IsUpper(text[i-1]) && (i-2 < from || !unicode.IsLetter(text[i-2]) || text[i-2] == '.') {
		return true
	}
	return false
}

// SentenceSpans returns the rune offsets [start, end) in s of each of its
// sentences, as SplitSentences cuts them.
func SentenceSpans(s string) [][2]int {
	text := []rune(s)
	var out [][2]int
	for _, sp := range Sentences(text, 0, len(text)) {
		out = append(out, [2]int{sp.start, sp.end})
	}
	return out
}
