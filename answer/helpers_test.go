package answer

import (
	"strconv"

	"wenda/chunk"
	"wenda/retrieval"
)

// passages makes retrieval passages p1, p2, … from texts.
func passages(texts ...string) []retrieval.Passage {
	out := make([]retrieval.Passage, len(texts))
	for i, t := range texts {
		id := "p" + strconv.Itoa(i+1)
		out[i] = retrieval.Passage{Chunk: chunk.Chunk{ID: id, DocID: "doc" + id, Text: t, End: len([]rune(t))}, Title: "标题" + id, Score: 1 / float64(i+1)}
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
