package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// readHTML finds a page's main content with go-readability and turns it
// into blocks; the page's metadata gives the title, author, site and date.
func readHTML(raw []byte, lim Limits) (*Content, error) {
	s, err := decodeHTML(raw)
	if err != nil {
		return nil, err
	}
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		if strings.Contains(err.Error(), "open stack of elements exceeds") {
			// The parser's own bound on nesting, above ours.
			return nil, overLimit("the HTML nesting limit of %d levels", lim.MaxHTMLDepth)
		}
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	// go-readability walks the tree recursively; a page nested thousands
	// deep would exhaust the stack, which no recover catches.
	if depth, elems := treeSize(doc); depth > lim.MaxHTMLDepth {
		return nil, overLimit("the HTML nesting limit of %d levels (the page nests %d deep)", lim.MaxHTMLDepth, depth)
	} else if elems > lim.MaxHTMLElements {
		return nil, overLimit("the HTML limit of %d elements (the page has %d)", lim.MaxHTMLElements, elems)
	}
	meta := pageMeta(doc)
	p := readability.NewParser()
	p.MaxElemsToParse = lim.MaxHTMLElements
	art, err := p.ParseAndMutate(doc, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	c := &Content{Type: TypeHTML, Encoding: EncUTF8}
	if art.Node != nil {
		var w blockWriter
		w.walk(art.Node)
		c.Blocks = w.flush()
	}
	title := frontMatterTitle(s)
	if title == "" {
		title = pageTitle(art.Title(), meta.h1, meta.ogTitle)
	}
	c.Meta = Meta{
		Title:  title,
		Source: firstOf(art.SiteName(), meta.site),
		URL:    meta.url,
	}
	if b := strings.TrimSpace(art.Byline()); b != "" && utf8.RuneCountInString(b) <= 40 {
		c.Meta.Authors = []string{b}
	}
	if t, err := art.PublishedTime(); err == nil && t.Year() > 1900 {
		c.Meta.Date = t.Format("2006-01-02")
	} else {
		c.Meta.Date = meta.date
	}
	return c, nil
}

// decodeHTML decodes a page by its byte order mark or declared charset,
// else as UTF-8 when it is valid, else as GB18030 or Big5 by statistics.
func decodeHTML(raw []byte) (string, error) {
	if enc, _, certain := charset.DetermineEncoding(raw, "text/html"); certain {
		out, err := enc.NewDecoder().Bytes(raw)
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrEncoding, err)
		}
		return string(bytes.TrimPrefix(out, []byte("\uFEFF"))), nil
	}
	if utf8.Valid(raw) {
		return string(raw), nil
	}
	s, _, err := decodeLegacy(raw)
	return s, err
}

// treeSize measures the depth and element count of a parsed page without
// recursion.
func treeSize(root *html.Node) (depth, elems int) {
	type item struct {
		n *html.Node
		d int
	}
	stack := []item{{root, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.n.Type == html.ElementNode {
			elems++
		}
		depth = max(depth, it.d)
		for c := it.n.FirstChild; c != nil; c = c.NextSibling {
			stack = append(stack, item{c, it.d + 1})
		}
	}
	return depth, elems
}

// blockWriter turns the article's elements into headings and paragraphs.
type blockWriter struct {
	blocks []Block
	cur    strings.Builder
	level  int // of the heading being written, or 0
}

// Elements that start a new block; text inside others runs on.
var blockElems = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Blockquote: true,
	atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Pre: true, atom.Figure: true, atom.Figcaption: true, atom.Table: true, atom.Tr: true,
	atom.Header: true, atom.Footer: true, atom.Main: true, atom.Address: true, atom.Hr: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
}

// Elements whose text is never the article's.
var skipElems = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Svg: true,
	atom.Math: true, atom.Iframe: true, atom.Object: true, atom.Button: true, atom.Select: true,
	atom.Textarea: true, atom.Input: true, atom.Form: true, atom.Nav: true, atom.Aside: true,
	atom.Head: true, atom.Title: true,
}

func headingLevel(a atom.Atom) int {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

// walk writes n's text. The depth of the tree was bounded before.
func (w *blockWriter) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.cur.WriteString(n.Data)
		return
	case html.ElementNode:
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c)
		}
		return
	}
	switch {
	case skipElems[n.DataAtom]:
		return
	case n.DataAtom == atom.Br:
		w.end()
		return
	case n.DataAtom == atom.Table:
		w.end()
		w.table(n)
		return
	case n.DataAtom == atom.Img:
		return
	}
	block := blockElems[n.DataAtom]
	if block {
		w.end()
	}
	if label := listLabel(n); label != "" {
		w.cur.WriteString(joinLabel(label, ""))
	}
	if lv := headingLevel(n.DataAtom); lv > 0 {
		w.level = lv
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
	if block {
		w.end()
	}
}

// table writes each row as a paragraph; with a header row, each cell is
// "header: value".
func (w *blockWriter) table(t *html.Node) {
	var rows [][]string
	var header []string
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Tr {
			var cells []string
			allTH := true
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
					cells = append(cells, collapse(textOf(c)))
					allTH = allTH && c.DataAtom == atom.Th
				}
			}
			if allTH && header == nil && len(rows) == 0 {
				header = cells
			} else {
				rows = append(rows, cells)
			}
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Table && n != t {
			return // a nested layout table: its text is in the cells above
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(t)
	for _, r := range rows {
		if line := rowLine(header, r); line != "" {
			w.blocks = append(w.blocks, Block{Kind: Paragraph, Text: line})
		}
	}
}

// rowLine writes a table row as a sentence of "header: value" pairs (or of
// its cells, when there is no header), so that a cell can be found, quoted
// and cited as any sentence can: "年份：康熙三年；變更：分湖廣為湖北、湖南二省。"
// in Chinese, "Year: 1664; Change: …." otherwise.
func rowLine(header, cells []string) string {
	cjkText := false
	for _, c := range append(append([]string(nil), header...), cells...) {
		if hasHan(c) {
			cjkText = true
			break
		}
	}
	colon, sep, stop := ": ", "; ", "."
	if cjkText {
		colon, sep, stop = "：", "；", "。"
	}
	var parts []string
	for i, c := range cells {
		if c == "" {
			continue
		}
		if i < len(header) && header[i] != "" {
			parts = append(parts, header[i]+colon+c)
		} else {
			parts = append(parts, c)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	line := strings.Join(parts, sep)
	if r, _ := utf8.DecodeLastRuneInString(line); !strings.ContainsRune("。.！!？?", r) {
		line += stop
	}
	return line
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		if n.Type == html.ElementNode && skipElems[n.DataAtom] {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return b.String()
}

// end closes the block being written.
func (w *blockWriter) end() {
	t := collapse(w.cur.String())
	w.cur.Reset()
	if t == "" {
		return
	}
	b := Block{Kind: Paragraph, Text: t}
	if w.level > 0 {
		b.Kind, b.Level = Heading, w.level
	}
	w.level = 0
	w.blocks = append(w.blocks, b)
}

func (w *blockWriter) flush() []Block {
	w.end()
	return w.blocks
}

// collapse folds white space runs to one space, as a browser shows them.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// pageInfo is what the page says about itself outside the article.
type pageInfo struct {
	h1, ogTitle, site, url, date string
}

// Meta tags that carry a publication date, in the order they are trusted.
var dateMetaNames = []string{
	"article:published_time", "og:article:published_time", "og:release_date", "datepublished",
	"publishdate", "publish_date", "pubdate", "publication_date", "dc.date.issued", "dc.date",
	"dcterms.date", "date", "sailthru.date", "parsely-pub-date",
}

func pageMeta(doc *html.Node) pageInfo {
	var (
		info  pageInfo
		metas = map[string]string{}
		ld    []string
	)
	stack := []*html.Node{doc}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Meta:
				key := strings.ToLower(firstOf(attr(n, "property"), attr(n, "name"), attr(n, "itemprop")))
				if _, seen := metas[key]; key != "" && !seen {
					metas[key] = strings.TrimSpace(attr(n, "content"))
				}
			case atom.H1:
				if info.h1 == "" {
					info.h1 = collapse(textOf(n))
				}
			case atom.Time:
				if _, seen := metas["time"]; !seen && attr(n, "datetime") != "" {
					metas["time"] = attr(n, "datetime")
				}
			case atom.Script:
				switch {
				case n.FirstChild == nil:
				case strings.Contains(attr(n, "type"), "ld+json"):
					ld = append(ld, n.FirstChild.Data)
				case metas["script"] == "":
					if m := scriptDate.FindStringSubmatch(n.FirstChild.Data); m != nil {
						metas["script"] = m[1]
					}
				}
			}
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
	info.ogTitle = metas["og:title"]
	info.site = metas["og:site_name"]
	info.url = metas["og:url"]
	for _, k := range dateMetaNames {
		if d := normDate(metas[k]); d != "" {
			info.date = d
			break
		}
	}
	if info.date == "" {
		info.date = ldDate(ld)
	}
	if info.date == "" {
		info.date = normDate(metas["time"])
	}
	if info.date == "" {
		info.date = normDate(metas["script"])
	}
	return info
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// ldDate finds datePublished in JSON-LD.
func ldDate(scripts []string) string {
	for _, s := range scripts {
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			continue
		}
		if d := findKey(v, "datePublished", 0); d != "" {
			if nd := normDate(d); nd != "" {
				return nd
			}
		}
	}
	return ""
}

func findKey(v any, key string, depth int) string {
	if depth > 8 {
		return ""
	}
	switch t := v.(type) {
	case map[string]any:
		if s, ok := t[key].(string); ok {
			return s
		}
		for _, x := range t {
			if s := findKey(x, key, depth+1); s != "" {
				return s
			}
		}
	case []any:
		for _, x := range t {
			if s := findKey(x, key, depth+1); s != "" {
				return s
			}
		}
	}
	return ""
}

// scriptDate finds the publication time portals put in their pages'
// scripts: pubtime: '2016年10月14日07:17', "publishTime":"2024-06-18 08:30".
var scriptDate = regexp.MustCompile(`(?i)["']?(?:pub_?time|publish_?time|publish_?date|pub_?date|date_?published|release_?time)["']?\s*[:=]\s*["']([^"'\n]{8,32})["']`)

var dateRe = regexp.MustCompile(`((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})`)

// normDate turns the usual ways of writing a date into YYYY-MM-DD.
func normDate(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Format("2006-01-02")
	}
	m := dateRe.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	var y, mo, d int
	fmt.Sscan(m[1], &y)
	fmt.Sscan(m[2], &mo)
	fmt.Sscan(m[3], &d)
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
}

// frontMatterTitle returns the title a page fragment declares in the
// comment of JSON front matter it opens with, as site generators write it
// (<!--{ "Title": "The Go Memory Model", … }-->), or "". Such a fragment
// has no <title>, and its first heading is a section's.
func frontMatterTitle(s string) string {
	rest, ok := strings.CutPrefix(strings.TrimLeft(s, "\ufeff \t\r\n"), "<!--")
	if !ok || !strings.HasPrefix(strings.TrimSpace(rest), "{") {
		return ""
	}
	body, _, ok := strings.Cut(rest, "-->")
	if !ok {
		return ""
	}
	var fm map[string]any
	if json.Unmarshal([]byte(body), &fm) != nil {
		return ""
	}
	for _, k := range []string{"Title", "title"} {
		if t, ok := fm[k].(string); ok && collapse(t) != "" {
			return collapse(t)
		}
	}
	return ""
}

// titleSep splits a page title into the article's title and the site's
// and channel's names: "标题_教育频道_中国青年网", "Title | Site".
var titleSep = regexp.MustCompile(`\s*(?:_|\||｜| - | – | — |-{2})\s*`)

// pageTitle picks the article's title: the page's own h1 or og:title when
// the <title> starts with it, else the first part of the <title>.
func pageTitle(title, h1, og string) string {
	title = collapse(title)
	for _, c := range []string{collapse(og), collapse(h1)} {
		if c != "" && (title == "" || strings.HasPrefix(title, c)) {
			return c
		}
	}
	parts := titleSep.Split(title, -1)
	if len(parts) > 1 && utf8.RuneCountInString(parts[0]) >= 4 {
		return parts[0]
	}
	return title
}

// listLabel returns what a browser shows before a list's item: the number
// of an ordered list's ("3."), counted from the list's start, or a bullet;
// "" for any other element. A list's type (a, i) is kept: its letters are
// numbers too.
func listLabel(n *html.Node) string {
	ol := n.Parent
	if n.DataAtom != atom.Li || ol == nil || ol.Type != html.ElementNode {
		return ""
	}
	if ol.DataAtom == atom.Ul {
		return "•"
	}
	if ol.DataAtom != atom.Ol {
		return ""
	}
	k := atoiOr(attr(ol, "start"), 1)
	for c := ol.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || c.DataAtom != atom.Li {
			continue
		}
		if v := attr(c, "value"); v != "" {
			k = atoiOr(v, k)
		}
		if c == n {
			break
		}
		k++
	}
	return formatNumber(k, olTypes[attr(ol, "type")]) + "."
}

// olTypes are the list-number formats of an ordered list's types; digits
// when it gives none.
var olTypes = map[string]string{"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}
