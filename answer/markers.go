package answer

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// markerRE matches one citation marker as models and people write them:
// [1], [1,2], [1, 2], [1，2], [1、2] and the same in full-width brackets or
// digits. Adjacent markers ("[1][2]") are matched one by one.
var markerRE = regexp.MustCompile(`[\[［]\s*([0-9０-９]+(?:\s*[,，、]\s*[0-9０-９]+)*)\s*[\]］]`)

// partialMarkerRE matches the start of a marker that has not closed yet,
// such as "[" or "[1," at the end of a streamed piece of text.
var partialMarkerRE = regexp.MustCompile(`^\s*[\[［]\s*(?:[0-9０-９]+(?:\s*[,，、]\s*[0-9０-９]*)*)?\s*$`)

// markerNumbers returns the numbers in one marker's text, in order.
func markerNumbers(marker string) []int {
	m := markerRE.FindStringSubmatch(marker)
	if m == nil {
		return nil
	}
	var out []int
	for _, f := range strings.FieldsFunc(m[1], func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || unicode.IsSpace(r)
	}) {
		if n, err := strconv.Atoi(width.Narrow.String(f)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// markersIn returns the distinct marker numbers in text, in order of first
// appearance.
func markersIn(text string) []int {
	var out []int
	seen := map[int]bool{}
	for _, m := range markerRE.FindAllString(text, -1) {
		for _, n := range markerNumbers(m) {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// stripMarkers removes the citation markers from text.
func stripMarkers(text string) string { return markerRE.ReplaceAllString(text, "") }

// rewriteMarkers replaces each marker in text by the markers that f maps
// its numbers to, written as "[1][2]"; a marker whose numbers all map to
// nothing disappears, together with a blank right before it.
func rewriteMarkers(text string, f func(n int) (int, bool)) string {
	var b strings.Builder
	last := 0
	for _, loc := range markerRE.FindAllStringIndex(text, -1) {
		pre := text[last:loc[0]]
		var out strings.Builder
		for _, n := range markerNumbers(text[loc[0]:loc[1]]) {
			if m, ok := f(n); ok && !strings.Contains(out.String(), "["+strconv.Itoa(m)+"]") {
				out.WriteString("[" + strconv.Itoa(m) + "]")
			}
		}
		if out.Len() == 0 {
			pre = strings.TrimRight(pre, " \t")
		}
		b.WriteString(pre)
		b.WriteString(out.String())
		last = loc[1]
	}
	b.WriteString(text[last:])
	return b.String()
}

// splitter cuts answer text into sentences as it arrives. A sentence ends at
// 。！？；!?; (with any closing quotes or brackets after it), at a full stop
// followed by white space, or at a line break; citation markers right after
// the end ("……一年。[1]") belong to the sentence before them. A sentence is
// released only once what follows it shows it is complete, so a marker
// split across two pieces of a stream ("[" then "1]") is never cut in half.
type splitter struct {
	buf []rune
}

// feed adds text and returns the sentences it completed.
func (s *splitter) feed(text string) []string {
	s.buf = append(s.buf, []rune(text)...)
	return s.cut(false)
}

// flush returns whatever is left as the last sentence.
func (s *splitter) flush() []string {
	out := s.cut(true)
	if rest := string(s.buf); strings.TrimSpace(rest) != "" {
		out = append(out, rest)
	}
	s.buf = nil
	return out
}

func (s *splitter) cut(final bool) []string {
	var out []string
	rs := s.buf
	start := 0
	for i := 0; i < len(rs); i++ {
		if !sentenceEnd(rs, start, i, final) {
			continue
		}
		j := i + 1
		for j < len(rs) && (isStop(rs[j]) || isCloser(rs[j])) {
			j++
		}
		j = skipMarkers(rs, j)
		if !final {
			rest := string(rs[j:])
			if strings.TrimSpace(rest) == "" || partialMarkerRE.MatchString(rest) {
				// What follows may still be a marker of this sentence.
				break
			}
		}
		if seg := string(rs[start:j]); strings.TrimSpace(seg) != "" {
			// A blank line is kept as the lead of the next sentence.
			out = append(out, seg)
			start = j
		}
		i = j - 1
	}
	s.buf = append([]rune(nil), rs[start:]...)
	return out
}

// sentenceEnd reports whether rs[i] ends a sentence that began at start.
func sentenceEnd(rs []rune, start, i int, final bool) bool {
	r := rs[i]
	switch {
	case r == '\n' || isStop(r):
		return true
	case r == '.':
		if i+1 == len(rs) {
			return final
		}
		if !unicode.IsSpace(rs[i+1]) {
			return false
		}
		return !isInitial(rs, i) && !isListNumber(rs, start, i)
	}
	return false
}

func isStop(r rune) bool { return strings.ContainsRune("。！？；!?;…", r) }

func isCloser(r rune) bool { return strings.ContainsRune("”’」』）)\"'》】", r) }

// isInitial reports a full stop after a single capital ("U.S. officials"),
// which does not end a sentence.
func isInitial(rs []rune, i int) bool {
	return i >= 1 && unicode.IsUpper(rs[i-1]) && (i < 2 || !unicode.IsLetter(rs[i-2]))
}

// isListNumber reports the full stop of a list number ("2. ") at the start
// of a line.
func isListNumber(rs []rune, start, i int) bool {
	k := i - 1
	for k >= start && unicode.IsDigit(rs[k]) {
		k--
	}
	if k == i-1 {
		return false
	}
	for k >= start && (rs[k] == ' ' || rs[k] == '\t') {
		k--
	}
	return k < start || rs[k] == '\n'
}

// skipMarkers returns the position after the markers (and blanks between
// them) that start at rs[i:], or i when none does.
func skipMarkers(rs []rune, i int) int {
	end := i
	for {
		k := end
		for k < len(rs) && (rs[k] == ' ' || rs[k] == '\t') {
			k++
		}
		// A marker is short; looking at the next few runes is enough.
		head := string(rs[k:min(len(rs), k+32)])
		loc := markerRE.FindStringIndex(head)
		if loc == nil || loc[0] != 0 {
			return end
		}
		end = k + len([]rune(head[:loc[1]]))
	}
}
