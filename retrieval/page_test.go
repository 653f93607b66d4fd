package retrieval

import (
	"testing"

	"wenda/chunk"
	"wenda/corpus"
)

// TestPassagePages maps offsets of passages to pages: a passage knows the
// page it starts on and the pages that begin inside it, and nothing of a
// document without pages.
func TestPassagePages(t *testing.T) {
	d := &corpus.Document{Pages: []corpus.Page{{N: 1, Start: 0}, {N: 2, Start: 100}, {N: 3, Start: 250}, {N: 1, Start: 400}}}
	for _, tc := range []struct {
		start, end int
		page       int
		at         map[int]int // offset → page
	}{
		{0, 90, 1, map[int]int{0: 1, 89: 1}},
		{50, 120, 1, map[int]int{50: 1, 99: 1, 100: 2, 119: 2}},
		{120, 300, 2, map[int]int{120: 2, 249: 2, 250: 3}},
		{90, 260, 1, map[int]int{90: 1, 100: 2, 255: 3}},
		{390, 420, 3, map[int]int{399: 3, 400: 1}}, // the notes, after the body
	} {
		p := Passage{Chunk: chunk.Chunk{Start: tc.start, End: tc.end}}
		p.pagesOf(d)
		if p.Page != tc.page {
			t.Errorf("[%d,%d): page %d, want %d", tc.start, tc.end, p.Page, tc.page)
		}
		for off, want := range tc.at {
			if got := p.PageAt(off); got != want {
				t.Errorf("[%d,%d): PageAt(%d) = %d, want %d", tc.start, tc.end, off, got, want)
			}
		}
	}
	p := Passage{Chunk: chunk.Chunk{Start: 0, End: 50}}
	p.pagesOf(&corpus.Document{})
	if p.Page != 0 || p.PageAt(10) != 0 {
		t.Errorf("a document without pages gave page %d", p.Page)
	}
}
