package corpus

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"wenda/extract"
	"wenda/hanzi"
)

// maxTitleRunes bounds a title taken from the first paragraph of a file
// that names none.
const maxTitleRunes = 60

// ParserConfig sets up a Parser.
type ParserConfig struct {
	// CacheDir keeps the PDF engine's compiled code between runs (the data
	// directory is the natural home); "" compiles it on each run's first
	// PDF, which takes seconds.
	CacheDir string
	// Limits bound what one file may cost; zero fields take the defaults.
	Limits extract.Limits
	// PDFWorkers is how many PDFs are read at once.
	PDFWorkers int
}

// Parser turns files into cleaned Documents: the one path from a file's
// bytes to a Document, for a corpus folder, `wenda add` and uploads alike.
// It is safe for concurrent use. Close it to stop the PDF engine.
type Parser struct {
	x *extract.Extractor
}

// NewParser returns a Parser. The PDF engine starts on the first PDF.
func NewParser(cfg ParserConfig) *Parser {
	return &Parser{x: extract.New(extract.Config{Limits: cfg.Limits, CacheDir: cfg.CacheDir, PDFWorkers: cfg.PDFWorkers})}
}

// Close stops the PDF engine, if it was started.
func (p *Parser) Close() error { return p.x.Close() }

// WarmUp starts the PDF engine now, so that the first PDF does not wait.
func (p *Parser) WarmUp() error { return p.x.WarmUp() }

// MaxFileBytes is the largest file the parser reads.
func (p *Parser) MaxFileBytes() int64 { return p.x.Limits().MaxFileBytes }

// Parse turns the raw bytes of one file into a Document: the extraction
// stage reads it by its type (detected from the bytes), then the cleaning
// rules run on what it read. name is the file's path relative to the
// corpus root (or an upload's file name); it gives the document its Path
// and ID. A file that cannot be indexed is reported as a *FileError whose
// Reason says why.
func (p *Parser) Parse(ctx context.Context, name string, raw []byte) (Document, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return Document{}, (&FileError{Reason: "empty", Err: ErrNoText}).at(name)
	}
	content, err := p.x.Extract(ctx, name, raw)
	if err != nil {
		return Document{}, extractError(name, err)
	}
	var d Document
	switch content.Type {
	case extract.TypeText, extract.TypeMarkdown:
		d, err = parseText(name, content)
	default:
		d, err = parseStructured(name, content)
	}
	if err != nil {
		return Document{}, err.(*FileError).at(name)
	}
	sum := sha256.Sum256(raw)
	d.ID, d.Path, d.Hash = slug(name), name, hex.EncodeToString(sum[:])
	d.Encoding = content.Encoding
	boundMetadata(&d)
	appendNotes(&d)
	return d, nil
}

// Parse is Parser.Parse with a parser of its own and default limits: for
// one-off use. A PDF makes it start (and stop) the PDF engine.
func Parse(name string, raw []byte) (Document, error) {
	p := NewParser(ParserConfig{})
	defer p.Close()
	return p.Parse(context.Background(), name, raw)
}

// parseText makes a Document of a text or Markdown file, which may open
// with front matter.
func parseText(name string, content *extract.Content) (Document, error) {
	fm, body, err := readFrontMatter(content.Text)
	if err != nil {
		return Document{}, &FileError{Reason: "bad front matter: " + err.Error(), Err: fmt.Errorf("%w: %w", ErrFrontMatter, err)}
	}
	f := Format(fm.Format)
	if f == "" {
		f = DetectFormat(name, body)
		if content.Type == extract.TypeMarkdown {
			f = FormatMarkdown
		}
	}
	if strings.TrimSpace(body) == "" {
		return Document{}, &FileError{Reason: "empty", Err: ErrNoText}
	}
	c := Clean(body, f)
	if c.Text == "" {
		return Document{}, &FileError{Reason: "no text left after cleaning", Err: ErrNoText}
	}
	d := Document{
		Title:    fm.Title,
		Authors:  fm.Authors,
		Source:   fm.Source,
		URL:      fm.URL,
		Date:     fm.Date,
		Script:   hanzi.Script(fm.Script),
		Format:   f,
		Seed:     fm.Seed,
		Text:     c.Text,
		Sections: c.Sections,
		Notes:    c.Notes,
	}
	fillFromBody(&d, c)
	return d, nil
}

// parseStructured makes a Document of a file the extraction stage read
// into pages (PDF) or blocks (HTML, DOCX, PPTX, XLSX).
func parseStructured(name string, content *extract.Content) (Document, error) {
	f := Format(content.Type)
	var c Cleaned
	if content.Type == extract.TypePDF {
		c = cleanPages(content.Pages)
	} else {
		c = cleanBlocks(content.Blocks, f)
		c.Notes = append(c.Notes, notesFrom(content.Notes)...)
	}
	if c.Text == "" {
		return Document{}, &FileError{Reason: "no text left after cleaning", Err: ErrNoText}
	}
	m := content.Meta
	d := Document{
		Title:     m.Title,
		Source:    m.Source,
		URL:       m.URL,
		Date:      m.Date,
		Format:    f,
		PageCount: content.PageCount,
		Text:      c.Text,
		Sections:  c.Sections,
		Notes:     c.Notes,
		Pages:     c.Pages,
	}
	// A byline in the text names the writers; a file's author field often
	// names whoever's computer saved it.
	if len(c.Authors) == 0 {
		d.Authors = m.Authors
	}
	if d.Title == "" && f == FormatXLSX {
		// A workbook's sheets are named for their part, not the whole.
		base := path.Base(name)
		d.Title = strings.TrimSuffix(base, path.Ext(base))
	}
	fillFromBody(&d, c)
	if d.Date == "" {
		d.Date = m.Created
	}
	return d, nil
}

// extractError turns an extraction failure into a FileError whose reason
// a person can act on.
func extractError(name string, err error) error {
	var (
		ue *extract.UnsupportedError
		le *extract.LimitError
	)
	fe := &FileError{Err: err}
	switch {
	case errors.As(err, &ue):
		fe.Reason = ue.Reason()
	case errors.As(err, &le):
		fe.Reason = le.Error()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	default:
		fe.Reason = err.Error()
	}
	return fe.at(name)
}

// appendNotes puts the footnotes after the body, under a section of their
// own, one paragraph each. The body stays free of them, and because chunks
// never cross a section start, a note is only ever chunked with other
// notes; yet a fact stated only in a footnote can still be found and cited
// with offsets into Text like any other passage.
func appendNotes(d *Document) {
	d.BodyEnd = utf8.RuneCountInString(d.Text)
	if len(d.Notes) == 0 {
		return
	}
	heading := "注释"
	if d.Script == hanzi.Unknown {
		heading = "Notes"
	}
	var b strings.Builder
	b.WriteString(d.Text)
	off := d.BodyEnd
	write := func(s string) {
		b.WriteString(s)
		off += utf8.RuneCountInString(s)
	}
	write("\n\n")
	d.Sections = append(d.Sections, Section{Heading: heading, Start: off})
	write(heading)
	for _, n := range d.Notes {
		write("\n\n")
		if n.Page > 0 && len(d.Pages) > 0 {
			d.Pages = append(d.Pages, Page{N: n.Page, Start: off})
		}
		if n.Label != "" {
			write("[" + n.Label + "] ")
		}
		write(n.Text)
	}
	d.Text = b.String()
}

// readFrontMatter returns the front matter, if any, and the body.
func readFrontMatter(s string) (frontMatter, string, error) {
	text, body, err := splitFrontMatter(s)
	if errors.Is(err, errNoFrontMatter) {
		return frontMatter{}, s, nil
	}
	fm, err := parseFrontMatter(text)
	return fm, body, err
}

// fillFromBody completes what front matter left out.
func fillFromBody(d *Document, c Cleaned) {
	if d.Date == "" {
		d.Date = c.Date
	}
	if len(d.Authors) == 0 {
		d.Authors = c.Authors
	}
	if d.Script == "" {
		d.Script = hanzi.Detect(c.Text)
	}
	if d.Title == "" {
		d.Title = titleOf(d.Format, c)
	}
}

// titleOf names a document that has no title in front matter: by its first
// Markdown heading, or else by its first paragraph.
func titleOf(f Format, c Cleaned) string {
	if f == FormatMarkdown && len(c.Sections) > 0 {
		return c.Sections[0].Heading
	}
	if len(c.Sections) > 0 && c.Sections[0].Start == 0 && f != FormatXLSX {
		return c.Sections[0].Heading
	}
	first, _, _ := strings.Cut(c.Text, "\n")
	if r := []rune(first); len(r) > maxTitleRunes {
		return string(r[:maxTitleRunes]) + "…"
	}
	return first
}
