package embedded

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/philippgille/chromem-go"

	"wenda/index"
)

// vectorStore holds a collection's chunk vectors in a chromem-go
// collection, which answers every vector query (Collection.QueryEmbedding,
// with its where filter on the document id). chromem-go keeps vectors in
// memory only; they are loaded from the document log, where every Put
// wrote them, the first time they are needed — a process that only
// writes, such as a bulk ingest, never holds them all. chromem-go's own
// persistence is not used: it names each document's file by four bytes of
// a hash of its id, and two of 100,000 ids collided in a measurement,
// silently losing a document.
//
// Entries are versioned chunk ids (see versionedID), with the document id
// as metadata "doc"; the catalogue decides which versions a search sees.
type vectorStore struct {
	dim  int
	mu   sync.Mutex // serialises loading
	col  atomic.Pointer[chromem.Collection]
	fail error // why loading failed, if it did
}

func newVectorStore(dim int) *vectorStore { return &vectorStore{dim: dim} }

const metaDoc = "doc"

func (v *vectorStore) loaded() bool { return v.col.Load() != nil }

// add stores the vectors of a Put's entries under the versions in recs.
func (v *vectorStore) add(entries []index.Entry, recs []*docRec) {
	col := v.col.Load()
	if col == nil {
		return
	}
	for i := range entries {
		en := &entries[i]
		// One allocation per document; chromem-go keeps the slices.
		slab := make([]float32, len(en.Chunks)*v.dim)
		meta := map[string]string{metaDoc: en.Doc.ID}
		for k, ch := range en.Chunks {
			vec := slab[k*v.dim : (k+1)*v.dim : (k+1)*v.dim]
			copy(vec, ch.Vector)
			// AddDocument fails only for an empty id or vector, which
			// a validated entry never has.
			_ = col.AddDocument(context.Background(), chromem.Document{
				ID: versionedID(ch.ID, recs[i].version), Embedding: vec, Metadata: meta,
			})
		}
	}
}

// remove drops versioned ids.
func (v *vectorStore) remove(ids []string) {
	col := v.col.Load()
	if col == nil || len(ids) == 0 {
		return
	}
	_ = col.Delete(context.Background(), nil, nil, ids...)
}

// collection returns the chromem-go collection, loading it from the log
// first if needed.
func (c *collection) vectorCollection(ctx context.Context) (*chromem.Collection, error) {
	v := c.vecs
	if col := v.col.Load(); col != nil {
		return col, nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if col := v.col.Load(); col != nil {
		return col, nil
	}
	if v.fail != nil {
		return nil, v.fail
	}
	// No writer may run while the vectors are read, or its vectors
	// could be missed; searches go on.
	c.wmu.Lock()
	defer c.wmu.Unlock()
	col, err := c.readVectors(ctx)
	if err != nil {
		if ctx.Err() == nil {
			v.fail = err
		}
		return nil, err
	}
	v.col.Store(col)
	return col, nil
}

// readVectors builds a chromem-go collection from the vectors of every
// live document version in the log.
func (c *collection) readVectors(ctx context.Context) (*chromem.Collection, error) {
	col, err := chromem.NewDB().CreateCollection(c.meta.ID, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("create vector collection: %w", err)
	}
	c.mu.RLock()
	docs := make([]*docRec, 0, len(c.docs))
	for _, d := range c.docs {
		if !d.deleted {
			docs = append(docs, d)
		}
	}
	c.mu.RUnlock()
	dim := c.vecs.dim
	var raw []byte
	for i, d := range docs {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		n := len(d.chunks) * dim * 4
		if cap(raw) < n {
			raw = make([]byte, n)
		}
		raw = raw[:n]
		if _, err := d.seg.f.ReadAt(raw, d.vecOff); err != nil {
			return nil, fmt.Errorf("read vectors of %s: %w", d.info.ID, err)
		}
		slab := make([]float32, len(d.chunks)*dim)
		decodeFloats(raw, slab)
		meta := map[string]string{metaDoc: d.info.ID}
		for k := range d.chunks {
			if err := col.AddDocument(ctx, chromem.Document{
				ID:        versionedID(d.chunkID(k), d.version),
				Embedding: slab[k*dim : (k+1)*dim : (k+1)*dim],
				Metadata:  meta,
			}); err != nil {
				return nil, fmt.Errorf("load vectors of %s: %w", d.info.ID, err)
			}
		}
	}
	return col, nil
}
