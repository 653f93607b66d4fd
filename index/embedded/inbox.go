package embedded

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"wenda/chunk"
	"wenda/index"
	"wenda/internal/durable"
)

// The inbox lets a process index into a data directory that another one
// (a running server) has open for writing. Only the owner of the write
// lock touches the collections' logs and postings; a bulk ingest that
// finds the lock taken writes each batch of documents — chunked, analysed
// and embedded, ready to put — or of deletions as a file in the
// collection's inbox folder, published by an atomic rename. The owner
// applies inbox files in order through its ordinary Put and Delete, then
// removes them: an inbox file is applied at least once (after a crash, it
// is applied again, which changes nothing), and a search sees each
// document switch from its old version to its new one in one step, as
// with any Put. An engine opened for writing applies what its inbox holds
// at once, and a server watches it (Engine.WatchInbox).
const (
	inboxDir  = "inbox"
	opInPut   = 3 // a Put with its chunks' index terms, which the log does not keep
	inboxExt  = ".wlg"
	inboxTemp = ".tmp"
)

// Inbox writes documents to the inboxes of a data directory's
// collections. It implements index.Writer.
type Inbox struct {
	root string
	seq  atomic.Int64
}

var _ index.Writer = (*Inbox)(nil)

// NewInbox returns a writer to the inboxes of the data directory dir.
func NewInbox(dir string) *Inbox { return &Inbox{root: dir} }

// collectionDir returns the folder of an existing collection and its
// record.
func (in *Inbox) collection(id string) (string, index.Collection, error) {
	var c index.Collection
	if err := index.ValidateID(id); err != nil {
		return "", c, fmt.Errorf("collection %q: %w", id, index.ErrNotFound)
	}
	dir := filepath.Join(in.root, collectionsDir, id)
	b, err := os.ReadFile(filepath.Join(dir, collectionFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", c, fmt.Errorf("collection %q: %w", id, index.ErrNotFound)
	}
	if err != nil {
		return "", c, fmt.Errorf("read collection %s: %w", id, err)
	}
	return dir, c, json.Unmarshal(b, &c)
}

// Put writes one inbox file holding entries; the owner of the data
// directory puts them when it applies the file.
func (in *Inbox) Put(ctx context.Context, coll string, entries ...index.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	dir, c, err := in.collection(coll)
	if err != nil {
		return err
	}
	for i := range entries {
		if err := entries[i].Validate(c.Embedder.Dim); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return in.write(dir, encodeInboxPut(c.Embedder.Dim, entries))
}

// Delete writes one inbox file that deletes the documents.
func (in *Inbox) Delete(ctx context.Context, coll string, docIDs ...string) error {
	if len(docIDs) == 0 {
		return nil
	}
	dir, _, err := in.collection(coll)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var e encoder
	e.uvarint(0)
	e.byte1(opDel)
	e.uvarint(uint64(len(docIDs)))
	for _, id := range docIDs {
		e.str(id)
	}
	return in.write(dir, e.b)
}

// write publishes one record as a new inbox file. Names sort in the order
// files are written, so the owner applies them in that order.
func (in *Inbox) write(collDir string, payload []byte) error {
	dir := filepath.Join(collDir, inboxDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create inbox: %w", err)
	}
	name := fmt.Sprintf("%020d-%08d-%06d", time.Now().UnixNano(), os.Getpid(), in.seq.Add(1))
	tmp := filepath.Join(dir, name+inboxTemp)
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("create inbox file: %w", err)
	}
	head := make([]byte, recordHeader)
	copy(head, recordMagic)
	binary.LittleEndian.PutUint32(head[4:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(head[8:], crc32.Checksum(payload, crcTable))
	_, err = f.Write(head)
	if err == nil {
		_, err = f.Write(payload)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name+inboxExt))
	}
	if err == nil {
		err = durable.SyncDir(dir)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write inbox file: %w", err)
	}
	return nil
}

// Pending counts the inbox files not yet applied in a collection.
func (in *Inbox) Pending(coll string) (int, error) {
	ents, err := os.ReadDir(filepath.Join(in.root, collectionsDir, coll, inboxDir))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	n := 0
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), inboxExt) {
			n++
		}
	}
	return n, err
}

func encodeInboxPut(dim int, entries []index.Entry) []byte {
	e := encoder{b: make([]byte, 0, 2*putSize(dim, entries))}
	e.uvarint(0)
	e.byte1(opInPut)
	e.uvarint(uint64(dim))
	e.uvarint(uint64(len(entries)))
	for i := range entries {
		en := &entries[i]
		meta := en.Doc
		meta.Text = ""
		mj, _ := json.Marshal(meta)
		e.bytes(mj)
		e.str(en.Header)
		e.str(en.Origin)
		e.str(en.Doc.Text)
		e.uvarint(uint64(len(en.Chunks)))
		for _, ch := range en.Chunks {
			e.uvarint(uint64(ch.Start))
			e.uvarint(uint64(ch.End))
			e.str(ch.Heading)
			e.str(ch.Text)
			e.str(strings.Join(ch.Terms, " "))
		}
		for _, ch := range en.Chunks {
			e.floats(ch.Vector)
		}
	}
	return e.b
}

func decodeInboxPut(d *decoder) ([]index.Entry, error) {
	dim := d.int()
	n := d.int()
	out := make([]index.Entry, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		var en index.Entry
		if err := json.Unmarshal(d.bytes(), &en.Doc); err != nil && d.err == nil {
			return nil, fmt.Errorf("inbox document: %w", err)
		}
		en.Header = d.str()
		en.Origin = d.str()
		en.Doc.Text = d.str()
		k := d.int()
		en.Chunks = make([]index.EntryChunk, k)
		for j := 0; j < k && d.err == nil; j++ {
			c := &en.Chunks[j]
			c.Chunk = chunk.Chunk{ID: index.ChunkID(en.Doc.ID, j), DocID: en.Doc.ID, Ordinal: j, Start: d.int(), End: d.int(), Heading: d.str(), Text: d.str()}
			if t := d.str(); t != "" {
				c.Terms = strings.Split(t, " ")
			}
		}
		for j := 0; j < k && d.err == nil; j++ {
			p := d.skipFloats(dim)
			if d.err == nil {
				v := make([]float32, dim)
				decodeFloats(d.b[p:p+4*dim], v)
				en.Chunks[j].Vector = v
			}
		}
		out = append(out, en)
	}
	return out, d.err
}

// InboxReport says what an engine applied from its collections' inboxes.
type InboxReport struct {
	Files     int            `json:"files"`
	Documents int            `json:"documents"` // put
	Deleted   int            `json:"deleted"`
	Chunks    int            `json:"chunks"`
	By        map[string]int `json:"by_collection,omitempty"` // documents put or deleted, per collection
	// Rejected names the files set aside, with why.
	Rejected []string `json:"rejected,omitempty"`
}

// rejectedError is an inbox file this engine cannot apply whatever it does.
type rejectedError struct{ error }

func (e *rejectedError) Unwrap() error { return e.error }

// ApplyInbox applies, in order, the inbox files of every collection. A
// file is removed once all its records are applied; one that cannot be
// read is corruption and stops the collection's inbox there.
func (e *Engine) ApplyInbox(ctx context.Context) (InboxReport, error) {
	rep := InboxReport{By: map[string]int{}}
	if e.opts.ReadOnly {
		return rep, nil
	}
	e.mu.RLock()
	cs := make([]*collection, 0, len(e.colls))
	for _, c := range e.colls {
		cs = append(cs, c)
	}
	e.mu.RUnlock()
	var errs []error
	for _, c := range cs {
		if err := c.applyInbox(ctx, &rep); err != nil {
			errs = append(errs, fmt.Errorf("collection %s inbox: %w", c.meta.ID, err))
		}
	}
	return rep, errors.Join(errs...)
}

func (c *collection) applyInbox(ctx context.Context, rep *InboxReport) error {
	dir := filepath.Join(c.dir, inboxDir)
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var names []string
	for _, ent := range ents {
		switch name := ent.Name(); {
		case strings.HasSuffix(name, inboxExt):
			names = append(names, name)
		case strings.HasSuffix(name, inboxTemp) && isStale(ent):
			// A writer that died before it published the file.
			os.Remove(filepath.Join(dir, name))
		}
	}
	slices.Sort(names)
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		path := filepath.Join(dir, name)
		err := c.applyInboxFile(ctx, path, rep)
		var bad *rejectedError
		if errors.As(err, &bad) {
			// Entries this collection cannot take (vectors of another
			// embedder, after a rebuild) are set aside, named, so that
			// they block nothing behind them.
			rep.Rejected = append(rep.Rejected, name+": "+bad.Error())
			if err := os.Rename(path, path+".rejected"); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.Remove(path); err != nil {
			return err
		}
		if err := durable.SyncDir(dir); err != nil {
			return err
		}
		rep.Files++
	}
	return nil
}

// isStale reports a temporary inbox file left long enough ago that its
// writer is surely gone.
func isStale(ent fs.DirEntry) bool {
	fi, err := ent.Info()
	return err == nil && time.Since(fi.ModTime()) > time.Hour
}

func (c *collection) applyInboxFile(ctx context.Context, path string, rep *InboxReport) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, recordHeader)
	for {
		if _, err := io.ReadFull(f, head); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if string(head[:4]) != recordMagic {
			return errors.New("not an inbox record")
		}
		n := binary.LittleEndian.Uint32(head[4:])
		if n > maxRecordBytes {
			return errors.New("inbox record too large")
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(f, payload); err != nil {
			return err
		}
		if crc32.Checksum(payload, crcTable) != binary.LittleEndian.Uint32(head[8:]) {
			return errors.New("inbox record checksum mismatch")
		}
		d := decoder{b: payload}
		d.uvarint()
		switch op := d.byte1(); op {
		case opInPut:
			entries, err := decodeInboxPut(&d)
			if err != nil {
				return &rejectedError{err}
			}
			for i := range entries {
				if err := entries[i].Validate(c.meta.Embedder.Dim); err != nil {
					return &rejectedError{err}
				}
			}
			if err := c.put(ctx, entries); err != nil {
				return err
			}
			rep.Documents += len(entries)
			rep.By[c.meta.ID] += len(entries)
			for _, en := range entries {
				rep.Chunks += len(en.Chunks)
			}
		case opDel:
			k := d.int()
			ids := make([]string, 0, k)
			for i := 0; i < k && d.err == nil; i++ {
				ids = append(ids, d.str())
			}
			if d.err != nil {
				return d.err
			}
			if err := c.delete(ctx, ids); err != nil {
				return err
			}
			rep.Deleted += len(ids)
			rep.By[c.meta.ID] += len(ids)
		default:
			return fmt.Errorf("unknown inbox operation %d", op)
		}
	}
}

// WatchInbox applies the inboxes every interval until ctx ends, calling
// report after each round that applied something (or failed).
func (e *Engine) WatchInbox(ctx context.Context, every time.Duration, report func(InboxReport, error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rep, err := e.ApplyInbox(ctx)
		if (rep.Files > 0 || len(rep.Rejected) > 0 || err != nil) && report != nil && ctx.Err() == nil {
			report(rep, err)
		}
	}
}
