package embedded

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"wenda/chunk"
	"wenda/corpus"
	"wenda/index"
	"wenda/internal/durable"
)

// Options configure an engine.
type Options struct {
	// ReadOnly opens the data without writing anything: no lock, no
	// recovery, and every write fails with index.ErrReadOnly. A
	// read-only volume is opened this way.
	ReadOnly bool
	// LoadVectors loads every collection's vectors at Open, as a server
	// wants before it reports ready; otherwise they load on a
	// collection's first vector query.
	LoadVectors bool
	// CatalogOnly, with ReadOnly, opens only what the document logs say
	// — collections, documents, chunks — and not the postings, which the
	// process writing the directory holds: enough to decide what a bulk
	// ingest hands over through the inbox. Lexical and TermStats fail.
	CatalogOnly bool
}

// Engine is the embedded engine: collections in folders under one data
// directory, each with a document log, bleve postings and a chromem-go
// collection. One process at a time opens a data directory for writing.
type Engine struct {
	root string
	opts Options
	lock *os.File

	mu     sync.RWMutex
	colls  map[string]*collection
	closed bool
	// applied is what Open applied from the inboxes.
	applied InboxReport
}

// OpenedInbox reports what Open applied from the collections' inboxes.
func (e *Engine) OpenedInbox() InboxReport { return e.applied }

var _ index.Engine = (*Engine)(nil)

// ErrLocked is returned by Open when another process has the data
// directory open for writing.
var ErrLocked = errors.New("another wenda process is writing to this data directory")

const (
	collectionsDir = "collections"
	lockFile       = "LOCK"
)

// Open opens the engine whose data lives in dir, creating it when it is
// not there (unless read-only), and every collection in it.
func Open(ctx context.Context, dir string, opts Options) (*Engine, error) {
	e := &Engine{root: dir, opts: opts, colls: map[string]*collection{}}
	cdir := filepath.Join(dir, collectionsDir)
	if !opts.ReadOnly {
		if err := os.MkdirAll(cdir, 0o755); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		lock, err := lockDir(dir)
		if err != nil {
			return nil, err
		}
		e.lock = lock
	}
	ents, err := os.ReadDir(cdir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		e.Close()
		return nil, fmt.Errorf("read collections: %w", err)
	}
	for _, ent := range ents {
		name := ent.Name()
		if strings.HasPrefix(name, ".") {
			// A collection half created or half deleted when a process
			// stopped.
			if !opts.ReadOnly {
				os.RemoveAll(filepath.Join(cdir, name))
			}
			continue
		}
		if !ent.IsDir() || index.ValidateID(name) != nil {
			continue
		}
		c, err := openCollection(filepath.Join(cdir, name), opts.ReadOnly, opts.ReadOnly && opts.CatalogOnly)
		if err != nil {
			e.Close()
			return nil, err
		}
		e.colls[name] = c
	}
	if !opts.ReadOnly {
		// What a bulk ingest handed over while another process had the
		// directory goes in before anything else is asked.
		rep, err := e.ApplyInbox(ctx)
		if err != nil {
			e.Close()
			return nil, err
		}
		e.applied = rep
	}
	if opts.LoadVectors {
		for _, c := range e.colls {
			if _, err := c.vectorCollection(ctx); err != nil {
				e.Close()
				return nil, fmt.Errorf("collection %s: %w", c.meta.ID, err)
			}
		}
	}
	return e, nil
}

// lockDir takes the data directory's write lock. The lock file names the
// process that holds it, for the error a second one gets.
func lockDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock data directory: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if h := strings.TrimSpace(string(holder)); h != "" {
			return nil, fmt.Errorf("%s (%s): %w", dir, h, ErrLocked)
		}
		return nil, fmt.Errorf("%s: %w", dir, ErrLocked)
	}
	f.Truncate(0)
	f.WriteAt([]byte("pid "+strconv.Itoa(os.Getpid())+" "+strings.Join(os.Args, " ")+"\n"), 0)
	return f, nil
}

// Close closes every collection and releases the lock.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	var errs []error
	for _, c := range e.colls {
		errs = append(errs, c.close())
	}
	if e.lock != nil {
		syscall.Flock(int(e.lock.Fd()), syscall.LOCK_UN)
		errs = append(errs, e.lock.Close())
	}
	return errors.Join(errs...)
}

func (e *Engine) get(id string) (*collection, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		return nil, errClosed
	}
	c := e.colls[id]
	if c == nil {
		return nil, fmt.Errorf("collection %q: %w", id, index.ErrNotFound)
	}
	return c, nil
}

// CreateCollection implements index.Catalog.
func (e *Engine) CreateCollection(ctx context.Context, c index.Collection) (index.CollectionInfo, error) {
	if e.opts.ReadOnly {
		return index.CollectionInfo{}, index.ErrReadOnly
	}
	if c.Chunker == (chunk.Config{}) {
		c.Chunker = chunk.Default
	}
	if err := c.Validate(); err != nil {
		return index.CollectionInfo{}, err
	}
	if c.Created.IsZero() {
		c.Created = time.Now().UTC()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return index.CollectionInfo{}, errClosed
	}
	if e.colls[c.ID] != nil {
		return index.CollectionInfo{}, fmt.Errorf("collection %q: %w", c.ID, index.ErrExists)
	}
	cdir := filepath.Join(e.root, collectionsDir)
	tmp, err := os.MkdirTemp(cdir, ".new-"+c.ID+"-")
	if err != nil {
		return index.CollectionInfo{}, fmt.Errorf("create collection %s: %w", c.ID, err)
	}
	final := filepath.Join(cdir, c.ID)
	err = writeJSONAtomic(filepath.Join(tmp, collectionFile), c)
	if err == nil {
		err = os.Rename(tmp, final)
	}
	if err == nil {
		err = durable.SyncDir(cdir)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return index.CollectionInfo{}, fmt.Errorf("create collection %s: %w", c.ID, err)
	}
	col, err := openCollection(final, false, false)
	if err != nil {
		return index.CollectionInfo{}, err
	}
	if e.opts.LoadVectors {
		if _, err := col.vectorCollection(ctx); err != nil {
			col.close()
			return index.CollectionInfo{}, err
		}
	}
	e.colls[c.ID] = col
	return col.info(), nil
}

// Collection implements index.Catalog.
func (e *Engine) Collection(_ context.Context, id string) (index.CollectionInfo, error) {
	c, err := e.get(id)
	if err != nil {
		return index.CollectionInfo{}, err
	}
	return c.info(), nil
}

// Collections implements index.Catalog.
func (e *Engine) Collections(context.Context) ([]index.CollectionInfo, error) {
	e.mu.RLock()
	cs := make([]*collection, 0, len(e.colls))
	for _, c := range e.colls {
		cs = append(cs, c)
	}
	e.mu.RUnlock()
	out := make([]index.CollectionInfo, len(cs))
	for i, c := range cs {
		out[i] = c.info()
	}
	slices.SortFunc(out, func(a, b index.CollectionInfo) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// SetMetadata implements index.Catalog.
func (e *Engine) SetMetadata(_ context.Context, id string, m index.Metadata) (index.CollectionInfo, error) {
	if err := m.Validate(); err != nil {
		return index.CollectionInfo{}, fmt.Errorf("collection %s: %w", id, err)
	}
	c, err := e.get(id)
	if err != nil {
		return index.CollectionInfo{}, err
	}
	return c.setMetadata(m)
}

// DeleteCollection implements index.Catalog. The folder is renamed out of
// the way first, so that a crash part-way through never leaves half a
// collection that opens.
func (e *Engine) DeleteCollection(_ context.Context, id string) error {
	if e.opts.ReadOnly {
		return index.ErrReadOnly
	}
	e.mu.Lock()
	c := e.colls[id]
	if e.closed || c == nil {
		e.mu.Unlock()
		if e.closed {
			return errClosed
		}
		return fmt.Errorf("collection %q: %w", id, index.ErrNotFound)
	}
	c.wmu.Lock() // wait for a write in progress
	cdir := filepath.Join(e.root, collectionsDir)
	trash := filepath.Join(cdir, fmt.Sprintf(".deleted-%s-%d", id, time.Now().UnixNano()))
	err := os.Rename(c.dir, trash)
	if err == nil {
		err = durable.SyncDir(cdir)
	}
	if err != nil {
		c.wmu.Unlock()
		e.mu.Unlock()
		return fmt.Errorf("delete collection %s: %w", id, err)
	}
	delete(e.colls, id)
	e.mu.Unlock()
	c.readOnly = true // a writer that was waiting finds it gone
	c.wmu.Unlock()
	c.close()
	return os.RemoveAll(trash)
}

// Put implements index.Writer.
func (e *Engine) Put(ctx context.Context, collection string, entries ...index.Entry) error {
	c, err := e.get(collection)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	return c.put(ctx, entries)
}

// Delete implements index.Writer.
func (e *Engine) Delete(ctx context.Context, collection string, docIDs ...string) error {
	c, err := e.get(collection)
	if err != nil {
		return err
	}
	return c.delete(ctx, docIDs)
}

// Document implements index.Reader.
func (e *Engine) Document(_ context.Context, collection, id string) (corpus.Document, error) {
	c, err := e.get(collection)
	if err != nil {
		return corpus.Document{}, err
	}
	return c.document(id)
}

// Documents implements index.Reader.
func (e *Engine) Documents(_ context.Context, collection string, p index.Page) (index.DocPage, error) {
	c, err := e.get(collection)
	if err != nil {
		return index.DocPage{}, err
	}
	return c.documents(p), nil
}

// DocInfos implements index.Reader.
func (e *Engine) DocInfos(_ context.Context, collection string, ids []string) (map[string]index.DocInfo, error) {
	c, err := e.get(collection)
	if err != nil {
		return nil, err
	}
	return c.docInfos(ids), nil
}

// Chunk implements index.Reader.
func (e *Engine) Chunk(_ context.Context, collection, id string) (chunk.Chunk, error) {
	c, err := e.get(collection)
	if err != nil {
		return chunk.Chunk{}, err
	}
	return c.chunk(id)
}

// Lexical implements index.Searcher.
func (e *Engine) Lexical(ctx context.Context, collection string, terms []string, n int, f index.Filter) ([]index.Hit, error) {
	c, err := e.get(collection)
	if err != nil {
		return nil, err
	}
	return c.lexical(ctx, terms, n, f)
}

// Vector implements index.Searcher.
func (e *Engine) Vector(ctx context.Context, collection string, vec []float32, n int, f index.Filter) ([]index.Hit, error) {
	c, err := e.get(collection)
	if err != nil {
		return nil, err
	}
	return c.vector(ctx, vec, n, f)
}

// TermStats implements index.Searcher.
func (e *Engine) TermStats(ctx context.Context, collection string, terms []string) (index.TermStats, error) {
	c, err := e.get(collection)
	if err != nil {
		return index.TermStats{}, err
	}
	return c.termStats(ctx, terms)
}

// Bytes is the size of a collection's files on disk.
func (e *Engine) Bytes(collection string) (int64, error) {
	c, err := e.get(collection)
	if err != nil {
		return 0, err
	}
	var n int64
	filepath.WalkDir(c.dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n, nil
}
