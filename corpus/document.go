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
	Text    string       `json:"text"`
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
