package uploads

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
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
	// Workers is how many documents are ingested at once; default half
	// the CPUs, at least 1.
	Workers int
	// Retries is how often a job whose indexing failed for a reason
	// other than the file (an embeddings service that is down, say) is
	// tried again, with a growing pause; default 2.
	Retries int
	// RetryPause is the first pause; default 2 s.
	RetryPause time.Duration
	// Logger reports what happens in the background; default none.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = max(1, runtime.NumCPU()/2)
	}
	if c.Retries < 0 {
		c.Retries = 0
	} else if c.Retries == 0 {
		c.Retries = 2
	}
	if c.RetryPause <= 0 {
		c.RetryPause = 2 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// docKey names a document across collections.
type docKey struct{ coll, id string }

// slot serialises the work on one document: a job, a delete. lock is a
// one-token channel, so that waiting for it can be abandoned.
type slot struct {
	key     docKey
	lock    chan struct{}
	refs    int
	cancel  context.CancelCauseFunc // of the job running on it, if any
	version int
}

// job is a queued unit of work.
type job struct {
	key     docKey
	version int
}

// Errors a running job's context is cancelled with.
var (
	errSuperseded = errors.New("a newer version was uploaded")
	errDeleted    = errors.New("the document is being deleted")
)

// Manager accepts uploads and runs their ingestion jobs on a bounded pool
// of workers. It is safe for concurrent use.
type Manager struct {
	store Store
	index Index
	parse Parser
	cfg   Config
	log   *slog.Logger

	ctx    context.Context // the workers'; cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	wake     *sync.Cond
	queue    []job
	slots    map[docKey]*slot
	progress map[docKey]float64
	closed   bool
	// blocked collections are being deleted and take no uploads.
	blocked map[string]bool
}

// NewManager returns a Manager; Start resumes the unfinished jobs and
// starts the workers.
func NewManager(store Store, index Index, parse Parser, cfg Config) *Manager {
	cfg = cfg.withDefaults()
	m := &Manager{
		store: store, index: index, parse: parse, cfg: cfg, log: cfg.Logger,
		slots: map[docKey]*slot{}, progress: map[docKey]float64{}, blocked: map[string]bool{},
	}
	m.wake = sync.NewCond(&m.mu)
	m.ctx, m.cancel = context.WithCancel(context.Background())
	return m
}

// Start queues every job that was acknowledged and not finished when the
// last process stopped, in the order they were queued, finishes the
// deletions that were under way, and starts the workers.
func (m *Manager) Start(ctx context.Context) error {
	recs, err := m.store.Unfinished(ctx)
	if err != nil {
		return err
	}
	resumed := 0
	for _, r := range recs {
		key := docKey{r.Collection, r.ID}
		if r.Status == StatusDeleting {
			if err := m.finishDelete(ctx, key); err != nil {
				return fmt.Errorf("finish deleting %s of %s: %w", r.ID, r.Collection, err)
			}
			continue
		}
		m.enqueue(job{key, r.Version})
		resumed++
	}
	if resumed > 0 {
		m.log.Info("resuming ingestion jobs", "jobs", resumed)
	}
	for range m.cfg.Workers {
		m.wg.Add(1)
		go m.worker()
	}
	return nil
}

// Close stops the workers: a job in progress is abandoned, its document
// left as it was in the index, and it runs again at the next start. It
// does not close the store.
func (m *Manager) Close() {
	m.mu.Lock()
	m.closed = true
	m.wake.Broadcast()
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
		m.supersede(docKey{coll, rec.ID}, rec.Version)
		m.enqueue(job{docKey{coll, rec.ID}, rec.Version})
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

func (m *Manager) withProgress(r Record) Record {
	switch r.Status {
	case StatusReady:
		r.Progress = 1
	case StatusProcessing:
		m.mu.Lock()
		r.Progress = m.progress[docKey{r.Collection, r.ID}]
		m.mu.Unlock()
	}
	return r
}

// Delete removes a document, uploaded or loaded in bulk: it stops its job
// if one runs, takes it out of the index and forgets its record and file.
// When Delete returns nil no search uses the document. It returns
// ErrNotFound when the collection has no such document.
func (m *Manager) Delete(ctx context.Context, coll, id string) error {
	key := docKey{coll, id}
	_, err := m.store.Update(ctx, coll, id, func(r *Record) error {
		r.Status, r.Error = StatusDeleting, ""
		return nil
	})
	switch {
	case errors.Is(err, ErrNotFound):
		_, ok, err := m.index.Filename(ctx, coll, id)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("document %s of %s: %w", id, coll, ErrNotFound)
		}
	case err != nil:
		return err
	}
	m.supersede(key, -1)
	return m.finishDelete(ctx, key)
}

// finishDelete takes the document out of the index and the store, once
// no job works on it.
func (m *Manager) finishDelete(ctx context.Context, key docKey) error {
	s, err := m.acquire(ctx, key)
	if err != nil {
		return err
	}
	defer m.release(key, s)
	if err := m.index.Delete(ctx, key.coll, key.id); err != nil && !errors.Is(err, ErrNoCollection) {
		return err
	}
	return m.store.Remove(ctx, key.coll, key.id)
}

// DeleteCollection stops the collection's jobs, has drop delete it from the
// index, then forgets its records and files. Uploads to it are refused
// while it runs.
func (m *Manager) DeleteCollection(ctx context.Context, coll string, drop func(context.Context) error) error {
	m.mu.Lock()
	m.blocked[coll] = true
	var running []*slot
	for k, s := range m.slots {
		if k.coll == coll {
			if s.cancel != nil {
				s.cancel(errDeleted)
			}
			s.refs++
			running = append(running, s)
		}
	}
	m.dropQueuedLocked(coll)
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		delete(m.blocked, coll)
		for _, s := range running {
			m.unrefLocked(s)
		}
		m.mu.Unlock()
	}()
	// Wait for the jobs to let go of their documents.
	for _, s := range running {
		select {
		case s.lock <- struct{}{}:
			<-s.lock
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := drop(ctx); err != nil {
		return err
	}
	return m.store.RemoveCollection(ctx, coll)
}

// supersede cancels the job running on a document unless it is for the
// given version (-1: any job).
func (m *Manager) supersede(key docKey, version int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.slots[key]; s != nil && s.cancel != nil && s.version != version {
		cause := errSuperseded
		if version < 0 {
			cause = errDeleted
		}
		s.cancel(cause)
	}
}

func (m *Manager) enqueue(j job) {
	m.mu.Lock()
	m.queue = append(m.queue, j)
	m.wake.Signal()
	m.mu.Unlock()
}

// next waits for a job; ok is false once the manager is closed.
func (m *Manager) next() (job, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for len(m.queue) == 0 && !m.closed {
		m.wake.Wait()
	}
	if m.closed {
		return job{}, false
	}
	j := m.queue[0]
	m.queue[0] = job{}
	m.queue = m.queue[1:]
	return j, true
}

// acquire takes the document's slot, waiting for the job or delete that
// holds it.
func (m *Manager) acquire(ctx context.Context, key docKey) (*slot, error) {
	m.mu.Lock()
	s := m.slots[key]
	if s == nil {
		s = &slot{key: key, lock: make(chan struct{}, 1)}
		m.slots[key] = s
	}
	s.refs++
	m.mu.Unlock()
	select {
	case s.lock <- struct{}{}:
		return s, nil
	case <-ctx.Done():
		m.mu.Lock()
		m.unrefLocked(s)
		m.mu.Unlock()
		return nil, ctx.Err()
	}
}

func (m *Manager) release(key docKey, s *slot) {
	m.mu.Lock()
	s.cancel = nil
	delete(m.progress, key)
	m.unrefLocked(s)
	m.mu.Unlock()
	<-s.lock
}

// unrefLocked drops a reference to a slot, and the slot with the last one.
func (m *Manager) unrefLocked(s *slot) {
	s.refs--
	if s.refs == 0 && m.slots[s.key] == s {
		delete(m.slots, s.key)
	}
}

// dropQueuedLocked forgets the queued jobs of a collection.
func (m *Manager) dropQueuedLocked(coll string) {
	kept := m.queue[:0]
	for _, j := range m.queue {
		if j.key.coll != coll {
			kept = append(kept, j)
		}
	}
	clear(m.queue[len(kept):])
	m.queue = kept
}
