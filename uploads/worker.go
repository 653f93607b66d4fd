package uploads

import (
	"context"
	"errors"
	"fmt"
	"time"

	"wenda/corpus"
	"wenda/endpoint"
)

// worker runs jobs until the manager closes.
func (m *Manager) worker() {
	defer m.wg.Done()
	for {
		j, ok := m.next()
		if !ok {
			return
		}
		m.run(j)
	}
}

// Shares of a job's progress: parsing, then embedding chunk by chunk;
// the rest is publishing.
const (
	progressParsed   = 0.05
	progressEmbedded = 0.95
)

// run ingests one version of a document. It holds the document's slot
// throughout, so that a delete or a newer version waits for it or stops
// it; and it checks, once it holds the slot, that its version is still the
// one to ingest.
func (m *Manager) run(j job) {
	s, err := m.acquire(m.ctx, j.key)
	if err != nil {
		return // closing
	}
	defer m.release(j.key, s)

	m.mu.Lock()
	blocked := m.blocked[j.key.coll]
	m.mu.Unlock()
	rec, err := m.store.Get(m.ctx, j.key.coll, j.key.id)
	switch {
	case blocked, errors.Is(err, ErrNotFound):
		return
	case err != nil:
		m.log.Error("ingestion job: read record", "collection", j.key.coll, "document", j.key.id, "err", err)
		return
	case rec.Version != j.version || (rec.Status != StatusQueued && rec.Status != StatusProcessing):
		return // superseded, deleted or done
	}

	ctx, cancel := context.WithCancelCause(m.ctx)
	defer cancel(nil)
	m.mu.Lock()
	s.cancel, s.version = cancel, rec.Version
	m.progress[j.key] = 0
	m.mu.Unlock()

	if rec.Status != StatusProcessing {
		if _, err := m.store.Update(ctx, rec.Collection, rec.ID, func(r *Record) error {
			if r.Version != rec.Version {
				return errSuperseded
			}
			r.Status = StatusProcessing
			return nil
		}); err != nil {
			if !errors.Is(err, errSuperseded) && ctx.Err() == nil {
				m.log.Error("ingestion job: mark processing", "collection", rec.Collection, "document", rec.ID, "err", err)
			}
			return
		}
	}
	start := time.Now()
	chunks, err := m.ingest(ctx, rec)
	if ctx.Err() != nil {
		// Closing, superseded or deleted: whoever cancelled takes over,
		// and at a restart the job runs again.
		return
	}
	if errors.Is(err, ErrNoCollection) {
		if err := m.store.Remove(m.ctx, rec.Collection, rec.ID); err != nil {
			m.log.Error("ingestion job: forget document of a deleted collection", "collection", rec.Collection, "document", rec.ID, "err", err)
		}
		return
	}
	_, uerr := m.store.Update(m.ctx, rec.Collection, rec.ID, func(r *Record) error {
		if r.Version != rec.Version || r.Status == StatusDeleting {
			return errSuperseded
		}
		if err != nil {
			r.Status, r.Error, r.Chunks = StatusFailed, reason(err, r.Indexed), 0
			return nil
		}
		r.Status, r.Error, r.Chunks, r.Indexed = StatusReady, "", chunks, true
		return nil
	})
	switch {
	case uerr != nil && !errors.Is(uerr, errSuperseded):
		// The document is in the index but its record does not say so:
		// the job runs again at the next start and puts it again, which
		// replaces it with itself.
		m.log.Error("ingestion job: record the outcome", "collection", rec.Collection, "document", rec.ID, "err", uerr)
	case err != nil:
		m.log.Warn("document failed", "collection", rec.Collection, "document", rec.ID, "filename", rec.Filename, "reason", reason(err, false), "err", err)
	default:
		m.log.Info("document ready", "collection", rec.Collection, "document", rec.ID, "filename", rec.Filename, "chunks", chunks, "seconds", time.Since(start).Seconds())
	}
}

// ingest parses the stored file and puts the document into the index,
// trying again after failures that are not the file's.
func (m *Manager) ingest(ctx context.Context, rec Record) (int, error) {
	raw, err := m.store.ReadBlob(ctx, rec.Collection, rec.Hash)
	if err != nil {
		return 0, fmt.Errorf("read the stored file: %w", err)
	}
	doc, err := m.parse(ctx, rec.Filename, raw)
	if err != nil {
		return 0, err
	}
	raw = nil
	doc.ID, doc.Path = rec.ID, rec.Filename
	if rec.Title != "" {
		doc.Title = rec.Title
	}
	if rec.Source != "" {
		doc.Source = rec.Source
	}
	if rec.Date != "" {
		doc.Date = rec.Date
	}
	key := docKey{rec.Collection, rec.ID}
	m.setProgress(key, progressParsed)
	progress := func(done, total int) {
		if total > 0 {
			m.setProgress(key, progressParsed+(progressEmbedded-progressParsed)*float64(done)/float64(total))
		}
	}
	pause := m.cfg.RetryPause
	for attempt := 0; ; attempt++ {
		n, err := m.index.Put(ctx, rec.Collection, doc, progress)
		if err == nil || errors.Is(err, ErrNoCollection) || ctx.Err() != nil || attempt >= m.cfg.Retries {
			return n, err
		}
		m.log.Warn("indexing failed; trying again", "collection", rec.Collection, "document", rec.ID, "pause", pause, "err", err)
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			return 0, ctx.Err()
		}
		pause *= 4
	}
}

func (m *Manager) setProgress(key docKey, p float64) {
	m.mu.Lock()
	m.progress[key] = p
	m.mu.Unlock()
}

// reason says why a document failed, in words its uploader can act on: a
// file the parser rejects says what is wrong with it; a failure of the
// embeddings service says so; anything else is the server's, told in the
// log, not here.
func reason(err error, indexed bool) string {
	var fe *corpus.FileError
	var msg string
	switch {
	case errors.As(err, &fe):
		msg = "the file could not be read: " + fe.Reason
	case errors.Is(err, endpoint.ErrUnavailable), errors.Is(err, endpoint.ErrTimeout):
		msg = "the embeddings service could not be reached or did not answer in time; upload the file again to retry"
	case errors.Is(err, endpoint.ErrRejected):
		msg = "the embeddings service refused the request (the server's embedding model or key may be wrong); tell the operator"
	default:
		msg = "indexing failed on the server (the server log has the details); upload the file again to retry"
	}
	if indexed {
		msg += "; the previous version stays searchable"
	}
	return msg
}
