package uploads

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"wenda/internal/durable"
)

// The embedded store's layout inside its folder:
//
//	uploads.db          bbolt: the records, their indexes and the job queue
//	blobs/<coll>/<hash> the uploaded files, named by the SHA-256 of their bytes
//	tmp/                files being received; cleared at every start
const (
	dbFile  = "uploads.db"
	blobDir = "blobs"
	tmpDir  = "tmp"
)

// Buckets: "c" holds one bucket per collection, each with the records by
// id ("docs"), ids by filename ("names") and by the hash of their latest
// version ("hashes"), the ids of records never indexed by their Seq
// ("unindexed") and the status counts ("counts"); "jobs" maps a JobSeq to
// the collection and id whose job it is.
var (
	bucketCollections = []byte("c")
	bucketJobs        = []byte("jobs")
	bucketDocs        = []byte("docs")
	bucketNames       = []byte("names")
	bucketHashes      = []byte("hashes")
	bucketUnindexed   = []byte("unindexed")
	keyCounts         = []byte("counts")
)

// BoltStore is the embedded Store: records in a bbolt database, whose
// every committed transaction is synced to disk, and files beside it.
type BoltStore struct {
	dir string
	db  *bolt.DB
	now func() time.Time
}

var _ Store = (*BoltStore)(nil)

// OpenBoltStore opens (or creates) the store in dir. Only one process may
// have it open; another one waits a few seconds and then gets an error.
// Files left from uploads that were never acknowledged are removed.
func OpenBoltStore(dir string) (*BoltStore, error) {
	for _, d := range []string{dir, filepath.Join(dir, blobDir), filepath.Join(dir, tmpDir)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("open upload store: %w", err)
		}
	}
	db, err := bolt.Open(filepath.Join(dir, dbFile), 0o600, &bolt.Options{Timeout: 3 * time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("open upload store in %s: another wenda process is using it (stop it, or talk to it with --server)", dir)
	}
	if err != nil {
		return nil, fmt.Errorf("open upload store in %s: %w", dir, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketCollections, bucketJobs} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open upload store in %s: %w", dir, err)
	}
	s := &BoltStore{dir: dir, db: db, now: time.Now}
	if err := s.sweep(); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.clearLeases(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open upload store in %s: %w", dir, err)
	}
	return s, nil
}

// Close closes the database.
func (s *BoltStore) Close() error { return s.db.Close() }

// sweep removes files being received when the last process stopped, and
// blobs that no record points at: uploads that were stored but never
// acknowledged, and versions that were replaced or deleted just before a
// crash.
func (s *BoltStore) sweep() error {
	tmp := filepath.Join(s.dir, tmpDir)
	ents, err := os.ReadDir(tmp)
	if err != nil {
		return fmt.Errorf("sweep uploads: %w", err)
	}
	for _, e := range ents {
		os.Remove(filepath.Join(tmp, e.Name()))
	}
	colls, err := os.ReadDir(filepath.Join(s.dir, blobDir))
	if err != nil {
		return fmt.Errorf("sweep uploads: %w", err)
	}
	return s.db.View(func(tx *bolt.Tx) error {
		for _, c := range colls {
			dir := filepath.Join(s.dir, blobDir, c.Name())
			var hashes *bolt.Bucket
			if cb := tx.Bucket(bucketCollections).Bucket([]byte(c.Name())); cb != nil {
				hashes = cb.Bucket(bucketHashes)
			}
			blobs, err := os.ReadDir(dir)
			if err != nil {
				return fmt.Errorf("sweep uploads: %w", err)
			}
			for _, b := range blobs {
				if hashes == nil || hashes.Get([]byte(b.Name())) == nil {
					os.Remove(filepath.Join(dir, b.Name()))
				}
			}
			if hashes == nil {
				os.Remove(dir)
			}
		}
		return nil
	})
}

func (s *BoltStore) blobPath(coll, hash string) string {
	return filepath.Join(s.dir, blobDir, coll, hash)
}

// checkName keeps collection ids and hashes from naming paths outside the
// store.
func checkName(what, s string) error {
	if s == "" || s == "." || s == ".." || strings.ContainsAny(s, `/\`+"\x00") {
		return fmt.Errorf("invalid %s %q", what, s)
	}
	return nil
}

// SaveBlob receives r into a temporary file, syncs it and renames it to
// its hash, then syncs the folder, so that the file survives a crash once
// SaveBlob returns.
func (s *BoltStore) SaveBlob(ctx context.Context, coll string, r io.Reader, limit int64) (b Blob, err error) {
	if err := checkName("collection", coll); err != nil {
		return Blob{}, err
	}
	f, err := os.CreateTemp(filepath.Join(s.dir, tmpDir), "upload-*")
	if err != nil {
		return Blob{}, fmt.Errorf("save upload: %w", err)
	}
	defer func() {
		if f != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, limit+1))
	if err != nil {
		return Blob{}, fmt.Errorf("save upload: %w", err)
	}
	if n > limit {
		return Blob{}, ErrTooLarge
	}
	if err := ctx.Err(); err != nil {
		return Blob{}, err
	}
	if err := f.Sync(); err != nil {
		return Blob{}, fmt.Errorf("save upload: %w", err)
	}
	if err := f.Close(); err != nil {
		return Blob{}, fmt.Errorf("save upload: %w", err)
	}
	b = Blob{Hash: hex.EncodeToString(h.Sum(nil)), Size: n}
	dir := filepath.Join(s.dir, blobDir, coll)
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			return Blob{}, fmt.Errorf("save upload: %w", err)
		}
		if err := durable.SyncDir(filepath.Dir(dir)); err != nil {
			return Blob{}, fmt.Errorf("save upload: %w", err)
		}
	}
	if err := os.Rename(f.Name(), s.blobPath(coll, b.Hash)); err != nil {
		return Blob{}, fmt.Errorf("save upload: %w", err)
	}
	f = nil
	if err := durable.SyncDir(dir); err != nil {
		return Blob{}, fmt.Errorf("save upload: %w", err)
	}
	return b, nil
}

// ReadBlob reads a stored file.
func (s *BoltStore) ReadBlob(ctx context.Context, coll, hash string) ([]byte, error) {
	if err := errors.Join(checkName("collection", coll), checkName("hash", hash)); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(s.blobPath(coll, hash))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("uploaded file %s of %s: %w", hash, coll, ErrNotFound)
	}
	return b, err
}

// DropBlob removes a blob unless a record points at it. The check and
// the removal happen inside one write transaction, so an Accept of the
// same bytes cannot slip in between.
func (s *BoltStore) DropBlob(ctx context.Context, coll, hash string) error {
	if err := errors.Join(checkName("collection", coll), checkName("hash", hash)); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if cb, _ := collBucket(tx, coll, false); cb != nil && cb.Bucket(bucketHashes).Get([]byte(hash)) != nil {
			return nil
		}
		if err := os.Remove(s.blobPath(coll, hash)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("drop upload %s: %w", hash, err)
		}
		return nil
	})
}

// removeBlob deletes a blob after the transaction that stopped pointing
// at it committed; a failure leaves it for the next start's sweep.
func (s *BoltStore) removeBlob(coll, hash string) {
	if hash != "" && checkName("hash", hash) == nil && checkName("collection", coll) == nil {
		os.Remove(s.blobPath(coll, hash))
	}
}

// collBucket returns a collection's bucket, creating it and its
// sub-buckets when create is set; nil when it does not exist.
func collBucket(tx *bolt.Tx, coll string, create bool) (*bolt.Bucket, error) {
	root := tx.Bucket(bucketCollections)
	if !create {
		return root.Bucket([]byte(coll)), nil
	}
	cb, err := root.CreateBucketIfNotExists([]byte(coll))
	if err != nil {
		return nil, err
	}
	for _, name := range [][]byte{bucketDocs, bucketNames, bucketHashes, bucketUnindexed} {
		if _, err := cb.CreateBucketIfNotExists(name); err != nil {
			return nil, err
		}
	}
	return cb, nil
}

func getRecord(cb *bolt.Bucket, id string) (*Record, error) {
	v := cb.Bucket(bucketDocs).Get([]byte(id))
	if v == nil {
		return nil, nil
	}
	var r Record
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("record %s: %w", id, err)
	}
	return &r, nil
}

func seqKey(n uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, n)
	return k
}

// jobRef is the value of the jobs bucket.
type jobRef struct {
	Collection string `json:"c"`
	ID         string `json:"id"`
}

// countsRecord is a collection's status counts as stored.
type countsRecord struct {
	Queued     int `json:"queued"`
	Processing int `json:"processing"`
	Failed     int `json:"failed"`
	Deleting   int `json:"deleting"`
	Records    int `json:"records"`
}

func (c *countsRecord) add(r *Record, d int) {
	if r == nil {
		return
	}
	c.Records += d
	switch r.Status {
	case StatusQueued:
		c.Queued += d
	case StatusProcessing:
		c.Processing += d
	case StatusFailed:
		c.Failed += d
	case StatusDeleting:
		c.Deleting += d
	}
}

// putRecord writes rec over old (nil for a new record) and keeps the
// indexes, the job queue and the counts in step.
func putRecord(tx *bolt.Tx, cb *bolt.Bucket, old, rec *Record) error {
	jobs := tx.Bucket(bucketJobs)
	oldUnfinished := old != nil && old.Status.unfinished()
	switch {
	case rec.Status.unfinished() && (!oldUnfinished || rec.JobSeq == 0):
		if old != nil && old.JobSeq != 0 {
			if err := jobs.Delete(seqKey(old.JobSeq)); err != nil {
				return err
			}
		}
		n, err := jobs.NextSequence()
		if err != nil {
			return err
		}
		rec.JobSeq = n
		v, _ := json.Marshal(jobRef{Collection: rec.Collection, ID: rec.ID})
		if err := jobs.Put(seqKey(n), v); err != nil {
			return err
		}
	case !rec.Status.unfinished() && rec.JobSeq != 0:
		if err := jobs.Delete(seqKey(rec.JobSeq)); err != nil {
			return err
		}
		rec.JobSeq = 0
	}
	un := cb.Bucket(bucketUnindexed)
	switch {
	case !rec.Indexed:
		if err := un.Put(seqKey(rec.Seq), []byte(rec.ID)); err != nil {
			return err
		}
	case old != nil && !old.Indexed:
		if err := un.Delete(seqKey(rec.Seq)); err != nil {
			return err
		}
	}
	if err := adjustCounts(cb, old, rec); err != nil {
		return err
	}
	v, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return cb.Bucket(bucketDocs).Put([]byte(rec.ID), v)
}

func adjustCounts(cb *bolt.Bucket, old, rec *Record) error {
	var c countsRecord
	if v := cb.Get(keyCounts); v != nil {
		if err := json.Unmarshal(v, &c); err != nil {
			return fmt.Errorf("counts: %w", err)
		}
	}
	c.add(old, -1)
	c.add(rec, +1)
	v, _ := json.Marshal(c)
	return cb.Put(keyCounts, v)
}

// Accept records an upload; see Store.Accept.
func (s *BoltStore) Accept(ctx context.Context, coll string, u Upload, baseID string, taken func(id string) (string, bool, error)) (Record, bool, error) {
	if err := checkName("collection", coll); err != nil {
		return Record{}, false, err
	}
	var (
		out      Record
		queued   bool
		dropBlob string
	)
	err := s.db.Update(func(tx *bolt.Tx) error {
		queued, dropBlob = false, ""
		cb, err := collBucket(tx, coll, true)
		if err != nil {
			return err
		}
		names, hashes := cb.Bucket(bucketNames), cb.Bucket(bucketHashes)
		now := s.now().UTC()

		var old *Record
		if id := hashes.Get([]byte(u.Blob.Hash)); id != nil {
			if old, err = getRecord(cb, string(id)); err != nil {
				return err
			}
			if old != nil && old.Status != StatusFailed {
				out = *old
				return nil
			}
		}
		if old == nil {
			if id := names.Get([]byte(u.Filename)); id != nil {
				if old, err = getRecord(cb, string(id)); err != nil {
					return err
				}
			}
		}
		var rec Record
		if old != nil {
			// A new version of a document keeps its id, its place in
			// the list and what is indexed of it until the new version
			// is ready.
			rec = *old
			rec.Version++
			if old.Hash != u.Blob.Hash {
				if err := hashes.Delete([]byte(old.Hash)); err != nil {
					return err
				}
				dropBlob = old.Hash
			}
			if old.Filename != u.Filename {
				// Identical bytes of a failed document under another name.
				if err := names.Delete([]byte(old.Filename)); err != nil {
					return err
				}
			}
		} else {
			id, indexed, err := pickID(baseID, u.Filename, func(id string) (bool, error) {
				return cb.Bucket(bucketDocs).Get([]byte(id)) != nil, nil
			}, taken)
			if err != nil {
				return err
			}
			seq, err := cb.NextSequence()
			if err != nil {
				return err
			}
			rec = Record{Collection: coll, ID: id, Version: 1, Indexed: indexed, Seq: seq, Created: now}
		}
		rec.Filename, rec.Title, rec.Source, rec.Date = u.Filename, u.Title, u.Source, u.Date
		rec.Hash, rec.Size = u.Blob.Hash, u.Blob.Size
		rec.Status, rec.Error, rec.ErrorCode, rec.Chunks, rec.Updated = StatusQueued, "", "", 0, now
		// A new version keeps the lease of the job running on the old
		// one, so that the two never run at once.
		rec.JobSeq = 0
		if err := names.Put([]byte(rec.Filename), []byte(rec.ID)); err != nil {
			return err
		}
		if err := hashes.Put([]byte(rec.Hash), []byte(rec.ID)); err != nil {
			return err
		}
		if err := putRecord(tx, cb, old, &rec); err != nil {
			return err
		}
		out, queued = rec, true
		return nil
	})
	if err != nil {
		return Record{}, false, fmt.Errorf("record upload of %s: %w", u.Filename, err)
	}
	s.removeBlob(coll, dropBlob)
	return out, queued, nil
}

// existingRecord returns a collection's bucket and one of its records,
// or ErrNotFound when either is missing.
func existingRecord(tx *bolt.Tx, coll, id string) (*bolt.Bucket, *Record, error) {
	cb, _ := collBucket(tx, coll, false)
	if cb == nil {
		return nil, nil, ErrNotFound
	}
	r, err := getRecord(cb, id)
	if err == nil && r == nil {
		err = ErrNotFound
	}
	return cb, r, err
}

// Get returns one record.
func (s *BoltStore) Get(ctx context.Context, coll, id string) (Record, error) {
	var out Record
	err := s.db.View(func(tx *bolt.Tx) error {
		_, r, err := existingRecord(tx, coll, id)
		if err != nil {
			return err
		}
		out = *r
		return nil
	})
	if err != nil {
		return Record{}, fmt.Errorf("document %s of %s: %w", id, coll, err)
	}
	return out, nil
}

// Update changes one record in a transaction.
func (s *BoltStore) Update(ctx context.Context, coll, id string, fn func(*Record) error) (Record, error) {
	var out Record
	err := s.db.Update(func(tx *bolt.Tx) error {
		cb, old, err := existingRecord(tx, coll, id)
		if err != nil {
			return err
		}
		rec := *old
		if err := fn(&rec); err != nil {
			return err
		}
		rec.Collection, rec.ID, rec.Hash, rec.Filename, rec.Seq = old.Collection, old.ID, old.Hash, old.Filename, old.Seq
		rec.Updated = s.now().UTC()
		if err := putRecord(tx, cb, old, &rec); err != nil {
			return err
		}
		out = rec
		return nil
	})
	if err != nil {
		return Record{}, fmt.Errorf("document %s of %s: %w", id, coll, err)
	}
	return out, nil
}

// Remove deletes a record, its index entries, its job and its blob.
func (s *BoltStore) Remove(ctx context.Context, coll, id string) error {
	var blob string
	err := s.db.Update(func(tx *bolt.Tx) error {
		cb, _ := collBucket(tx, coll, false)
		if cb == nil {
			return nil
		}
		rec, err := getRecord(cb, id)
		if err != nil || rec == nil {
			return err
		}
		if rec.JobSeq != 0 {
			if err := tx.Bucket(bucketJobs).Delete(seqKey(rec.JobSeq)); err != nil {
				return err
			}
		}
		if string(cb.Bucket(bucketNames).Get([]byte(rec.Filename))) == id {
			if err := cb.Bucket(bucketNames).Delete([]byte(rec.Filename)); err != nil {
				return err
			}
		}
		if string(cb.Bucket(bucketHashes).Get([]byte(rec.Hash))) == id {
			if err := cb.Bucket(bucketHashes).Delete([]byte(rec.Hash)); err != nil {
				return err
			}
			blob = rec.Hash
		}
		if err := cb.Bucket(bucketUnindexed).Delete(seqKey(rec.Seq)); err != nil {
			return err
		}
		if err := adjustCounts(cb, rec, nil); err != nil {
			return err
		}
		return cb.Bucket(bucketDocs).Delete([]byte(id))
	})
	if err != nil {
		return fmt.Errorf("remove document %s of %s: %w", id, coll, err)
	}
	s.removeBlob(coll, blob)
	return nil
}

// Unindexed lists the records no version of which is indexed.
func (s *BoltStore) Unindexed(ctx context.Context, coll string, offset, limit int) ([]Record, int, error) {
	var (
		out   []Record
		total int
	)
	err := s.db.View(func(tx *bolt.Tx) error {
		cb, _ := collBucket(tx, coll, false)
		if cb == nil {
			return nil
		}
		un := cb.Bucket(bucketUnindexed)
		total = un.Stats().KeyN
		c := un.Cursor()
		i := 0
		for k, v := c.First(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Next() {
			if i++; i <= offset {
				continue
			}
			r, err := getRecord(cb, string(v))
			if err != nil {
				return err
			}
			if r != nil {
				out = append(out, *r)
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list uploads of %s: %w", coll, err)
	}
	return out, total, nil
}

// Count returns a collection's records by status.
func (s *BoltStore) Count(ctx context.Context, coll string) (Counts, error) {
	var c countsRecord
	var unindexed int
	err := s.db.View(func(tx *bolt.Tx) error {
		cb, _ := collBucket(tx, coll, false)
		if cb == nil {
			return nil
		}
		unindexed = cb.Bucket(bucketUnindexed).Stats().KeyN
		if v := cb.Get(keyCounts); v != nil {
			return json.Unmarshal(v, &c)
		}
		return nil
	})
	if err != nil {
		return Counts{}, fmt.Errorf("count uploads of %s: %w", coll, err)
	}
	return Counts{Queued: c.Queued, Processing: c.Processing, Failed: c.Failed, Deleting: c.Deleting, Records: c.Records, Unindexed: unindexed}, nil
}

// claimable reports whether a worker may take the record's job now.
func claimable(r *Record, now time.Time) bool {
	return r.Status.unfinished() && (r.Lease == "" || now.After(r.LeaseUntil))
}

// Claim takes the lease of the oldest claimable job. It looks in a read
// transaction first, so that idle workers polling an empty queue write
// nothing.
func (s *BoltStore) Claim(ctx context.Context, owner string, lease time.Duration) (Record, bool, error) {
	find := func(tx *bolt.Tx) (*bolt.Bucket, *Record, error) {
		now := s.now()
		c := tx.Bucket(bucketJobs).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var j jobRef
			if err := json.Unmarshal(v, &j); err != nil {
				return nil, nil, fmt.Errorf("job %x: %w", k, err)
			}
			cb, _ := collBucket(tx, j.Collection, false)
			if cb == nil {
				continue
			}
			r, err := getRecord(cb, j.ID)
			if err != nil {
				return nil, nil, err
			}
			if r != nil && claimable(r, now) {
				return cb, r, nil
			}
		}
		return nil, nil, nil
	}
	var any bool
	if err := s.db.View(func(tx *bolt.Tx) error {
		_, r, err := find(tx)
		any = r != nil
		return err
	}); err != nil || !any {
		return Record{}, false, err
	}
	var out Record
	var ok bool
	err := s.db.Update(func(tx *bolt.Tx) error {
		cb, r, err := find(tx)
		if err != nil || r == nil {
			return err
		}
		out, err = s.lease(tx, cb, r, owner, lease)
		ok = err == nil
		return err
	})
	if err != nil {
		return Record{}, false, fmt.Errorf("claim a job: %w", err)
	}
	return out, ok, nil
}

// lease gives r's lease to owner, and marks a queued record processing.
func (s *BoltStore) lease(tx *bolt.Tx, cb *bolt.Bucket, r *Record, owner string, lease time.Duration) (Record, error) {
	rec := *r
	rec.Lease, rec.LeaseUntil = owner, s.now().Add(lease).UTC()
	if rec.Status == StatusQueued {
		rec.Status = StatusProcessing
		rec.Updated = s.now().UTC()
	}
	if err := putRecord(tx, cb, r, &rec); err != nil {
		return Record{}, err
	}
	return rec, nil
}

// Acquire takes one record's lease when it is free or expired.
func (s *BoltStore) Acquire(ctx context.Context, coll, id, owner string, lease time.Duration) (Record, bool, error) {
	var (
		out Record
		ok  bool
	)
	err := s.db.Update(func(tx *bolt.Tx) error {
		cb, r, err := existingRecord(tx, coll, id)
		if err != nil {
			return err
		}
		if r.Lease != "" && r.Lease != owner && !s.now().After(r.LeaseUntil) {
			out = *r
			return nil
		}
		out, err = s.lease(tx, cb, r, owner, lease)
		ok = err == nil
		return err
	})
	if err != nil {
		return Record{}, false, fmt.Errorf("document %s of %s: %w", id, coll, err)
	}
	return out, ok, nil
}

// Renew extends a lease its owner holds.
func (s *BoltStore) Renew(ctx context.Context, coll, id, owner string, lease time.Duration) (Record, error) {
	return s.Update(ctx, coll, id, func(r *Record) error {
		if r.Lease != owner {
			return ErrLeaseLost
		}
		r.LeaseUntil = s.now().Add(lease).UTC()
		return nil
	})
}

// clearLeases frees every lease: the store is opened by one process at a
// time, so a lease found at open belongs to a process that is gone.
func (s *BoltStore) clearLeases() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		var jobs []jobRef
		err := tx.Bucket(bucketJobs).ForEach(func(k, v []byte) error {
			var j jobRef
			if err := json.Unmarshal(v, &j); err != nil {
				return fmt.Errorf("job %x: %w", k, err)
			}
			jobs = append(jobs, j)
			return nil
		})
		if err != nil {
			return err
		}
		for _, j := range jobs {
			cb, _ := collBucket(tx, j.Collection, false)
			if cb == nil {
				continue
			}
			r, err := getRecord(cb, j.ID)
			if err != nil {
				return err
			}
			if r == nil || r.Lease == "" {
				continue
			}
			rec := *r
			rec.Lease, rec.LeaseUntil = "", time.Time{}
			if err := putRecord(tx, cb, r, &rec); err != nil {
				return err
			}
		}
		return nil
	})
}

// RemoveCollection deletes a collection's records, jobs and files.
func (s *BoltStore) RemoveCollection(ctx context.Context, coll string) error {
	if err := checkName("collection", coll); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		jobs := tx.Bucket(bucketJobs)
		var drop [][]byte
		err := jobs.ForEach(func(k, v []byte) error {
			var j jobRef
			if json.Unmarshal(v, &j) == nil && j.Collection == coll {
				drop = append(drop, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range drop {
			if err := jobs.Delete(k); err != nil {
				return err
			}
		}
		err = tx.Bucket(bucketCollections).DeleteBucket([]byte(coll))
		if errors.Is(err, bolt.ErrBucketNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("remove uploads of %s: %w", coll, err)
	}
	dir := filepath.Join(s.dir, blobDir, coll)
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove uploads of %s: %w", coll, err)
	}
	return durable.SyncDir(filepath.Dir(dir))
}
