package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"wenda/internal/durable"
)

// Compaction: every replaced or deleted document leaves its old record in
// the log. When the log holds more than twice what is live (and more than
// compactMinBytes), the live documents are written, each under its own
// version, into a new log beside the old one; a marker file ends the new
// log, and the old one is swapped for it. A crash before the marker leaves
// the old log in use (the new one is removed at the next open); after it,
// the next open finishes the swap. Writers wait while the collection is
// compacted; searches do not, and the old files stay open until no search
// that could read them is running. The postings and vectors do not change:
// the versions are the same.
// compactMinBytes is the log size below which there is no compaction
// (a variable for the crash test, which compacts small logs).
var compactMinBytes int64 = 64 << 20

const (
	newLogDir    = "log.new"
	oldLogDir    = "log.old"
	completeFile = "COMPLETE"
)

// finishCompaction completes or undoes a compaction a crash interrupted.
func finishCompaction(dir string) error {
	newDir, cur, old := filepath.Join(dir, newLogDir), filepath.Join(dir, logDir), filepath.Join(dir, oldLogDir)
	if _, err := os.Stat(filepath.Join(newDir, completeFile)); err == nil {
		if _, err := os.Stat(cur); err == nil {
			os.RemoveAll(old)
			if err := os.Rename(cur, old); err != nil {
				return fmt.Errorf("finish compaction: %w", err)
			}
		}
		if err := os.Rename(newDir, cur); err != nil {
			return fmt.Errorf("finish compaction: %w", err)
		}
		if err := os.Remove(filepath.Join(cur, completeFile)); err != nil {
			return fmt.Errorf("finish compaction: %w", err)
		}
		if err := durable.SyncDir(dir); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	os.RemoveAll(newDir)
	return os.RemoveAll(old)
}

// liveBytes estimates the bytes the live documents take in the log.
func (c *collection) liveBytes() int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var n int64
	for _, d := range c.docs {
		if !d.deleted {
			n += int64(d.textLen) + int64(len(d.chunks))*int64(4*c.meta.Embedder.Dim+24) + 256
		}
	}
	return n
}

// needsCompaction says whether the log holds more than twice what is live.
func (c *collection) needsCompaction() bool {
	size := c.log.bytes()
	return size > compactMinBytes && size > 2*c.liveBytes()
}

// compact rewrites the log with the live documents only; the caller holds
// c.wmu.
func (c *collection) compact(ctx context.Context) error {
	if c.readOnly {
		return nil
	}
	// Old postings go first, so that every version the new log lacks is
	// out of bleve for good.
	if err := c.flushStale(); err != nil {
		return err
	}
	c.mu.RLock()
	live := make([]*docRec, 0, len(c.docs))
	for _, d := range c.docs {
		if !d.deleted {
			live = append(live, d)
		}
	}
	c.mu.RUnlock()
	slices.SortFunc(live, func(a, b *docRec) int {
		switch {
		case a.version != b.version:
			return cmpU64(a.version, b.version)
		case a.info.ID < b.info.ID:
			return -1
		case a.info.ID > b.info.ID:
			return 1
		}
		return 0
	})
	newDir := filepath.Join(c.dir, newLogDir)
	os.RemoveAll(newDir)
	nl, err := openLog(newDir, false, nil)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		nl.close()
		os.RemoveAll(newDir)
		return err
	}
	// Documents of one version (one Put) share a record, as they did.
	moved := make(map[*docRec]*docRec, len(live))
	for start := 0; start < len(live); {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		end := start + 1
		for end < len(live) && live[end].version == live[start].version {
			end++
		}
		payload, err := c.encodeRecs(live[start:end])
		if err != nil {
			return fail(err)
		}
		seg, off, err := nl.append(payload)
		if err != nil {
			return fail(err)
		}
		d := decoder{b: payload}
		d.uvarint()
		d.byte1()
		recs, err := decodePut(&d, seg, off, live[start].version)
		if err != nil {
			return fail(fmt.Errorf("read back compacted record: %w", err))
		}
		for i, r := range recs {
			old := live[start+i]
			r.info.Added, r.from = old.info.Added, old.from
			moved[old] = r
		}
		start = end
	}
	if err := writeFileSync(filepath.Join(newDir, completeFile)); err != nil {
		return fail(err)
	}
	if err := durable.SyncDir(newDir); err != nil {
		return fail(err)
	}
	// The new log is complete: from here on, a crash finishes the swap.
	cur, old := filepath.Join(c.dir, logDir), filepath.Join(c.dir, oldLogDir)
	if err := os.Rename(cur, old); err != nil {
		return fail(err)
	}
	if err := os.Rename(newDir, cur); err != nil {
		return fmt.Errorf("compaction: %w (the next open finishes it)", err)
	}
	os.Remove(filepath.Join(cur, completeFile))
	durable.SyncDir(c.dir)
	nl.dir = cur
	c.mu.Lock()
	for id, d := range c.docs {
		if n := moved[d]; n != nil {
			c.docs[id] = n
		}
	}
	prev := c.log
	c.log = nl
	ep := c.ep.advance()
	c.mu.Unlock()
	// Searches that may still read the old segments finish first.
	c.ep.wait(ep)
	prev.close()
	return os.RemoveAll(old)
}

func cmpU64(a, b uint64) int {
	if a < b {
		return -1
	}
	return 1
}

// encodeRecs writes a Put record of live document versions, read from the
// log they are in, under their version.
func (c *collection) encodeRecs(recs []*docRec) ([]byte, error) {
	dim := c.meta.Embedder.Dim
	var e encoder
	e.uvarint(recs[0].version)
	e.byte1(opPut)
	e.uvarint(uint64(recs[0].info.Added.UnixNano()))
	e.uvarint(uint64(dim))
	e.uvarint(uint64(len(recs)))
	for _, d := range recs {
		text, err := d.seg.readAt(d.textOff, d.textLen)
		if err != nil {
			return nil, err
		}
		vecs, err := d.seg.readAt(d.vecOff, 4*dim*len(d.chunks))
		if err != nil {
			return nil, err
		}
		meta := d.info.Document
		meta.Text = ""
		mj, err := json.Marshal(meta)
		if err != nil {
			return nil, err
		}
		e.str(d.info.ID)
		e.bytes(mj)
		e.str(d.info.Header)
		e.str(d.info.Origin)
		e.bytes(text)
		e.uvarint(uint64(len(d.chunks)))
		for _, ch := range d.chunks {
			e.uvarint(uint64(ch.start))
			e.uvarint(uint64(ch.end))
			e.uvarint(uint64(ch.bstart))
			e.uvarint(uint64(ch.bend))
			e.str(ch.heading)
			e.uvarint(uint64(ch.terms))
		}
		e.alignFloats()
		e.b = append(e.b, vecs...)
	}
	return e.b, nil
}

// writeFileSync creates an empty file and syncs it.
func writeFileSync(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Compact rewrites a collection's document log with its live documents
// only, as writes do by themselves once the log is more than twice what
// is live.
func (e *Engine) Compact(ctx context.Context, collection string) error {
	c, err := e.get(collection)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.compact(ctx)
}

// compactLater compacts the collection in the background when its log
// has grown past twice what is live; one compaction runs at a time.
func (c *collection) compactLater() {
	if c.readOnly || !c.compacting.CompareAndSwap(false, true) {
		return
	}
	if !c.needsCompaction() {
		c.compacting.Store(false)
		return
	}
	go func() {
		defer c.compacting.Store(false)
		start := time.Now()
		c.wmu.Lock()
		defer c.wmu.Unlock()
		if c.closed {
			return
		}
		err := c.compact(c.stopCtx)
		c.lastCompaction = compactionReport{At: start, Took: time.Since(start), Err: err}
	}()
}

// compactionReport says how the last background compaction went.
type compactionReport struct {
	At   time.Time
	Took time.Duration
	Err  error
}
