package index

import (
	"context"
	"errors"

	"wenda/chunk"
	"wenda/corpus"
)

// Engine is a store of collections that the upload jobs write to and the
// retrieval, answer and HTTP stages read from. Implementations must be safe
// for concurrent use: queries run while documents are put and deleted.
type Engine interface {
	Catalog
	Writer
	Reader
	Searcher
	// Close flushes what is pending and releases the engine's resources;
	// the engine must not be used afterwards.
	Close() error
}

// Catalog manages collections and their metadata.
type Catalog interface {
	// CreateCollection creates an empty collection. It returns ErrExists
	// (wrapped) when the id is taken and an error naming the field when the
	// collection is invalid (see Collection.Validate).
	CreateCollection(ctx context.Context, c Collection) (CollectionInfo, error)
	// Collection returns one collection with its counts, or ErrNotFound.
	Collection(ctx context.Context, id string) (CollectionInfo, error)
	// Collections returns every collection, ordered by id.
	Collections(ctx context.Context) ([]CollectionInfo, error)
	// SetMetadata replaces the metadata of a collection (its embedder and
	// chunker never change), or returns ErrNotFound.
	SetMetadata(ctx context.Context, id string, m Metadata) (CollectionInfo, error)
	// DeleteCollection removes a collection with all its documents, or
	// returns ErrNotFound.
	DeleteCollection(ctx context.Context, id string) error
}

// Writer adds and removes documents.
type Writer interface {
	// Put adds each entry's document to the collection, replacing the
	// document with the same id if there is one. Each document changes
	// atomically: a concurrent search sees all of its old chunks or all of
	// its new ones, never a mix and never a part. When Put returns nil the
	// entries are durable; when it returns an error (ctx's included), none
	// of them is visible, then or after a restart. Putting the same entry
	// twice leaves the collection as putting it once. It returns
	// ErrNotFound for a missing collection and an error for an entry whose
	// vectors do not fit the collection's embedder.
	Put(ctx context.Context, collection string, entries ...Entry) error
	// Delete removes documents and all their chunks. After it returns nil,
	// no search sees them, then or after a restart. Ids that are not in the
	// collection are skipped, not an error.
	Delete(ctx context.Context, collection string, docIDs ...string) error
}

// Reader looks up what is stored.
type Reader interface {
	// Document returns a document with its text, or ErrNotFound.
	Document(ctx context.Context, collection, id string) (corpus.Document, error)
	// Documents returns a page of the collection's documents, ordered by
	// id, without their text.
	Documents(ctx context.Context, collection string, page Page) (DocPage, error)
	// DocInfos returns the documents with the given ids, without text,
	// keyed by id; ids that are not there are left out.
	DocInfos(ctx context.Context, collection string, ids []string) (map[string]DocInfo, error)
	// Chunk returns a chunk, its text included, or ErrNotFound.
	Chunk(ctx context.Context, collection, id string) (chunk.Chunk, error)
}

// Searcher answers the legs of a search. Scores are comparable only
// within one call's results; hits come best first, ties broken by chunk id.
type Searcher interface {
	// Lexical returns up to n chunks that hold any of the terms, scored
	// by BM25 (k1 1.2, b 0.75) over the chunks' index terms. A term that
	// appears twice counts twice, as it would in the text of a query.
	Lexical(ctx context.Context, collection string, terms []string, n int, f Filter) ([]Hit, error)
	// Vector returns up to n chunks whose vectors are nearest to vec by
	// cosine similarity (the Score). vec must come from the collection's
	// embedder.
	Vector(ctx context.Context, collection string, vec []float32, n int, f Filter) ([]Hit, error)
	// TermStats returns the collection's chunk count, mean chunk length
	// in index terms, and the number of chunks holding each of the terms.
	TermStats(ctx context.Context, collection string, terms []string) (TermStats, error)
}

// Errors callers branch on; engines wrap them with what was not found or
// already there.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
	// ErrReadOnly is returned by writes to an engine opened read-only.
	ErrReadOnly = errors.New("index is read-only")
)
