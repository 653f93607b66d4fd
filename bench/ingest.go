package bench

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"wenda/retrieval"
)

// IngestResult is one timed ingest of a fresh index.
type IngestResult struct {
	Documents  int     `json:"documents"`
	Chunks     int     `json:"chunks"`
	TextBytes  int64   `json:"text_bytes"`
	Seconds    float64 `json:"seconds"`
	IndexBytes int64   `json:"index_bytes"`
	// PeakRSS is the process's resident high-water mark during the ingest,
	// with the documents already in memory, as they are after loading a
	// corpus; it is only meaningful in a process that does nothing else.
	PeakRSS int64 `json:"peak_rss"`
}

// ChunksPerSecond is the ingest rate in chunks.
func (r IngestResult) ChunksPerSecond() float64 { return float64(r.Chunks) / r.Seconds }

// MBPerSecond is the ingest rate in megabytes (10⁶) of document text.
func (r IngestResult) MBPerSecond() float64 { return float64(r.TextBytes) / 1e6 / r.Seconds }

// IngestOnce builds an index of the seed corpus (chunks == 0) or of a
// synthetic corpus into opts.Dir, which should be empty, and times it.
// Making the corpus is not timed, and the peak resident set is reset after
// it so that only the ingest's own peak is reported.
func IngestOnce(ctx context.Context, opts retrieval.Options, chunks int) (IngestResult, error) {
	ch := opts.Chunker
	if ch == (retrieval.ChunkerConfig{}) {
		ch = retrieval.DefaultChunker
	}
	docs, err := Corpus(chunks, ch)
	if err != nil {
		return IngestResult{}, err
	}
	debug.FreeOSMemory()
	if err := resetPeakRSS(); err != nil {
		return IngestResult{}, err
	}
	start := time.Now()
	ix, rep, err := retrieval.Ingest(ctx, docs, opts, nil)
	took := time.Since(start)
	if err != nil {
		return IngestResult{}, err
	}
	defer ix.Close()
	mem, err := ProcMemory(0)
	if err != nil {
		return IngestResult{}, err
	}
	return IngestResult{
		Documents: rep.Documents, Chunks: rep.Chunks, TextBytes: TextBytes(docs),
		Seconds: took.Seconds(), IndexBytes: rep.Bytes, PeakRSS: mem.Peak,
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
