package uploads

import (
	"context"
	"errors"
	"fmt"

	"wenda/corpus"
	"wenda/index"
	"wenda/ingest"
)

// EngineIndex is the Index of an engine: documents go in through the
// ingest pipeline, with the embedder and chunker their collection was
// created with.
type EngineIndex struct {
	Indexer *ingest.Indexer
}

var _ Index = EngineIndex{}

// Put chunks, embeds and puts one document.
func (e EngineIndex) Put(ctx context.Context, coll string, doc corpus.Document, progress func(done, total int)) (int, error) {
	n, err := e.Indexer.Put(ctx, coll, doc, progress)
	return n, e.gone(ctx, coll, err)
}

// Delete removes one document.
func (e EngineIndex) Delete(ctx context.Context, coll, id string) error {
	return e.gone(ctx, coll, e.Indexer.Engine.Delete(ctx, coll, id))
}

// Filename reports whether the collection holds the document, and the
// file it came from.
func (e EngineIndex) Filename(ctx context.Context, coll, id string) (string, bool, error) {
	infos, err := e.Indexer.Engine.DocInfos(ctx, coll, []string{id})
	if errors.Is(err, index.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	d, ok := infos[id]
	return d.Path, ok, nil
}

// gone marks an error of a collection that no longer exists.
func (e EngineIndex) gone(ctx context.Context, coll string, err error) error {
	if err == nil || !errors.Is(err, index.ErrNotFound) {
		return err
	}
	if _, cerr := e.Indexer.Engine.Collection(ctx, coll); errors.Is(cerr, index.ErrNotFound) {
		return fmt.Errorf("%w: %w", ErrNoCollection, err)
	}
	return err
}
