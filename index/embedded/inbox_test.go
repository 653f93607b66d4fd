package embedded

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"wenda/index"
	"wenda/index/indextest"
)

func TestInboxIsAppliedOnceInOrder(t *testing.T) {
	ctx := context.Background()
	e, dir := newEngine(t)
	defer func() { e.Close() }()
	entries := indextest.Entries(t, indextest.Articles(t))
	// Another process, finding the directory locked, writes to the inbox.
	if _, err := Open(ctx, dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer: %v, want ErrLocked", err)
	}
	in := NewInbox(dir)
	if err := in.Put(ctx, "c", entries[:3]...); err != nil {
		t.Fatal(err)
	}
	if err := in.Delete(ctx, "c", entries[1].Doc.ID); err != nil {
		t.Fatal(err)
	}
	if err := in.Put(ctx, "nope", entries[0]); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("inbox of a missing collection: %v", err)
	}
	bad := entries[4]
	bad.Chunks = append([]index.EntryChunk(nil), bad.Chunks...)
	bad.Chunks[0].Vector = bad.Chunks[0].Vector[:3]
	// An entry the collection cannot take is refused at the writer, and
	// one that slipped through (another embedder since) is set aside.
	if err := in.Put(ctx, "c", bad); err == nil {
		t.Error("the inbox took a vector of the wrong dimension")
	}
	if err := in.write(filepath.Join(dir, collectionsDir, "c"), encodeInboxPut(3, []index.Entry{bad})); err != nil {
		t.Fatal(err)
	}
	if err := in.Put(ctx, "c", entries[3]); err != nil {
		t.Fatal(err)
	}
	if n, _ := in.Pending("c"); n != 4 {
		t.Fatalf("%d inbox files pending, want 4", n)
	}
	// Nothing is visible before the owner applies the inbox.
	if info, _ := e.Collection(ctx, "c"); info.Documents != 0 {
		t.Fatalf("%d documents before the inbox was applied", info.Documents)
	}
	rep, err := e.ApplyInbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files != 3 || rep.Documents != 4 || rep.Deleted != 1 || len(rep.Rejected) != 1 {
		t.Errorf("report %+v", rep)
	}
	want := []string{entries[0].Doc.ID, entries[2].Doc.ID, entries[3].Doc.ID}
	page, _ := e.Documents(ctx, "c", index.Page{})
	var got []string
	for _, d := range page.Documents {
		got = append(got, d.ID)
	}
	if strings.Join(got, ",") != strings.Join(slices.Sorted(slices.Values(want)), ",") {
		t.Errorf("documents %v, want %v", got, slices.Sorted(slices.Values(want)))
	}
	if n, _ := in.Pending("c"); n != 0 {
		t.Errorf("%d inbox files left", n)
	}
	hs, err := e.Vector(ctx, "c", entries[3].Chunks[0].Vector, 1, index.Filter{})
	if err != nil || len(hs) != 1 || hs[0].Chunk.ID != entries[3].Chunks[0].ID {
		t.Errorf("vector search after the inbox: %v %v", hs, err)
	}

	// A file applied again (a crash before its removal) changes nothing,
	// and Open applies what is waiting.
	if err := in.Put(ctx, "c", entries[0]); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Join(dir, collectionsDir, "c", inboxDir))
	for _, ent := range ents {
		if strings.HasSuffix(ent.Name(), inboxExt) {
			b, _ := os.ReadFile(filepath.Join(dir, collectionsDir, "c", inboxDir, ent.Name()))
			os.WriteFile(filepath.Join(dir, collectionsDir, "c", inboxDir, "z"+ent.Name()), b, 0o644)
		}
	}
	before, _ := e.Collection(ctx, "c")
	e.Close()
	e, err = Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep := e.OpenedInbox(); rep.Files != 2 || rep.Documents != 2 {
		t.Errorf("open applied %+v", rep)
	}
	after, _ := e.Collection(ctx, "c")
	if after.Documents != before.Documents || after.Chunks != before.Chunks {
		t.Errorf("applying a put twice changed the counts: %+v → %+v", before, after)
	}
}
