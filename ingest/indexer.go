package ingest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"sync"
	"time"

	"wenda/corpus"
	"wenda/embed"
	"wenda/index"
)

// Indexer puts documents into an engine's collections.
type Indexer struct {
	Engine index.Engine
	// Embedders returns the embedder that makes vectors of the given
	// spec (embed.Registry.For): a collection's vectors all come from the
	// embedder it was created with, whatever is configured now.
	Embedders func(embed.Spec) (embed.Embedder, error)
}

// collection returns a collection and the embedder of its vectors.
func (x *Indexer) collection(ctx context.Context, coll string) (index.CollectionInfo, embed.Embedder, error) {
	info, err := x.Engine.Collection(ctx, coll)
	if err != nil {
		return info, nil, err
	}
	emb, err := x.Embedders(info.Embedder)
	if err != nil {
		return info, nil, fmt.Errorf("collection %s: %w", coll, err)
	}
	if got := emb.Spec(); got.Kind != info.Embedder.Kind || got.Model != info.Embedder.Model || (got.Dim != 0 && got.Dim != info.Embedder.Dim) {
		return info, nil, fmt.Errorf("collection %s holds %s vectors; the embedder makes %s", coll, info.Embedder, got)
	}
	return info, emb, nil
}

// Put chunks, embeds and publishes one document in the collection,
// replacing the document with the same id in one atomic step. It returns
// the number of chunks. When ctx ends first, it returns ctx's error and
// nothing of the document is visible.
func (x *Indexer) Put(ctx context.Context, coll string, doc corpus.Document, progress func(done, total int)) (int, error) {
	info, emb, err := x.collection(ctx, coll)
	if err != nil {
		return 0, err
	}
	e, err := Prepare(ctx, doc, info.Chunker, emb, progress)
	if err != nil {
		return 0, err
	}
	if err := x.Engine.Put(ctx, coll, e); err != nil {
		return 0, err
	}
	return len(e.Chunks), nil
}

// Delete removes a document from the collection; after it returns, no
// search sees it. A document that is not there is not an error.
func (x *Indexer) Delete(ctx context.Context, coll, id string) error {
	return x.Engine.Delete(ctx, coll, id)
}

// Filename reports whether the collection holds a document with the id,
// and the file (corpus.Document.Path) it came from.
func (x *Indexer) Filename(ctx context.Context, coll, id string) (string, bool, error) {
	infos, err := x.Engine.DocInfos(ctx, coll, []string{id})
	if err != nil {
		return "", false, err
	}
	d, ok := infos[id]
	return d.Path, ok, nil
}

// StaleError says that a collection's vectors or chunks were made with
// another embedder or chunker than the one asked for.
type StaleError struct {
	Collection string
	Reason     string
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("collection %s is stale: %s", e.Collection, e.Reason)
}

// Ensure returns the collection c.ID, creating it as c when it is not
// there (created is then true). When it exists with another embedder or
// chunker than c's, it returns the collection with a *StaleError.
func Ensure(ctx context.Context, cat index.Catalog, c index.Collection) (info index.CollectionInfo, created bool, err error) {
	info, err = cat.Collection(ctx, c.ID)
	if errors.Is(err, index.ErrNotFound) {
		info, err = cat.CreateCollection(ctx, c)
		return info, err == nil, err
	}
	if err != nil {
		return info, false, err
	}
	switch a, b := info.Embedder, c.Embedder; {
	case a.Kind != b.Kind || a.Model != b.Model:
		return info, false, &StaleError{c.ID, fmt.Sprintf("embedder changed from %s to %s", a, b)}
	case b.Dim != 0 && a.Dim != b.Dim:
		return info, false, &StaleError{c.ID, fmt.Sprintf("embedding dimension changed from %d to %d", a.Dim, b.Dim)}
	case c.Chunker != info.Chunker:
		return info, false, &StaleError{c.ID, fmt.Sprintf("chunker changed from %d/%d to %d/%d runes",
			info.Chunker.MaxRunes, info.Chunker.OverlapRunes, c.Chunker.MaxRunes, c.Chunker.OverlapRunes)}
	}
	return info, false, nil
}

// Report summarises a Sync.
type Report struct {
	Documents int `json:"documents"` // in the stream
	Chunks    int `json:"chunks"`    // of the documents put
	// Embedded documents were new or changed and went through the
	// embedder; Unchanged ones had the same content hash as the stored
	// version and were left as they were.
	Embedded  int           `json:"embedded"`
	Unchanged int           `json:"unchanged"`
	Deleted   int           `json:"deleted"`
	Took      time.Duration `json:"took_ns"`
}

// SyncOptions tune a Sync.
type SyncOptions struct {
	// BatchChunks is how many chunks go to the engine in one Put; it
	// bounds the memory a Sync holds. Default 2048.
	BatchChunks int
	// Workers chunk and embed documents in parallel; default GOMAXPROCS.
	Workers int
	// Origin names the stream; the documents it puts carry it, and only
	// those are deleted when they leave the stream, so that uploads into
	// the same collection stay. Default OriginCorpus.
	Origin string
	// KeepMissing leaves documents that are no longer in the stream.
	KeepMissing bool
	// Progress, when set, is told how many documents of the stream are
	// done, and the total when known (0 otherwise).
	Progress func(done, total int)
	// Total is the number of documents in the stream, when known.
	Total int
}

// OriginCorpus marks the documents of the configured corpus folder (or
// the built-in articles).
const OriginCorpus = "corpus"

// Slice is a stream of the documents of a slice.
func Slice(docs []corpus.Document) iter.Seq2[corpus.Document, error] {
	return func(yield func(corpus.Document, error) bool) {
		for _, d := range docs {
			if !yield(d, nil) {
				return
			}
		}
	}
}

// Sync makes the collection hold the documents of the stream: new and
// changed documents (by content hash) are chunked, embedded and put, in
// batches; unchanged ones are left alone; documents no longer in the
// stream are deleted (unless opts.KeepMissing). Documents are read,
// embedded and written in a pipeline, so that memory holds a few batches,
// not the corpus. A document that appears twice in the stream is an
// error. On error, the batches put so far stay: each document is either
// its old or its new version.
func (x *Indexer) Sync(ctx context.Context, coll string, docs iter.Seq2[corpus.Document, error], opts SyncOptions) (Report, error) {
	start := time.Now()
	if opts.BatchChunks <= 0 {
		opts.BatchChunks = 2048
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Origin == "" {
		opts.Origin = OriginCorpus
	}
	var rep Report
	info, emb, err := x.collection(ctx, coll)
	if err != nil {
		return rep, err
	}
	stored, err := x.Engine.Documents(ctx, coll, index.Page{})
	if err != nil {
		return rep, err
	}
	hashes := make(map[string]string, len(stored.Documents))
	ours := map[string]bool{}
	for _, d := range stored.Documents {
		hashes[d.ID] = d.Hash
		ours[d.ID] = d.Origin == opts.Origin
	}
	stored = index.DocPage{}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	todo := make(chan corpus.Document, opts.Workers)
	ready := make(chan index.Entry, opts.Workers)
	var (
		failOnce sync.Once
		failErr  error
	)
	fail := func(err error) {
		failOnce.Do(func() { failErr = err; cancel(err) })
	}

	// Workers chunk and embed.
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Go(func() {
			for d := range todo {
				e, err := Prepare(ctx, d, info.Chunker, emb, nil)
				if err != nil {
					fail(err)
					continue
				}
				e.Origin = opts.Origin
				select {
				case ready <- e:
				case <-ctx.Done():
				}
			}
		})
	}
	go func() { wg.Wait(); close(ready) }()

	// The reader feeds the workers and notes what the stream holds.
	seen := map[string]bool{}
	var mu sync.Mutex // guards rep's counts the reader updates
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		defer close(todo)
		for d, err := range docs {
			if err != nil {
				fail(err)
				return
			}
			if seen[d.ID] {
				fail(fmt.Errorf("document id %q appears twice", d.ID))
				return
			}
			seen[d.ID] = true
			mu.Lock()
			rep.Documents++
			unchanged := d.Hash != "" && hashes[d.ID] == d.Hash && ours[d.ID]
			if unchanged {
				rep.Unchanged++
			}
			done := rep.Unchanged + rep.Embedded
			mu.Unlock()
			if unchanged {
				if opts.Progress != nil {
					opts.Progress(done, opts.Total)
				}
				continue
			}
			select {
			case todo <- d:
			case <-ctx.Done():
				return
			}
		}
	}()

	// The writer batches entries into Puts.
	var batch []index.Entry
	n := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := x.Engine.Put(ctx, coll, batch...); err != nil {
			return err
		}
		mu.Lock()
		rep.Embedded += len(batch)
		rep.Chunks += n
		done := rep.Embedded + rep.Unchanged
		mu.Unlock()
		if opts.Progress != nil {
			opts.Progress(done, opts.Total)
		}
		batch, n = nil, 0
		return nil
	}
	for e := range ready {
		if ctx.Err() != nil {
			continue // drain what the workers finish
		}
		batch = append(batch, e)
		n += len(e.Chunks)
		if n >= opts.BatchChunks {
			if err := flush(); err != nil {
				fail(err)
			}
		}
	}
	<-readDone
	if ctx.Err() == nil {
		if err := flush(); err != nil {
			fail(err)
		}
	}
	if failErr == nil && ctx.Err() != nil {
		failErr = context.Cause(ctx)
	}
	if failErr != nil {
		rep.Took = time.Since(start)
		return rep, failErr
	}
	if !opts.KeepMissing {
		var gone []string
		for id := range hashes {
			if !seen[id] && ours[id] {
				gone = append(gone, id)
			}
		}
		if err := x.Engine.Delete(ctx, coll, gone...); err != nil {
			return rep, err
		}
		rep.Deleted = len(gone)
	}
	rep.Took = time.Since(start)
	return rep, nil
}
