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
	// Pages says where each page begins in Text, for sources with pages.
	Pages []Page
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
	return cleanLines(normalize(body), f)
}

// cleanLines cleans a body split into lines; lines of a paged source
// carry their page.
func cleanLines(lines []line, f Format) Cleaned {
	c := &cleaner{}
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
	return c.common(ps)
}

// common applies the rules every format shares and assembles the text.
func (c *cleaner) common(ps []para) Cleaned {
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
	page   int  // the page it was printed on; 0 for sources without pages
}

// para is one paragraph of the cleaned text.
type para struct {
	text    string
	heading bool // recorded as a Section
	page    int  // the page it starts on; 0 for sources without pages
	// breaks are the pages that begin inside the paragraph, at byte
	// offsets of text.
	breaks []pageBreak
}

// pageBreak is a page that begins at byte offset at of a paragraph's text.
type pageBreak struct {
	at, page int
}

// setText replaces the paragraph's text after one edit in one place (a
// marker cut out, a prefix lifted off), keeping its page breaks where
// they were in the text around the edit.
func (p *para) setText(s string) {
	old := p.text
	p.text = s
	if len(p.breaks) == 0 {
		return
	}
	pre := 0
	for pre < len(old) && pre < len(s) && old[pre] == s[pre] {
		pre++
	}
	suf := 0
	for suf < len(old)-pre && suf < len(s)-pre && old[len(old)-1-suf] == s[len(s)-1-suf] {
		suf++
	}
	for i := range p.breaks {
		switch at := p.breaks[i].at; {
		case at <= pre:
		case at >= len(old)-suf:
			p.breaks[i].at = at + len(s) - len(old)
		default:
			p.breaks[i].at = pre
		}
	}
}

var entity = regexp.MustCompile(`&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,10});`)

// normalize splits body into lines, with line endings, byte order marks,
// invisible and control characters, HTML entities and odd spaces dealt with.
func normalize(body string) []line {
	return normalizePage(body, 0)
}

// normalizePage is normalize for the text of one printed page.
func normalizePage(body string, page int) []line {
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
			page:   page,
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
			ps = append(ps, para{text: l.text, page: l.page})
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
	page := 0
	startPage := func(n, at int) {
		if n > 0 && n != page {
			out.Pages = append(out.Pages, Page{N: n, Start: at})
			page = n
		}
	}
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
		startPage(p.page, off)
		for _, br := range p.breaks {
			startPage(br.page, off+runeLen(t[:spaceMappedOffset(p.text, t, br.at)]))
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

// spaceMappedOffset maps byte offset at of old to the same place in new,
// where new is old with only its white space changed (as tidySpaces
// changes it): the place before the same non-space character.
func spaceMappedOffset(old, new string, at int) int {
	k := 0
	for _, r := range old[:min(at, len(old))] {
		if !unicode.IsSpace(r) {
			k++
		}
	}
	for i, r := range new {
		if unicode.IsSpace(r) {
			continue
		}
		if k == 0 {
			return i
		}
		k--
	}
	return len(new)
}
