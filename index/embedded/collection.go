package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"

	"wenda/corpus"
	"wenda/index"
	"wenda/internal/durable"
)

// A collection lives in its own folder: collection.json (what
// index.Collection holds), the document log (log/) and the BM25 postings
// (bm25.bleve/). Its chunk vectors are held by a chromem-go collection in
// memory, loaded from the log.
const (
	collectionFile = "collection.json"
	logDir         = "log"
	bm25Dir        = "bm25.bleve"
)

// collection is one open collection.
type collection struct {
	dir      string
	readOnly bool

	// wmu serialises writers; nextLSN, log appends and the bleve batches
	// happen under it.
	wmu     sync.Mutex
	nextLSN uint64
	// puts queues the Puts waiting to be committed (see group.go).
	puts putQueue
	log  *docLog
	bm25 bleve.Index
	// stale are versioned ids in bleve that no search may see any more:
	// versions that writes replaced or deleted, and postings a failed Put
	// left behind. The next write's batch deletes them, in the same
	// atomic step as its own postings, and records that superseded
	// versions up to staleLSN are gone — one persisted bleve batch per
	// write instead of two.
	stale    []string
	staleLSN uint64
	// compacting is set while a background compaction runs; closed once
	// the collection is closed (both under wmu, but read by compactLater).
	compacting atomic.Bool
	closed     bool
	// stop ends a background compaction when the collection closes.
	stopCtx        context.Context
	stop           context.CancelFunc
	lastCompaction compactionReport

	// mu guards the catalogue: which version of each document is live.
	// Writers hold it only to switch a document's version, so that a
	// search sees each document whole, before or after. docs maps an id
	// to its newest version, which links to the one it replaced until no
	// search can want that any more (see epochs).
	mu      sync.RWMutex
	ep      *epochs
	meta    index.Collection
	docs    map[string]*docRec
	ndocs   int
	chunks  int
	terms   int64
	pending int // chunk versions stored but not (or no longer) visible

	vecs *vectorStore
}

// docRec is the catalogue entry of a document version.
type docRec struct {
	info    index.DocInfo
	version uint64
	// from is the epoch from which searches see this version; prev is
	// the version searches of earlier epochs see; deleted marks a
	// tombstone, which hides the document from from on.
	from    uint64
	prev    *docRec
	deleted bool
	seg     *segment
	textOff int64 // where the text's bytes start in seg
	textLen int
	vecOff  int64 // where its chunk vectors start in seg
	chunks  []chunkRec
	terms   int // index terms of all its chunks
}

// chunkRec locates a chunk in its document's text.
type chunkRec struct {
	start, end   int32 // runes
	bstart, bend int32 // bytes of the text
	terms        int32 // index terms
	heading      string
}

// chunkID of the i-th chunk of d.
func (d *docRec) chunkID(i int) string { return index.ChunkID(d.info.ID, i) }

// openCollection opens the collection in dir: it replays the log into the
// catalogue and brings the postings up to date with it (see recover).
func openCollection(dir string, readOnly, catalogOnly bool) (*collection, error) {
	c := &collection{dir: dir, readOnly: readOnly, docs: map[string]*docRec{}, ep: newEpochs()}
	c.stopCtx, c.stop = context.WithCancel(context.Background())
	b, err := os.ReadFile(filepath.Join(dir, collectionFile))
	if err != nil {
		return nil, fmt.Errorf("read collection: %w", err)
	}
	if err := json.Unmarshal(b, &c.meta); err != nil {
		return nil, fmt.Errorf("parse %s: %w", filepath.Join(dir, collectionFile), err)
	}
	r := replayer{c: c, collect: !readOnly}
	if !catalogOnly {
		c.bm25, err = openBM25(filepath.Join(dir, bm25Dir), readOnly)
		if err != nil {
			return nil, err
		}
		if r.applied, err = c.internalLSN(keyApplied); err != nil {
			c.bm25.Close()
			return nil, err
		}
	}
	if !readOnly {
		if err := finishCompaction(dir); err != nil {
			c.close()
			return nil, err
		}
	}
	c.log, err = openLog(filepath.Join(dir, logDir), readOnly, r.apply)
	if err != nil {
		c.close()
		return nil, fmt.Errorf("collection %s: %w", c.meta.ID, err)
	}
	if err := c.recover(&r); err != nil {
		c.close()
		return nil, fmt.Errorf("collection %s: %w", c.meta.ID, err)
	}
	c.vecs = newVectorStore(c.meta.Embedder.Dim)
	return c, nil
}

func (c *collection) internalLSN(key string) (uint64, error) {
	b, err := c.bm25.GetInternal([]byte(key))
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", key, err)
	}
	return decodeLSN(b), nil
}

// replayer rebuilds the catalogue from the log and remembers the versions
// that records after the applied LSN superseded, whose postings may still
// be in bleve.
type replayer struct {
	c *collection
	// collect: remember superseded versions, which a writer deletes
	collect    bool
	applied    uint64
	maxLSN     uint64
	superseded []string // versioned ids
}

func (r *replayer) apply(seg *segment, off int64, payload []byte) error {
	d := decoder{b: payload}
	lsn := d.uvarint()
	op := d.byte1()
	if d.err != nil {
		return d.err
	}
	if lsn <= r.maxLSN {
		return fmt.Errorf("record %d after record %d", lsn, r.maxLSN)
	}
	r.maxLSN = lsn
	var err error
	switch op {
	case opPut:
		var recs []*docRec
		recs, err = decodePut(&d, seg, off, lsn)
		for _, rec := range recs {
			r.replace(rec.info.ID, rec, lsn)
		}
	case opDel:
		n := d.int()
		for i := 0; i < n && d.err == nil; i++ {
			r.replace(d.str(), nil, lsn)
		}
		err = d.err
	default:
		err = fmt.Errorf("unknown record operation %d", op)
	}
	return err
}

func (r *replayer) replace(id string, rec *docRec, lsn uint64) {
	c := r.c
	old := c.docs[id]
	if old != nil {
		if r.collect && lsn > r.applied {
			r.superseded = append(r.superseded, old.versionedIDs()...)
		}
		c.count(old, -1)
		delete(c.docs, id)
	}
	if rec != nil {
		c.docs[id] = rec
		c.count(rec, 1)
	}
}

// count adds (sign 1) or removes (-1) a live version from the counts.
func (c *collection) count(d *docRec, sign int) {
	c.ndocs += sign
	c.chunks += sign * len(d.chunks)
	c.terms += int64(sign * d.terms)
}

// live returns the newest version of a document, or nil when there is
// none or it is deleted. The caller holds c.mu.
func (c *collection) live(id string) *docRec {
	d := c.docs[id]
	if d == nil || d.deleted {
		return nil
	}
	return d
}

// at returns the version of a document a search of epoch ep sees, or
// nil. The caller holds c.mu.
func (c *collection) at(id string, ep uint64) *docRec {
	d := c.docs[id]
	for d != nil && d.from > ep {
		d = d.prev
	}
	if d == nil || d.deleted {
		return nil
	}
	return d
}

// recover brings the postings up to date with the log after a crash:
// postings of a Put that never reached the log are deleted, and so are
// versions that records after the last applied one superseded. Both are
// invisible to searches anyway (the catalogue decides what is visible),
// so a read-only open skips this.
func (c *collection) recover(r *replayer) error {
	if c.readOnly {
		c.nextLSN = r.maxLSN + 1
		return nil
	}
	pendingLSN, pendingIDs, err := c.readPending()
	if err != nil {
		return err
	}
	c.nextLSN = max(r.maxLSN, r.applied, pendingLSN) + 1
	var del []string
	if pendingLSN > r.maxLSN {
		del = append(del, pendingIDs...)
	}
	del = append(del, r.superseded...)
	if len(del) == 0 && pendingLSN == 0 && r.applied == r.maxLSN {
		return nil
	}
	b := c.bm25.NewBatch()
	for _, id := range del {
		b.Delete(id)
	}
	b.DeleteInternal([]byte(keyPending))
	b.SetInternal([]byte(keyApplied), encodeLSN(r.maxLSN))
	if err := c.bm25.Batch(b); err != nil {
		return fmt.Errorf("bring postings up to date: %w", err)
	}
	return nil
}

// readPending decodes the pending key: the LSN of the last Put whose
// postings were added, and their versioned ids.
func (c *collection) readPending() (uint64, []string, error) {
	b, err := c.bm25.GetInternal([]byte(keyPending))
	if err != nil {
		return 0, nil, fmt.Errorf("read pending postings: %w", err)
	}
	if len(b) == 0 {
		return 0, nil, nil
	}
	d := decoder{b: b}
	lsn := d.uvarint()
	n := d.int()
	var ids []string
	for i := 0; i < n && d.err == nil; i++ {
		doc := d.str()
		k := d.int()
		for j := range k {
			ids = append(ids, versionedID(index.ChunkID(doc, j), lsn))
		}
	}
	if d.err != nil {
		return 0, nil, fmt.Errorf("decode pending postings: %w", d.err)
	}
	return lsn, ids, nil
}

func encodePending(lsn uint64, entries []index.Entry) []byte {
	var e encoder
	e.uvarint(lsn)
	e.uvarint(uint64(len(entries)))
	for _, en := range entries {
		e.str(en.Doc.ID)
		e.uvarint(uint64(len(en.Chunks)))
	}
	return e.b
}

func (d *docRec) versionedIDs() []string {
	out := make([]string, len(d.chunks))
	for i := range d.chunks {
		out[i] = versionedID(d.chunkID(i), d.version)
	}
	return out
}

// encodePut writes a Put record. Each document is:
//
//	id | document metadata as JSON | header | origin | text | chunk count |
//	per chunk: rune start, end, byte start, end, heading, term count |
//	the chunk vectors, aligned, dim float32s each
func encodePut(lsn uint64, added time.Time, dim int, entries []index.Entry) []byte {
	e := encoder{b: make([]byte, 0, putSize(dim, entries))}
	e.uvarint(lsn)
	e.byte1(opPut)
	e.uvarint(uint64(added.UnixNano()))
	e.uvarint(uint64(dim))
	e.uvarint(uint64(len(entries)))
	for i := range entries {
		en := &entries[i]
		meta := en.Doc
		meta.Text = ""
		mj, _ := json.Marshal(meta) // a corpus.Document always encodes
		e.str(en.Doc.ID)
		e.bytes(mj)
		e.str(en.Header)
		e.str(en.Origin)
		e.str(en.Doc.Text)
		e.uvarint(uint64(len(en.Chunks)))
		offs := byteOffsets(en.Doc.Text)
		for _, ch := range en.Chunks {
			e.uvarint(uint64(ch.Start))
			e.uvarint(uint64(ch.End))
			e.uvarint(uint64(offs.at(ch.Start)))
			e.uvarint(uint64(offs.at(ch.End)))
			e.str(ch.Heading)
			e.uvarint(uint64(len(ch.Terms)))
		}
		for _, ch := range en.Chunks {
			e.floats(ch.Vector)
		}
	}
	return e.b
}

func putSize(dim int, entries []index.Entry) int {
	n := 64
	for i := range entries {
		n += 512 + len(entries[i].Doc.Text) + len(entries[i].Header) + len(entries[i].Chunks)*(4*dim+40)
	}
	return n
}

// decodePut reads a Put record whose payload starts at off in seg.
func decodePut(d *decoder, seg *segment, off int64, lsn uint64) ([]*docRec, error) {
	added := time.Unix(0, int64(d.uvarint())).UTC()
	dim := d.int()
	n := d.int()
	out := make([]*docRec, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		id := d.str()
		mj := d.bytes()
		header := d.str()
		origin := d.str()
		tp, tn := d.span()
		if d.err != nil {
			break
		}
		rec := &docRec{version: lsn, seg: seg, textOff: off + int64(tp), textLen: tn}
		if err := json.Unmarshal(mj, &rec.info.Document); err != nil {
			return nil, fmt.Errorf("document %s: %w", id, err)
		}
		if rec.info.ID != id {
			return nil, fmt.Errorf("document %q recorded as %q", id, rec.info.ID)
		}
		rec.info.Header, rec.info.Origin = header, origin
		rec.info.Chars = utf8.RuneCount(d.b[tp : tp+tn])
		rec.info.Added = added
		k := d.int()
		rec.chunks = make([]chunkRec, 0, k)
		// Headings repeat along a section; one string per run of them.
		prev := ""
		for j := 0; j < k && d.err == nil; j++ {
			cr := chunkRec{start: int32(d.int()), end: int32(d.int()), bstart: int32(d.int()), bend: int32(d.int())}
			h := d.bytes()
			if string(h) != prev {
				prev = string(h)
			}
			cr.heading = prev
			cr.terms = int32(d.int())
			rec.terms += int(cr.terms)
			if cr.bend > int32(tn) || cr.bstart > cr.bend {
				return nil, fmt.Errorf("document %s: chunk %d outside its text", id, j)
			}
			rec.chunks = append(rec.chunks, cr)
		}
		rec.info.Chunks = len(rec.chunks)
		rec.vecOff = off + int64(d.skipFloats(k*dim))
		out = append(out, rec)
	}
	if d.err != nil {
		return nil, d.err
	}
	return out, nil
}

// byteOffsets maps rune offsets of a text to byte offsets.
type runeIndex []int

func byteOffsets(s string) runeIndex {
	out := make(runeIndex, 0, len(s)+1)
	for i := range s {
		out = append(out, i)
	}
	return append(out, len(s))
}

func (r runeIndex) at(rune int) int { return r[min(rune, len(r)-1)] }

// commit writes the entries of a group of Puts (see put) as one: its
// documents become visible together, and it returns nil once they are
// durable. The caller holds c.wmu. The order of its steps is what makes
// it crash-safe:
//
//  1. the new versions' postings go into bleve in one batch, with their
//     ids under the pending key (invisible: the catalogue shows the old
//     version);
//  2. the log record is appended and fsynced — the commit point;
//  3. the vectors go into chromem-go (still invisible);
//  4. the catalogue switches to the new versions;
//  5. the superseded versions are deleted from bleve and chromem-go.
//
// A crash before 2 leaves postings under the pending key that the next
// open deletes; a crash after 2 leaves superseded versions that it
// deletes. Searches filter by the catalogue throughout.
func (c *collection) commit(entries []index.Entry) error {
	dim := c.meta.Embedder.Dim
	lsn := c.nextLSN
	c.nextLSN++

	// 1. postings of the new versions.
	b := c.bm25.NewBatch()
	var added []string
	for i := range entries {
		en := &entries[i]
		for _, ch := range en.Chunks {
			id := versionedID(ch.ID, lsn)
			if err := b.Index(id, bm25Doc{Terms: strings.Join(ch.Terms, " "), Doc: en.Doc.ID}); err != nil {
				return fmt.Errorf("index chunk %s: %w", ch.ID, err)
			}
			added = append(added, id)
		}
	}
	flushed := c.addStale(b)
	b.SetInternal([]byte(keyPending), encodePending(lsn, entries))
	if err := c.bm25.Batch(b); err != nil {
		return fmt.Errorf("write postings: %w", err)
	}
	c.staleFlushed(flushed)
	c.addPending(len(added))

	// 2. the commit point.
	payload := encodePut(lsn, time.Now(), dim, entries)
	seg, off, err := c.log.append(payload)
	if err != nil {
		c.dropPostings(added)
		c.addPending(-len(added))
		return err
	}
	d := decoder{b: payload}
	d.uvarint()
	d.byte1()
	recs, derr := decodePut(&d, seg, off, lsn)
	if derr != nil {
		// Cannot happen: the payload was just encoded. Take it back all
		// the same rather than publish what could not be read back.
		if uerr := c.log.undo(seg, off); uerr != nil {
			return fmt.Errorf("read back put: %w (and %v)", derr, uerr)
		}
		c.dropPostings(added)
		c.addPending(-len(added))
		return fmt.Errorf("read back put: %w", derr)
	}

	// 3. vectors, 4. the switch, 5. the superseded versions.
	if c.vecs.loaded() {
		c.vecs.add(entries, recs)
	}
	var old []string
	c.mu.Lock()
	ep := c.ep.advance()
	for _, rec := range recs {
		prev := c.live(rec.info.ID)
		if prev != nil {
			old = append(old, prev.versionedIDs()...)
			c.count(prev, -1)
		}
		rec.from, rec.prev = ep, prev
		c.docs[rec.info.ID] = rec
		c.count(rec, 1)
	}
	c.pending += len(old) - len(added)
	c.mu.Unlock()
	c.retire(ep, old, lsn)
	c.compactLater()
	return nil
}

// retire waits until no search can see what the switch at epoch ep
// replaced, drops it from chromem-go, queues its postings for deletion
// with the next write, and unlinks it from the catalogue. It runs after
// the commit point: nothing here can fail the write.
func (c *collection) retire(ep uint64, old []string, lsn uint64) {
	c.ep.wait(ep)
	c.vecs.remove(old)
	c.stale = append(c.stale, old...)
	c.staleLSN = lsn
	c.mu.Lock()
	for id, d := range c.docs {
		if d.from != ep {
			continue
		}
		if d.deleted {
			delete(c.docs, id)
		} else {
			d.prev = nil
		}
	}
	c.mu.Unlock()
	if len(c.stale) >= maxStale {
		c.flushStale()
	}
}

// maxStale bounds the stale postings kept for the next write.
const maxStale = 1 << 14

// addStale adds the deletion of the stale postings to b, and the record
// of what is applied; it returns how many it added.
func (c *collection) addStale(b *bleve.Batch) int {
	for _, id := range c.stale {
		b.Delete(id)
	}
	if c.staleLSN > 0 {
		b.SetInternal([]byte(keyApplied), encodeLSN(c.staleLSN))
	}
	return len(c.stale)
}

// staleFlushed records that a batch deleted the first n stale postings.
func (c *collection) staleFlushed(n int) {
	c.stale = c.stale[n:]
	if len(c.stale) == 0 {
		c.stale = nil
	}
	c.mu.Lock()
	c.pending -= n
	c.mu.Unlock()
}

// flushStale deletes the stale postings now, in a batch of their own.
// On failure they stay queued.
func (c *collection) flushStale() error {
	if len(c.stale) == 0 {
		return nil
	}
	b := c.bm25.NewBatch()
	n := c.addStale(b)
	if err := c.bm25.Batch(b); err != nil {
		return fmt.Errorf("delete replaced postings: %w", err)
	}
	c.staleFlushed(n)
	return nil
}

func (c *collection) addPending(n int) {
	c.mu.Lock()
	c.pending += n
	c.mu.Unlock()
}

// dropPostings takes back the postings of a Put that failed before its
// commit point; what cannot be taken back now, the next write does.
func (c *collection) dropPostings(ids []string) {
	b := c.bm25.NewBatch()
	for _, id := range ids {
		b.Delete(id)
	}
	b.DeleteInternal([]byte(keyPending))
	if err := c.bm25.Batch(b); err != nil {
		c.stale = append(c.stale, ids...)
		c.addPending(len(ids))
	}
}

// delete is Writer.Delete for this collection.
func (c *collection) delete(ctx context.Context, ids []string) error {
	if c.readOnly {
		return index.ErrReadOnly
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	var present []string
	c.mu.RLock()
	seen := map[string]bool{}
	for _, id := range ids {
		if c.live(id) != nil && !seen[id] {
			seen[id] = true
			present = append(present, id)
		}
	}
	c.mu.RUnlock()
	if len(present) == 0 {
		return nil
	}
	lsn := c.nextLSN
	var e encoder
	e.uvarint(lsn)
	e.byte1(opDel)
	e.uvarint(uint64(len(present)))
	for _, id := range present {
		e.str(id)
	}
	if _, _, err := c.log.append(e.b); err != nil {
		return err
	}
	c.nextLSN++
	var old []string
	c.mu.Lock()
	ep := c.ep.advance()
	for _, id := range present {
		prev := c.live(id)
		old = append(old, prev.versionedIDs()...)
		c.count(prev, -1)
		c.docs[id] = &docRec{info: index.DocInfo{Document: corpus.Document{ID: id}}, from: ep, prev: prev, deleted: true}
	}
	c.pending += len(old)
	c.mu.Unlock()
	c.retire(ep, old, lsn)
	c.compactLater()
	return nil
}

// visible reports whether a versioned chunk id is the version of its
// document that a search of epoch ep sees, and returns the document; the
// caller holds c.mu.
func (c *collection) visible(vid string, ep uint64) (*docRec, int, bool) {
	doc, ord, v, ok := parseVersionedID(vid)
	if !ok {
		return nil, 0, false
	}
	d := c.at(doc, ep)
	if d == nil || d.version != v || ord >= len(d.chunks) {
		return nil, 0, false
	}
	return d, ord, true
}

// info is the collection with its counts.
func (c *collection) info() index.CollectionInfo {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return index.CollectionInfo{Collection: c.meta, Documents: c.ndocs, Chunks: c.chunks}
}

// setMetadata writes the new metadata to collection.json, then shows it.
func (c *collection) setMetadata(m index.Metadata) (index.CollectionInfo, error) {
	if c.readOnly {
		return index.CollectionInfo{}, index.ErrReadOnly
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	meta := c.meta
	meta.Metadata = m
	if err := writeJSONAtomic(filepath.Join(c.dir, collectionFile), meta); err != nil {
		return index.CollectionInfo{}, err
	}
	c.mu.Lock()
	c.meta = meta
	c.mu.Unlock()
	return c.info(), nil
}

func (c *collection) close() error {
	c.stop()
	var err error
	if c.bm25 != nil {
		c.wmu.Lock()
		if !c.readOnly {
			err = c.flushStale()
		}
		c.closed = true
		c.wmu.Unlock()
		err = errors.Join(err, c.bm25.Close())
	}
	if c.log != nil {
		c.log.close()
	}
	return err
}

// writeJSONAtomic writes v as indented JSON to path so that a crash leaves
// the old file or the whole new one (durable.WriteBytes).
func writeJSONAtomic(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return durable.WriteBytes(path, 0o644, append(b, '\n'))
}

var errClosed = errors.New("engine is closed")
