package uploads

import (
	"context"
	"errors"
	"io"
)

// Errors callers branch on.
var (
	// ErrNotFound: no such record.
	ErrNotFound = errors.New("not found")
	// ErrTooLarge: a file is over the size limit.
	ErrTooLarge = errors.New("file too large")
	// ErrClosed: the manager is shutting down and takes no more work.
	ErrClosed = errors.New("uploads are closed")
)

// Store keeps the uploaded files and the records of their documents.
// Every method that returns nil has made its change durable. It must be
// safe for concurrent use.
type Store interface {
	// SaveBlob stores r's bytes for the collection, up to limit bytes
	// (ErrTooLarge beyond), and returns their hash and size. Storing the
	// same bytes twice keeps one copy. A blob no record points at may be
	// removed at the next start.
	SaveBlob(ctx context.Context, coll string, r io.Reader, limit int64) (Blob, error)
	// DropBlob removes a stored file that no record points at, such as
	// one whose upload was refused after it was stored; a file a record
	// points at is kept.
	DropBlob(ctx context.Context, coll, hash string) error
	// ReadBlob returns a stored file's bytes.
	ReadBlob(ctx context.Context, coll, hash string) ([]byte, error)

	// Accept records an upload and queues its job, in one step:
	//  - bytes identical to a document's latest version give back that
	//    record untouched, with queued false, unless it failed: then it
	//    is queued again;
	//  - a filename already in the collection makes a new version of that
	//    document, which keeps its id;
	//  - otherwise the document gets a new id: the filename's base id, or
	//    with a number after it when another document has that id. taken
	//    reports ids used outside the store (documents loaded in bulk);
	//    an id whose document came from a file of the same name is
	//    reused, so that the upload replaces it.
	Accept(ctx context.Context, coll string, u Upload, baseID string, taken func(id string) (filename string, ok bool, err error)) (rec Record, queued bool, err error)
	// Get returns one record, or ErrNotFound.
	Get(ctx context.Context, coll, id string) (Record, error)
	// Update changes a record in one step; fn may refuse with an error,
	// which Update returns. Moving the record out of an unfinished status
	// ends its job.
	Update(ctx context.Context, coll, id string, fn func(*Record) error) (Record, error)
	// Remove deletes a record and its blob; a missing one is not an error.
	Remove(ctx context.Context, coll, id string) error
	// Unindexed lists, oldest first, the records of which no version is
	// in the index (queued, processing or failed new documents), from
	// offset, at most limit, with how many there are in all.
	Unindexed(ctx context.Context, coll string, offset, limit int) ([]Record, int, error)
	// Unfinished returns the records of every collection whose job has to
	// run, in the order the jobs were queued.
	Unfinished(ctx context.Context) ([]Record, error)
	// Count returns a collection's records by status.
	Count(ctx context.Context, coll string) (Counts, error)
	// Collections lists the collections that have records.
	Collections(ctx context.Context) ([]string, error)
	// RemoveCollection deletes every record and blob of a collection.
	RemoveCollection(ctx context.Context, coll string) error
	io.Closer
}
