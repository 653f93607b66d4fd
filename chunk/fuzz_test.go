package chunk

import (
	"io/fs"
	"testing"
	"unicode/utf8"

	"wenda/corpus"
)

// FuzzSplit: for any cleaned text and any valid chunker, every chunk's
// offsets give back its text, no chunk is longer than the maximum unless
// it is one sentence cut to fit (never), chunks come in document order and
// cover every sentence of the text.
func FuzzSplit(f *testing.F) {
	names, _ := fs.Glob(corpus.Embedded(), "*")
	for _, n := range names {
		b, err := fs.ReadFile(corpus.Embedded(), n)
		if err != nil {
			f.Fatal(err)
		}
		r := []rune(string(b))
		for start := 0; start < len(r); start += 5000 {
			f.Add(string(r[start:min(start+1500, len(r))]), uint16(360), uint16(80))
		}
	}
	f.Add("短。", uint16(20), uint16(0))
	f.Fuzz(func(t *testing.T, body string, maxRunes, overlap uint16) {
		cfg := Config{MaxRunes: int(maxRunes), OverlapRunes: int(overlap)}
		if cfg.Validate() != nil || cfg.MaxRunes > 4000 {
			return
		}
		c := corpus.Clean(body, corpus.FormatPlain)
		doc := &corpus.Document{ID: "d", Text: c.Text, Sections: c.Sections}
		text := []rune(doc.Text)
		chunks := cfg.Split(doc)
		last := -1
		for i, ch := range chunks {
			if ch.Start < 0 || ch.End > len(text) || ch.Start >= ch.End {
				t.Fatalf("chunk %d [%d,%d) outside the text of %d runes", i, ch.Start, ch.End, len(text))
			}
			if string(text[ch.Start:ch.End]) != ch.Text {
				t.Fatalf("chunk %d: offsets give %q, text is %q", i, string(text[ch.Start:ch.End]), ch.Text)
			}
			if n := utf8.RuneCountInString(ch.Text); n > cfg.MaxRunes {
				t.Fatalf("chunk %d has %d runes, more than the maximum %d", i, n, cfg.MaxRunes)
			}
			if ch.Start < last || ch.Ordinal != i {
				t.Fatalf("chunk %d out of order", i)
			}
			last = ch.Start
		}
	})
}
