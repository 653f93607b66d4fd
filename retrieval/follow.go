package retrieval

import (
	"context"
	"errors"
	"fmt"

	"wenda/analysis"
	"wenda/index"
)

// maxFollowChunks bounds the chunks Following reads after a passage's
// first.
const maxFollowChunks = 5

// Following returns p with up to n more runes of its document after it,
// to the last sentence end among them: for a reader that found what it
// needs cut off at the passage's end (a list announced in its last
// sentences, whose items follow). The text comes from the chunks after
// the passage, so it is the document's own words at their offsets, and a
// citation of it is checked against them like any other. When the
// document holds no whole sentence more, p comes back as it was.
func (s *Searcher) Following(ctx context.Context, coll string, p Passage, n int) (Passage, error) {
	var more []rune
	end := p.End
	// From the passage's first chunk: a passage merged from several, or
	// cut short, ends inside one of the chunks after it.
	for k := p.Ordinal; k <= p.Ordinal+maxFollowChunks && len(more) < n; k++ {
		c, err := s.engine.Chunk(ctx, coll, index.ChunkID(p.DocID, k))
		if errors.Is(err, index.ErrNotFound) {
			break // the document's last chunk was read
		}
		if err != nil {
			return p, fmt.Errorf("following text: %w", err)
		}
		rs := []rune(c.Text)
		if c.End <= end {
			continue // inside the passage already (a merged passage)
		}
		if c.Start > end || len(rs) != c.End-c.Start {
			break // a gap: the chunks no longer follow one another
		}
		take := rs[end-c.Start:]
		take = take[:min(len(take), n-len(more))]
		more = append(more, take...)
		end += len(take)
	}
	// Up to the last whole sentence.
	cut := 0
	for _, sp := range analysis.Sentences(more, 0, len(more)) {
		if analysis.EndsSentence(string(more[sp.Start:sp.End])) {
			cut = sp.End
		}
	}
	if cut == 0 {
		return p, nil
	}
	more = more[:cut]
	infos, err := s.engine.DocInfos(ctx, coll, []string{p.DocID})
	if err != nil {
		return p, fmt.Errorf("following text: %w", err)
	}
	q := p
	q.Text += string(more)
	q.Folded += string(analysis.FoldRunes(string(more)))
	q.End += len(more)
	q.PageStarts = nil
	if d, ok := infos[p.DocID]; ok {
		q.pagesOf(&d.Document)
	}
	return q, nil
}
