package corpus

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func BenchmarkLoadEmbedded(b *testing.B) {
	for b.Loop() {
		if _, err := Load(Embedded(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// largeText is the size of the text BenchmarkCleanLarge cleans.
const largeText = 8 << 20

// BenchmarkCleanLarge cleans 8 MiB of text, a long book: shipped
// articles repeated, and distinct paragraphs (the costly case for the
// repeated-paragraph rule). It guards against rules that grow quadratically.
func BenchmarkCleanLarge(b *testing.B) {
	var distinct strings.Builder
	for i := 0; distinct.Len() < largeText; i++ {
		fmt.Fprintf(&distinct, "第%d段文字，讲述中美关系在第%d年的变化和各方的反应以及后续发展的种种可能性。\n", i, i*7)
	}
	cases := []struct {
		name   string
		body   string
		format Format
	}{{"distinct/plain", distinct.String(), FormatPlain}, {"distinct/pdf", distinct.String(), FormatPDF}}
	for _, tt := range []struct {
		path   string
		format Format
	}{
		{"apec-forum-observations.txt", FormatWeb},
		{"decoupling-misconceptions.txt", FormatPDF},
		{"trump-return-new-stage.md", FormatMarkdown},
	} {
		raw, err := fs.ReadFile(Embedded(), tt.path)
		if err != nil {
			b.Fatal(err)
		}
		_, body, _ := splitFrontMatter(string(raw))
		big := strings.Repeat(body+"\n\n", largeText/len(body))
		cases = append(cases, struct {
			name   string
			body   string
			format Format
		}{"repeated/" + string(tt.format), big, tt.format})
	}
	for _, tt := range cases {
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(tt.body)))
			for b.Loop() {
				Clean(tt.body, tt.format)
			}
		})
	}
}

// BenchmarkParseFiles is the whole path of a user's file — extraction,
// cleaning, the Document — on the test files (made by real tools; see
// extract/testdata/make_fixtures.py) and the 46-page report:
//
//	go test -run '^$' -bench ParseFiles -benchtime 5x -count 3 ./corpus
func BenchmarkParseFiles(b *testing.B) {
	p := sharedParser()
	if err := p.WarmUp(); err != nil {
		b.Fatal(err)
	}
	for _, name := range append([]string{"../bench/long-report.pdf", "../bench/long-report.docx", "../bench/long-deck.pptx",
		"../bench/long-table.xlsx", "../bench/long-page.html"}, fixtureNames...) {
		raw, err := os.ReadFile(filepath.Join(filesDir, name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(name), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			pages := 0
			for b.Loop() {
				d, err := p.Parse(context.Background(), name, raw)
				if err != nil {
					b.Fatal(err)
				}
				pages = d.PageCount
			}
			if pages > 0 {
				b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
			}
		})
	}
}
