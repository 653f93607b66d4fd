package answer

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"wenda/analysis"
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

// stripMarkers removes the citation markers from text, and the markers
// their removal forms ("[2025[7]]" leaves no "[2025]").
func stripMarkers(text string) string {
	for markerRE.MatchString(text) {
		text = markerRE.ReplaceAllString(text, "")
	}
	return text
}

// rewriteMarkers replaces each marker in text by the markers that f maps
// its numbers to, written as "[1][2]"; a marker whose numbers all map to
// nothing disappears, together with a blank right before it. Removing a
// marker never makes one: text that would read as a marker once its
// neighbour is gone ("[2025[7]]" without "[7]" reads "[2025]") is removed
// too, so every marker in the result is one that f produced.
func rewriteMarkers(text string, f func(n int) (int, bool)) string {
	// Markers f produced are held as placeholders (a NUL and an index)
	// while the text around them is searched for markers it formed.
	text = strings.ReplaceAll(text, "\x00", "")
	var (
		b    strings.Builder
		made []string
	)
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
		if out.Len() > 0 {
			b.WriteString("\x00" + strconv.Itoa(len(made)) + "\x00")
			made = append(made, out.String())
		}
		last = loc[1]
	}
	b.WriteString(text[last:])
	res := stripMarkers(b.String())
	for i, m := range made {
		res = strings.Replace(res, "\x00"+strconv.Itoa(i)+"\x00", m, 1)
	}
	return res
}

// splitter cuts answer text into sentences as it arrives, where package
// analysis says a sentence ends (analysis.EndsAt: 。！？；…, a Latin stop
// before white space, a line break), with any closing quotes or brackets
// after the stop; citation markers right after the end ("……一年。[1]")
// belong to the sentence before them. A sentence is
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

// flush returns whatever is left as the last sentence. Blanks after the
// last sentence end it, so that the sentences rejoin to the text.
func (s *splitter) flush() []string {
	out := s.cut(true)
	if rest := string(s.buf); strings.TrimSpace(rest) != "" {
		out = append(out, rest)
	} else if len(out) > 0 {
		out[len(out)-1] += rest
	}
	s.buf = nil
	return out
}

func (s *splitter) cut(final bool) []string {
	var out []string
	rs := s.buf
	start := 0
	for i := 0; i < len(rs); i++ {
		if !analysis.EndsAt(rs, start, i, final) {
			continue
		}
		j := analysis.RunEnd(rs, i)
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
