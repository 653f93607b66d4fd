package extract

// Content is what a file holds, before cleaning. Exactly one of Text, Pages
// and Blocks carries the text, by the file's Type: Text for text and
// Markdown, Pages for PDF, Blocks for HTML, DOCX, PPTX and XLSX.
type Content struct {
	Type Type
	// Encoding is the character encoding the text was decoded from:
	// "UTF-8", "UTF-8 BOM", "UTF-16LE", "UTF-16BE", "GB18030" or "Big5" for
	// text files; "UTF-8" for the others (which declare their own).
	Encoding string
	Meta     Meta
	// Text is a text or Markdown file, decoded to UTF-8, without a byte
	// order mark.
	Text string
	// Pages are the pages of a PDF that carry text, in order.
	Pages []Page
	// Blocks are the headings and paragraphs of a structured document.
	Blocks []Block
	// Notes are footnotes and endnotes kept apart from the body (DOCX).
	Notes []Note
	// PageCount is the number of pages (or slides) in the file, including
	// those without text; zero when the file has no pages.
	PageCount int
}

// Meta is what a file says about itself. Any field may be empty.
type Meta struct {
	Title   string
	Authors []string
	// Date is the publication date as YYYY-MM-DD, where the file states
	// one (a web page's metadata).
	Date string
	// Created is when the file was made (a PDF's or Office file's creation
	// date), YYYY-MM-DD: a date for a document that states none.
	Created string
	// Source is the publisher: a web site's name.
	Source string
	URL    string
}

// Page is one printed page of a PDF as lines of text: a line that starts
// indented on the page starts with a space, and a blank line stands where
// the page leaves vertical space between lines (between paragraphs).
type Page struct {
	Number int // 1-based
	Text   string
}

// BlockKind says what a Block is.
type BlockKind int

// The kinds of blocks.
const (
	Paragraph BlockKind = iota
	Heading
)

// Block is a heading or a paragraph of a structured document. A paragraph
// never contains a line break.
type Block struct {
	Kind  BlockKind
	Text  string
	Level int // of a heading: 1 for a title or top-level heading
	Page  int // the slide a PPTX block is on; 0 elsewhere
}

// Note is a footnote or endnote.
type Note struct {
	Label string
	Text  string
}
