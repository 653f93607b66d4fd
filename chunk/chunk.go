package chunk

import (
	"fmt"
	"unicode"

	"wenda/analysis"
	"wenda/corpus"
)

// Chunk is a span of a document's cleaned text, packed from whole sentences.
// Start and End are rune offsets [Start, End) into corpus.Document.Text, so
// []rune(doc.Text)[Start:End] == Text.
type Chunk struct {
	ID      string `json:"id"` // "<doc id>:<ordinal>"
	DocID   string `json:"doc_id"`
	Ordinal int    `json:"ordinal"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Heading string `json:"heading,omitempty"`
	Text    string `json:"text"` // in the article's original script
}

// Config sets how documents are cut into chunks. Sizes are in runes.
type Config struct {
	// MaxRunes is the largest chunk; only a single sentence longer than
	// this is ever cut inside the sentence.
	MaxRunes int `json:"max_runes"`
	// OverlapRunes is how much of the previous chunk's tail, in whole
	// sentences, a chunk repeats so that a claim spanning two chunks is
	// still found whole in one of them.
	OverlapRunes int `json:"overlap_runes"`
}

// Default is the chunking the index uses unless configured otherwise.
// The size was chosen with the eval suite (see the README's measurements).
var Default = Config{MaxRunes: 360, OverlapRunes: 80}

// Validate reports settings that cannot produce chunks.
func (c Config) Validate() error {
	if c.MaxRunes < 20 {
		return fmt.Errorf("chunk size %d runes is too small (minimum 20)", c.MaxRunes)
	}
	if c.OverlapRunes < 0 || c.OverlapRunes >= c.MaxRunes/2 {
		return fmt.Errorf("chunk overlap %d runes must be between 0 and half the chunk size", c.OverlapRunes)
	}
	return nil
}

// span is a [start, end) rune range of a document's text.
type span struct{ start, end int }

// Split cuts doc.Text into chunks of whole sentences. Chunks never cross a
// section heading, so each records the heading that covers it.
func (c Config) Split(doc *corpus.Document) []Chunk {
	text := []rune(doc.Text)
	var chunks []Chunk
	for _, sec := range sectionSpans(doc, len(text)) {
		sents := sentences(text, sec.start, sec.end)
		for _, s := range c.pack(text, sents) {
			chunks = append(chunks, Chunk{
				ID:      fmt.Sprintf("%s:%d", doc.ID, len(chunks)),
				DocID:   doc.ID,
				Ordinal: len(chunks),
				Start:   s.start,
				End:     s.end,
				Heading: doc.SectionAt(s.start),
				Text:    string(text[s.start:s.end]),
			})
		}
	}
	return chunks
}

// sentences returns the sentence spans of text[from:to], as package
// analysis cuts them.
func sentences(text []rune, from, to int) []span {
	var out []span
	for _, s := range analysis.Sentences(text, from, to) {
		out = append(out, span{s.Start, s.End})
	}
	return out
}

// sectionSpans returns the ranges between consecutive section starts.
func sectionSpans(doc *corpus.Document, n int) []span {
	var cuts []int
	for _, s := range doc.Sections {
		if s.Start > 0 && s.Start < n {
			cuts = append(cuts, s.Start)
		}
	}
	out := make([]span, 0, len(cuts)+1)
	start := 0
	for _, c := range cuts {
		if c > start {
			out = append(out, span{start, c})
			start = c
		}
	}
	return append(out, span{start, n})
}

// pack groups sentences into chunks of at most MaxRunes, each starting with
// up to OverlapRunes of whole sentences from the end of the previous chunk.
func (c Config) pack(text []rune, sents []span) []span {
	// Sentences longer than the maximum are cut first, at a comma or space
	// near the limit when there is one.
	var pieces []span
	for _, s := range sents {
		pieces = append(pieces, c.cutLong(text, s)...)
	}
	var out []span
	for i := 0; i < len(pieces); {
		start := i
		// Step back over whole sentences for the overlap, but never so far
		// that the chunk could not also take a new sentence.
		if len(out) > 0 {
			back := 0
			for j := i - 1; j >= 0 && j > lastStart(out, pieces); j-- {
				l := pieces[j].end - pieces[j].start
				if back+l > c.OverlapRunes || pieces[i].end-pieces[j].start > c.MaxRunes {
					break
				}
				back += l
				start = j
			}
		}
		end := i
		for end < len(pieces) && pieces[end].end-pieces[start].start <= c.MaxRunes {
			end++
		}
		if end == i { // cannot happen after cutLong, but never loop forever
			end = i + 1
		}
		out = append(out, trim(text, span{pieces[start].start, pieces[end-1].end}))
		i = end
	}
	return out
}

// lastStart is the index of the first piece of the previous chunk, so that
// overlap never reaches back past it.
func lastStart(out []span, pieces []span) int {
	prev := out[len(out)-1].start
	for j, p := range pieces {
		if p.start >= prev {
			return j
		}
	}
	return -1
}

// cutLong splits a sentence longer than MaxRunes into pieces that fit,
// preferring to cut after a clause mark or space.
func (c Config) cutLong(text []rune, s span) []span {
	var out []span
	for s.end-s.start > c.MaxRunes {
		cut := s.start + c.MaxRunes
		for j := cut; j > s.start+c.MaxRunes/2; j-- {
			if isClauseBreak(text[j-1]) {
				cut = j
				break
			}
		}
		out = append(out, span{s.start, cut})
		s.start = cut
	}
	return append(out, s)
}

func isClauseBreak(r rune) bool {
	switch r {
	case '，', '、', '：', ',', ':', ';', ' ', '\n':
		return true
	}
	return false
}

// trim drops leading and trailing white space from a span.
func trim(text []rune, s span) span {
	for s.start < s.end && unicode.IsSpace(text[s.start]) {
		s.start++
	}
	for s.end > s.start && unicode.IsSpace(text[s.end-1]) {
		s.end--
	}
	return s
}
