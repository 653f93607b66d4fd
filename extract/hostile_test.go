package extract

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
	"time"
)

// Hostile files are built here rather than committed: a bomb is a few
// lines of code, and what matters is that the limit that stops it is the
// one the test names.

// pdfDoc writes a PDF from its objects (numbered from 1 in order), with a
// correct cross-reference table; the first object is the catalog.
func pdfDoc(objs ...[]byte) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", i+1)
		b.Write(o)
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func obj(format string, args ...any) []byte { return []byte(fmt.Sprintf(format, args...)) }

func stream(dict string, data []byte) []byte {
	return append(append(obj("<< %s /Length %d >>\nstream\n", dict, len(data)), data...), "\nendstream"...)
}

// onePage is a PDF of one page showing content with font F1.
func onePage(font, content []byte, more ...[]byte) []byte {
	objs := [][]byte{
		obj("<< /Type /Catalog /Pages 2 0 R >>"),
		obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
		obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"),
		stream("", content),
		font,
	}
	return pdfDoc(append(objs, more...)...)
}

func TestPDFGarbage(t *testing.T) {
	lines := "BT /F1 12 Tf 72 760 Td (Chapter one of the annual report) Tj 0 -16 Td (It states the figures of the year) Tj ET"
	// A ToUnicode map that sends every code to the private use area, as
	// fonts subset by some producers do.
	puaCMap := stream("", []byte("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"+
		"/CMapName /PUA def 1 begincodespacerange <00> <FF> endcodespacerange\n"+
		"1 beginbfrange <20> <7E> <E020> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end"))
	for _, tc := range []struct {
		name string
		pdf  []byte
		want string
	}{
		{"private use", onePage(obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"), []byte(lines), puaCMap),
			"unreadable"},
		{"Chinese font, no Chinese", onePage(obj("<< /Type /Font /Subtype /Type1 /BaseFont /SimSun >>"), []byte(lines)),
			"fonts are Chinese"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := testExtractor(t).Extract(context.Background(), "x.pdf", tc.pdf)
			if !errors.Is(err, ErrGarbled) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want ErrGarbled saying %q", err, tc.want)
			}
		})
	}
	// The same page in an ordinary font is text.
	c, err := testExtractor(t).Extract(context.Background(), "x.pdf",
		onePage(obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"), []byte(lines)))
	if err != nil || len(c.Pages) != 1 || !strings.Contains(c.Pages[0].Text, "annual report") {
		t.Fatalf("plain page: %v, %+v", err, c)
	}
}

func TestPDFLimits(t *testing.T) {
	font := obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	t.Run("pages", func(t *testing.T) {
		kids, objs := "", [][]byte{obj("<< /Type /Catalog /Pages 2 0 R >>"), nil, font, stream("", []byte("BT /F1 12 Tf 72 700 Td (page) Tj ET"))}
		for i := 0; i < 6; i++ {
			kids += fmt.Sprintf("%d 0 R ", len(objs)+1)
			objs = append(objs, obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"))
		}
		objs[1] = obj("<< /Type /Pages /Kids [%s] /Count 6 >>", kids)
		x := New(Config{CacheDir: testCacheDir, Limits: Limits{MaxPages: 5}})
		defer x.Close()
		_, err := x.Extract(context.Background(), "x.pdf", pdfDoc(objs...))
		if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "5-page limit") {
			t.Fatalf("err = %v, want the page limit", err)
		}
	})
	t.Run("bomb", func(t *testing.T) {
		// A content stream that inflates to 256 MiB, against an engine
		// allowed 64 MiB.
		z := zlibZeros(256 << 20)
		pdf := onePage(font, []byte("BT /F1 12 Tf 72 700 Td (bomb) Tj ET"), stream("/Filter /FlateDecode", z))
		// Point the page at the bomb (object 6) instead of its content.
		pdf = bytes.Replace(pdf, []byte("/Contents 4 0 R"), []byte("/Contents 6 0 R"), 1)
		x := New(Config{CacheDir: testCacheDir, Limits: Limits{MaxPDFMemoryBytes: 64 << 20}})
		defer x.Close()
		_, err := x.Extract(context.Background(), "bomb.pdf", pdf)
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "engine stopped on page 1 (out of its 64 MiB of memory") {
			t.Fatalf("err = %v, want the engine stopped by its memory limit", err)
		}
		// The engine still reads the next file.
		if _, err := x.Extract(context.Background(), "ok.pdf", readFixture(t, "notice-cid.pdf")); err != nil {
			t.Fatalf("after the bomb: %v", err)
		}
	})
	t.Run("time", func(t *testing.T) {
		x := New(Config{CacheDir: testCacheDir, Limits: Limits{Timeout: time.Millisecond}})
		defer x.Close()
		if err := x.WarmUp(); err != nil {
			t.Fatal(err)
		}
		_, err := x.Extract(context.Background(), "r.pdf", readFixture(t, "report-zh-hant.pdf"))
		if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "time limit") {
			t.Fatalf("err = %v, want the time limit", err)
		}
	})
	t.Run("closed while reading", func(t *testing.T) {
		// A server shutting down cancels its jobs and closes the
		// extractor at once: the cancelled read's engine instance is
		// still being killed when Close stops the engine. Under -race
		// this found the two touching the engine's pool at once.
		raw := readFixture(t, "report-zh-hant.pdf")
		for i := 0; i < 5; i++ {
			x := New(Config{CacheDir: testCacheDir})
			if err := x.WarmUp(); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			errc := make(chan error, 1)
			go func() {
				_, err := x.Extract(ctx, "r.pdf", raw)
				errc <- err
			}()
			time.Sleep(time.Duration(i) * 5 * time.Millisecond)
			cancel()
			err := <-errc
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Fatalf("a cancelled read: %v", err)
			}
			if err := x.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := x.Extract(context.Background(), "r.pdf", raw); err == nil || !strings.Contains(err.Error(), "closed") {
				t.Fatalf("a read after Close: %v, want the extractor closed", err)
			}
		}
	})
	t.Run("text", func(t *testing.T) {
		x := New(Config{CacheDir: testCacheDir, Limits: Limits{MaxTextBytes: 1000}})
		defer x.Close()
		_, err := x.Extract(context.Background(), "r.pdf", readFixture(t, "report-zh-hant.pdf"))
		if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "text limit") {
			t.Fatalf("err = %v, want the text limit", err)
		}
	})
	t.Run("encrypted", func(t *testing.T) {
		// made by qpdf --encrypt (AES-256) from notice-cid.pdf
		_, err := testExtractor(t).Extract(context.Background(), "e.pdf", readFixture(t, "encrypted.pdf"))
		if !errors.Is(err, ErrEncrypted) {
			t.Fatalf("err = %v, want ErrEncrypted", err)
		}
	})
	t.Run("not a PDF inside", func(t *testing.T) {
		_, err := testExtractor(t).Extract(context.Background(), "x.pdf", []byte("%PDF-1.7\nthis is not a PDF at all\n"))
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("err = %v, want ErrCorrupt", err)
		}
	})
}

// deflateRepeat returns raw DEFLATE data that inflates to block repeated n
// times: block is compressed once, flushed to a byte boundary, and the
// compressed bytes repeated, so that a bomb costs the test almost nothing
// to make (even under the race detector).
func deflateRepeat(block []byte, n int) []byte {
	var one bytes.Buffer
	w, _ := flate.NewWriter(&one, flate.BestCompression)
	w.Write(block)
	w.Flush()
	out := bytes.Repeat(one.Bytes(), n)
	return append(out, 0x01, 0x00, 0x00, 0xff, 0xff) // an empty final stored block
}

// zlibZeros returns a zlib stream of n zero bytes (n a multiple of 1 MiB).
func zlibZeros(n int) []byte {
	const mib = 1 << 20
	out := []byte{0x78, 0xda}
	out = append(out, deflateRepeat(make([]byte, mib), n/mib)...)
	// Adler-32 of n zeros: A stays 1, B adds A once per byte.
	sum := uint32(n%65521)<<16 | 1
	return binary.BigEndian.AppendUint32(out, sum)
}

// zipOf writes a ZIP archive of the given members; a member named in huge
// holds that many spaces instead of its data, stored as a bomb.
func zipOf(t *testing.T, members map[string][]byte, huge map[string]int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml", "ppt/presentation.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} {
		if n, ok := huge[name]; ok {
			const mib = 1 << 20
			block := bytes.Repeat([]byte(" "), mib)
			crc := uint32(0)
			for i := 0; i < n/mib; i++ {
				crc = crc32.Update(crc, crc32.IEEETable, block)
			}
			data := deflateRepeat(block, n/mib)
			w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
				CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(n)})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
			continue
		}
		data, ok := members[name]
		if !ok {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestZipBombs(t *testing.T) {
	const huge = 64 << 20 // inflates to 64 MiB from about 64 KiB
	x := New(Config{Limits: Limits{MaxInflatedBytes: 16 << 20}})
	defer x.Close()
	for _, tc := range []struct {
		name    string
		members map[string][]byte
		huge    string
	}{
		{"bomb.docx", nil, "word/document.xml"},
		{"bomb.pptx", nil, "ppt/presentation.xml"},
		{"bomb.xlsx", map[string][]byte{"xl/workbook.xml": []byte("<workbook/>")}, "xl/worksheets/sheet1.xml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := zipOf(t, tc.members, map[string]int{tc.huge: huge})
			_, err := x.Extract(context.Background(), tc.name, raw)
			if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "inflated bytes") {
				t.Fatalf("err = %v, want the inflated-bytes limit (archive of %d bytes)", err, len(raw))
			}
		})
	}
	// A bomb whose declared size lies is stopped by reading, not by trust.
	raw := zipOf(t, nil, map[string]int{"word/document.xml": huge})
	i := bytes.Index(raw, []byte("PK\x01\x02")) // the central directory's entry
	binary.LittleEndian.PutUint32(raw[i+24:], 100)
	if _, err := x.Extract(context.Background(), "lying.docx", raw); err == nil {
		t.Fatal("a ZIP member larger than it declares was read")
	}
}

func TestHTMLLimits(t *testing.T) {
	deep := "<html><body>" + strings.Repeat("<div>", 100000) + "深处的文字。" + strings.Repeat("</div>", 100000) + "</body></html>"
	_, err := testExtractor(t).Extract(context.Background(), "deep.html", []byte(deep))
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "nesting limit") {
		t.Fatalf("deeply nested page: err = %v, want the nesting limit", err)
	}
	x := New(Config{Limits: Limits{MaxHTMLElements: 1000}})
	defer x.Close()
	wide := "<html><body>" + strings.Repeat("<p>一段。</p>", 5000) + "</body></html>"
	if _, err := x.Extract(context.Background(), "wide.html", []byte(wide)); !errors.Is(err, ErrLimit) {
		t.Fatalf("page of 5000 elements: err = %v, want the element limit", err)
	}
}

func TestFileSizeLimit(t *testing.T) {
	x := New(Config{Limits: Limits{MaxFileBytes: 100}})
	defer x.Close()
	_, err := x.Extract(context.Background(), "a.txt", bytes.Repeat([]byte("字"), 100))
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "file size limit") {
		t.Fatalf("err = %v, want the file size limit", err)
	}
}
