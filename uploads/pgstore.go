package uploads

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// PgStore is the shared Store: records, the job queue and the uploaded
// files in a PostgreSQL database, so that every process of a deployment
// sees every upload, reads its bytes and may run its job. A method that
// returns nil has committed its transaction.
//
// Each record is a row whose columns are what queries select and order
// by, beside the whole Record as JSON, which is what is read back. A
// file is a row of its own, keyed by collection and hash, so identical
// bytes are kept once per collection; it goes when no record points at
// it. Leases are timed by the database's clock, never a process's, and a
// worker claims a job with SELECT … FOR UPDATE SKIP LOCKED, so that
// processes polling at once never wait on each other nor take the same
// job. Changes that decide ids or whether a file is still used (Accept,
// Remove, DropBlob, RemoveCollection) take a lock on the collection for
// the length of their transaction.
type PgStore struct {
	pool *pgxpool.Pool
}

var _ Store = (*PgStore)(nil)

// Tables, sequences and the advisory lock keys of the store. The names
// are unqualified, so a DSN's search_path (e.g. ?search_path=team_a)
// puts one deployment's store in a schema of its own.
const (
	pgRecords = "wenda_upload_records"
	pgBlobs   = "wenda_upload_blobs"
	// pgLockSpace is the first key of every advisory lock the store
	// takes; the second is 0 for migrations, else a collection's hash.
	pgLockSpace = 0x77656e64 // "wend"
	// orphanAge is how old a file no record points at must be before
	// OpenPgStore removes it: younger ones may be uploads whose Accept
	// another process is about to make.
	orphanAge = time.Hour
)

// pgMigrations are the schema's versions in order; OpenPgStore applies
// the ones a database does not have yet, each once.
var pgMigrations = []string{
	// 1: records, files and the two sequences.
	`CREATE TABLE ` + pgRecords + ` (
		collection  text    NOT NULL,
		id          text    NOT NULL,
		filename    text    NOT NULL,
		hash        text    NOT NULL,
		status      text    NOT NULL,
		indexed     boolean NOT NULL,
		seq         bigint  NOT NULL,
		job_seq     bigint,
		lease       text    NOT NULL DEFAULT '',
		lease_until timestamptz,
		record      jsonb   NOT NULL,
		PRIMARY KEY (collection, id)
	);
	CREATE UNIQUE INDEX ` + pgRecords + `_filename ON ` + pgRecords + ` (collection, filename);
	CREATE INDEX ` + pgRecords + `_hash ON ` + pgRecords + ` (collection, hash);
	CREATE INDEX ` + pgRecords + `_jobs ON ` + pgRecords + ` (job_seq) WHERE job_seq IS NOT NULL;
	CREATE INDEX ` + pgRecords + `_unindexed ON ` + pgRecords + ` (collection, seq) WHERE NOT indexed;
	CREATE SEQUENCE ` + pgRecords + `_seq;
	CREATE SEQUENCE ` + pgRecords + `_job_seq;
	CREATE TABLE ` + pgBlobs + ` (
		collection text        NOT NULL,
		hash       text        NOT NULL,
		size       bigint      NOT NULL,
		data       bytea       NOT NULL,
		saved      timestamptz NOT NULL DEFAULT now(),
		PRIMARY KEY (collection, hash)
	);
	ALTER TABLE ` + pgBlobs + ` ALTER COLUMN data SET STORAGE EXTERNAL;`,
}

// OpenPgStore connects to the database at dsn (a postgres:// URL or a
// key=value string, as libpq takes), brings its tables up to date and
// removes files that no record has pointed at for an hour.
func OpenPgStore(ctx context.Context, dsn string) (*PgStore, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's message may quote the DSN, password included.
		return nil, errors.New("open upload store: the PostgreSQL DSN cannot be parsed")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open upload store on PostgreSQL: %w", err)
	}
	s := &PgStore{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open upload store on PostgreSQL %s:%d/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM `+pgBlobs+` b WHERE saved < now() - $1::interval
		AND NOT EXISTS (SELECT 1 FROM `+pgRecords+` r WHERE r.collection = b.collection AND r.hash = b.hash)`,
		strconv.Itoa(int(orphanAge/time.Second))+" seconds"); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open upload store: remove files never acknowledged: %w", err)
	}
	return s, nil
}

// migrate applies the migrations the database lacks, one process at a
// time.
func (s *PgStore) migrate(ctx context.Context) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, pgLockSpace); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS wenda_upload_schema (version int NOT NULL)`); err != nil {
			return err
		}
		var have int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM wenda_upload_schema`).Scan(&have); err != nil {
			return err
		}
		if have > len(pgMigrations) {
			return fmt.Errorf("the database's upload tables are at version %d, newer than this wenda knows (%d)", have, len(pgMigrations))
		}
		for v := have + 1; v <= len(pgMigrations); v++ {
			if _, err := tx.Exec(ctx, pgMigrations[v-1]); err != nil {
				return fmt.Errorf("migrate to version %d: %w", v, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO wenda_upload_schema (version) VALUES ($1)`, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close closes the connections.
func (s *PgStore) Close() error {
	s.pool.Close()
	return nil
}

// lockCollection serialises, until tx ends, the changes of coll that
// decide ids and whether a file is still used.
func lockCollection(ctx context.Context, tx pgx.Tx, coll string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, pgLockSpace, coll)
	return err
}

// SaveBlob reads r, up to limit bytes, and stores it unless the
// collection already has these bytes.
func (s *PgStore) SaveBlob(ctx context.Context, coll string, r io.Reader, limit int64) (Blob, error) {
	if err := checkName("collection", coll); err != nil {
		return Blob{}, err
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return Blob{}, fmt.Errorf("save upload: %w", err)
	}
	if n > limit {
		return Blob{}, ErrTooLarge
	}
	data := buf.Bytes()
	if data == nil {
		data = []byte{} // an empty file, not NULL
	}
	sum := sha256.Sum256(data)
	b := Blob{Hash: hex.EncodeToString(sum[:]), Size: n}
	// Known bytes are not sent again: saved is refreshed, so that the
	// file is not taken for an orphan before its Accept.
	tag, err := s.pool.Exec(ctx, `UPDATE `+pgBlobs+` SET saved = now() WHERE collection = $1 AND hash = $2`, coll, b.Hash)
	if err != nil {
		return Blob{}, fmt.Errorf("save upload: %w", err)
	}
	if tag.RowsAffected() == 0 {
		_, err = s.pool.Exec(ctx, `INSERT INTO `+pgBlobs+` (collection, hash, size, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (collection, hash) DO UPDATE SET saved = now()`, coll, b.Hash, b.Size, data)
		if err != nil {
			return Blob{}, fmt.Errorf("save upload: %w", err)
		}
	}
	return b, nil
}

// ReadBlob returns a stored file's bytes.
func (s *PgStore) ReadBlob(ctx context.Context, coll, hash string) ([]byte, error) {
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM `+pgBlobs+` WHERE collection = $1 AND hash = $2`, coll, hash).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("uploaded file %s of %s: %w", hash, coll, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read uploaded file %s of %s: %w", hash, coll, err)
	}
	return data, nil
}

// DropBlob removes a file unless a record points at it.
func (s *PgStore) DropBlob(ctx context.Context, coll, hash string) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockCollection(ctx, tx, coll); err != nil {
			return err
		}
		return dropUnused(ctx, tx, coll, hash)
	})
	if err != nil {
		return fmt.Errorf("drop upload %s: %w", hash, err)
	}
	return nil
}

// dropUnused deletes a file that no record points at.
func dropUnused(ctx context.Context, tx pgx.Tx, coll, hash string) error {
	_, err := tx.Exec(ctx, `DELETE FROM `+pgBlobs+` WHERE collection = $1 AND hash = $2
		AND NOT EXISTS (SELECT 1 FROM `+pgRecords+` WHERE collection = $1 AND hash = $2)`, coll, hash)
	return err
}

// pgNow is the database's clock, to the microsecond it keeps.
func pgNow(ctx context.Context, tx pgx.Tx) (time.Time, error) {
	var now time.Time
	err := tx.QueryRow(ctx, `SELECT now()`).Scan(&now)
	return now.UTC(), err
}

// pgRecord reads one record, locked for the transaction when lock is set;
// nil when there is none.
func pgRecord(ctx context.Context, tx pgx.Tx, coll, id string, lock bool) (*Record, error) {
	q := `SELECT record FROM ` + pgRecords + ` WHERE collection = $1 AND id = $2`
	if lock {
		q += ` FOR UPDATE`
	}
	return scanRecord(tx.QueryRow(ctx, q, coll, id))
}

func scanRecord(row pgx.Row) (*Record, error) {
	var raw []byte
	if err := row.Scan(&raw); errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	return &r, nil
}

// pgPut writes rec over old (nil for a new record), giving it a job when
// it enters an unfinished status and taking it away when it leaves one,
// as the embedded store's putRecord does.
func pgPut(ctx context.Context, tx pgx.Tx, old, rec *Record) error {
	oldUnfinished := old != nil && old.Status.unfinished()
	switch {
	case rec.Status.unfinished() && (!oldUnfinished || rec.JobSeq == 0):
		var n int64
		if err := tx.QueryRow(ctx, `SELECT nextval('`+pgRecords+`_job_seq')`).Scan(&n); err != nil {
			return err
		}
		rec.JobSeq = uint64(n)
	case !rec.Status.unfinished():
		rec.JobSeq = 0
	}
	// Times as the database keeps them, so that the columns and the
	// JSON agree.
	rec.Created, rec.Updated = rec.Created.Truncate(time.Microsecond), rec.Updated.Truncate(time.Microsecond)
	rec.LeaseUntil = rec.LeaseUntil.Truncate(time.Microsecond)
	raw, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	var jobSeq, leaseUntil any
	if rec.JobSeq != 0 {
		jobSeq = int64(rec.JobSeq)
	}
	if rec.Lease != "" {
		leaseUntil = rec.LeaseUntil
	}
	// A new record is inserted, never written over one: an id taken
	// meanwhile is an error, not a lost document.
	q := `INSERT INTO ` + pgRecords + `
		(collection, id, filename, hash, status, indexed, seq, job_seq, lease, lease_until, record)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`
	if old != nil {
		q = `UPDATE ` + pgRecords + ` SET filename = $3, hash = $4, status = $5, indexed = $6,
			seq = $7, job_seq = $8, lease = $9, lease_until = $10, record = $11
			WHERE collection = $1 AND id = $2`
	}
	tag, err := tx.Exec(ctx, q, rec.Collection, rec.ID, rec.Filename, rec.Hash, string(rec.Status), rec.Indexed,
		int64(rec.Seq), jobSeq, rec.Lease, leaseUntil, raw)
	if err == nil && tag.RowsAffected() != 1 {
		err = fmt.Errorf("record %s of %s: %w", rec.ID, rec.Collection, ErrNotFound)
	}
	return err
}

// Accept records an upload; see Store.Accept.
func (s *PgStore) Accept(ctx context.Context, coll string, u Upload, baseID string, taken func(id string) (string, bool, error)) (Record, bool, error) {
	if err := checkName("collection", coll); err != nil {
		return Record{}, false, err
	}
	var (
		out    Record
		queued bool
	)
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		queued = false
		if err := lockCollection(ctx, tx, coll); err != nil {
			return err
		}
		now, err := pgNow(ctx, tx)
		if err != nil {
			return err
		}
		// The file must still be there: a Remove or DropBlob of the
		// same bytes may have run since SaveBlob.
		var stored bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+pgBlobs+` WHERE collection = $1 AND hash = $2)`, coll, u.Blob.Hash).Scan(&stored); err != nil {
			return err
		}
		if !stored {
			return fmt.Errorf("the uploaded file %s: %w", u.Blob.Hash, ErrNotFound)
		}

		// Identical bytes: the document whose latest version they are,
		// one that did not fail first.
		old, err := scanRecord(tx.QueryRow(ctx, `SELECT record FROM `+pgRecords+` WHERE collection = $1 AND hash = $2
			ORDER BY status = 'failed', seq LIMIT 1 FOR UPDATE`, coll, u.Blob.Hash))
		if err != nil {
			return err
		}
		if old != nil && old.Status != StatusFailed {
			out = *old
			return nil
		}
		byName, err := scanRecord(tx.QueryRow(ctx, `SELECT record FROM `+pgRecords+` WHERE collection = $1 AND filename = $2 FOR UPDATE`, coll, u.Filename))
		if err != nil {
			return err
		}
		// A failed document's bytes under the name of another document:
		// the name wins, the upload is a new version of that one.
		if old == nil || (byName != nil && byName.ID != old.ID) {
			old = byName
		}
		var rec Record
		dropHash := ""
		if old != nil {
			rec = *old
			rec.Version++
			if old.Hash != u.Blob.Hash {
				dropHash = old.Hash
			}
		} else {
			id, indexed, err := pickID(baseID, u.Filename, func(id string) (bool, error) {
				var used bool
				err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+pgRecords+` WHERE collection = $1 AND id = $2)`, coll, id).Scan(&used)
				return used, err
			}, taken)
			if err != nil {
				return err
			}
			var seq int64
			if err := tx.QueryRow(ctx, `SELECT nextval('`+pgRecords+`_seq')`).Scan(&seq); err != nil {
				return err
			}
			rec = Record{Collection: coll, ID: id, Version: 1, Indexed: indexed, Seq: uint64(seq), Created: now}
		}
		rec.Filename, rec.Title, rec.Source, rec.Date = u.Filename, u.Title, u.Source, u.Date
		rec.Hash, rec.Size = u.Blob.Hash, u.Blob.Size
		rec.Status, rec.Error, rec.ErrorCode, rec.Chunks, rec.Updated = StatusQueued, "", "", 0, now
		// A new version keeps the lease of the job running on the old
		// one, so that the two never run at once.
		rec.JobSeq = 0
		if err := pgPut(ctx, tx, old, &rec); err != nil {
			return err
		}
		if dropHash != "" {
			if err := dropUnused(ctx, tx, coll, dropHash); err != nil {
				return err
			}
		}
		out, queued = rec, true
		return nil
	})
	if err != nil {
		return Record{}, false, fmt.Errorf("record upload of %s: %w", u.Filename, err)
	}
	return out, queued, nil
}

// Get returns one record.
func (s *PgStore) Get(ctx context.Context, coll, id string) (Record, error) {
	r, err := scanRecord(s.pool.QueryRow(ctx, `SELECT record FROM `+pgRecords+` WHERE collection = $1 AND id = $2`, coll, id))
	if err == nil && r == nil {
		err = ErrNotFound
	}
	if err != nil {
		return Record{}, fmt.Errorf("document %s of %s: %w", id, coll, err)
	}
	return *r, nil
}

// Update changes one record in a transaction that holds its row.
func (s *PgStore) Update(ctx context.Context, coll, id string, fn func(*Record) error) (Record, error) {
	return s.update(ctx, coll, id, func(r *Record, _ time.Time) error { return fn(r) })
}

// update is Update with the database's time for fn.
func (s *PgStore) update(ctx context.Context, coll, id string, fn func(r *Record, now time.Time) error) (Record, error) {
	var out Record
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		old, err := pgRecord(ctx, tx, coll, id, true)
		if err != nil {
			return err
		}
		if old == nil {
			return ErrNotFound
		}
		now, err := pgNow(ctx, tx)
		if err != nil {
			return err
		}
		rec := *old
		if err := fn(&rec, now); err != nil {
			return err
		}
		rec.Collection, rec.ID, rec.Hash, rec.Filename, rec.Seq = old.Collection, old.ID, old.Hash, old.Filename, old.Seq
		rec.Updated = now
		if err := pgPut(ctx, tx, old, &rec); err != nil {
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

// Remove deletes a record, and its file unless another record points at
// the same bytes.
func (s *PgStore) Remove(ctx context.Context, coll, id string) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockCollection(ctx, tx, coll); err != nil {
			return err
		}
		var hash string
		err := tx.QueryRow(ctx, `DELETE FROM `+pgRecords+` WHERE collection = $1 AND id = $2 RETURNING hash`, coll, id).Scan(&hash)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		return dropUnused(ctx, tx, coll, hash)
	})
	if err != nil {
		return fmt.Errorf("remove document %s of %s: %w", id, coll, err)
	}
	return nil
}

// Unindexed lists the records no version of which is indexed.
func (s *PgStore) Unindexed(ctx context.Context, coll string, offset, limit int) ([]Record, int, error) {
	var (
		out   []Record
		total int
	)
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+pgRecords+` WHERE collection = $1 AND NOT indexed`, coll).Scan(&total); err != nil {
			return err
		}
		var lim any // NULL: all
		if limit > 0 {
			lim = limit
		}
		rows, err := tx.Query(ctx, `SELECT record FROM `+pgRecords+` WHERE collection = $1 AND NOT indexed
			ORDER BY seq OFFSET $2 LIMIT $3`, coll, max(offset, 0), lim)
		if err != nil {
			return err
		}
		for rows.Next() {
			r, err := scanRecord(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, *r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list uploads of %s: %w", coll, err)
	}
	return out, total, nil
}

// Count returns a collection's records by status.
func (s *PgStore) Count(ctx context.Context, coll string) (Counts, error) {
	rows, err := s.pool.Query(ctx, `SELECT status, count(*), count(*) FILTER (WHERE NOT indexed)
		FROM `+pgRecords+` WHERE collection = $1 GROUP BY status`, coll)
	if err != nil {
		return Counts{}, fmt.Errorf("count uploads of %s: %w", coll, err)
	}
	var c Counts
	for rows.Next() {
		var (
			status            string
			n, notIndexedHere int
		)
		if err := rows.Scan(&status, &n, &notIndexedHere); err != nil {
			rows.Close()
			return Counts{}, fmt.Errorf("count uploads of %s: %w", coll, err)
		}
		c.Records += n
		c.Unindexed += notIndexedHere
		switch Status(status) {
		case StatusQueued:
			c.Queued = n
		case StatusProcessing:
			c.Processing = n
		case StatusFailed:
			c.Failed = n
		case StatusDeleting:
			c.Deleting = n
		}
	}
	if err := rows.Err(); err != nil {
		return Counts{}, fmt.Errorf("count uploads of %s: %w", coll, err)
	}
	return c, nil
}

// pgLease gives r's lease to owner until now+lease, and marks a queued
// record processing.
func pgLease(ctx context.Context, tx pgx.Tx, r *Record, owner string, lease time.Duration, now time.Time) (Record, error) {
	rec := *r
	rec.Lease, rec.LeaseUntil = owner, now.Add(lease)
	if rec.Status == StatusQueued {
		rec.Status = StatusProcessing
		rec.Updated = now
	}
	if err := pgPut(ctx, tx, r, &rec); err != nil {
		return Record{}, err
	}
	return rec, nil
}

// Claim takes the lease of the oldest claimable job. Rows other
// transactions hold are skipped rather than waited for: a job being
// changed is not free to take anyway.
func (s *PgStore) Claim(ctx context.Context, owner string, lease time.Duration) (Record, bool, error) {
	var (
		out Record
		ok  bool
	)
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var (
			raw []byte
			now time.Time
		)
		err := tx.QueryRow(ctx, `SELECT record, now() FROM `+pgRecords+`
			WHERE job_seq IS NOT NULL AND (lease = '' OR lease_until < now())
			ORDER BY job_seq LIMIT 1 FOR UPDATE SKIP LOCKED`).Scan(&raw, &now)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		var r Record
		if err := json.Unmarshal(raw, &r); err != nil {
			return fmt.Errorf("record: %w", err)
		}
		out, err = pgLease(ctx, tx, &r, owner, lease, now.UTC())
		ok = err == nil
		return err
	})
	if err != nil {
		return Record{}, false, fmt.Errorf("claim a job: %w", err)
	}
	return out, ok, nil
}

// Acquire takes one record's lease when it is free or expired.
func (s *PgStore) Acquire(ctx context.Context, coll, id, owner string, lease time.Duration) (Record, bool, error) {
	var (
		out Record
		ok  bool
	)
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ok = false
		r, err := pgRecord(ctx, tx, coll, id, true)
		if err != nil {
			return err
		}
		if r == nil {
			return ErrNotFound
		}
		now, err := pgNow(ctx, tx)
		if err != nil {
			return err
		}
		if r.Lease != "" && r.Lease != owner && !now.After(r.LeaseUntil) {
			out = *r
			return nil
		}
		out, err = pgLease(ctx, tx, r, owner, lease, now)
		ok = err == nil
		return err
	})
	if err != nil {
		return Record{}, false, fmt.Errorf("document %s of %s: %w", id, coll, err)
	}
	return out, ok, nil
}

// Renew extends a lease its owner holds, by the database's clock.
func (s *PgStore) Renew(ctx context.Context, coll, id, owner string, lease time.Duration) (Record, error) {
	return s.update(ctx, coll, id, func(r *Record, now time.Time) error {
		if r.Lease != owner {
			return ErrLeaseLost
		}
		r.LeaseUntil = now.Add(lease)
		return nil
	})
}

// RemoveCollection deletes a collection's records, jobs and files.
func (s *PgStore) RemoveCollection(ctx context.Context, coll string) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockCollection(ctx, tx, coll); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM `+pgRecords+` WHERE collection = $1`, coll); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM `+pgBlobs+` WHERE collection = $1`, coll)
		return err
	})
	if err != nil {
		return fmt.Errorf("remove uploads of %s: %w", coll, err)
	}
	return nil
}
