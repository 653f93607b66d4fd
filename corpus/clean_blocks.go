package corpus

import (
	"strings"

	"wenda/extract"
)

// Files with structure (web pages, Word, PowerPoint and Excel files) come
// from the extraction stage as headings and paragraphs, and PDFs as pages
// of lines. The same rules clean them as clean text: a PDF's pages go
// through the PDF rules line by line, each line knowing its page; a web
// page's paragraphs through the web rules, which catch the chrome that
// main-content extraction let through; and every format through the
// common rules.

// cleanPages cleans the text layer of a PDF.
func cleanPages(pages []extract.Page) Cleaned {
	var lines []line
	for _, p := range pages {
		lines = append(lines, normalizePage(p.Text, p.Number)...)
	}
	return cleanLines(lines, FormatPDF)
}

// cleanBlocks cleans the headings and paragraphs of a structured file.
func cleanBlocks(blocks []extract.Block, f Format) Cleaned {
	c := &cleaner{}
	ps := make([]para, 0, len(blocks))
	for _, b := range blocks {
		t := normalizeInline(b.Text)
		if t == "" {
			continue
		}
		ps = append(ps, para{text: t, heading: b.Kind == extract.Heading, page: b.Page})
	}
	switch f {
	case FormatHTML:
		ps = c.webParas(ps)
	case FormatXLSX:
		// A row is data: "日期: 2024-05-01" is a cell to cite, not a
		// dateline to lift, and two equal rows are two records.
		return c.assemble(ps)
	}
	return c.common(ps)
}

// normalizeInline normalises the text of one paragraph the way normalize
// normalises lines: invisible and control characters go, odd spaces become
// spaces, runs of spaces one. Entities are the extractor's business.
func normalizeInline(s string) string {
	return strings.Join(strings.Fields(strings.Map(normalizeRune, s)), " ")
}

// notesFrom turns extracted notes into the document's notes.
func notesFrom(ns []extract.Note) []Note {
	var out []Note
	for _, n := range ns {
		if t := normalizeInline(n.Text); t != "" {
			out = append(out, Note{Label: n.Label, Text: t})
		}
	}
	return out
}
