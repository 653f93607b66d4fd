package ingest

import (
	"context"
	"fmt"
	"strings"

	"wenda/analysis"
	"wenda/chunk"
	"wenda/corpus"
	"wenda/embed"
	"wenda/hanzi"
	"wenda/index"
)

// Header is a document's title and authors, folded. Every chunk of the
// document is indexed behind it: a question that names the article
// ("according to Gupta's report…") should find its passages though the
// body never repeats the name. It ends in a line break, so folding it
// apart from the chunk text gives what folding the two together would.
func Header(d *corpus.Document) string {
	return hanzi.Fold(d.Title + " " + strings.Join(d.Authors, " ") + "\n")
}

// embedBatch is how many chunks go to the embedder at a time.
const embedBatch = 128

// Prepare turns a document into an index entry: its chunks under cfg, each
// with the index terms of its folded text behind the document's header,
// and a vector from emb of the same text.
func Prepare(ctx context.Context, doc corpus.Document, cfg chunk.Config, emb embed.Embedder, progress func(done, total int)) (index.Entry, error) {
	e := index.Entry{Doc: doc, Header: Header(&doc)}
	chunks := cfg.Split(&doc)
	texts := make([]string, len(chunks))
	e.Chunks = make([]index.EntryChunk, len(chunks))
	for i, c := range chunks {
		texts[i] = e.Header + hanzi.Fold(c.Text)
		e.Chunks[i] = index.EntryChunk{Chunk: c, Terms: analysis.FoldedTerms(texts[i])}
	}
	if te, ok := emb.(embed.TermEmbedder); ok {
		// The offline embedder hashes the terms just made: the text is
		// analysed once, not twice.
		for i := range e.Chunks {
			if i%256 == 0 && ctx.Err() != nil {
				return index.Entry{}, ctx.Err()
			}
			e.Chunks[i].Vector = te.EmbedTerms(texts[i], e.Chunks[i].Terms)
		}
		if progress != nil {
			progress(len(texts), len(texts))
		}
		return e, nil
	}
	for start := 0; start < len(texts); start += embedBatch {
		end := min(start+embedBatch, len(texts))
		vecs, err := emb.Embed(ctx, texts[start:end])
		if err != nil {
			return index.Entry{}, fmt.Errorf("embed %s: %w", doc.ID, err)
		}
		if len(vecs) != end-start {
			return index.Entry{}, fmt.Errorf("embed %s: embedder returned %d vectors for %d texts", doc.ID, len(vecs), end-start)
		}
		for k, v := range vecs {
			e.Chunks[start+k].Vector = v
		}
		if progress != nil {
			progress(end, len(texts))
		}
	}
	return e, nil
}
