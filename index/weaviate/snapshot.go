package weaviate

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"wenda/index"
)

// A snapshot of a collection's term statistics spares a process that
// starts the sum over every document: it takes the sums as some process
// had them at a feed stamp, and reads the feed from there. Any process
// may write one (after counting everything, after every snapshotAfter
// changed documents or snapshotEvery while it keeps the statistics, and
// when it closes); each is a whole, consistent
// state, so the last one written wins without harm. It lives in the
// feed's class, under a stamp no feed read reaches, and goes with the
// collection.

// A process that keeps a collection's statistics writes a snapshot when
// snapshotAfter documents changed since its last one, or snapshotEvery
// after it when fewer did: a process that starts then reads the
// statistics of at most that many documents beside the snapshot.
const (
	snapshotAfter = 500
	snapshotEvery = 5 * time.Minute
)

// snapshotStamp marks the snapshot among the feed's objects.
const snapshotStamp = -1

type snapshot struct {
	Created   time.Time         `json:"created"`
	Watermark int64             `json:"watermark"`
	Chunks    int               `json:"chunks"`
	Terms     int               `json:"terms"`
	DF        map[string]int    `json:"df"`
	Counted   map[string]string `json:"counted"`
}

// saveSnapshot writes the tracker's sums. The caller holds t.sync.
func (t *tracker) saveSnapshot(ctx context.Context) error {
	t.mu.RLock()
	s := snapshot{Created: t.created, Watermark: t.watermark, Chunks: t.chunks, Terms: t.terms, DF: t.df, Counted: t.counted}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	err := json.NewEncoder(zw).Encode(s)
	t.mu.RUnlock()
	if err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	props := map[string]any{pChange: "snapshot", pStamp: snapshotStamp, pJSON: base64.StdEncoding.EncodeToString(buf.Bytes())}
	id := string(objectID("snapshot", t.coll))
	class := t.e.feedClass(t.coll)
	// Over HTTP: a snapshot of a large collection is megabytes, past what
	// a gRPC message may carry.
	err = callErr(ctx, t.e, func(ctx context.Context) error {
		err := t.e.client.Data().Updater().WithClassName(class).WithID(id).WithProperties(props).
			WithConsistencyLevel(t.e.cfg.Consistency).Do(ctx)
		// Weaviate answers the replacement of a missing object with
		// 404 or, in v1.35, 500 "no object with id".
		if isStatus(err, 404) || (err != nil && strings.Contains(unwrapFault(err).Error(), "no object with id")) {
			_, err = t.e.client.Data().Creator().WithClassName(class).WithID(id).WithProperties(props).
				WithConsistencyLevel(t.e.cfg.Consistency).Do(ctx)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("save the term statistics of %s: %w", t.coll, unwrapFault(err))
	}
	t.saved = time.Now()
	t.changedSinceSave = 0
	return nil
}

// loadSnapshot reads the collection's snapshot, if there is one recent
// enough to go on from (see statsHorizon) and of this incarnation of the
// collection.
func (e *Engine) loadSnapshot(ctx context.Context, c index.Collection) (*snapshot, error) {
	o, err := e.objectByID(ctx, e.feedClass(c.ID), objectID("snapshot", c.ID), pJSON)
	if errors.Is(err, index.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the term statistics of %s: %w", c.ID, unwrapFault(err))
	}
	raw, err := base64.StdEncoding.DecodeString(propString(o, pJSON))
	if err != nil {
		return nil, fmt.Errorf("read the term statistics of %s: %w", c.ID, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("read the term statistics of %s: %w", c.ID, err)
	}
	var s snapshot
	if err := json.NewDecoder(zr).Decode(&s); err != nil {
		return nil, fmt.Errorf("read the term statistics of %s: %w", c.ID, err)
	}
	io.Copy(io.Discard, zr)
	if !s.Created.Equal(c.Created) || time.Since(time.UnixMilli(s.Watermark)) > statsHorizon-2*feedMargin {
		return nil, nil
	}
	if s.DF == nil {
		s.DF = map[string]int{}
	}
	if s.Counted == nil {
		s.Counted = map[string]string{}
	}
	return &s, nil
}
