package extract

import (
	"wenda/internal/golden"

	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The files in testdata/files were made by real tools from the texts in
// testdata/src; make_fixtures.py (beside them) made every one and says how.
// In short:
//
//	report-zh-hant.pdf   LibreOffice Writer 7.4 PDF export (embedded CJK fonts,
//	                     running header, page-number footer, a footnote)
//	report-zh-hans.pdf   the same, Simplified script
//	web-print.pdf        Chromium 156 headless --print-to-pdf (Type 3 fonts)
//	notice-cid.pdf       ReportLab, UnicodeCIDFont('STSong-Light'): font not
//	                     embedded, text on the UniGB-UCS2-H CMap
//	scanned.pdf          pdftoppm page image wrapped by img2pdf: no text layer
//	galileo.docx         LibreOffice Writer, Word 2007 XML (Title, Heading 1,
//	                     a footnote)
//	talks-lists.docx     python-docx: two lists Word numbers itself (List
//	                     Number 1. 2.; 一、二、 from numbering.xml)
//	pearl-harbor.pptx    LibreOffice Impress, PowerPoint 2007 XML
//	qing-provinces.xlsx  LibreOffice Calc, Excel 2007 XML, two sheets
//	news.html            a portal-style news page (navigation, ads, scripts,
//	                     share bar, trending headlines)
//	*-gbk.txt, *-big5.txt, *-utf16.txt   iconv -t GBK, BIG5, UTF-16
//	dirac-bom.md         Markdown, UTF-8 with a byte order mark
//	photo.png, bundle.zip   ImageMagick and zip: unsupported types
const filesDir = "testdata/files"

// testCacheDir keeps the PDF engine's compiled code for every test run on
// the machine (and for the race-detector run after the plain one):
// compiling it takes seconds, and the cache is written atomically.
var testCacheDir = filepath.Join(os.TempDir(), "wenda-test-pdfium-cache")

// shared is one extractor for the package's tests.
var (
	sharedOnce sync.Once
	sharedX    *Extractor
)

func testExtractor(t testing.TB) *Extractor {
	sharedOnce.Do(func() { sharedX = New(Config{CacheDir: testCacheDir}) })
	return sharedX
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if sharedX != nil {
		sharedX.Close()
	}
	os.Exit(code)
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(filesDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// render writes Content as text for golden files.
func render(c *Content) string {
	var b strings.Builder
	fmt.Fprintf(&b, "type: %s\nencoding: %s\n", c.Type, c.Encoding)
	m := c.Meta
	fmt.Fprintf(&b, "title: %s\nauthors: %s\ndate: %s\ncreated: %s\nsource: %s\nurl: %s\n", m.Title, strings.Join(m.Authors, "; "), m.Date, m.Created, m.Source, m.URL)
	if c.PageCount > 0 {
		fmt.Fprintf(&b, "pages: %d\n", c.PageCount)
	}
	b.WriteString("\n")
	if c.Text != "" {
		b.WriteString(c.Text)
	}
	for _, p := range c.Pages {
		fmt.Fprintf(&b, "===== page %d =====\n%s\n", p.Number, p.Text)
	}
	page := 0
	for _, bl := range c.Blocks {
		if bl.Page != page {
			page = bl.Page
			fmt.Fprintf(&b, "===== slide %d =====\n", page)
		}
		if bl.Kind == Heading {
			fmt.Fprintf(&b, "%s %s\n", strings.Repeat("#", bl.Level), bl.Text)
		} else {
			fmt.Fprintf(&b, "%s\n", bl.Text)
		}
	}
	for _, n := range c.Notes {
		fmt.Fprintf(&b, "[%s] %s\n", n.Label, n.Text)
	}
	return b.String()
}

// TestExtractGolden extracts every supported fixture and compares the
// result, with its metadata and page or slide structure, to a golden file.
func TestExtractGolden(t *testing.T) {
	x := testExtractor(t)
	for _, name := range []string{
		"report-zh-hant.pdf", "report-zh-hans.pdf", "web-print.pdf", "notice-cid.pdf",
		"galileo.docx", "talks-lists.docx", "pearl-harbor.pptx", "qing-provinces.xlsx", "news.html",
		"conciergerie-gbk.txt", "rwanda-big5.txt", "blue-horde-utf16.txt", "dirac-bom.md",
	} {
		t.Run(name, func(t *testing.T) {
			c, err := x.Extract(context.Background(), name, readFixture(t, name))
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", name+".txt"), render(c))
		})
	}
}

// TestExtractFragment reads a page fragment whose title is in a comment of
// JSON front matter, as site generators write them: the Go memory model as
// the Go 1.26 distribution ships it (doc/go_mem.html, BSD licence), kept
// apart from the folder of one file per format that the end-to-end test
// indexes. The answer package's English tests read it as a collection.
func TestExtractFragment(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "fragment", "go_mem.html"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := testExtractor(t).Extract(context.Background(), "go_mem.html", raw)
	if err != nil {
		t.Fatal(err)
	}
	if c.Meta.Title != "The Go Memory Model" {
		t.Errorf("title %q, want the front matter's", c.Meta.Title)
	}
	golden.Check(t, filepath.Join("testdata", "golden", "go_mem.html.txt"), render(c))
}

// TestExtractRefusals checks the files that must not be indexed, and that
// each says why.
func TestExtractRefusals(t *testing.T) {
	x := testExtractor(t)
	for _, tc := range []struct {
		name   string
		target error
		reason string
	}{
		{"scanned.pdf", ErrNoTextLayer, "no text layer: scanned PDF, OCR is not supported"},
		{"photo.png", ErrUnsupported, "is an image (PNG)"},
		{"bundle.zip", ErrUnsupported, "is a ZIP archive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := x.Extract(context.Background(), tc.name, readFixture(t, tc.name))
			if !errors.Is(err, tc.target) {
				t.Fatalf("err = %v, want %v", err, tc.target)
			}
			if !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("err = %q, want it to say %q", err, tc.reason)
			}
		})
	}
}
