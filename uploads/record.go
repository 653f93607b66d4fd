package uploads

import (
	"time"
)

// Status is where a document is in its ingestion.
type Status string

// The statuses of a document.
const (
	// StatusQueued: the file is stored and its job waits for a worker.
	StatusQueued Status = "queued"
	// StatusProcessing: a worker is parsing, chunking, embedding or
	// indexing it.
	StatusProcessing Status = "processing"
	// StatusReady: it is searchable.
	StatusReady Status = "ready"
	// StatusFailed: it could not be indexed; Error says why.
	StatusFailed Status = "failed"
	// StatusDeleting: it is being removed from the index; searches no
	// longer rely on it once its deletion returns.
	StatusDeleting Status = "deleting"
)

// unfinished reports a status with a job to run: ingesting or deleting.
func (s Status) unfinished() bool {
	return s == StatusQueued || s == StatusProcessing || s == StatusDeleting
}

// Upload is one file as it arrived, already stored as a blob.
type Upload struct {
	Filename string
	Blob     Blob
	// Optional metadata the uploader gave, which wins over what the
	// file itself says.
	Title, Source, Date string
}

// Blob is a stored file, named by the SHA-256 of its bytes.
type Blob struct {
	Hash string // hex
	Size int64
}

// Record is what the store knows about one uploaded document: its latest
// version and what became of it.
type Record struct {
	Collection string `json:"collection"`
	ID         string `json:"id"`
	Filename   string `json:"filename"`
	Title      string `json:"title,omitempty"`
	Source     string `json:"source,omitempty"`
	Date       string `json:"date,omitempty"`
	Hash       string `json:"hash"`
	Size       int64  `json:"size"`
	// Version counts the uploads of the document: a new version of the
	// same filename replaces the old one.
	Version int    `json:"version"`
	Status  Status `json:"status"`
	// Error says, in words the uploader can act on, why the latest version
	// failed.
	Error string `json:"error,omitempty"`
	// ErrorCode names why, with a stable code a program can branch on
	// and a page can translate: one of ErrorCodes.
	ErrorCode string `json:"error_code,omitempty"`
	Chunks    int    `json:"chunks,omitempty"`
	// Indexed reports that some version of the document is in the index
	// (an older one, while a new version is queued or after it failed).
	Indexed bool `json:"indexed"`
	// Seq orders records by their first upload; JobSeq orders the jobs.
	Seq    uint64 `json:"seq"`
	JobSeq uint64 `json:"job_seq,omitempty"`
	// Lease names the worker that holds the document's job (or its
	// deletion) until LeaseUntil; no other worker touches it meanwhile.
	Lease      string    `json:"lease,omitempty"`
	LeaseUntil time.Time `json:"lease_until,omitempty"`
	Created    time.Time `json:"created"`
	Updated    time.Time `json:"updated"`

	// Progress is between 0 and 1 while the document is processed; the
	// Manager fills it in from memory, the store does not keep it.
	Progress float64 `json:"-"`
}

// Counts are a collection's records by status.
type Counts struct {
	Queued     int
	Processing int
	Failed     int
	Deleting   int
	Records    int
	// Unindexed counts the records of which no version is in the index.
	Unindexed int
}
