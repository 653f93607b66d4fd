package retrieval

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/philippgille/chromem-go"

	"wenda/corpus"
	"wenda/hanzi"
)

// IngestReport summarises an ingest.
type IngestReport struct {
	Documents int `json:"documents"`
	Chunks    int `json:"chunks"`
	// Embedded chunks were sent to the embedder; Reused ones kept their
	// vectors from the previous generation because their document did not
	// change.
	Embedded int `json:"embedded"`
	Reused   int `json:"reused"`
	// Rebuilt is set, with the reason, when the previous index could not be
	// reused at all (another embedder or chunker, or none there).
	Rebuilt       bool          `json:"rebuilt"`
	RebuildReason string        `json:"rebuild_reason,omitempty"`
	Took          time.Duration `json:"took_ns"`
	Bytes         int64         `json:"bytes"`
}

// Progress is told how many chunks are embedded so far out of total.
type Progress func(done, total int)

// embedBatch is how many chunks go to the embedder at a time; it bounds
// memory and lets progress move.
const embedBatch = 128

// Ingest chunks and embeds docs and writes a new index generation to
// opts.Dir, reusing the vectors of documents whose content hash is
// unchanged since the last generation built with the same embedder and
// chunker. Only one ingest runs at a time per data directory. The new
// generation becomes visible in one atomic step (the manifest rename); if
// ingest fails or the process dies, the previous index stays intact.
func Ingest(ctx context.Context, docs []corpus.Document, opts Options, progress Progress) (*Index, IngestReport, error) {
	start := time.Now()
	opts = opts.withDefaults()
	var rep IngestReport
	if opts.Embedder == nil {
		return nil, rep, errors.New("ingest: no embedder")
	}
	if err := opts.Chunker.Validate(); err != nil {
		return nil, rep, fmt.Errorf("ingest: %w", err)
	}
	if len(docs) == 0 {
		return nil, rep, errors.New("ingest: no documents")
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, rep, fmt.Errorf("ingest: create data dir: %w", err)
	}
	unlock, err := lockDir(opts.Dir)
	if err != nil {
		return nil, rep, err
	}
	defer unlock()

	// Chunk everything; chunking is cheap and deterministic.
	var chunks []Chunk
	entries := make([]DocEntry, len(docs))
	for i := range docs {
		cs := opts.Chunker.Split(&docs[i])
		entries[i] = DocEntry{ID: docs[i].ID, Path: docs[i].Path, Hash: docs[i].Hash, Chunks: len(cs)}
		chunks = append(chunks, cs...)
	}
	// Index text is the folded chunk behind its document's title and
	// authors (see docHeader); chunk text shown to users stays as written.
	headers := make(map[string]string, len(docs))
	for i := range docs {
		headers[docs[i].ID] = hanzi.Fold(docHeader(&docs[i]))
	}
	folded := make([]string, len(chunks))
	for i, c := range chunks {
		folded[i] = headers[c.DocID] + hanzi.Fold(c.Text)
	}

	old := reusableVectors(ctx, opts, &rep)
	vectors := make([][]float32, len(chunks))
	var todo []int
	for i, c := range chunks {
		if v, ok := old[c.DocID+"\x00"+strconv.Itoa(c.Ordinal)+"\x00"+folded[i]]; ok {
			vectors[i] = v
			rep.Reused++
			continue
		}
		todo = append(todo, i)
	}
	// Term statistics need only the folded texts: they are counted on
	// another core while the chunks are embedded.
	statsc := make(chan termStats, 1)
	go func() { statsc <- newTermStats(folded) }()
	if err := embedChunks(ctx, opts.Embedder, folded, todo, vectors, progress); err != nil {
		return nil, rep, fmt.Errorf("ingest: %w", err)
	}
	rep.Embedded = len(todo)
	stats := <-statsc

	m := Manifest{
		Version: ManifestVersion, Embedder: opts.Embedder.Spec(), Chunker: opts.Chunker,
		Documents: entries, Chunks: len(chunks), CreatedAt: time.Now().UTC(),
	}
	ix, err := writeGeneration(ctx, opts, m, store{Documents: docs, Chunks: chunks, Stats: stats}, folded, vectors)
	if err != nil {
		return nil, rep, fmt.Errorf("ingest: %w", err)
	}
	rep.Documents, rep.Chunks, rep.Bytes = len(docs), len(chunks), ix.manifest.Bytes
	rep.Took = time.Since(start)
	return ix, rep, nil
}

// reusableVectors returns the previous generation's vectors keyed by
// document, ordinal and index text (so a changed title re-embeds too), when that generation was built with the
// same embedder and chunker. Otherwise it records why everything is rebuilt.
func reusableVectors(ctx context.Context, opts Options, rep *IngestReport) map[string][]float32 {
	m, err := readManifest(opts.Dir)
	if err != nil {
		rep.Rebuilt = true
		if errors.Is(err, ErrNoIndex) {
			rep.RebuildReason = "no previous index"
		} else {
			rep.RebuildReason = err.Error()
		}
		return nil
	}
	if why := m.incompatible(opts.Embedder.Spec(), opts.Chunker); why != "" {
		rep.Rebuilt, rep.RebuildReason = true, why
		return nil
	}
	prev, err := load(ctx, opts, m)
	if err != nil {
		rep.Rebuilt, rep.RebuildReason = true, "previous index unreadable: "+err.Error()
		return nil
	}
	defer prev.Close()
	out := make(map[string][]float32, len(prev.chunks))
	for i, c := range prev.chunks {
		key := c.DocID + "\x00" + strconv.Itoa(c.Ordinal) + "\x00" + prev.headers[c.DocID] + hanzi.Fold(c.Text)
		out[key] = append([]float32(nil), prev.vecs.row(i)...)
	}
	return out
}

func embedChunks(ctx context.Context, e Embedder, folded []string, todo []int, vectors [][]float32, progress Progress) error {
	for start := 0; start < len(todo); start += embedBatch {
		end := min(start+embedBatch, len(todo))
		texts := make([]string, 0, end-start)
		for _, i := range todo[start:end] {
			texts = append(texts, folded[i])
		}
		vecs, err := e.Embed(ctx, texts)
		if err != nil {
			return fmt.Errorf("embed chunks: %w", err)
		}
		if len(vecs) != len(texts) {
			return fmt.Errorf("embed chunks: embedder returned %d vectors for %d texts", len(vecs), len(texts))
		}
		for k, i := range todo[start:end] {
			vectors[i] = vecs[k]
		}
		if progress != nil {
			progress(end, len(todo))
		}
	}
	return nil
}

// writeGeneration writes a complete generation folder, then points the
// manifest at it and removes older generations.
func writeGeneration(ctx context.Context, opts Options, m Manifest, st store, folded []string, vectors [][]float32) (_ *Index, err error) {
	name := fmt.Sprintf("gen-%s", time.Now().UTC().Format("20060102T150405.000000000"))
	gen := filepath.Join(opts.Dir, name)
	tmp := gen + ".tmp"
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("create generation: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
			os.RemoveAll(gen)
		}
	}()

	db := chromem.NewDB()
	col, err := db.CreateCollection(collection, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("create collection: %w", err)
	}
	cdocs := make([]chromem.Document, len(st.Chunks))
	for i, c := range st.Chunks {
		cdocs[i] = chromem.Document{
			ID: c.ID, Embedding: vectors[i], Content: c.Text,
			Metadata: map[string]string{"doc": c.DocID},
		}
	}
	if err := col.AddDocuments(ctx, cdocs, runtime.GOMAXPROCS(0)); err != nil {
		return nil, fmt.Errorf("add vectors: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(tmp, vectorsFile), func(w writer) error {
		return db.ExportToWriter(w, false, "", collection)
	}); err != nil {
		return nil, fmt.Errorf("write vectors: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(tmp, matrixFile), func(w writer) error {
		return writeMatrix(w, len(vectors), m.Embedder.Dim, func(i int) []float32 { return vectors[i] })
	}); err != nil {
		return nil, fmt.Errorf("write vectors: %w", err)
	}
	if err := writeStore(filepath.Join(tmp, storeFile), st.record()); err != nil {
		return nil, fmt.Errorf("write store: %w", err)
	}
	bi, err := buildBM25(ctx, filepath.Join(tmp, bm25Dir), st.Chunks, folded)
	if err != nil {
		return nil, err
	}
	if err := bi.Close(); err != nil {
		return nil, fmt.Errorf("close bm25 index: %w", err)
	}
	if err := syncTree(tmp); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, gen); err != nil {
		return nil, fmt.Errorf("publish generation: %w", err)
	}
	m.Generation = name
	m.Bytes = treeSize(gen)
	if err := writeManifest(opts.Dir, &m); err != nil {
		return nil, err
	}
	removeOldGenerations(opts.Dir, name)
	return load(ctx, opts, &m)
}

// syncTree fsyncs every file and folder under dir, so that the rename that
// publishes it cannot be persisted before its contents.
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("sync %s: %w", p, err)
		}
		defer f.Close()
		if err := f.Sync(); err != nil {
			return fmt.Errorf("sync %s: %w", p, err)
		}
		return nil
	})
}

func treeSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// removeOldGenerations deletes generation folders other than keep,
// including leftovers of interrupted ingests.
func removeOldGenerations(dir, keep string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if e.IsDir() && strings.HasPrefix(e.Name(), "gen-") && e.Name() != keep {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// ErrLocked is returned when another ingest holds the data directory.
var ErrLocked = errors.New("another ingest is running on this data directory")

func lockDir(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock data dir: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", dir, ErrLocked)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
