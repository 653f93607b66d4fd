// Command pdf compares the PDF readers wenda was choosing between on
// the test PDFs: github.com/ledongthuc/pdf (pure Go) and PDFium in
// WebAssembly as package extract runs it. For each file it reports the
// time, pages per second, and how much of the source text came out (the
// sources are extract/testdata/src): the share of the source's character
// bigrams found in the extraction, which ignores order, and the share of
// its sentences found whole and in order of their characters, which a
// reader that scrambles lines loses.
//
// It is a module of its own so that the rejected reader never becomes a
// dependency of wenda. Run it from bench/engines:
//
//	go run ./pdf -runs 5
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/ledongthuc/pdf"

	"wenda/extract"
)

var files = []struct{ pdf, src string }{
	{"files/report-zh-hant.pdf", "star-zh-hant.txt"},
	{"files/report-zh-hans.pdf", "greatwall-zh-hans.txt"},
	{"files/web-print.pdf", "shanghai-station.txt"},
	{"files/notice-cid.pdf", "millennium-queen.txt"},
	{"bench/long-report.pdf", "star-zh-hant.txt"},
}

func main() {
	runs := flag.Int("runs", 5, "runs per file and reader (the median is reported)")
	data := flag.String("testdata", "../../extract/testdata", "extract's testdata folder")
	flag.Parse()
	cache, err := os.MkdirTemp("", "pdfengines-cache-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(cache)
	x := extract.New(extract.Config{CacheDir: cache})
	defer x.Close()
	if err := x.WarmUp(); err != nil {
		fail(err)
	}
	fmt.Println("| file | pages | reader | median ms | pages/s | source bigrams found | source sentences found whole | note |")
	fmt.Println("|---|---:|---|---:|---:|---:|---:|---|")
	for _, f := range files {
		raw, err := os.ReadFile(filepath.Join(*data, f.pdf))
		if err != nil {
			fail(err)
		}
		src, err := os.ReadFile(filepath.Join(*data, "src", f.src))
		if err != nil {
			fail(err)
		}
		for _, r := range []struct {
			name string
			read func([]byte) (string, int, error)
		}{
			{"ledongthuc/pdf", readLedong},
			{"PDFium (wasm)", func(b []byte) (string, int, error) {
				c, err := x.Extract(context.Background(), f.pdf, b)
				if err != nil {
					return "", 0, err
				}
				var s strings.Builder
				for _, p := range c.Pages {
					s.WriteString(p.Text)
				}
				return s.String(), c.PageCount, nil
			}},
		} {
			var times []time.Duration
			var text string
			var pages int
			var rerr error
			for i := 0; i < *runs; i++ {
				t := time.Now()
				text, pages, rerr = r.read(raw)
				times = append(times, time.Since(t))
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			med := times[len(times)/2]
			note := ""
			if rerr != nil {
				note = strings.SplitN(rerr.Error(), "\n", 2)[0]
			}
			fmt.Printf("| %s | %d | %s | %.1f | %.1f | %.2f | %.2f | %s |\n", filepath.Base(f.pdf), pages, r.name,
				float64(med.Microseconds())/1000, float64(pages)/med.Seconds(), recall(string(src), text), whole(string(src), text), note)
		}
	}
}

// readLedong reads every page the way ledongthuc/pdf's README does, row by
// row.
func readLedong(raw []byte) (text string, pages int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return "", 0, err
	}
	var b strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		rows, err := r.Page(i).GetTextByRow()
		if err != nil {
			return "", 0, err
		}
		for _, row := range rows {
			for _, w := range row.Content {
				b.WriteString(w.S)
			}
			b.WriteByte('\n')
		}
	}
	return b.String(), r.NumPage(), nil
}

// recall is the share of the source's bigrams of letters and digits that
// the extraction holds (white space ignored on both sides).
func recall(src, got string) float64 {
	bigrams := func(s string) map[string]bool {
		var rs []rune
		for _, r := range s {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				rs = append(rs, r)
			}
		}
		m := map[string]bool{}
		for i := 0; i+1 < len(rs); i++ {
			m[string(rs[i:i+2])] = true
		}
		return m
	}
	want, have := bigrams(src), bigrams(got)
	if len(want) == 0 {
		return 0
	}
	n := 0
	for k := range want {
		if have[k] {
			n++
		}
	}
	return float64(n) / float64(len(want))
}

// whole is the share of the source's sentences (of 8 characters or more)
// that the extraction holds unbroken, white space ignored.
func whole(src, got string) float64 {
	squeeze := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	g := squeeze(got)
	n, found := 0, 0
	for _, s := range strings.FieldsFunc(squeeze(src), func(r rune) bool { return strings.ContainsRune("。！？", r) }) {
		if len([]rune(s)) < 8 {
			continue
		}
		n++
		if strings.Contains(g, s) {
			found++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(found) / float64(n)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
