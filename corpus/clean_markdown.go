package corpus

import (
	"regexp"
	"strings"
	"unicode"

	"wenda/hanzi"
)

// Markdown is read block by block: headings become sections (the heading
// text stays in the body as a plain line), thematic breaks go, footnote
// definitions go to Notes and their markers leave the body, and inline
// markup is reduced to its text. Papers converted from PDF to Markdown
// also keep the page breaks, so a paragraph cut off mid-sentence by
// footnotes is joined to its continuation.

var (
	atxHeading = regexp.MustCompile(`^#{1,6}\s+(.*?)(?:\s+#+)?$`)
	setextRule = regexp.MustCompile(`^(?:=+|-+)$`)
	breakRule  = regexp.MustCompile(`^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$`)
	supTag     = regexp.MustCompile(`<sup>(.*?)</sup>`)
	noteRef    = regexp.MustCompile(`\[\^([^\]\s]+)\](?:[^:]|$)`)
	// Footnote definitions: "[^1]: …", "[1] …", "\* …" (an escaped star).
	noteDef    = regexp.MustCompile(`^(?:\[\^([^\]\s]+)\]:|\[(\d{1,3}|\*|†|‡)\]|\\(\*)|(†|‡))\s*(.*)$`)
	mdImage    = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink     = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	autoLink   = regexp.MustCompile(`<((?:https?|ftp)://[^>\s]+)>`)
	htmlTag    = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>`)
	strongMark = regexp.MustCompile(`(\*\*|__)(\S(?:.*?\S)?)(\*\*|__)`)
	codeSpan   = regexp.MustCompile("`([^`]+)`")
	mdEscape   = regexp.MustCompile("\\\\([\\\\`*_{}\\[\\]()#+\\-.!|<>~])")
	listItem   = regexp.MustCompile(`^(?:[-*+]|\d{1,3}[.)])\s`)
	markerBody = regexp.MustCompile(`^\[?\^?(\d{1,3}|\*|†|‡)\]?$`)
)

// markdown cleans a Markdown body.
func (c *cleaner) markdown(lines []line) []para {
	md := newMarkdownDoc(lines)
	var ps []para
	for _, blk := range blocks(lines) {
		ps = append(ps, c.markdownBlock(blk, md)...)
	}
	return joinPageBreaks(ps)
}

// markdownDoc is what the whole document says about its footnotes.
type markdownDoc struct {
	used    map[string]bool // labels referenced in the body: <sup>[1]</sup>, [^1]
	defined map[string]bool // labels of "[n] …" lines
}

func newMarkdownDoc(lines []line) markdownDoc {
	md := markdownDoc{used: map[string]bool{}, defined: map[string]bool{}}
	for _, l := range lines {
		for _, m := range supTag.FindAllStringSubmatch(l.text, -1) {
			if lm := markerBody.FindStringSubmatch(unescapeMarkdown(strings.TrimSpace(m[1]))); lm != nil {
				md.used[lm[1]] = true
			}
		}
		for _, m := range noteRef.FindAllStringSubmatch(l.text, -1) {
			md.used[m[1]] = true
		}
		if m := noteDef.FindStringSubmatch(l.text); m != nil && m[2] != "" {
			md.defined[m[2]] = true
		}
	}
	return md
}

// blocks splits lines at blank lines.
func blocks(lines []line) [][]line {
	var out [][]line
	var cur []line
	for _, l := range lines {
		if l.text == "" {
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// markdownBlock turns one block into paragraphs and notes.
func (c *cleaner) markdownBlock(blk []line, md markdownDoc) []para {
	var (
		ps       []para
		text     []string
		note     *Note
		noteText []string
	)
	flush := func() {
		if note != nil {
			note.Text = md.inline(joinLines(noteText), true)
			c.notes = append(c.notes, *note)
			note, noteText = nil, nil
		}
		if len(text) > 0 {
			ps = append(ps, para{text: md.inline(joinLines(text), false)})
			text = nil
		}
	}
	for _, l := range blk {
		t := strings.TrimSpace(strings.TrimPrefix(l.text, ">"))
		switch {
		case breakRule.MatchString(t) && len(text) == 0:
			flush()
		case atxHeading.MatchString(t):
			flush()
			h := md.inline(atxHeading.FindStringSubmatch(t)[1], false)
			ps = append(ps, para{text: h, heading: true})
		case setextRule.MatchString(t) && len(text) > 0 && note == nil:
			h := md.inline(joinLines(text), false)
			text = nil
			ps = append(ps, para{text: h, heading: true})
		case md.isNoteDef(t):
			flush()
			m := noteDef.FindStringSubmatch(t)
			note = &Note{Label: firstNonEmpty(m[1], m[2], m[3], m[4])}
			noteText = []string{m[5]}
		case listItem.MatchString(t):
			// Each item of a list is a paragraph of its own, its marker
			// kept: the reader counts the items.
			flush()
			text = append(text, t)
		case note != nil:
			noteText = append(noteText, t)
		default:
			text = append(text, t)
		}
	}
	flush()
	return ps
}

// isNoteDef reports whether t defines a footnote. "[1] …" and "\* …" only
// count when the body references that label, so a bracketed number that
// starts an ordinary paragraph stays text.
func (md markdownDoc) isNoteDef(t string) bool {
	m := noteDef.FindStringSubmatch(t)
	if m == nil {
		return false
	}
	if m[1] != "" {
		return true
	}
	return md.used[firstNonEmpty(m[2], m[3], m[4])]
}

// inline reduces inline markup to text. In the body a link is its text; in
// a note, where the address is the point, a link is its address.
func (md markdownDoc) inline(s string, note bool) string {
	s = supTag.ReplaceAllStringFunc(s, func(m string) string {
		inner := strings.TrimSpace(supTag.FindStringSubmatch(m)[1])
		if md.isMarker(inner) {
			return ""
		}
		return inner
	})
	s = noteRef.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasSuffix(m, "]") {
			return ""
		}
		return m[strings.LastIndex(m, "]")+1:]
	})
	s = mdImage.ReplaceAllString(s, "$1")
	s = mdLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := mdLink.FindStringSubmatch(m)
		text, url := unescapeMarkdown(sub[1]), sub[2]
		switch {
		case strings.Contains(text, "://") || strings.HasPrefix(text, "www."):
			return url
		case note && text != url:
			return text + " " + url
		}
		return text
	})
	s = autoLink.ReplaceAllString(s, "$1")
	s = htmlTag.ReplaceAllString(s, "")
	s = strongMark.ReplaceAllString(s, "$2")
	s = codeSpan.ReplaceAllString(s, "$1")
	return strings.TrimSpace(unescapeMarkdown(s))
}

// isMarker reports whether the text of a <sup> is a footnote marker: "[1]",
// "\*", or a bare number that a footnote defines (unlike the 2 of m²).
func (md markdownDoc) isMarker(inner string) bool {
	inner = unescapeMarkdown(inner)
	m := markerBody.FindStringSubmatch(inner)
	if m == nil {
		return false
	}
	bare := m[1] == inner && m[1][0] >= '0' && m[1][0] <= '9'
	return !bare || md.defined[m[1]]
}

func unescapeMarkdown(s string) string { return mdEscape.ReplaceAllString(s, "$1") }

func joinLines(ls []string) string {
	var j wrapJoiner
	for _, l := range ls {
		j.add(l, false)
	}
	return j.String()
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// joinPageBreaks joins a paragraph that stops mid-sentence to the next one
// when that one carries on the sentence: in a paper converted from PDF, the
// page break (and the footnotes printed there) split it in two.
func joinPageBreaks(ps []para) []para {
	const minRunes = 20 // bylines and keyword lines are short and end bare
	var out []para
	for _, p := range ps {
		if n := len(out); n > 0 && runsOn(out[n-1], minRunes) && continuesSentence(p) {
			out[n-1].text += p.text
			continue
		}
		out = append(out, p)
	}
	return out
}

func runsOn(p para, minRunes int) bool {
	if p.heading || runeLen(p.text) < minRunes || listItem.MatchString(p.text) || endsSentence(p.text) {
		return false
	}
	r := lastRune(p.text)
	return hanzi.IsHan(r) || r == '，' || r == '、'
}

func continuesSentence(p para) bool {
	return !p.heading && unicode.Is(unicode.Han, firstRune(p.text))
}
