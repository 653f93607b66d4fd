package retrieval

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/philippgille/chromem-go"

	"wenda/corpus"
	"wenda/hanzi"
)

// Options configure an index. The zero value of each field selects its
// default, except Dir and Embedder, which are required.
type Options struct {
	Dir      string // data directory holding the manifest and generations
	Embedder Embedder
	Chunker  ChunkerConfig
	Fusion   Fusion
	// DefaultK is how many passages a query returns when it does not say.
	DefaultK int
	// Reranker, when set, reorders fused candidates.
	Reranker *Reranker
}

func (o Options) withDefaults() Options {
	if o.Chunker == (ChunkerConfig{}) {
		o.Chunker = DefaultChunker
	}
	if o.Fusion == (Fusion{}) {
		o.Fusion = DefaultFusion
	}
	if o.DefaultK <= 0 {
		o.DefaultK = 5
	}
	return o
}

// Index is a loaded, read-only index generation: the documents, their
// chunks, the chunk vectors in a chromem-go collection and the BM25 postings
// in bleve. It is safe for concurrent queries. A re-ingest builds a new
// Index; it never changes a loaded one.
type Index struct {
	opts     Options
	manifest Manifest

	docs   []corpus.Document
	docPos map[string]int
	// headers holds each document's folded docHeader, which the relevance
	// signal reads for every passage of every query.
	headers  map[string]string
	chunks   []Chunk
	chunkPos map[string]int
	// vecs holds every chunk vector, row i for chunk i, in one contiguous
	// matrix: a query scans it at memory speed (see vector.go).
	vecs  matrix
	bm25  bleve.Index
	stats termStats
}

// Files inside a generation folder.
const (
	storeFile = "store.gob"
	// Generations written before the store was gob hold it as gzipped
	// JSON: decoding that took 0.7 s at 100k chunks, the gob 0.06 s.
	legacyStoreFile = "store.json.gz"
	// The chromem-go export, without compression: gzip took 11 of the
	// 47 s of an ingest of 100k chunks. Older generations have it gzipped.
	vectorsFile       = "vectors.gob"
	legacyVectorsFile = "vectors.gob.gz"
	matrixFile        = "vectors.f32" // the same vectors as loaded (see vector.go)
	bm25Dir           = "bm25.bleve"
	collection        = "chunks"
)

// store is the part of a generation that is neither vectors nor postings.
type store struct {
	Documents []corpus.Document `json:"documents"`
	Chunks    []Chunk           `json:"chunks"`
	Stats     termStats         `json:"stats"`
}

// storeRecord is a store as written to disk. Chunk texts are left out:
// each is the span [Start, End) of its document's text, and loading takes
// it from there as a substring that shares the document's memory. Written
// out, they doubled the file and the time to decode it, and held a second
// copy of the corpus in memory. (A store written with the texts still
// decodes into a storeRecord; the texts are rebuilt all the same.)
type storeRecord struct {
	Documents []corpus.Document `json:"documents"`
	Chunks    []chunkRecord     `json:"chunks"`
	Stats     termStats         `json:"stats"`
}

type chunkRecord struct {
	ID      string `json:"id"`
	DocID   string `json:"doc_id"`
	Ordinal int    `json:"ordinal"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Heading string `json:"heading,omitempty"`
}

func (st *store) record() storeRecord {
	r := storeRecord{Documents: st.Documents, Chunks: make([]chunkRecord, len(st.Chunks)), Stats: st.Stats}
	for i, c := range st.Chunks {
		r.Chunks[i] = chunkRecord{ID: c.ID, DocID: c.DocID, Ordinal: c.Ordinal, Start: c.Start, End: c.End, Heading: c.Heading}
	}
	return r
}

// store rebuilds the chunks, texts included, from a record.
func (r *storeRecord) store() (store, error) {
	st := store{Documents: r.Documents, Chunks: make([]Chunk, len(r.Chunks)), Stats: r.Stats}
	docs := make(map[string]int, len(r.Documents))
	for i, d := range r.Documents {
		docs[d.ID] = i
	}
	var (
		offsets []int // byte offset of each rune of the current document
		cur     = -1
		valid   bool
	)
	for i, c := range r.Chunks {
		di, ok := docs[c.DocID]
		if !ok {
			return store{}, fmt.Errorf("chunk %s: no document %q", c.ID, c.DocID)
		}
		text := r.Documents[di].Text
		if di != cur {
			cur, offsets, valid = di, runeOffsets(text, offsets[:0]), utf8.ValidString(text)
		}
		if c.Start < 0 || c.Start > c.End || c.End >= len(offsets) {
			return store{}, fmt.Errorf("chunk %s: span [%d, %d) outside its document", c.ID, c.Start, c.End)
		}
		st.Chunks[i] = Chunk{ID: c.ID, DocID: c.DocID, Ordinal: c.Ordinal, Start: c.Start, End: c.End, Heading: c.Heading}
		if valid {
			st.Chunks[i].Text = text[offsets[c.Start]:offsets[c.End]]
		} else {
			// The chunker took []rune(text), which turns invalid bytes
			// into U+FFFD; a substring would keep them.
			st.Chunks[i].Text = string([]rune(text)[c.Start:c.End])
		}
	}
	return st, nil
}

// runeOffsets appends the byte offset of every rune of s, and len(s), to
// buf.
func runeOffsets(s string, buf []int) []int {
	for i := range s {
		buf = append(buf, i)
	}
	return append(buf, len(s))
}

// Open loads the index generation named by the manifest in opts.Dir. It
// returns ErrNoIndex when there is none, and an error naming the mismatch
// when the index was built with another embedder or chunker.
func Open(ctx context.Context, opts Options) (*Index, error) {
	opts = opts.withDefaults()
	if opts.Embedder == nil {
		return nil, errors.New("open index: no embedder")
	}
	m, err := readManifest(opts.Dir)
	if err != nil {
		return nil, err
	}
	if why := m.incompatible(opts.Embedder.Spec(), opts.Chunker); why != "" {
		return nil, &StaleError{Reason: why}
	}
	return load(ctx, opts, m)
}

// StaleError says that the index on disk was built with settings other
// than the configured ones and must be rebuilt with ingest.
type StaleError struct{ Reason string }

func (e *StaleError) Error() string { return "index is stale: " + e.Reason }

func load(ctx context.Context, opts Options, m *Manifest) (*Index, error) {
	gen := filepath.Join(opts.Dir, m.Generation)
	rec, err := readStore(gen)
	if err != nil {
		return nil, err
	}
	st, err := rec.store()
	if err != nil {
		return nil, fmt.Errorf("load store of %s: %w", gen, err)
	}
	vecs, err := loadVectors(ctx, gen, st.Chunks, m.Embedder.Dim)
	if err != nil {
		return nil, err
	}
	bi, err := bleve.OpenUsing(filepath.Join(gen, bm25Dir), map[string]any{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("open bm25 index: %w", err)
	}
	ix := newIndex(opts, *m, st, bi)
	ix.vecs = vecs
	return ix, nil
}

// loadVectors reads the generation's matrix file. A generation written
// before there was one has only the chromem-go export; its vectors are
// copied out of the imported collection.
func loadVectors(ctx context.Context, gen string, chunks []Chunk, dim int) (matrix, error) {
	path := filepath.Join(gen, matrixFile)
	m, err := openMatrix(path, len(chunks), dim)
	if err == nil {
		return m, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return matrix{}, fmt.Errorf("load vectors from %s: %w", path, err)
	}
	export := filepath.Join(gen, vectorsFile)
	if _, err := os.Stat(export); errors.Is(err, fs.ErrNotExist) {
		export = filepath.Join(gen, legacyVectorsFile)
	}
	db := chromem.NewDB()
	if err := db.ImportFromFile(export, ""); err != nil {
		return matrix{}, fmt.Errorf("load vectors: %w", err)
	}
	col := db.GetCollection(collection, nil)
	if col == nil {
		return matrix{}, fmt.Errorf("load vectors: collection %q missing from %s", collection, gen)
	}
	m = newMatrix(len(chunks), dim)
	for i, c := range chunks {
		d, err := col.GetByID(ctx, c.ID)
		if err != nil {
			return matrix{}, fmt.Errorf("load vectors: chunk %s: %w", c.ID, err)
		}
		if err := m.set(i, d.Embedding); err != nil {
			return matrix{}, fmt.Errorf("load vectors: chunk %s: %w", c.ID, err)
		}
	}
	return m, nil
}

func newIndex(opts Options, m Manifest, st store, bi bleve.Index) *Index {
	ix := &Index{
		opts: opts, manifest: m,
		docs: st.Documents, chunks: st.Chunks, stats: st.Stats,
		docPos: make(map[string]int, len(st.Documents)), chunkPos: make(map[string]int, len(st.Chunks)),
		bm25: bi,
	}
	ix.headers = make(map[string]string, len(st.Documents))
	for i := range ix.docs {
		ix.docPos[ix.docs[i].ID] = i
		ix.headers[ix.docs[i].ID] = hanzi.Fold(docHeader(&ix.docs[i]))
	}
	for i, c := range ix.chunks {
		ix.chunkPos[c.ID] = i
	}
	return ix
}

// Close releases the BM25 index files and the mapped vectors; the index
// must not be used afterwards.
func (ix *Index) Close() error {
	err := ix.bm25.Close()
	if verr := ix.vecs.close(); err == nil {
		err = verr
	}
	return err
}

// Manifest describes the loaded generation.
func (ix *Index) Manifest() Manifest { return ix.manifest }

// Documents returns the indexed documents in corpus order. The slice is
// shared: do not modify it.
func (ix *Index) Documents() []corpus.Document { return ix.docs }

// Document returns the document with the given id.
func (ix *Index) Document(id string) (*corpus.Document, bool) {
	i, ok := ix.docPos[id]
	if !ok {
		return nil, false
	}
	return &ix.docs[i], true
}

// Chunk returns the chunk with the given id.
func (ix *Index) Chunk(id string) (Chunk, bool) {
	i, ok := ix.chunkPos[id]
	if !ok {
		return Chunk{}, false
	}
	return ix.chunks[i], true
}

// Chunks returns every chunk in index order. The slice is shared.
func (ix *Index) Chunks() []Chunk { return ix.chunks }

// docHeader is a document's title and authors, which every chunk of it is
// indexed with: a question that names the article ("according to Gupta's
// report…") should find its passages though the body never repeats them.
// It ends in a line break, so folding it apart from the chunk text gives
// the same result as folding the two together.
func docHeader(d *corpus.Document) string {
	return d.Title + " " + strings.Join(d.Authors, " ") + "\n"
}

// IDF is the inverse document frequency of a folded term over chunks.
func (ix *Index) IDF(term string) float64 { return ix.stats.IDF(term) }

// AvgChunkTerms is the mean number of terms in a chunk.
func (ix *Index) AvgChunkTerms() float64 { return ix.stats.AvgLen }

// readStore reads the store of the generation in gen.
func readStore(gen string) (storeRecord, error) {
	var rec storeRecord
	path := filepath.Join(gen, storeFile)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return rec, readJSONGz(filepath.Join(gen, legacyStoreFile), &rec)
	}
	if err != nil {
		return rec, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	if err := gob.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&rec); err != nil {
		return rec, fmt.Errorf("decode %s: %w", path, err)
	}
	return rec, nil
}

func writeStore(path string, rec storeRecord) error {
	return writeFileAtomic(path, func(w writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := gob.NewEncoder(bw).Encode(&rec); err != nil {
			return err
		}
		return bw.Flush()
	})
}

func readJSONGz(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if err := json.NewDecoder(zr).Decode(v); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	return nil
}

func writeJSONGz(path string, v any) error {
	return writeFileAtomic(path, func(w writer) error {
		zw := gzip.NewWriter(w)
		if err := json.NewEncoder(zw).Encode(v); err != nil {
			return err
		}
		return zw.Close()
	})
}
