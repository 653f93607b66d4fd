package retrieval

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// Chunk texts are not written to the store; the reopened index must hold
// exactly the chunks the chunker made, texts included.
func TestStoreRebuildsChunkTexts(t *testing.T) {
	docs := realDocs(t)
	var want []Chunk
	for i := range docs {
		want = append(want, DefaultChunker.Split(&docs[i])...)
	}
	dir := t.TempDir()
	ctx := context.Background()
	opts := Options{Dir: dir, Embedder: hashEmbedder(t)}
	ix, _, err := Ingest(ctx, docs, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	gen := filepath.Join(dir, ix.Manifest().Generation)
	ix.Close()

	re, err := Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(re.Chunks(), want) {
		t.Error("reopened chunks differ from the chunker's")
	}
	re.Close()

	// A store written as before, gzipped JSON with the chunk texts, still
	// loads.
	rec, err := readStore(gen)
	if err != nil {
		t.Fatal(err)
	}
	if err := writeJSONGz(filepath.Join(gen, legacyStoreFile), store{Documents: rec.Documents, Chunks: want, Stats: rec.Stats}); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(gen, storeFile)); err != nil {
		t.Fatal(err)
	}
	old, err := Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if !reflect.DeepEqual(old.Chunks(), want) {
		t.Error("chunks of a store with texts differ from the chunker's")
	}
}

func TestStoreRecordRejectsBadSpans(t *testing.T) {
	docs := realDocs(t)[:1]
	for _, c := range []chunkRecord{
		{ID: "x:0", DocID: "missing", End: 1},
		{ID: "x:0", DocID: docs[0].ID, Start: 5, End: 4},
		{ID: "x:0", DocID: docs[0].ID, End: len([]rune(docs[0].Text)) + 1},
	} {
		r := storeRecord{Documents: docs, Chunks: []chunkRecord{c}}
		if _, err := r.store(); err == nil {
			t.Errorf("chunk %+v accepted", c)
		}
	}
}
