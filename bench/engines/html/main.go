// Command html compares the two main-content extractors wenda was choosing
// between — go-readability (which it uses) and go-trafilatura — on the
// news-style test page and on the Chinese pages of go-readability's own test
// set (光明网, 腾讯网, 痞客邦, 中国青年网), which come with its module. For each
// page it prints the median time, the title and date each found, and the
// first and last characters of the text each kept, to read side by side.
//
//	go run ./html -runs 5
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	trafilatura "github.com/markusmobius/go-trafilatura"
)

func main() {
	runs := flag.Int("runs", 5, "runs per page and extractor (the median is reported)")
	flag.Parse()
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "codeberg.org/readeck/go-readability/v2").Output()
	if err != nil {
		fail(fmt.Errorf("find go-readability's test pages: %w", err))
	}
	pages := []string{"../../extract/testdata/files/news.html"}
	for _, p := range []string{"gmw", "qq", "pixnet", "youth"} {
		pages = append(pages, filepath.Join(strings.TrimSpace(string(dir)), "test-pages", p, "source.html"))
	}
	fmt.Println("| page | KB | extractor | median ms | runes kept | title | date |")
	fmt.Println("|---|---:|---|---:|---:|---|---|")
	for _, p := range pages {
		raw, err := os.ReadFile(p)
		if err != nil {
			fail(err)
		}
		name := filepath.Base(filepath.Dir(p))
		if strings.HasSuffix(p, "news.html") {
			name = "news.html"
		}
		var rtext, ttext string
		rt := median(*runs, func() {
			a, err := readability.FromReader(bytes.NewReader(raw), nil)
			if err != nil {
				fail(err)
			}
			var b strings.Builder
			a.RenderText(&b)
			rtext = b.String()
			if t, err := a.PublishedTime(); err == nil {
				rtext = a.Title() + "\x00" + t.Format("2006-01-02") + "\x00" + rtext
			} else {
				rtext = a.Title() + "\x00\x00" + rtext
			}
		})
		tt := median(*runs, func() {
			r, err := trafilatura.Extract(bytes.NewReader(raw), trafilatura.Options{EnableFallback: true})
			if err != nil {
				fail(err)
			}
			d := ""
			if !r.Metadata.Date.IsZero() {
				d = r.Metadata.Date.Format("2006-01-02")
			}
			ttext = r.Metadata.Title + "\x00" + d + "\x00" + r.ContentText
		})
		for _, row := range []struct {
			who  string
			ms   float64
			text string
		}{{"go-readability", rt, rtext}, {"go-trafilatura", tt, ttext}} {
			f := strings.SplitN(row.text, "\x00", 3)
			fmt.Printf("| %s | %d | %s | %.1f | %d | %s | %s |\n", name, len(raw)/1024, row.who, row.ms, len([]rune(f[2])), f[0], f[1])
		}
		fmt.Fprintf(os.Stderr, "%s\n  readability: %s\n  trafilatura: %s\n", name, ends(rtext), ends(ttext))
	}
}

func median(n int, f func()) float64 {
	var ts []time.Duration
	for i := 0; i < n; i++ {
		t := time.Now()
		f()
		ts = append(ts, time.Since(t))
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	return float64(ts[len(ts)/2].Microseconds()) / 1000
}

// ends shows where a text starts and ends: what was kept at either edge.
func ends(s string) string {
	s = strings.Join(strings.Fields(strings.SplitN(s, "\x00", 3)[2]), " ")
	r := []rune(s)
	if len(r) <= 80 {
		return s
	}
	return string(r[:40]) + " … " + string(r[len(r)-40:])
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
