package corpus

import (
	"wenda/internal/golden"

	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"

	"wenda/extract"
)

// The files the extraction stage is tested on (extract/testdata/files,
// made by real tools: LibreOffice, Chromium, ReportLab, img2pdf, iconv; see
// make_fixtures.py beside them) go through the whole path here: extracted,
// cleaned, made Documents. The golden files show the cleaned text with the
// place each page begins marked 〔p.N〕.

const filesDir = "../extract/testdata/files"

var (
	parserOnce sync.Once
	testParser *Parser
)

// sharedParser is one parser for the package's tests; its PDF engine keeps
// its compiled code in a cache shared by every test run on the machine.
func sharedParser() *Parser {
	parserOnce.Do(func() {
		testParser = NewParser(ParserConfig{CacheDir: filepath.Join(os.TempDir(), "wenda-test-pdfium-cache")})
	})
	return testParser
}

func parseFixture(t *testing.T, name string) Document {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(filesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := sharedParser().Parse(context.Background(), name, raw)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// renderDoc writes a document's metadata, sections and text, with page
// starts marked, for a golden file.
func renderDoc(d Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "id: %s\ntitle: %s\nauthors: %s\ndate: %s\nsource: %s\nformat: %s\nencoding: %s\nscript: %s\npage_count: %d\n",
		d.ID, d.Title, strings.Join(d.Authors, "; "), d.Date, d.Source, d.Format, d.Encoding, d.Script, d.PageCount)
	for _, s := range d.Sections {
		fmt.Fprintf(&b, "section %d: %s\n", s.Start, s.Heading)
	}
	b.WriteString("\n")
	next := 0
	for i, r := range []rune(d.Text) {
		for next < len(d.Pages) && d.Pages[next].Start == i {
			fmt.Fprintf(&b, "〔p.%d〕", d.Pages[next].N)
			next++
		}
		b.WriteRune(r)
	}
	b.WriteString("\n")
	return b.String()
}

var fixtureNames = []string{
	"report-zh-hant.pdf", "report-zh-hans.pdf", "web-print.pdf", "notice-cid.pdf",
	"galileo.docx", "talks-lists.docx", "pearl-harbor.pptx", "qing-provinces.xlsx", "news.html",
	"conciergerie-gbk.txt", "rwanda-big5.txt", "blue-horde-utf16.txt", "dirac-bom.md",
}

func TestParseFilesGolden(t *testing.T) {
	for _, name := range fixtureNames {
		t.Run(name, func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata", "files", name+".txt"), renderDoc(parseFixture(t, name)))
		})
	}
}

// TestPagesMatchPrintedPages checks every page start of every paged file
// against the pages as extracted: the text that follows a page start was
// printed on that page, and the text just before it on an earlier one.
func TestPagesMatchPrintedPages(t *testing.T) {
	x := extract.New(extract.Config{CacheDir: filepath.Join(os.TempDir(), "wenda-test-pdfium-cache")})
	defer x.Close()
	squeeze := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	for _, name := range []string{"report-zh-hant.pdf", "report-zh-hans.pdf", "web-print.pdf", "pearl-harbor.pptx"} {
		t.Run(name, func(t *testing.T) {
			d := parseFixture(t, name)
			raw, _ := os.ReadFile(filepath.Join(filesDir, name))
			c, err := x.Extract(context.Background(), name, raw)
			if err != nil {
				t.Fatal(err)
			}
			printed := map[int]string{}
			for _, p := range c.Pages {
				printed[p.Number] = squeeze(p.Text)
			}
			for _, b := range c.Blocks {
				printed[b.Page] += squeeze(b.Text)
			}
			if len(d.Pages) < 2 {
				t.Fatalf("pages %v: want a start for every page", d.Pages)
			}
			text := []rune(d.Text)
			for _, p := range d.Pages {
				if p.Start >= d.BodyEnd {
					continue // notes: checked below
				}
				after := squeeze(string(text[p.Start:min(len(text), p.Start+12)]))
				after, _, _ = strings.Cut(after, "\n")
				if !strings.Contains(printed[p.N], after) {
					t.Errorf("page %d starts at %d with %q, which page %d does not print", p.N, p.Start, after, p.N)
				}
				if p.Start >= 6 && p.N > 1 {
					before := squeeze(string(text[p.Start-6 : p.Start]))
					if before != "" && strings.Contains(printed[p.N], before) && !strings.Contains(printed[p.N-1], before) {
						t.Errorf("the text before page %d's start (%q) is printed on page %d only", p.N, before, p.N)
					}
				}
				if got := d.PageAt(p.Start); got != p.N {
					t.Errorf("PageAt(%d) = %d, want %d", p.Start, got, p.N)
				}
			}
			for _, n := range d.Notes {
				if n.Page > 0 && !strings.Contains(printed[n.Page], squeeze(n.Text)[:min(len(squeeze(n.Text)), 12)]) {
					t.Errorf("note %s says page %d, which does not print it", n.Label, n.Page)
				}
			}
		})
	}
}

// TestUnpagedFilesHaveNoPages: only PDFs and slides have pages.
func TestUnpagedFilesHaveNoPages(t *testing.T) {
	for _, name := range []string{"galileo.docx", "qing-provinces.xlsx", "news.html", "rwanda-big5.txt"} {
		if d := parseFixture(t, name); len(d.Pages) != 0 || d.PageAt(0) != 0 {
			t.Errorf("%s: pages %v", name, d.Pages)
		}
	}
}

// TestFileErrorCodes: every way a real file is refused comes with the
// code a program branches on and the page translates.
func TestFileErrorCodes(t *testing.T) {
	read := func(name string) []byte {
		raw, err := os.ReadFile(filepath.Join(filesDir, name))
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	docx := read("galileo.docx")
	pdf := read("web-print.pdf")
	tests := []struct {
		name string
		raw  []byte
		code string
	}{
		{"scanned.pdf", read("scanned.pdf"), "no_text_layer"},
		{"encrypted.pdf", read("encrypted.pdf"), "encrypted_file"},
		{"photo.png", read("photo.png"), "unsupported_file_type"},
		{"bundle.zip", read("bundle.zip"), "unsupported_file_type"},
		{"galileo.docx", docx[:len(docx)/2], "corrupt_file"},
		{"web-print.pdf", pdf[:len(pdf)/3], "corrupt_file"},
		{"notes.txt", append([]byte("前言\n"), strings.Repeat("\x00\x01\x02\x03", 100)...), "binary_file"},
		{"blank.md", []byte(" \n\n\t\n"), "no_text"},
		{"meta.md", []byte("---\ntitle: [unclosed\n---\n正文。\n"), "bad_front_matter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sharedParser().Parse(context.Background(), tt.name, tt.raw)
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err %v, want a *FileError", err)
			}
			if got := fe.Code(); got != tt.code {
				t.Errorf("code %q (reason %q), want %q", got, fe.Reason, tt.code)
			}
			if !slices.Contains(FileErrorCodes(), fe.Code()) {
				t.Errorf("code %q is not listed by FileErrorCodes", fe.Code())
			}
		})
	}
	seen := map[string]bool{}
	for _, c := range FileErrorCodes() {
		if seen[c] {
			t.Errorf("code %q listed twice", c)
		}
		seen[c] = true
	}
}
