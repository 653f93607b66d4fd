package bench

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"wenda/corpus"
	"wenda/embed"
	"wenda/index"
	"wenda/index/embedded"
	"wenda/ingest"
)

// IngestResult is one timed ingest of a fresh index.
type IngestResult struct {
	Documents  int     `json:"documents"`
	Chunks     int     `json:"chunks"`
	TextBytes  int64   `json:"text_bytes"`
	Seconds    float64 `json:"seconds"`
	IndexBytes int64   `json:"index_bytes"`
	// PeakRSS is the process's resident high-water mark during the
	// ingest; it is only meaningful in a process that does nothing else.
	PeakRSS int64 `json:"peak_rss"`
}

// ChunksPerSecond is the ingest rate in chunks.
func (r IngestResult) ChunksPerSecond() float64 { return float64(r.Chunks) / r.Seconds }

// MBPerSecond is the ingest rate in megabytes (10⁶) of document text.
func (r IngestResult) MBPerSecond() float64 { return float64(r.TextBytes) / 1e6 / r.Seconds }

// IngestConfig says what IngestOnce builds.
type IngestConfig struct {
	Dir        string // an empty data directory
	Collection index.Collection
	Embedders  func(embed.Spec) (embed.Embedder, error)
	// Chunks is the size of the synthetic corpus; 0 is the seed corpus.
	Chunks int
	Sync   ingest.SyncOptions
}

// IngestOnce builds the collection of the seed corpus or of a synthetic
// one in an empty data directory by the bulk path (wenda ingest's), and
// times it. The documents are made as the ingest asks for them, so the
// peak resident set is the ingest's own.
func IngestOnce(ctx context.Context, cfg IngestConfig) (IngestResult, error) {
	docs, err := CorpusStream(cfg.Chunks, cfg.Collection.Chunker)
	if err != nil {
		return IngestResult{}, err
	}
	var text int64
	counted := func(yield func(corpus.Document, error) bool) {
		for d, err := range docs {
			text += int64(len(d.Text))
			if !yield(d, err) {
				return
			}
		}
	}
	debug.FreeOSMemory()
	if err := resetPeakRSS(); err != nil {
		return IngestResult{}, err
	}
	start := time.Now()
	eng, err := embedded.Open(ctx, cfg.Dir, embedded.Options{})
	if err != nil {
		return IngestResult{}, err
	}
	defer eng.Close()
	if _, _, err := ingest.Ensure(ctx, eng, cfg.Collection); err != nil {
		return IngestResult{}, err
	}
	x := &ingest.Indexer{Engine: eng, Embedders: cfg.Embedders}
	rep, err := x.Sync(ctx, cfg.Collection.ID, counted, cfg.Sync)
	if err != nil {
		return IngestResult{}, err
	}
	if err := eng.Close(); err != nil {
		return IngestResult{}, err
	}
	took := time.Since(start)
	mem, err := ProcMemory(0)
	if err != nil {
		return IngestResult{}, err
	}
	size, err := DirBytes(cfg.Dir)
	if err != nil {
		return IngestResult{}, err
	}
	return IngestResult{
		Documents: rep.Documents, Chunks: rep.Chunks, TextBytes: text,
		Seconds: took.Seconds(), IndexBytes: size, PeakRSS: mem.Peak,
	}, nil
}

// resetPeakRSS sets this process's VmHWM back to its current resident set
// (value 5 of Linux's clear_refs).
func resetPeakRSS() error {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return fmt.Errorf("reset peak resident set: %w", err)
	}
	return nil
}
