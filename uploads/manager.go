package uploads

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"time"

	"wenda/corpus"
)

// Index is where the jobs put documents: the engine behind the ingest
// pipeline.
type Index interface {
	// Put chunks, embeds and publishes doc in the collection, replacing
	// the document with the same id in one step; progress reports the
	// chunks embedded so far. On error, ctx's included, nothing of doc is
	// visible. It returns the number of chunks.
	Put(ctx context.Context, coll string, doc corpus.Document, progress func(done, total int)) (int, error)
	// Delete removes a document; after it returns, no search sees it.
	Delete(ctx context.Context, coll, id string) error
	// Filename reports whether the collection holds a document with the
	// id, and the file it came from.
	Filename(ctx context.Context, coll, id string) (string, bool, error)
}

// ErrNoCollection is what Index.Put returns, wrapped, when the collection
// is gone; the job then ends with its record.
var ErrNoCollection = errors.New("no such collection")

// Parser turns an uploaded file into a cleaned document; a file it cannot
// read gives a *corpus.FileError whose Reason is shown to the uploader.
type Parser func(ctx context.Context, name string, raw []byte) (corpus.Document, error)

// Config tunes a Manager. Zero values select the defaults.
type Config struct {
	// Workers is how many documents this process ingests at once;
	// default half the CPUs, at least 1.
	Workers int
	// Retries is how often a job whose indexing failed for a reason
	// other than the file (an embeddings service that is down, say) is
	// tried again, with a growing pause; default 2, negative for none.
	Retries int
	// RetryPause is the first pause; default 2 s.
	RetryPause time.Duration
	// Lease is how long a worker holds a job without renewing it: after
	// a crash, another process takes the job over once it expires.
	// Default 2 min.
	Lease time.Duration
	// PollInterval is how often idle workers look for jobs that other
	// processes queued; jobs queued here wake them at once. Default 1 s.
	PollInterval time.Duration
	// Logger reports what happens in the background; default none.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = max(1, runtime.NumCPU()/2)
	}
	switch {
	case c.Retries < 0:
		c.Retries = 0
	case c.Retries == 0:
		c.Retries = 2
	}
	if c.RetryPause <= 0 {
		c.RetryPause = 2 * time.Second
	}
	if c.Lease <= 0 {
		c.Lease = 2 * time.Minute
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// renewEvery is how often a running job renews its lease, and so how soon
// it notices a delete or a newer version made by another process.
func (c Config) renewEvery() time.Duration { return min(c.Lease/3, 5*time.Second) }

// docKey names a document across collections.
type docKey struct{ coll, id string }

// running is a job this process runs.
type running struct {
	version  int
	cancel   context.CancelCauseFunc
	done     chan struct{}
	progress float64
}

// Causes a running job's context is cancelled with.
var (
	errSuperseded = errors.New("a newer version was uploaded")
	errDeleted    = errors.New("the document is being deleted")
)

// Manager accepts uploads and runs their ingestion jobs on a bounded pool
// of workers. Several processes may share one Store, each with its own
// Manager: each job is run by one worker at a time, the one holding its
// lease. It is safe for concurrent use.
type Manager struct {
	store Store
	index Index
	parse Parser
	cfg   Config
	log   *slog.Logger
	owner string // this manager's name in leases

	ctx    context.Context // the workers'; cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
	wake   chan struct{}

	mu      sync.Mutex
	running map[docKey]*running
	closed  bool
	// blocked collections are being deleted and take no uploads.
	blocked map[string]bool
}

// NewManager returns a Manager; Start starts its workers.
func NewManager(store Store, index Index, parse Parser, cfg Config) *Manager {
	cfg = cfg.withDefaults()
	host, _ := os.Hostname()
	m := &Manager{
		store: store, index: index, parse: parse, cfg: cfg, log: cfg.Logger,
		owner:   fmt.Sprintf("%s/%d/%s", host, os.Getpid(), rand.Text()[:8]),
		wake:    make(chan struct{}, cfg.Workers),
		running: map[docKey]*running{}, blocked: map[string]bool{},
	}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	return m
}

// Start starts the workers. They take every job that was acknowledged and
// not finished, this process's earlier ones included, oldest first.
func (m *Manager) Start(ctx context.Context) error {
	for i := range m.cfg.Workers {
		m.wg.Add(1)
		go m.worker(fmt.Sprintf("%s/w%d", m.owner, i))
	}
	return nil
}

// Close stops the workers: a job in progress is abandoned, its document
// left as it was in the index, and its lease given back, so that it runs
// again, here at the next start or in another process. It does not close
// the store.
func (m *Manager) Close() {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	m.cancel()
	m.wg.Wait()
}

// SaveBlob stores an uploaded file durably, up to limit bytes.
func (m *Manager) SaveBlob(ctx context.Context, coll string, r io.Reader, limit int64) (Blob, error) {
	return m.store.SaveBlob(ctx, coll, r, limit)
}

// DropBlob removes a stored file whose upload was not accepted, unless a
// document's record points at it.
func (m *Manager) DropBlob(ctx context.Context, coll, hash string) error {
	return m.store.DropBlob(ctx, coll, hash)
}

// Accept records an upload whose blob is stored and queues its job.
// When it returns, the upload is acknowledged: it will be ingested even if
// the process dies. baseID is the id a new document gets (see
// Store.Accept). Identical bytes give back the existing record, with
// queued false.
func (m *Manager) Accept(ctx context.Context, coll string, u Upload, baseID string) (rec Record, queued bool, err error) {
	m.mu.Lock()
	closed, blocked := m.closed, m.blocked[coll]
	m.mu.Unlock()
	switch {
	case closed:
		return Record{}, false, ErrClosed
	case blocked:
		return Record{}, false, fmt.Errorf("collection %s: %w", coll, ErrNoCollection)
	}
	taken := func(id string) (string, bool, error) { return m.index.Filename(ctx, coll, id) }
	rec, queued, err = m.store.Accept(ctx, coll, u, baseID, taken)
	if err != nil {
		return Record{}, false, err
	}
	if queued {
		m.stop(docKey{coll, rec.ID}, errSuperseded)
		m.notify()
	}
	return m.withProgress(rec), queued, nil
}

// Get returns a document's record with its progress.
func (m *Manager) Get(ctx context.Context, coll, id string) (Record, error) {
	rec, err := m.store.Get(ctx, coll, id)
	if err != nil {
		return Record{}, err
	}
	return m.withProgress(rec), nil
}

// Unindexed lists the documents of which no version is indexed yet, oldest
// first, with their progress; see Store.Unindexed.
func (m *Manager) Unindexed(ctx context.Context, coll string, offset, limit int) ([]Record, int, error) {
	recs, total, err := m.store.Unindexed(ctx, coll, offset, limit)
	for i := range recs {
		recs[i] = m.withProgress(recs[i])
	}
	return recs, total, err
}

// Count returns a collection's records by status.
func (m *Manager) Count(ctx context.Context, coll string) (Counts, error) {
	return m.store.Count(ctx, coll)
}

// withProgress fills in the progress of a job this process runs; one that
// another process runs shows 0 until it is done.
func (m *Manager) withProgress(r Record) Record {
	switch r.Status {
	case StatusReady:
		r.Progress = 1
	case StatusProcessing:
		m.mu.Lock()
		if j := m.running[docKey{r.Collection, r.ID}]; j != nil && j.version == r.Version {
			r.Progress = j.progress
		}
		m.mu.Unlock()
	}
	return r
}

// Delete removes a document, uploaded or loaded in bulk: it stops its job
// if one runs, here or in another process, takes it out of the index and
// forgets its record and file. When Delete returns nil no search uses the
// document. It returns ErrNotFound when the collection has no such
// document. When ctx ends first, the deletion is finished later by a
// worker: the record stays marked deleting.
func (m *Manager) Delete(ctx context.Context, coll, id string) error {
	key := docKey{coll, id}
	marked, err := m.store.Update(ctx, coll, id, func(r *Record) error {
		r.Status, r.Error, r.ErrorCode = StatusDeleting, "", ""
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		// A document loaded in bulk has no record.
		_, ok, err := m.index.Filename(ctx, coll, id)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("document %s of %s: %w", id, coll, ErrNotFound)
		}
		return m.index.Delete(ctx, coll, id)
	}
	if err != nil {
		return err
	}
	m.stop(key, errDeleted)
	// Wait for whoever holds the document's job to let go of it.
	owner := m.owner + "/d" + rand.Text()[:8]
	for {
		rec, ok, err := m.store.Acquire(ctx, coll, id, owner, m.cfg.Lease)
		switch {
		case errors.Is(err, ErrNotFound):
			return nil // a worker finished the deletion
		case err != nil:
			return err
		case ok && rec.Status == StatusReady && rec.Version > marked.Version:
			// Uploaded again while the delete waited, and the new
			// version is already in: as if the delete came first.
			return m.release(coll, id, owner)
		case ok && rec.Status != StatusDeleting:
			// Uploaded again while the delete waited: as if the delete
			// came first, the version that was indexed goes, and the new
			// one is ingested after.
			return m.dropIndexed(ctx, rec, owner)
		case ok:
			return m.finishDelete(ctx, rec)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// finishDelete takes a document whose lease the caller holds out of the
// index and the store.
func (m *Manager) finishDelete(ctx context.Context, rec Record) error {
	if err := m.index.Delete(ctx, rec.Collection, rec.ID); err != nil && !errors.Is(err, ErrNoCollection) {
		return err
	}
	return m.store.Remove(ctx, rec.Collection, rec.ID)
}

// dropIndexed takes what is indexed of a document out of the index and
// gives back its lease, leaving its new version's job to run.
func (m *Manager) dropIndexed(ctx context.Context, rec Record, owner string) error {
	if err := m.index.Delete(ctx, rec.Collection, rec.ID); err != nil && !errors.Is(err, ErrNoCollection) {
		_ = m.release(rec.Collection, rec.ID, owner)
		return err
	}
	_, err := m.store.Update(context.WithoutCancel(ctx), rec.Collection, rec.ID, func(r *Record) error {
		if r.Lease == owner {
			r.Lease, r.LeaseUntil = "", time.Time{}
		}
		r.Indexed = false
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	m.notify()
	return err
}

// release gives back a lease without changing the record otherwise.
func (m *Manager) release(coll, id, owner string) error {
	_, err := m.store.Update(context.Background(), coll, id, func(r *Record) error {
		if r.Lease != owner {
			return ErrLeaseLost
		}
		r.Lease, r.LeaseUntil = "", time.Time{}
		return nil
	})
	if errors.Is(err, ErrLeaseLost) || errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// DeleteCollection stops the collection's jobs in this process, has drop
// delete it from the index, then forgets its records and files. Uploads to
// it are refused while it runs; jobs of other processes fail on the
// missing collection and end.
func (m *Manager) DeleteCollection(ctx context.Context, coll string, drop func(context.Context) error) error {
	m.mu.Lock()
	m.blocked[coll] = true
	var waits []chan struct{}
	for k, j := range m.running {
		if k.coll == coll {
			j.cancel(errDeleted)
			waits = append(waits, j.done)
		}
	}
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		delete(m.blocked, coll)
		m.mu.Unlock()
	}()
	for _, w := range waits {
		select {
		case <-w:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := drop(ctx); err != nil {
		return err
	}
	return m.store.RemoveCollection(ctx, coll)
}

// stop cancels the job this process runs on a document, if any.
func (m *Manager) stop(key docKey, cause error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if j := m.running[key]; j != nil {
		j.cancel(cause)
	}
}

// notify wakes an idle worker.
func (m *Manager) notify() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}
