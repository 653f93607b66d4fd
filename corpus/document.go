package corpus

import (
	"strings"

	"wenda/hanzi"
)

// Format says what kind of source a raw article came from; it selects the
// cleaning rules that apply on top of the common ones.
type Format string

// The formats the cleaner knows.
const (
	FormatPlain    Format = "plain"
	FormatWeb      Format = "web"      // a scraped web page with portal boilerplate
	FormatPDF      Format = "pdf"      // text extracted from a PDF: hard wraps, running headers, footnotes
	FormatMarkdown Format = "markdown" // Markdown, possibly with footnote markup
	FormatHTML     Format = "html"     // an HTML page, its main content found by the extraction stage
	FormatDOCX     Format = "docx"     // a Word file
	FormatPPTX     Format = "pptx"     // a PowerPoint file; its slides are its pages
	FormatXLSX     Format = "xlsx"     // an Excel workbook: a section per sheet, a paragraph per row
)

// Document is one cleaned article: metadata plus body text in the article's
// original script. All offsets that later stages record (chunks, citations)
// are rune offsets into Text.
type Document struct {
	ID      string       `json:"id"`
	Title   string       `json:"title"`
	Authors []string     `json:"authors,omitempty"`
	Source  string       `json:"source,omitempty"` // publisher or outlet
	URL     string       `json:"url,omitempty"`
	Date    string       `json:"date,omitempty"` // YYYY-MM-DD, YYYY-MM or YYYY
	Script  hanzi.Script `json:"script"`
	Format  Format       `json:"format"`
	Seed    string       `json:"seed,omitempty"` // the file the article was first collected as
	Path    string       `json:"path"`           // where it was loaded from, relative to the corpus root
	Hash    string       `json:"hash"`           // sha256 of the raw file, hex
	// Encoding is the character encoding a text file was decoded from:
	// UTF-8, UTF-8 BOM, UTF-16LE, UTF-16BE, GB18030 or Big5.
	Encoding string `json:"encoding,omitempty"`
	// PageCount is the number of pages (slides, for PPTX) of the file,
	// including pages without text; zero for sources without pages.
	PageCount int    `json:"page_count,omitempty"`
	Text      string `json:"text"`
	// Sections lists headings found in the body, in order; a heading covers
	// Text from its Start to the next heading's Start.
	Sections []Section `json:"sections,omitempty"`
	// Notes are footnotes taken out of the body so that they never split a
	// sentence. They are also appended to Text after the body, under a
	// section of their own, so that they can be searched and cited.
	Notes []Note `json:"notes,omitempty"`
	// BodyEnd is the rune offset in Text where the body ends and the notes
	// section (if any) begins.
	BodyEnd int `json:"body_end"`
	// Pages says where each printed page (or slide) begins in Text, in
	// order of Start: page N covers Text from its Start to the next entry's.
	// Notes moved to the end carry the page they were printed on, so the
	// numbers need not rise through the notes. Empty for sources without
	// pages.
	Pages []Page `json:"pages,omitempty"`
}

// Page is a page number and the rune offset in Document.Text where the
// text printed on that page begins.
type Page struct {
	N     int `json:"n"`
	Start int `json:"start"`
}

// PageAt returns the number of the page that rune offset off of Text was
// printed on, or 0 when the document has no pages.
func (d *Document) PageAt(off int) int {
	n := 0
	for _, p := range d.Pages {
		if p.Start > off {
			break
		}
		n = p.N
	}
	if n == 0 && len(d.Pages) > 0 {
		n = d.Pages[0].N
	}
	return n
}

// Body returns Text without the appended notes.
func (d *Document) Body() string {
	r := []rune(d.Text)
	if d.BodyEnd <= 0 || d.BodyEnd > len(r) {
		return d.Text
	}
	return strings.TrimRight(string(r[:d.BodyEnd]), "\n")
}

// Section is a heading and the rune offset in Document.Text where it starts.
type Section struct {
	Heading string `json:"heading"`
	Start   int    `json:"start"`
}

// Note is a footnote removed from the body.
type Note struct {
	Label string `json:"label"`
	Text  string `json:"text"`
	// Page is the page the note was printed on; 0 when unknown.
	Page int `json:"page,omitempty"`
}

// SectionAt returns the heading that covers rune offset off, or "".
func (d *Document) SectionAt(off int) string {
	h := ""
	for _, s := range d.Sections {
		if s.Start > off {
			break
		}
		h = s.Heading
	}
	return h
}
