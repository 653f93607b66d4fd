package uploads

import (
	"context"
	"errors"
	"io"
	"strconv"
	"time"
)

// Errors callers branch on.
var (
	// ErrNotFound: no such record.
	ErrNotFound = errors.New("not found")
	// ErrTooLarge: a file is over the size limit.
	ErrTooLarge = errors.New("file too large")
	// ErrClosed: the manager is shutting down and takes no more work.
	ErrClosed = errors.New("uploads are closed")
	// ErrLeaseLost: another worker holds the record's lease.
	ErrLeaseLost = errors.New("lease lost")
)

// Store keeps the uploaded files and the records of their documents.
// Every method that returns nil has made its change durable. It must be
// safe for concurrent use, and, when several processes share it, for use
// by all of them: a record's job is run by the worker that holds its
// lease, and leases expire by the store's clock.
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
	// which Update returns. Moving the record into an unfinished status
	// queues a job, and out of one ends it.
	Update(ctx context.Context, coll, id string, fn func(*Record) error) (Record, error)
	// Claim takes the lease of the oldest job whose record is queued,
	// processing or deleting and whose lease is free or expired, marking
	// a queued record processing; ok is false when there is none.
	Claim(ctx context.Context, owner string, lease time.Duration) (rec Record, ok bool, err error)
	// Acquire takes one record's lease when it is free or expired; ok is
	// false when another owner holds it.
	Acquire(ctx context.Context, coll, id, owner string, lease time.Duration) (rec Record, ok bool, err error)
	// Renew extends a lease the owner holds and returns the record as it
	// is now; ErrLeaseLost when it no longer holds it.
	Renew(ctx context.Context, coll, id, owner string, lease time.Duration) (Record, error)
	// Remove deletes a record and its blob; a missing one is not an error.
	Remove(ctx context.Context, coll, id string) error
	// Unindexed lists, oldest first, the records of which no version is
	// in the index (queued, processing or failed new documents), from
	// offset, at most limit, with how many there are in all.
	Unindexed(ctx context.Context, coll string, offset, limit int) ([]Record, int, error)
	// Count returns a collection's records by status.
	Count(ctx context.Context, coll string) (Counts, error)
	// RemoveCollection deletes every record and blob of a collection.
	RemoveCollection(ctx context.Context, coll string) error
	io.Closer
}

// pickID picks the id of a new document, as Accept describes: baseID, or
// baseID-2, -3…, past the ids the store has records of (recorded) and
// those of documents from other files (taken). indexed is set when the id
// is that of a document from a file of the same name, which the upload
// replaces.
func pickID(baseID, filename string, recorded func(id string) (bool, error), taken func(string) (string, bool, error)) (id string, indexed bool, err error) {
	for n := 1; ; n++ {
		id = baseID
		if n > 1 {
			id = baseID + "-" + strconv.Itoa(n)
		}
		used, err := recorded(id)
		if err != nil {
			return "", false, err
		}
		if used {
			continue
		}
		if taken == nil {
			return id, false, nil
		}
		name, ok, err := taken(id)
		if err != nil {
			return "", false, err
		}
		switch {
		case !ok:
			return id, false, nil
		case name == filename:
			return id, true, nil
		}
	}
}
