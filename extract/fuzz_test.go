package extract

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Fuzz targets for each reader, seeded with the fixtures. They call the
// readers directly, not through Extract, so that a panic fails the target
// instead of being recovered. CI runs each briefly (.ci/run).

// fuzzLimits keep each input cheap.
var fuzzLimits = Limits{
	MaxFileBytes: 1 << 20, MaxInflatedBytes: 8 << 20, MaxPages: 20, MaxTextBytes: 1 << 20,
	MaxHTMLDepth: DefaultMaxHTMLDepth, MaxHTMLElements: 20000, MaxPDFMemoryBytes: 256 << 20, Timeout: 10 * time.Second,
}

func seedFiles(f *testing.F, exts ...string) {
	entries, err := os.ReadDir(filesDir)
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		for _, ext := range exts {
			if strings.HasSuffix(e.Name(), ext) {
				b, err := os.ReadFile(filepath.Join(filesDir, e.Name()))
				if err != nil {
					f.Fatal(err)
				}
				f.Add(b)
			}
		}
	}
}

// checkContent asserts what every reader promises of its result.
func checkContent(t *testing.T, c *Content, err error) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrLimit) && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrEncoding) &&
			!errors.Is(err, ErrBinary) && !errors.Is(err, ErrNoTextLayer) && !errors.Is(err, ErrGarbled) &&
			!errors.Is(err, ErrEncrypted) {
			t.Fatalf("error of no known kind: %v", err)
		}
		return
	}
	check := func(s string) {
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 in %q", s)
		}
	}
	check(c.Text)
	last := 0
	for _, p := range c.Pages {
		check(p.Text)
		if p.Number <= last || (c.PageCount > 0 && p.Number > c.PageCount) {
			t.Fatalf("page %d after page %d of %d", p.Number, last, c.PageCount)
		}
		last = p.Number
	}
	for _, b := range c.Blocks {
		check(b.Text)
		if strings.ContainsAny(b.Text, "\n\r") || b.Text == "" {
			t.Fatalf("block %q is empty or holds a line break", b.Text)
		}
	}
}

func FuzzDetect(f *testing.F) {
	seedFiles(f, "")
	f.Fuzz(func(t *testing.T, head []byte) {
		typ, err := Detect("file", head)
		var ue *UnsupportedError
		if (err == nil) == (typ == "") || (err != nil && !errors.As(err, &ue)) {
			t.Fatalf("Detect = %q, %v", typ, err)
		}
	})
}

func FuzzDecodeText(f *testing.F) {
	seedFiles(f, ".txt", ".md")
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, enc, err := decodeText(raw)
		if err == nil && (!utf8.ValidString(s) || enc == "") {
			t.Fatalf("decoded to invalid UTF-8 or no encoding: %q %q", s, enc)
		}
	})
}

func FuzzHTML(f *testing.F) {
	seedFiles(f, ".html")
	f.Add([]byte("<table><tr><th>名称</th><th>数量</th></tr><tr><td>苹果</td><td>3</td></tr></table>"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		c, err := readHTML(raw, fuzzLimits)
		checkContent(t, c, err)
	})
}

// FuzzOOXML feeds each Office reader: the first byte picks which.
func FuzzOOXML(f *testing.F) {
	for i, name := range []string{"galileo.docx", "pearl-harbor.pptx", "qing-provinces.xlsx"} {
		f.Add(append([]byte{byte(i)}, readFixture(f, name)...))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		readers := []func([]byte, Limits) (*Content, error){readDOCX, readPPTX, readXLSX}
		c, err := readers[int(in[0])%len(readers)](in[1:], fuzzLimits)
		checkContent(t, c, err)
	})
}

func FuzzPDF(f *testing.F) {
	seedFiles(f, ".pdf")
	x := New(Config{CacheDir: testCacheDir, Limits: fuzzLimits, PDFWorkers: 1})
	eng, err := x.pdfEngine()
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { x.Close() })
	f.Fuzz(func(t *testing.T, raw []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), fuzzLimits.Timeout)
		defer cancel()
		c, err := eng.read(ctx, raw, fuzzLimits)
		if errors.Is(err, context.DeadlineExceeded) {
			return
		}
		checkContent(t, c, err)
	})
}
