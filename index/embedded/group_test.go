package embedded

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"wenda/corpus"
	"wenda/index"
	"wenda/index/indextest"
)

// newEngine opens an engine in a new directory, with an empty collection
// "c" like the contract tests' one; it returns the engine and its
// directory.
func newEngine(t *testing.T) (*Engine, string) {
	t.Helper()
	dir := t.TempDir()
	e, err := Open(context.Background(), dir, Options{LoadVectors: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.CreateCollection(context.Background(), indextest.NewCollection(t, "c")); err != nil {
		e.Close()
		t.Fatal(err)
	}
	return e, dir
}

// copies returns n documents made of the shipped articles, each with an
// id and a marker word of its own.
func copies(t *testing.T, n int, id func(i int) string) []corpus.Document {
	arts := indextest.Articles(t)
	out := make([]corpus.Document, n)
	for i := range out {
		d := arts[i%len(arts)]
		d.ID = id(i)
		d.Text = fmt.Sprintf("版本 mark%d 。\n\n", i) + d.Text
		d.Hash = fmt.Sprint(i)
		out[i] = d
	}
	return out
}

// waitQueued waits until n Puts wait in the collection's queue.
func waitQueued(t *testing.T, c *collection, n int) {
	t.Helper()
	for start := time.Now(); ; time.Sleep(time.Millisecond) {
		c.puts.mu.Lock()
		got := len(c.puts.waiting)
		c.puts.mu.Unlock()
		if got == n {
			return
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("%d puts queued, want %d", got, n)
		}
	}
}

// lsn is the LSN the collection's next write takes.
func lsn(c *collection) uint64 {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.nextLSN
}

// TestConcurrentPutsShareOneCommit holds a commit in progress while twelve
// Puts arrive; they are then committed together, in one log record, and
// each returns only once it is there, durable and visible.
func TestConcurrentPutsShareOneCommit(t *testing.T) {
	ctx := context.Background()
	e, dir := newEngine(t)
	defer func() { e.Close() }()
	c, _ := e.get("c")
	entries := indextest.Entries(t, copies(t, 12, func(i int) string { return fmt.Sprintf("doc-%d", i) }))
	first := lsn(c)

	c.wmu.Lock() // a write in progress
	errs := make(chan error, len(entries))
	for _, en := range entries {
		go func() { errs <- e.Put(ctx, "c", en) }()
	}
	waitQueued(t, c, len(entries))
	select {
	case err := <-errs:
		t.Fatalf("a Put returned (%v) before its commit", err)
	case <-time.After(20 * time.Millisecond):
	}
	c.wmu.Unlock()
	for range entries {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := lsn(c) - first; n != 1 {
		t.Errorf("%d concurrent puts took %d log records, want 1", len(entries), n)
	}
	check := func(when string) {
		t.Helper()
		info, err := e.Collection(ctx, "c")
		if err != nil || info.Documents != len(entries) {
			t.Fatalf("%s: %+v %v", when, info, err)
		}
		for i, en := range entries {
			d, err := e.Document(ctx, "c", en.Doc.ID)
			if err != nil || d.Text != en.Doc.Text {
				t.Errorf("%s: document %s: %v", when, en.Doc.ID, err)
			}
			hs, err := e.Lexical(ctx, "c", []string{fmt.Sprintf("mark%d", i)}, 5, index.Filter{})
			if err != nil || len(hs) != 1 || hs[0].Chunk.DocID != en.Doc.ID {
				t.Errorf("%s: lexical search for document %s's marker: %v %v", when, en.Doc.ID, hs, err)
			}
		}
	}
	check("after the group commit")
	e.Close()
	var err error
	if e, err = Open(ctx, dir, Options{LoadVectors: true}); err != nil {
		t.Fatal(err)
	}
	check("after a reopen")
}

// TestGroupCommitKeepsTheOrderOfADocument queues a Put of document x, one
// of y, then a new version of x: the second version of x is not committed
// beside the first but after it, so it is the one that stays.
func TestGroupCommitKeepsTheOrderOfADocument(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t)
	defer e.Close()
	c, _ := e.get("c")
	docs := copies(t, 3, func(i int) string { return []string{"x", "y", "x"}[i] })
	entries := indextest.Entries(t, docs)
	first := lsn(c)
	c.wmu.Lock()
	errs := make(chan error, len(entries))
	for i, en := range entries {
		go func() { errs <- e.Put(ctx, "c", en) }()
		waitQueued(t, c, i+1)
	}
	c.wmu.Unlock()
	for range entries {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := lsn(c) - first; n != 2 {
		t.Errorf("the three puts took %d log records, want 2 (x and y, then x again)", n)
	}
	d, err := e.Document(ctx, "c", "x")
	if err != nil || d.Text != docs[2].Text {
		t.Errorf("x is not its last version: %v", err)
	}
	for _, m := range []string{"mark0", "mark2"} {
		hs, err := e.Lexical(ctx, "c", []string{m}, 5, index.Filter{DocIDs: []string{"x"}})
		if err != nil {
			t.Fatal(err)
		}
		if found := len(hs) > 0; found != (m == "mark2") {
			t.Errorf("search for %s in x finds %d chunks", m, len(hs))
		}
	}
}

// TestPutCancelledWhileQueued: a Put whose context ends while it waits
// for its turn returns at once with the context's error and never shows;
// the others of its group are committed.
func TestPutCancelledWhileQueued(t *testing.T) {
	ctx := context.Background()
	e, _ := newEngine(t)
	defer e.Close()
	c, _ := e.get("c")
	entries := indextest.Entries(t, copies(t, 3, func(i int) string { return fmt.Sprintf("doc-%d", i) }))
	c.wmu.Lock()
	errs := make(chan error, 2)
	for _, en := range []index.Entry{entries[0], entries[2]} {
		go func() { errs <- e.Put(ctx, "c", en) }()
	}
	cctx, cancel := context.WithCancel(ctx)
	cancelled := make(chan error, 1)
	go func() { cancelled <- e.Put(cctx, "c", entries[1]) }()
	waitQueued(t, c, 3)
	cancel()
	select {
	case err := <-cancelled:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the cancelled put returned %v", err)
		}
	case <-time.After(10 * time.Second):
		c.wmu.Unlock()
		t.Fatal("the cancelled put waited for the commit in progress")
	}
	c.wmu.Unlock()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	page, err := e.Documents(ctx, "c", index.Page{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range page.Documents {
		ids = append(ids, d.ID)
	}
	if strings.Join(ids, ",") != "doc-0,doc-2" {
		t.Errorf("documents %v, want doc-0 and doc-2", ids)
	}
	if hs, _ := e.Lexical(ctx, "c", []string{"mark1"}, 5, index.Filter{}); len(hs) > 0 {
		t.Errorf("the cancelled put's document is found: %v", hs)
	}
}
