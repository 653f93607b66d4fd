package corpus

import (
	"html"
	"regexp"
	"strings"
	"unicode"
)

// Cleaned is an article body after cleaning.
type Cleaned struct {
	// Text is the body as paragraphs separated by one blank line; a
	// paragraph never contains a line break.
	Text     string
	Sections []Section
	Notes    []Note
	// Date (YYYY-MM-DD, YYYY-MM or YYYY) and Authors were found inside the
	// body, as an inline "date 2025-10-31", a byline or a copyright line, and
	// taken out of Text. They fill in what front matter does not say.
	Date    string
	Authors []string
}

// Clean turns a raw article body into plain paragraphs. The rules for the
// format come first (portal chrome for web pages, page furniture and hard
// wraps for PDF text, markup for Markdown), then the rules every format
// shares: inline metadata lifted out, editorial lines dropped, Chinese
// section headings ("一、", "（一）") recorded, and paragraphs that repeat an
// earlier one (pull quotes, doubled captions) dropped.
func Clean(body string, f Format) Cleaned {
	c := &cleaner{}
	lines := normalize(body)
	var ps []para
	switch f {
	case FormatWeb:
		ps = c.web(lines)
	case FormatPDF:
		ps = c.pdf(lines)
	case FormatMarkdown:
		ps = c.markdown(lines)
	default:
		ps = lineParas(lines)
	}
	ps = c.liftInlineMeta(ps)
	ps = dropEditorial(ps)
	ps = markChineseHeadings(ps)
	ps = dropRepeats(ps)
	return c.assemble(ps)
}

// cleaner collects what the rules take out of the body.
type cleaner struct {
	notes   []Note
	date    string
	authors []string
}

// line is one source line with its surrounding white space trimmed.
type line struct {
	text   string
	indent bool // the source line began with white space
	trail  bool // the source line ended with white space
	white  bool // the source line held only white space
}

// para is one paragraph of the cleaned text.
type para struct {
	text    string
	heading bool // recorded as a Section
}

var entity = regexp.MustCompile(`&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,10});`)

// normalize splits body into lines, with line endings, byte order marks,
// invisible and control characters, HTML entities and odd spaces dealt with.
func normalize(body string) []line {
	body = strings.TrimPrefix(body, "\uFEFF")
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	body = entity.ReplaceAllStringFunc(body, html.UnescapeString)
	body = strings.Map(normalizeRune, body)
	raw := strings.Split(body, "\n")
	out := make([]line, 0, len(raw))
	for _, s := range raw {
		t := strings.Join(strings.Fields(s), " ")
		out = append(out, line{
			text:   t,
			indent: t != "" && s[0] == ' ',
			trail:  t != "" && s[len(s)-1] == ' ',
			white:  t == "" && s != "",
		})
	}
	return out
}

func normalizeRune(r rune) rune {
	switch {
	case r == '\n':
		return r
	case r == '\u200B', r == '\u200C', r == '\u200D', r == '\u2060', r == '\uFEFF', r == '\u00AD':
		return -1 // zero-width characters and soft hyphens
	case unicode.IsSpace(r):
		return ' '
	case unicode.IsControl(r):
		return -1
	}
	return r
}

// lineParas makes each non-empty line a paragraph, as web pages and plain
// text put one paragraph on a line.
func lineParas(lines []line) []para {
	var ps []para
	for _, l := range lines {
		if l.text != "" {
			ps = append(ps, para{text: l.text})
		}
	}
	return ps
}

var (
	editorialLine = regexp.MustCompile(`^[【\[（(〔]?\s*(?:责任编辑|責任編輯|编辑|編輯|校对|校對|审核|審核|审校|審校|监制|監製|主编|主編|值班编辑|值班編輯|实习编辑|實習編輯|美编|美編|排版|终审|終審|初审|初審|复审|複審)\s*[:：]\s*[^。！？]{0,24}?\s*[】\]）)〕]?$`)
	catalogLine   = regexp.MustCompile(`^(?:[〔【\[]\s*(?:中图分类号|中圖分類號|文献标识码|文獻標識碼|文章编号|文章編號|DOI)\s*[〕】\]]|(?:中图分类号|中圖分類號|文献标识码|文獻標識碼|文章编号|文章編號|DOI)\s*[:：])`)
)

// dropEditorial drops editors' credits ("【责任编辑：…】") and library
// cataloguing lines (中图分类号, 文献标识码, 文章编号, DOI), which say nothing
// about the article's subject.
func dropEditorial(ps []para) []para {
	out := ps[:0]
	for _, p := range ps {
		if editorialLine.MatchString(p.text) || catalogLine.MatchString(p.text) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// dropRepeats drops a paragraph whose text already appeared inside an
// earlier one: PDF pull quotes, a title printed on the cover and again on
// the first page, a caption under two photos. A paragraph is looked for in
// the paragraphs shortly before it, where pull quotes repeat their source,
// and as a whole anywhere before.
func dropRepeats(ps []para) []para {
	const (
		minRunes = 15 // shorter text repeats by chance
		window   = 64
	)
	seen := map[string]bool{}
	out := ps[:0]
	for _, p := range ps {
		if !p.heading && runeLen(p.text) >= minRunes &&
			(seen[p.text] || containedIn(out[max(0, len(out)-window):], p.text)) {
			continue
		}
		seen[p.text] = true
		out = append(out, p)
	}
	return out
}

func containedIn(ps []para, s string) bool {
	for _, p := range ps {
		if strings.Contains(p.text, s) {
			return true
		}
	}
	return false
}

// assemble joins the paragraphs into Text and records each heading's rune
// offset.
func (c *cleaner) assemble(ps []para) Cleaned {
	var (
		b   strings.Builder
		out Cleaned
		off int
	)
	for _, p := range ps {
		t := tidySpaces(p.text)
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
			off += 2
		}
		if p.heading {
			out.Sections = append(out.Sections, Section{Heading: t, Start: off})
		}
		b.WriteString(t)
		off += runeLen(t)
	}
	out.Text = b.String()
	out.Notes = c.notes
	out.Date = c.date
	out.Authors = c.authors
	return out
}
