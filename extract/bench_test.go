package extract

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Benchmarks of each reader on the test files, and of the PDF engine's
// start. Run them with
//
//	go test -run '^$' -bench . -benchtime 5x -count 3 ./extract
//
// Each PDF is read as a user's upload is: a fresh engine instance per file,
// all pages, positions and fonts of every line looked up.

func BenchmarkExtract(b *testing.B) {
	x := testExtractor(b)
	if err := x.WarmUp(); err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{
		// The longer files in testdata/bench give throughput; the test
		// files, one of each kind of PDF, the cost per file.
		"../bench/long-report.pdf", "../bench/long-report.docx", "../bench/long-deck.pptx",
		"../bench/long-table.xlsx", "../bench/long-page.html",
		"report-zh-hant.pdf", "report-zh-hans.pdf", "web-print.pdf", "notice-cid.pdf",
		"conciergerie-gbk.txt", "rwanda-big5.txt",
	} {
		raw := readFixture(b, name)
		b.Run(filepath.Base(name), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			pages, text := 0, 0
			for b.Loop() {
				c, err := x.Extract(context.Background(), name, raw)
				if err != nil {
					b.Fatal(err)
				}
				pages, text = c.PageCount, textBytes(c)
			}
			b.ReportMetric(float64(text*b.N)/1e6/b.Elapsed().Seconds(), "text-MB/s")
			if pages > 0 {
				b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
			}
		})
	}
}

// BenchmarkPDFEngineStart measures the engine's start: cold compiles the
// WebAssembly module to machine code (what the first PDF after a fresh
// install waits for), warm loads that code from the cache directory (every
// later start). Both include reading one one-page PDF.
func BenchmarkPDFEngineStart(b *testing.B) {
	raw := readFixture(b, "notice-cid.pdf")
	start := func(b *testing.B, dir string) {
		x := New(Config{CacheDir: dir})
		defer x.Close()
		if _, err := x.Extract(context.Background(), "n.pdf", raw); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			dir, err := os.MkdirTemp("", "pdf-cold-")
			if err != nil {
				b.Fatal(err)
			}
			start(b, dir)
			os.RemoveAll(dir)
		}
	})
	b.Run("warm", func(b *testing.B) {
		start(b, testCacheDir) // fill the cache
		var worst time.Duration
		for b.Loop() {
			t := time.Now()
			start(b, testCacheDir)
			worst = max(worst, time.Since(t))
		}
		b.ReportMetric(worst.Seconds()*1000, "worst-ms")
	})
}

func textBytes(c *Content) int {
	n := len(c.Text)
	for _, p := range c.Pages {
		n += len(p.Text)
	}
	for _, b := range c.Blocks {
		n += len(b.Text)
	}
	return n
}
