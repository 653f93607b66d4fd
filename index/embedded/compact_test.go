package embedded

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"wenda/index"
	"wenda/index/indextest"
)

// TestCompaction replaces and deletes documents until most of the log is
// dead, compacts it, and checks that everything live reads and searches
// the same, before and after a reopen, and that the log shrank.
func TestCompaction(t *testing.T) {
	ctx := context.Background()
	e, dir := newEngine(t)
	defer func() { e.Close() }()
	entries := indextest.Entries(t, indextest.Articles(t))
	for range 4 {
		if err := e.Put(ctx, "c", entries...); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Delete(ctx, "c", entries[2].Doc.ID); err != nil {
		t.Fatal(err)
	}
	logSize := func() int64 {
		var n int64
		filepath.WalkDir(filepath.Join(dir, collectionsDir, "c", logDir), func(_ string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				fi, _ := d.Info()
				n += fi.Size()
			}
			return nil
		})
		return n
	}
	before := logSize()
	check := func(when string) {
		t.Helper()
		info, err := e.Collection(ctx, "c")
		if err != nil || info.Documents != len(entries)-1 {
			t.Fatalf("%s: %+v %v", when, info, err)
		}
		for i, en := range entries {
			d, err := e.Document(ctx, "c", en.Doc.ID)
			if i == 2 {
				if err == nil {
					t.Errorf("%s: the deleted document is back", when)
				}
				continue
			}
			if err != nil || d.Text != en.Doc.Text {
				t.Fatalf("%s: document %s: %v", when, en.Doc.ID, err)
			}
			c := en.Chunks[len(en.Chunks)/2]
			got, err := e.Chunk(ctx, "c", c.ID)
			if err != nil || got != c.Chunk {
				t.Errorf("%s: chunk %s: %v", when, c.ID, err)
			}
			hs, err := e.Vector(ctx, "c", c.Vector, 1, index.Filter{})
			if err != nil || len(hs) != 1 || hs[0].Chunk != c.Chunk {
				t.Errorf("%s: vector search for %s: %v %v", when, c.ID, hs, err)
			}
			hs, err = e.Lexical(ctx, "c", c.Terms, 1, index.Filter{})
			if err != nil || len(hs) != 1 || hs[0].Chunk != c.Chunk {
				t.Errorf("%s: lexical search for %s: %v %v", when, c.ID, hs, err)
			}
		}
	}
	check("before compaction")
	if err := e.Compact(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	after := logSize()
	if after*3 > before {
		t.Errorf("the log went from %d to %d bytes; a quarter of it was live", before, after)
	}
	check("after compaction")
	// Writes go on in the new log.
	if err := e.Put(ctx, "c", entries[0]); err != nil {
		t.Fatal(err)
	}
	e.Close()
	var err error
	if e, err = Open(ctx, dir, Options{LoadVectors: true}); err != nil {
		t.Fatal(err)
	}
	check("after reopening")
}

// TestInterruptedCompaction: a new log without its marker is dropped; one
// with it replaces the old one at the next open.
func TestInterruptedCompaction(t *testing.T) {
	ctx := context.Background()
	e, dir := newEngine(t)
	entries := indextest.Entries(t, indextest.Articles(t))
	if err := e.Put(ctx, "c", entries...); err != nil {
		t.Fatal(err)
	}
	e.Close()
	cdir := filepath.Join(dir, collectionsDir, "c")
	// A compaction that died before its marker: garbage in log.new.
	os.MkdirAll(filepath.Join(cdir, newLogDir), 0o755)
	os.WriteFile(filepath.Join(cdir, newLogDir, segmentName(1)), []byte("half a record"), 0o644)
	var err error
	if e, err = Open(ctx, dir, Options{}); err != nil {
		t.Fatalf("open after a compaction died early: %v", err)
	}
	if info, _ := e.Collection(ctx, "c"); info.Documents != len(entries) {
		t.Errorf("%d documents", info.Documents)
	}
	e.Close()
	if _, err := os.Stat(filepath.Join(cdir, newLogDir)); err == nil {
		t.Error("the unfinished new log was left")
	}
	// A compaction that died after its marker, before the swap: the new
	// log (here a copy of the old) takes over.
	os.Rename(filepath.Join(cdir, logDir), filepath.Join(cdir, newLogDir))
	os.WriteFile(filepath.Join(cdir, newLogDir, completeFile), nil, 0o644)
	if e, err = Open(ctx, dir, Options{}); err != nil {
		t.Fatalf("open after a compaction died late: %v", err)
	}
	defer e.Close()
	if info, _ := e.Collection(ctx, "c"); info.Documents != len(entries) {
		t.Errorf("%d documents after the swap", info.Documents)
	}
	if _, err := os.Stat(filepath.Join(cdir, logDir, completeFile)); err == nil {
		t.Error("the marker stayed in the log")
	}
}
