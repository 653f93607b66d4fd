package uploads

import (
	"context"
	"errors"
	"fmt"
	"time"

	"wenda/corpus"
	"wenda/endpoint"
)

// worker runs jobs until the manager closes: it claims the oldest job
// free to take, or waits to be woken or for the next poll.
func (m *Manager) worker(owner string) {
	defer m.wg.Done()
	for m.ctx.Err() == nil {
		rec, ok, err := m.store.Claim(m.ctx, owner, m.cfg.Lease)
		if err != nil {
			m.log.Error("claim an ingestion job", "err", err)
		}
		if ok {
			m.handle(owner, rec)
			continue
		}
		select {
		case <-m.ctx.Done():
		case <-m.wake:
		case <-time.After(m.cfg.PollInterval):
		}
	}
}

// handle runs a claimed job: a deletion to finish, or an ingestion.
func (m *Manager) handle(owner string, rec Record) {
	m.mu.Lock()
	blocked := m.blocked[rec.Collection]
	m.mu.Unlock()
	switch {
	case blocked:
		_ = m.release(rec.Collection, rec.ID, owner)
	case rec.Status == StatusDeleting:
		if err := m.finishDelete(m.ctx, rec); err != nil {
			m.log.Error("finish deleting a document", "collection", rec.Collection, "document", rec.ID, "err", err)
			_ = m.release(rec.Collection, rec.ID, owner)
		}
	default:
		m.run(owner, rec)
	}
}

// Shares of a job's progress: parsing, then embedding chunk by chunk;
// the rest is publishing.
const (
	progressParsed   = 0.05
	progressEmbedded = 0.95
)

// run ingests the version of the document the worker holds the lease of.
// The lease is renewed while it runs; a delete or a newer version, made
// here or in another process, stops it.
func (m *Manager) run(owner string, rec Record) {
	key := docKey{rec.Collection, rec.ID}
	ctx, cancel := context.WithCancelCause(m.ctx)
	defer cancel(nil)
	j := &running{version: rec.Version, cancel: cancel, done: make(chan struct{})}
	m.mu.Lock()
	m.running[key] = j
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		if m.running[key] == j {
			delete(m.running, key)
		}
		m.mu.Unlock()
		close(j.done)
	}()

	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		m.renew(ctx, cancel, owner, rec)
	}()
	start := time.Now()
	chunks, err := m.ingest(ctx, rec, j)
	stopped := context.Cause(ctx)
	cancel(nil)
	<-renewed

	if errors.Is(err, ErrNoCollection) {
		if err := m.store.Remove(context.Background(), rec.Collection, rec.ID); err != nil {
			m.log.Error("ingestion job: forget a document of a deleted collection", "collection", rec.Collection, "document", rec.ID, "err", err)
		}
		return
	}
	done := stopped == nil
	_, uerr := m.store.Update(context.Background(), rec.Collection, rec.ID, func(r *Record) error {
		if r.Lease != owner {
			return ErrLeaseLost
		}
		r.Lease, r.LeaseUntil = "", time.Time{}
		if !done || r.Version != rec.Version || r.Status != StatusProcessing {
			// Closing, superseded or being deleted: whoever comes next
			// takes over, and the job runs again if it still has to.
			return nil
		}
		if err != nil {
			r.Status, r.Chunks = StatusFailed, 0
			r.ErrorCode, r.Error = reason(err, r.Indexed)
		} else {
			r.Status, r.Error, r.ErrorCode, r.Chunks, r.Indexed = StatusReady, "", "", chunks, true
		}
		return nil
	})
	switch {
	case uerr != nil && !errors.Is(uerr, ErrNotFound):
		// Lost the lease (this process stalled past it), or the store
		// failed: the job is still unfinished in the store, so it runs
		// again, and putting the same document again replaces it with
		// itself.
		m.log.Error("ingestion job: record the outcome", "collection", rec.Collection, "document", rec.ID, "err", uerr)
	case !done:
		m.log.Info("ingestion stopped", "collection", rec.Collection, "document", rec.ID, "why", stopped)
	case err != nil:
		m.log.Warn("document failed", "collection", rec.Collection, "document", rec.ID, "filename", rec.Filename, "code", errorCode(err), "err", err)
	default:
		m.log.Info("document ready", "collection", rec.Collection, "document", rec.ID, "filename", rec.Filename, "chunks", chunks, "seconds", time.Since(start).Seconds())
	}
}

// renew keeps the lease until ctx ends, and stops the job when the record
// says a newer version or a delete is waiting, or the lease was lost.
func (m *Manager) renew(ctx context.Context, cancel context.CancelCauseFunc, owner string, rec Record) {
	t := time.NewTicker(m.cfg.renewEvery())
	defer t.Stop()
	// The lease runs at least until a renewal's request was sent plus
	// the lease. A worker that could not renew it (the store is
	// unreachable) stops one period before it may have run out, since
	// another process may take the job then.
	renewed := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		sent := time.Now()
		r, err := m.store.Renew(ctx, rec.Collection, rec.ID, owner, m.cfg.Lease)
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, ErrLeaseLost), errors.Is(err, ErrNotFound):
			cancel(fmt.Errorf("%w: %w", ErrLeaseLost, err))
			return
		case err != nil && time.Since(renewed) >= m.cfg.Lease-m.cfg.renewEvery():
			cancel(fmt.Errorf("%w: not renewed since %s: %w", ErrLeaseLost, renewed.Format(time.RFC3339), err))
			return
		case err != nil:
			m.log.Warn("renew the lease of an ingestion job", "collection", rec.Collection, "document", rec.ID, "err", err)
			continue
		}
		renewed = sent
		switch {
		case r.Status == StatusDeleting:
			cancel(errDeleted)
			return
		case r.Version != rec.Version:
			cancel(errSuperseded)
			return
		}
	}
}

// ingest parses the stored file and puts the document into the index,
// trying again after failures that are not the file's.
func (m *Manager) ingest(ctx context.Context, rec Record, j *running) (int, error) {
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
	m.setProgress(j, progressParsed)
	progress := func(done, total int) {
		if total > 0 {
			m.setProgress(j, progressParsed+(progressEmbedded-progressParsed)*float64(done)/float64(total))
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

func (m *Manager) setProgress(j *running, p float64) {
	m.mu.Lock()
	j.progress = p
	m.mu.Unlock()
}

// The codes of a failure that is not the file's.
const (
	CodeEmbeddingsUnavailable = "embeddings_unavailable"
	CodeEmbeddingsTimeout     = "embeddings_timeout"
	CodeEmbeddingsRejected    = "embeddings_rejected"
	CodeIndexingFailed        = "indexing_failed"
)

// ErrorCodes lists every Record.ErrorCode a failed document may carry.
func ErrorCodes() []string {
	return append(corpus.FileErrorCodes(), CodeEmbeddingsUnavailable, CodeEmbeddingsTimeout, CodeEmbeddingsRejected, CodeIndexingFailed)
}

// errorCode names why a document failed (Record.ErrorCode).
func errorCode(err error) string {
	var fe *corpus.FileError
	switch {
	case errors.As(err, &fe):
		return fe.Code()
	case errors.Is(err, endpoint.ErrTimeout):
		return CodeEmbeddingsTimeout
	case errors.Is(err, endpoint.ErrUnavailable):
		return CodeEmbeddingsUnavailable
	case errors.Is(err, endpoint.ErrRejected):
		return CodeEmbeddingsRejected
	default:
		return CodeIndexingFailed
	}
}

// reason says why a document failed: its code, and words its uploader can
// act on. A file the parser rejects says what is wrong with it; a failure
// of the embeddings service says so; anything else is the server's, told
// in the log, not here.
func reason(err error, indexed bool) (code, msg string) {
	code = errorCode(err)
	var fe *corpus.FileError
	switch {
	case errors.As(err, &fe):
		msg = "the file could not be read: " + fe.Reason
	case code == CodeEmbeddingsUnavailable, code == CodeEmbeddingsTimeout:
		msg = "the embeddings service could not be reached or did not answer in time; upload the file again to retry"
	case code == CodeEmbeddingsRejected:
		msg = "the embeddings service refused the request (the server's embedding model or key may be wrong); tell the operator"
	default:
		msg = "indexing failed on the server (the server log has the details); upload the file again to retry"
	}
	if indexed {
		msg += "; the previous version stays searchable"
	}
	return code, msg
}
