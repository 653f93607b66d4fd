package corpus

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Metadata that scrapers and typesetters leave at the top of a body: a
// date field, a publication timestamp, a byline. It is lifted into the
// document's metadata and taken out of the text, so that a passage never
// starts with "date 2025-10-31".

// metaLead is how many paragraphs from the top inline metadata may appear in.
const metaLead = 5

var (
	// "date 2025-10-31 …", "发布时间：2025年10月31日 10:20 …" at the start of a paragraph.
	dateField = regexp.MustCompile(`^(?i:date|日期|发布时间|發佈時間|發布時間|发布日期|發佈日期|發布日期|时间|時間)\s*[:：]?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*`)
	// A paragraph that is only a timestamp, as portals print under a title.
	timestampLine = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$`)
	// "□ 吴心伯", "文/张三", "作者：李四" — a byline on a line of its own.
	bylineLine = regexp.MustCompile(`^(?:[□■◎]|文\s*[/／｜|]|(?:作者|撰文|记者|記者)\s*[:：]|(?i:by)\s)\s*(.{1,40})$`)
	nameSep    = regexp.MustCompile(`[\s、，,;；/／]+`)
)

// liftInlineMeta takes dates and bylines out of the first few paragraphs.
func (c *cleaner) liftInlineMeta(ps []para) []para {
	out := ps[:0]
	for i, p := range ps {
		if i < metaLead && !p.heading {
			p.setText(c.liftMeta(p.text))
			if p.text == "" {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// liftMeta records the metadata at the start of s and returns what is left.
func (c *cleaner) liftMeta(s string) string {
	if m := dateField.FindStringSubmatch(s); m != nil {
		c.setDate(m[1], m[2], m[3])
		return strings.TrimSpace(s[len(m[0]):])
	}
	if m := timestampLine.FindStringSubmatch(s); m != nil {
		c.setDate(m[1], m[2], m[3])
		return ""
	}
	if m := bylineLine.FindStringSubmatch(s); m != nil && isNameList(m[1]) {
		if c.authors == nil {
			c.authors = nameSep.Split(strings.TrimSpace(m[1]), -1)
		}
		return ""
	}
	return s
}

// isNameList reports whether s can be a list of names: no sentence
// punctuation, no digits ("By 2030, China …" is a sentence, not a byline).
func isNameList(s string) bool {
	return !strings.ContainsAny(s, "。；：！？;:!?0123456789") && !strings.Contains(s, ", ") && strings.TrimSpace(s) != ""
}

// setDate records the first date found, as YYYY-MM-DD.
func (c *cleaner) setDate(y, m, d string) {
	if c.date != "" {
		return
	}
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	if mi < 1 || mi > 12 || di < 1 || di > 31 {
		return
	}
	c.date = fmt.Sprintf("%s-%02d-%02d", y, mi, di)
}
