package corpus

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"wenda/analysis"
)

// Text extracted from a PDF keeps the page: every printed line is a line
// (often with an empty line after each), sentences break at the right
// margin, running headers and page numbers repeat, and footnotes sit at the
// foot of each page, in the middle of whatever sentence runs over the page
// break. The rules below take the page apart again:
//
//  1. page furniture goes: running headers ("Author | Title", or any short
//     line repeated on many pages), page numbers, copyright, contact and
//     cover-credit lines;
//  2. footnotes go to Notes: a line starting with the next footnote number,
//     whose marker the body has already shown, opens a note that runs until
//     a line ends a sentence;
//  3. the remaining lines are re-joined into paragraphs;
//  4. footnote markers glued after sentences in the body are removed, in
//     order, one per note.

var (
	pageNumber = regexp.MustCompile(`^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|第\s*\d{1,4}\s*页(?:\s*[/／共]\s*\d{1,4}\s*页?)?|(?i:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*/\s*\d{1,4})$`)
	// "Rukmani Gupta | 长久以来的错误认知…": author and title beside a bar.
	headerBar     = regexp.MustCompile(`^[^|｜]{1,40}\s[|｜]\s[^|｜]{1,60}$`)
	copyrightLine = regexp.MustCompile(`^(?:©|\([cC]\)|(?i:copyright)\s*©?)\s*((?:19|20)\d{2})\b`)
	contactLine   = regexp.MustCompile(`^(?:(?i:tel|fax|phone|e-?mail)\s*[.:：]|(?:电话|電話|传真|傳真|邮箱|郵箱|电邮|電郵)\s*[:：])`)
	coverCredit   = regexp.MustCompile(`^(?:封面图片|封面圖片|封面照片|封面设计|封面設計|(?i:cover (?:image|photo|design)))\s*[:：]`)
	noteStart     = regexp.MustCompile(`^(\d{1,3})(\s*)(\S.*)$`)
	digits        = regexp.MustCompile(`\d`)
)

// pline is a PDF line with its place among paragraph breaks.
type pline struct {
	line
	gap bool // a blank line that means a paragraph break comes before it
}

// pdf re-flows text extracted from a PDF into paragraphs.
func (c *cleaner) pdf(lines []line) []para {
	ls := compactPDF(lines)
	ls = c.dropFurniture(ls)
	ls = c.takeFootnotes(ls)
	ps := reflow(ls, c.noteLabels())
	c.removeNoteMarkers(ps)
	return ps
}

// compactPDF drops blank lines, remembering them as paragraph breaks only
// where they mean one: extractors that print a blank line after every line
// say nothing with it.
func compactPDF(lines []line) []pline {
	meaningful := !blankAfterEveryLine(lines)
	var out []pline
	blank := false
	for _, l := range lines {
		if l.text == "" {
			blank = true
			continue
		}
		out = append(out, pline{line: l, gap: meaningful && blank && len(out) > 0})
		blank = false
	}
	return out
}

func blankAfterEveryLine(lines []line) bool {
	text, followed := 0, 0
	for i, l := range lines {
		if l.text == "" {
			continue
		}
		text++
		if i+1 < len(lines) && lines[i+1].text == "" {
			followed++
		}
	}
	return text > 0 && float64(followed) >= 0.6*float64(text)
}

// dropFurniture removes what the page, not the text, prints.
func (c *cleaner) dropFurniture(ls []pline) []pline {
	repeated := repeatedLines(ls)
	out := ls[:0]
	broken := false // a dropped line stood between paragraphs
	for _, l := range ls {
		t := l.text
		switch {
		case pageNumber.MatchString(t), headerBar.MatchString(t) && !endsSentence(t), repeated[furnitureKey(t)]:
			// Page furniture may interrupt a sentence; the text runs on.
			continue
		case contactLine.MatchString(t), coverCredit.MatchString(t):
			broken = true
			continue
		}
		if m := copyrightLine.FindStringSubmatch(t); m != nil {
			if c.date == "" {
				c.date = m[1]
			}
			broken = true
			continue
		}
		l.gap = l.gap || broken
		broken = false
		out = append(out, l)
	}
	return out
}

// repeatedLines finds short lines printed on three or more pages: running
// headers and footers. Digits are ignored so that "Title 12" and "Title 13"
// count as one.
func repeatedLines(ls []pline) map[string]bool {
	const minRepeats, maxRunes = 3, 60
	n := map[string]int{}
	for _, l := range ls {
		if runeLen(l.text) <= maxRunes {
			n[furnitureKey(l.text)]++
		}
	}
	out := map[string]bool{}
	for k, v := range n {
		if v >= minRepeats {
			out[k] = true
		}
	}
	return out
}

func furnitureKey(s string) string { return digits.ReplaceAllString(s, "#") }

// takeFootnotes moves footnotes into c.notes and returns the body lines.
func (c *cleaner) takeFootnotes(ls []pline) []pline {
	var (
		body     []pline
		bodyText strings.Builder
		label    string // of the note being read, or ""
		page     int    // it was printed on
		text     wrapJoiner
		last     pline
		next     = 1
	)
	flush := func() {
		if label != "" {
			c.notes = append(c.notes, Note{Label: label, Text: text.String(), Page: page})
			label, text = "", wrapJoiner{}
		}
	}
	for _, l := range ls {
		if n, first, ok := footnoteStart(l.text, next); ok && markerAt(bodyText.String(), strconv.Itoa(n), 0) >= 0 {
			flush()
			label, page = strconv.Itoa(n), l.page
			text.add(first, false)
			last, next = l, n+1
			continue
		}
		if label != "" && !endsNote(last, l) {
			text.add(l.text, last.trail)
			last = l
			continue
		}
		flush()
		body = append(body, l)
		bodyText.WriteString(l.text)
		bodyText.WriteByte('\n')
	}
	flush()
	return body
}

// footnoteStart reports whether s opens footnote next (or next+1, when one
// number went missing) and returns its number and text. "13 2021年发布了…"
// opens note 13; "2021 年对华出口额…" and "3 月…" open none.
func footnoteStart(s string, next int) (int, string, bool) {
	m := noteStart.FindStringSubmatch(s)
	if m == nil {
		return 0, "", false
	}
	n, _ := strconv.Atoi(m[1])
	if n != next && n != next+1 {
		return 0, "", false
	}
	r := firstRune(m[3])
	if strings.ContainsRune("%％年月日号號个個.,，、:：)）-", r) || (m[2] == "" && r >= '0' && r <= '9') {
		return 0, "", false
	}
	return n, m[3], true
}

// endsNote reports whether line l no longer belongs to the footnote whose
// last line so far is prev: the note ended a sentence, or l starts a new
// page with indentation the note did not have.
func endsNote(prev, l pline) bool {
	return endsSentence(prev.text) || (l.indent && !prev.indent) || l.gap
}

// Line widths, as shares of a reference width, that decide re-joining.
const (
	fullLine  = 0.85 // of the column: a line this wide was wrapped
	nearWidth = 0.6  // of its neighbours: a line this wide is part of their paragraph
)

// reflow joins hard-wrapped lines into paragraphs. A line ends its
// paragraph when it ends a sentence; otherwise it continues into the next
// line when it ends with a comma-like mark, fills the column, or is about as
// wide as its neighbours. A short line standing alone (a title, a byline,
// "引言") is a paragraph of its own, and a heading if it looks like one.
func reflow(ls []pline, notes map[string]bool) []para {
	full := fullLine * float64(columnWidth(ls))
	var (
		ps     []para
		cur    wrapJoiner
		prev   int // width of the previous line of the current paragraph
		size   int // lines in the current paragraph
		page   int // the current paragraph starts on
		breaks []pageBreak
	)
	for i, l := range ls {
		at := cur.add(l.text, i > 0 && ls[i-1].trail)
		switch {
		case size == 0:
			page = l.page
		case l.page != ls[i-1].page:
			breaks = append(breaks, pageBreak{at: at, page: l.page})
		}
		size++
		w := displayWidth(l.text)
		if i+1 < len(ls) && continues(l, ls[i+1], w, prev, full, notes) {
			prev = w
			continue
		}
		text := cur.String()
		ps = append(ps, para{text: text, heading: size == 1 && isShortHeading(text), page: page, breaks: breaks})
		cur, prev, size, breaks = wrapJoiner{}, 0, 0, nil
	}
	return ps
}

// continues decides whether the paragraph runs on from line l into next.
func continues(l, next pline, w, prev int, full float64, notes map[string]bool) bool {
	switch {
	case next.gap:
		return false
	case endsSentence(l.text):
		// "……超過一千億個。2" then "010 年……": the digits are not a note
		// marker (no note has that label) but a number the margin split.
		return numberSplit(l.text, next.text, notes)
	case endsContinuing(l.text) || float64(w) >= full:
		return true
	case standsAlone(next.text):
		return false
	}
	ref := max(prev, displayWidth(next.text))
	return float64(w) >= nearWidth*float64(ref)
}

// standsAlone reports whether a line looks like a title, byline or heading
// rather than the rest of a sentence.
func standsAlone(s string) bool {
	const maxRunes = 20
	return runeLen(s) <= maxRunes && !hasClausePunct(s) && !endsContinuing(s)
}

// columnWidth estimates the width of a full line of body text: the 90th
// percentile of line widths.
func columnWidth(ls []pline) int {
	if len(ls) == 0 {
		return 0
	}
	w := make([]int, len(ls))
	for i, l := range ls {
		w[i] = displayWidth(l.text)
	}
	sort.Ints(w)
	return w[len(w)*9/10]
}

// removeNoteMarkers deletes the footnote numbers glued after sentences in
// the body ("……影响。12 美国……"), one per note and in note order, so a real
// number is never taken: "。33 2021 年" loses only the 33.
func (c *cleaner) removeNoteMarkers(ps []para) {
	const lookahead = 3 // tolerate a marker the extraction lost
	k := 0
	for i := range ps {
		pos := 0
		for k < len(c.notes) {
			found := false
			for j := k; j < len(c.notes) && j < k+lookahead; j++ {
				at := markerAt(ps[i].text, c.notes[j].Label, pos)
				if at < 0 {
					continue
				}
				var text string
				text, pos = cutMarker(ps[i].text, at, c.notes[j].Label)
				ps[i].setText(text)
				k, found = j+1, true
				break
			}
			if !found {
				break
			}
		}
	}
}

// markerAt returns the byte offset, at or after from, of footnote marker
// label in s: the number right after a sentence's end, not followed by
// another digit or a unit. It returns -1 when there is none.
func markerAt(s, label string, from int) int {
	for i := from; i < len(s); {
		j := strings.Index(s[i:], label)
		if j < 0 {
			return -1
		}
		at := i + j
		if isMarkerAt(s, at, label) {
			return at
		}
		i = at + len(label)
	}
	return -1
}

func isMarkerAt(s string, at int, label string) bool {
	if at == 0 {
		return false
	}
	before := lastRune(s[:at])
	if !strings.ContainsRune("。！？；”’」』）)】", before) {
		return false
	}
	after := s[at+len(label):]
	if after == "" {
		return true
	}
	if r := firstRune(after); (r >= '0' && r <= '9') || strings.ContainsRune(units, r) {
		return false
	}
	// "2 个月后" counts months; "33 2021 年" is a marker before a year.
	after = strings.TrimLeft(after, " ")
	return after == "" || !strings.ContainsRune(units, firstRune(after))
}

// units are what a number that is not a footnote marker may be followed by.
const units = "%％.,，、年月日号號个個倍次项項家名位岁歲万萬亿億千百"

// cutMarker removes the marker at byte offset at, and the space after it.
func cutMarker(s string, at int, label string) (string, int) {
	end := at + len(label)
	if end < len(s) && s[end] == ' ' {
		end++
	}
	return s[:at] + s[end:], at
}

// noteLabels is the set of labels of the notes taken so far.
func (c *cleaner) noteLabels() map[string]bool {
	m := make(map[string]bool, len(c.notes))
	for _, n := range c.notes {
		m[n.Label] = true
	}
	return m
}

// numberSplit reports whether a line that seems to end a sentence with a
// footnote marker ("。2") really ends with the start of a number that the
// next line ("010 年") finishes: no note has that label, and the next line
// starts with a digit.
func numberSplit(line, next string, notes map[string]bool) bool {
	t := strings.TrimSpace(line)
	digits := t[len(strings.TrimRight(t, "0123456789")):]
	if digits == "" || notes[digits] || analysis.EndsSentence(t) {
		return false
	}
	r := firstRune(next)
	return r >= '0' && r <= '9'
}
