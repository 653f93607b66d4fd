package corpus

import (
	"io/fs"
	"strings"
	"testing"
	"unicode/utf8"
)

// seedArticles adds pieces of the shipped articles to a fuzz corpus: their
// openings (front matter, title, byline) and stretches of their bodies,
// each up to 1,200 characters, so that every execution stays cheap and
// the fuzzer mutates real text rather than whole articles.
func seedArticles(f *testing.F, add func(text string)) {
	f.Helper()
	names, err := fs.Glob(Embedded(), "*")
	if err != nil || len(names) == 0 {
		f.Fatalf("no articles: %v", err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(Embedded(), n)
		if err != nil {
			f.Fatal(err)
		}
		r := []rune(string(b))
		for start := 0; start < len(r); start += 4000 {
			add(string(r[start:min(start+1200, len(r))]))
		}
	}
}

// FuzzClean: whatever the body, cleaning gives valid UTF-8 paragraphs
// separated by one blank line, and sections that start inside the text,
// in order, at a paragraph that begins with their heading.
func FuzzClean(f *testing.F) {
	seedArticles(f, func(s string) {
		for _, fm := range []uint8{0, 1, 2, 3} {
			f.Add(s, fm)
		}
	})
	formats := []Format{FormatPlain, FormatWeb, FormatPDF, FormatMarkdown}
	f.Fuzz(func(t *testing.T, body string, which uint8) {
		c := Clean(body, formats[int(which)%len(formats)])
		if !utf8.ValidString(c.Text) {
			t.Fatalf("text is not UTF-8: %q", c.Text)
		}
		for _, p := range strings.Split(c.Text, "\n\n") {
			if strings.Contains(p, "\n") || c.Text != "" && strings.TrimSpace(p) == "" {
				t.Fatalf("paragraph %q: a line break inside, or an empty paragraph", p)
			}
		}
		n, last := utf8.RuneCountInString(c.Text), -1
		for _, s := range c.Sections {
			if s.Start < 0 || s.Start > n || s.Start < last {
				t.Fatalf("section %+v outside the text (%d runes) or out of order", s, n)
			}
			last = s.Start
		}
	})
}
