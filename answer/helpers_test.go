package answer

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"wenda/analysis"
	"wenda/chunk"
	"wenda/hanzi"
	"wenda/retrieval"
)

// passages makes retrieval passages p1, p2, … from texts.
func passages(texts ...string) []retrieval.Passage {
	out := make([]retrieval.Passage, len(texts))
	for i, t := range texts {
		id := "p" + strconv.Itoa(i+1)
		// The script ingestion detects for a document of this text.
		out[i] = retrieval.Passage{Chunk: chunk.Chunk{ID: id, DocID: "doc" + id, Text: t, End: len([]rune(t))}, Title: "标题" + id, Script: hanzi.Detect(t), Score: 1 / float64(i+1)}
	}
	return out
}

func texts(ps []retrieval.Passage) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}

// spanOf is the rune span of the first occurrence of part in text; the
// test fails when text does not hold it.
func spanOf(t *testing.T, text, part string) analysis.Span {
	t.Helper()
	i := strings.Index(text, part)
	if i < 0 {
		t.Fatalf("%q is not in %q", part, text)
	}
	start := utf8.RuneCountInString(text[:i])
	return analysis.Span{Start: start, End: start + utf8.RuneCountInString(part)}
}
