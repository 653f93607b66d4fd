package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"wenda/hanzi"
)

// maxTitleRunes bounds a title taken from the first paragraph of a file
// that names none.
const maxTitleRunes = 60

// Parse turns the raw bytes of one article file into a Document. name is
// the file's path relative to the corpus root; it gives the document its
// Path, its ID and, by extension, a hint at its format. A file that cannot
// be an article is reported as a *FileError.
func Parse(name string, raw []byte) (Document, error) {
	if fe := checkText(raw); fe != nil {
		return Document{}, fe.at(name)
	}
	s := strings.TrimPrefix(string(raw), "\uFEFF")
	fm, body, err := readFrontMatter(s)
	if err != nil {
		return Document{}, (&FileError{Reason: "bad front matter: " + err.Error(), Err: fmt.Errorf("%w: %w", ErrFrontMatter, err)}).at(name)
	}
	f := Format(fm.Format)
	if f == "" {
		f = DetectFormat(name, body)
	}
	if strings.TrimSpace(body) == "" {
		return Document{}, (&FileError{Reason: "empty", Err: ErrNoText}).at(name)
	}
	c := Clean(body, f)
	if c.Text == "" {
		return Document{}, (&FileError{Reason: "no text left after cleaning", Err: ErrNoText}).at(name)
	}
	sum := sha256.Sum256(raw)
	d := Document{
		ID:       slug(name),
		Title:    fm.Title,
		Authors:  fm.Authors,
		Source:   fm.Source,
		URL:      fm.URL,
		Date:     fm.Date,
		Script:   hanzi.Script(fm.Script),
		Format:   f,
		Seed:     fm.Seed,
		Path:     name,
		Hash:     hex.EncodeToString(sum[:]),
		Text:     c.Text,
		Sections: c.Sections,
		Notes:    c.Notes,
	}
	fillFromBody(&d, c)
	appendNotes(&d)
	return d, nil
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
	b.WriteString("\n\n")
	start := utf8.RuneCountInString(b.String())
	b.WriteString(heading)
	for _, n := range d.Notes {
		b.WriteString("\n\n")
		if n.Label != "" {
			b.WriteString("[" + n.Label + "] ")
		}
		b.WriteString(n.Text)
	}
	d.Text = b.String()
	d.Sections = append(d.Sections, Section{Heading: heading, Start: start})
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
	first, _, _ := strings.Cut(c.Text, "\n")
	if r := []rune(first); len(r) > maxTitleRunes {
		return string(r[:maxTitleRunes]) + "…"
	}
	return first
}

// checkText rejects bytes that are not UTF-8 text.
func checkText(raw []byte) *FileError {
	const maxControlShare = 0.05
	if bytes.IndexByte(raw, 0) >= 0 {
		return &FileError{Reason: "binary file (NUL bytes)", Err: ErrBinary}
	}
	control := controlShare(raw)
	if !utf8.Valid(raw) {
		if control > maxControlShare {
			return &FileError{Reason: "binary file", Err: ErrBinary}
		}
		return &FileError{Reason: "not valid UTF-8 (convert it to UTF-8)", Err: ErrNotUTF8}
	}
	if control > maxControlShare {
		return &FileError{Reason: "binary file (mostly control characters)", Err: ErrBinary}
	}
	return nil
}

// controlShare is the share of bytes that are control characters other
// than white space: high in binary files, near zero in text.
func controlShare(raw []byte) float64 {
	if len(raw) == 0 {
		return 0
	}
	n := 0
	for _, b := range raw {
		if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') || b == 0x7F {
			n++
		}
	}
	return float64(n) / float64(len(raw))
}
