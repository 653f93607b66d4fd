// Package indextest runs the same behavioural tests on any index.Engine,
// so that the embedded engine and Weaviate keep one contract: collections,
// atomic Put and Delete, lookups, both search legs with filters, term
// statistics, durability across a reopen, and searches that see each
// document whole while it is being replaced.
//
// The tests use the real articles shipped in package corpus, prepared by
// package ingest with the offline hash embedder.
package indextest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wenda/chunk"
	"wenda/corpus"
	"wenda/embed"
	"wenda/index"
	"wenda/ingest"
)

// Harness tells the tests how to get engines.
type Harness struct {
	// Open returns a new, empty engine; the test closes it.
	Open func(t *testing.T) index.Engine
	// Reopen closes e and opens the same data again, as a restart would.
	// Nil skips the durability tests.
	Reopen func(t *testing.T, e index.Engine) index.Engine
}

// Dim is the dimension of the hashed vectors the tests use.
const Dim = 256

// Run runs every test on engines from h.
func Run(t *testing.T, h Harness) {
	t.Run("Collections", func(t *testing.T) { testCollections(t, h) })
	t.Run("PutAndRead", func(t *testing.T) { testPutAndRead(t, h) })
	t.Run("Lexical", func(t *testing.T) { testLexical(t, h) })
	t.Run("Vector", func(t *testing.T) { testVector(t, h) })
	t.Run("Filters", func(t *testing.T) { testFilters(t, h) })
	t.Run("TermStats", func(t *testing.T) { testTermStats(t, h) })
	t.Run("Replace", func(t *testing.T) { testReplace(t, h) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, h) })
	t.Run("RefusedPut", func(t *testing.T) { testRefusedPut(t, h) })
	t.Run("AtomicVisibility", func(t *testing.T) { testAtomicVisibility(t, h) })
	if h.Reopen != nil {
		t.Run("Reopen", func(t *testing.T) { testReopen(t, h) })
	}
}

// Embedder is the embedder of the tests' collections.
func Embedder(t testing.TB) *embed.Hash {
	t.Helper()
	e, err := embed.NewHash(Dim)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// NewCollection is the collection the tests create.
func NewCollection(t testing.TB, id string) index.Collection {
	return index.Collection{
		ID:       id,
		Metadata: index.Metadata{Title: "测试集 " + id, Description: "the shipped articles", Language: "zh-Hans", Examples: []string{"马德里会谈讨论了什么？"}},
		Embedder: Embedder(t).Spec(),
		Chunker:  chunk.Default,
	}
}

// Articles returns the shipped articles.
func Articles(t testing.TB) []corpus.Document {
	t.Helper()
	res, err := corpus.Load(corpus.Embedded(), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Documents
}

// Entries prepares docs for a test collection.
func Entries(t testing.TB, docs []corpus.Document) []index.Entry {
	t.Helper()
	out := make([]index.Entry, len(docs))
	for i, d := range docs {
		e, err := ingest.Prepare(context.Background(), d, chunk.Default, Embedder(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = e
	}
	return out
}

// loaded opens an engine with a collection "c" holding the articles, put
// one document per call; it returns the entries.
func loaded(t *testing.T, h Harness) (index.Engine, []index.Entry) {
	t.Helper()
	ctx := context.Background()
	e := h.Open(t)
	t.Cleanup(func() { e.Close() })
	if _, err := e.CreateCollection(ctx, NewCollection(t, "c")); err != nil {
		t.Fatal(err)
	}
	entries := Entries(t, Articles(t))
	for _, en := range entries {
		if err := e.Put(ctx, "c", en); err != nil {
			t.Fatalf("put %s: %v", en.Doc.ID, err)
		}
	}
	return e, entries
}

func testCollections(t *testing.T, h Harness) {
	ctx := context.Background()
	e := h.Open(t)
	defer e.Close()
	want := NewCollection(t, "b-1")
	info, err := e.CreateCollection(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	if info.ID != "b-1" || info.Title != want.Title || info.Embedder != want.Embedder || info.Chunker != want.Chunker || info.Documents != 0 || info.Created.IsZero() {
		t.Errorf("created %+v", info)
	}
	if _, err := e.CreateCollection(ctx, want); !errors.Is(err, index.ErrExists) {
		t.Errorf("second create: %v, want ErrExists", err)
	}
	for _, bad := range []string{"", "Upper", "has space", "../up", strings.Repeat("x", 65)} {
		c := NewCollection(t, "x")
		c.ID = bad
		if _, err := e.CreateCollection(ctx, c); err == nil {
			t.Errorf("collection id %q accepted", bad)
		}
	}
	if _, err := e.CreateCollection(ctx, NewCollection(t, "a")); err != nil {
		t.Fatal(err)
	}
	all, err := e.Collections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range all {
		ids = append(ids, c.ID)
	}
	if !slices.Equal(ids, []string{"a", "b-1"}) {
		t.Errorf("collections %v", ids)
	}
	m := index.Metadata{Title: "新标题", Description: "新描述", Language: "zh-Hant", Examples: []string{"问题一？", "问题二？"}}
	info, err = e.SetMetadata(ctx, "a", m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.Collection(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != m.Title || got.Language != m.Language || !slices.Equal(got.Examples, m.Examples) || got.Embedder != want.Embedder {
		t.Errorf("after SetMetadata: %+v", got)
	}
	if _, err := e.SetMetadata(ctx, "a", index.Metadata{Language: "fr"}); err == nil {
		t.Error("language fr accepted")
	}
	if _, err := e.SetMetadata(ctx, "nope", m); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("SetMetadata on a missing collection: %v", err)
	}
	if err := e.DeleteCollection(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Collection(ctx, "a"); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("deleted collection: %v", err)
	}
	if err := e.Put(ctx, "a", Entries(t, Articles(t)[:1])...); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("put into a deleted collection: %v", err)
	}
	if err := e.DeleteCollection(ctx, "a"); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	// A deleted id can be created again, empty.
	if _, err := e.CreateCollection(ctx, NewCollection(t, "a")); err != nil {
		t.Fatal(err)
	}
	if info, _ := e.Collection(ctx, "a"); info.Documents != 0 || info.Title != NewCollection(t, "a").Title {
		t.Errorf("re-created collection %+v", info)
	}
}

func testPutAndRead(t *testing.T, h Harness) {
	ctx := context.Background()
	e, entries := loaded(t, h)
	info, err := e.Collection(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	chunks := 0
	for _, en := range entries {
		chunks += len(en.Chunks)
	}
	if info.Documents != len(entries) || info.Chunks != chunks {
		t.Errorf("counts %d documents %d chunks, want %d and %d", info.Documents, info.Chunks, len(entries), chunks)
	}
	page, err := e.Documents(ctx, "c", index.Page{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range page.Documents {
		ids = append(ids, d.ID)
		if d.Text != "" {
			t.Errorf("listing of %s carries its text", d.ID)
		}
	}
	if page.Total != len(entries) || !slices.IsSorted(ids) || len(ids) != len(entries) {
		t.Errorf("documents %v total %d", ids, page.Total)
	}
	p2, err := e.Documents(ctx, "c", index.Page{Offset: 1, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(p2.Documents) != 2 || p2.Documents[0].ID != ids[1] || p2.Total != len(entries) {
		t.Errorf("page 2 of 2: %+v", p2)
	}
	for _, en := range entries {
		d, err := e.Document(ctx, "c", en.Doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Text != en.Doc.Text || d.Title != en.Doc.Title || d.Hash != en.Doc.Hash || !slices.Equal(d.Authors, en.Doc.Authors) || len(d.Sections) != len(en.Doc.Sections) {
			t.Errorf("document %s does not read back as put", en.Doc.ID)
		}
		infos, err := e.DocInfos(ctx, "c", []string{en.Doc.ID, "missing"})
		if err != nil {
			t.Fatal(err)
		}
		di, ok := infos[en.Doc.ID]
		if !ok || len(infos) != 1 || di.Header != en.Header || di.Chunks != len(en.Chunks) || di.Chars != len([]rune(en.Doc.Text)) || di.Text != "" {
			t.Errorf("DocInfos %s: %+v", en.Doc.ID, infos)
		}
		text := []rune(en.Doc.Text)
		for _, c := range en.Chunks {
			got, err := e.Chunk(ctx, "c", c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.Chunk || got.Text != string(text[c.Start:c.End]) {
				t.Errorf("chunk %s reads back as %+v", c.ID, got)
			}
		}
	}
	for _, id := range []string{"missing:0", entries[0].Doc.ID + ":9999", entries[0].Doc.ID + ":x", entries[0].Doc.ID, "", entries[0].Doc.ID + ":01"} {
		if _, err := e.Chunk(ctx, "c", id); !errors.Is(err, index.ErrNotFound) {
			t.Errorf("Chunk(%q): %v, want ErrNotFound", id, err)
		}
	}
	if _, err := e.Document(ctx, "c", "missing"); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("missing document: %v", err)
	}
	if _, err := e.Document(ctx, "nope", entries[0].Doc.ID); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("document of a missing collection: %v", err)
	}
}

func distinct(terms []string) []string {
	s := slices.Clone(terms)
	slices.Sort(s)
	return slices.Compact(s)
}

func checkOrder(t *testing.T, what string, hs []index.Hit) {
	t.Helper()
	for i := 1; i < len(hs); i++ {
		if hs[i].Score > hs[i-1].Score {
			t.Errorf("%s: hit %d scores %v above hit %d's %v", what, i, hs[i].Score, i-1, hs[i-1].Score)
		}
	}
	seen := map[string]bool{}
	for _, h := range hs {
		if seen[h.Chunk.ID] {
			t.Errorf("%s: chunk %s twice", what, h.Chunk.ID)
		}
		seen[h.Chunk.ID] = true
	}
}

func testLexical(t *testing.T, h Harness) {
	ctx := context.Background()
	e, entries := loaded(t, h)
	for _, en := range entries {
		c := en.Chunks[len(en.Chunks)/2]
		hs, err := e.Lexical(ctx, "c", c.Terms, 10, index.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(hs) == 0 || hs[0].Chunk.ID != c.ID {
			t.Errorf("lexical search with the terms of %s: top hit %v", c.ID, hitIDs(hs))
			continue
		}
		if hs[0].Chunk != c.Chunk {
			t.Errorf("hit %s carries %+v, want %+v", c.ID, hs[0].Chunk, c.Chunk)
		}
		checkOrder(t, "lexical", hs)
	}
	// "马德里" occurs in one article's body; every hit must hold its terms.
	hs, err := e.Lexical(ctx, "c", []string{"马德", "德里"}, 50, index.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) == 0 {
		t.Fatal("no hits for 马德里")
	}
	for _, h := range hs {
		terms := termsOf(entries, h.Chunk.ID)
		if !slices.Contains(terms, "马德") && !slices.Contains(terms, "德里") {
			t.Errorf("hit %s holds neither term", h.Chunk.ID)
		}
	}
	if hs, err := e.Lexical(ctx, "c", []string{"zzqqxx"}, 10, index.Filter{}); err != nil || len(hs) != 0 {
		t.Errorf("unknown term: %v %v", hitIDs(hs), err)
	}
	if hs, err := e.Lexical(ctx, "c", nil, 10, index.Filter{}); err != nil || len(hs) != 0 {
		t.Errorf("no terms: %v %v", hitIDs(hs), err)
	}
	// A term asked twice weighs more than once: the ranking of two terms
	// changes when one of them is repeated.
	one, _ := e.Lexical(ctx, "c", []string{"马德", "关税"}, 3, index.Filter{})
	twice, _ := e.Lexical(ctx, "c", []string{"马德", "关税", "关税", "关税"}, 3, index.Filter{})
	if len(one) > 0 && len(twice) > 0 && one[0].Score == twice[0].Score {
		t.Errorf("repeating a term did not change the score (%v)", one[0].Score)
	}
}

func termsOf(entries []index.Entry, chunkID string) []string {
	for _, en := range entries {
		for _, c := range en.Chunks {
			if c.ID == chunkID {
				return c.Terms
			}
		}
	}
	return nil
}

func hitIDs(hs []index.Hit) []string {
	var out []string
	for _, h := range hs {
		out = append(out, fmt.Sprintf("%s(%.3f)", h.Chunk.ID, h.Score))
	}
	return out
}

func testVector(t *testing.T, h Harness) {
	ctx := context.Background()
	e, entries := loaded(t, h)
	for _, en := range entries {
		c := en.Chunks[len(en.Chunks)/2]
		hs, err := e.Vector(ctx, "c", c.Vector, 10, index.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(hs) != 10 || hs[0].Chunk.ID != c.ID || math.Abs(hs[0].Score-1) > 1e-4 {
			t.Errorf("vector search with the vector of %s: %v", c.ID, hitIDs(hs))
			continue
		}
		if hs[0].Chunk != c.Chunk {
			t.Errorf("hit %s carries %+v", c.ID, hs[0].Chunk)
		}
		checkOrder(t, "vector", hs)
	}
	if _, err := e.Vector(ctx, "c", make([]float32, Dim+1), 5, index.Filter{}); err == nil {
		t.Error("a vector of the wrong dimension was searched")
	}
	// Asking for more than the collection holds returns all of it.
	total := 0
	for _, en := range entries {
		total += len(en.Chunks)
	}
	hs, err := e.Vector(ctx, "c", entries[0].Chunks[0].Vector, total+100, index.Filter{})
	if err != nil || len(hs) != total {
		t.Errorf("n past the collection: %d hits of %d, %v", len(hs), total, err)
	}
}

func testFilters(t *testing.T, h Harness) {
	ctx := context.Background()
	e, entries := loaded(t, h)
	q := entries[0].Chunks[0]
	dated := map[string]string{}
	for _, en := range entries {
		dated[en.Doc.ID] = en.Doc.Date
	}
	filters := []index.Filter{
		{DocIDs: []string{entries[1].Doc.ID}},
		{DocIDs: []string{entries[1].Doc.ID, entries[3].Doc.ID}},
		{DocIDs: []string{entries[0].Doc.ID, entries[1].Doc.ID, entries[2].Doc.ID, entries[3].Doc.ID, entries[4].Doc.ID}},
		{DocIDs: []string{"missing"}},
		{From: "2025-10"},
		{To: "2025-09"},
		{From: "2025-01-01", To: "2025-10"},
	}
	for _, f := range filters {
		admitted := map[string]bool{}
		for _, en := range entries {
			if f.Admits(en.Doc.ID, en.Doc.Date) {
				admitted[en.Doc.ID] = true
			}
		}
		lex, err := e.Lexical(ctx, "c", q.Terms, 30, f)
		if err != nil {
			t.Fatal(err)
		}
		vec, err := e.Vector(ctx, "c", q.Vector, 30, f)
		if err != nil {
			t.Fatal(err)
		}
		for name, hs := range map[string][]index.Hit{"lexical": lex, "vector": vec} {
			docs := map[string]bool{}
			for _, h := range hs {
				if !admitted[h.Chunk.DocID] {
					t.Errorf("%s %+v: hit %s of %s (date %q) passes", name, f, h.Chunk.ID, h.Chunk.DocID, dated[h.Chunk.DocID])
				}
				docs[h.Chunk.DocID] = true
			}
			if len(admitted) == 0 && len(hs) > 0 {
				t.Errorf("%s %+v: %d hits, none admitted", name, f, len(hs))
			}
			if name == "vector" && len(admitted) > 0 && len(docs) == 0 {
				t.Errorf("vector %+v: no hits from %v", f, admitted)
			}
			if name == "vector" && len(admitted) > 0 {
				want := 0
				for _, en := range entries {
					if admitted[en.Doc.ID] {
						want += len(en.Chunks)
					}
				}
				if len(hs) != min(30, want) {
					t.Errorf("vector %+v: %d hits, want %d", f, len(hs), min(30, want))
				}
			}
		}
	}
}

func testTermStats(t *testing.T, h Harness) {
	ctx := context.Background()
	e, entries := loaded(t, h)
	terms := []string{"马德", "关税", "tiktok", "2758", "zzqqxx", "关税"}
	df := map[string]int{}
	n, total := 0, 0
	for _, en := range entries {
		for _, c := range en.Chunks {
			n++
			total += len(c.Terms)
			for _, term := range distinct(c.Terms) {
				df[term]++
			}
		}
	}
	st, err := e.TermStats(ctx, "c", terms)
	if err != nil {
		t.Fatal(err)
	}
	if st.Chunks != n || math.Abs(st.AvgTerms-float64(total)/float64(n)) > 1e-9 {
		t.Errorf("stats: %d chunks, %.3f terms; want %d and %.3f", st.Chunks, st.AvgTerms, n, float64(total)/float64(n))
	}
	for _, term := range terms {
		if st.DF[term] != df[term] {
			t.Errorf("df(%s) = %d, want %d", term, st.DF[term], df[term])
		}
	}
}

// shortened is en's document with only its first half, prepared again.
func shortened(t *testing.T, en index.Entry) index.Entry {
	d := en.Doc
	r := []rune(d.Text)
	d.Text = string(r[:len(r)/2])
	d.Hash = "changed"
	var secs []corpus.Section
	for _, s := range d.Sections {
		if s.Start < len(r)/2 {
			secs = append(secs, s)
		}
	}
	d.Sections, d.Notes, d.BodyEnd = secs, nil, 0
	return Entries(t, []corpus.Document{d})[0]
}

func testReplace(t *testing.T, h Harness) {
	ctx := context.Background()
	e, entries := loaded(t, h)
	old := entries[2]
	short := shortened(t, old)
	if err := e.Put(ctx, "c", short); err != nil {
		t.Fatal(err)
	}
	d, err := e.Document(ctx, "c", old.Doc.ID)
	if err != nil || d.Text != short.Doc.Text || d.Hash != "changed" {
		t.Fatalf("replaced document: %v", err)
	}
	if info, _ := e.DocInfos(ctx, "c", []string{old.Doc.ID}); info[old.Doc.ID].Chunks != len(short.Chunks) {
		t.Errorf("replaced document has %d chunks, want %d", info[old.Doc.ID].Chunks, len(short.Chunks))
	}
	if _, err := e.Chunk(ctx, "c", old.Chunks[len(old.Chunks)-1].ID); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("a chunk past the new end: %v", err)
	}
	gone := old.Chunks[len(old.Chunks)-1]
	for _, hs := range searches(t, e, gone, index.Filter{DocIDs: []string{old.Doc.ID}}) {
		for _, h := range hs {
			if h.Chunk.End > len([]rune(short.Doc.Text)) || h.Chunk.Ordinal >= len(short.Chunks) {
				t.Errorf("hit %s of the old version", h.Chunk.ID)
			}
		}
	}
	// The same entry again changes nothing.
	if err := e.Put(ctx, "c", short); err != nil {
		t.Fatal(err)
	}
	info, _ := e.Collection(ctx, "c")
	want := 0
	for _, en := range entries {
		want += len(en.Chunks)
	}
	want += len(short.Chunks) - len(old.Chunks)
	if info.Chunks != want || info.Documents != len(entries) {
		t.Errorf("after replacing twice: %d documents %d chunks, want %d and %d", info.Documents, info.Chunks, len(entries), want)
	}
	st, _ := e.TermStats(ctx, "c", nil)
	if st.Chunks != want {
		t.Errorf("term statistics count %d chunks, want %d", st.Chunks, want)
	}
}

// searches runs both legs with c's terms and vector.
func searches(t *testing.T, e index.Engine, c index.EntryChunk, f index.Filter) [][]index.Hit {
	t.Helper()
	ctx := context.Background()
	lex, err := e.Lexical(ctx, "c", c.Terms, 50, f)
	if err != nil {
		t.Fatal(err)
	}
	vec, err := e.Vector(ctx, "c", c.Vector, 50, f)
	if err != nil {
		t.Fatal(err)
	}
	return [][]index.Hit{lex, vec}
}

func testDelete(t *testing.T, h Harness) {
	ctx := context.Background()
	e, entries := loaded(t, h)
	gone := entries[1]
	if err := e.Delete(ctx, "c", gone.Doc.ID, "never-there"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Document(ctx, "c", gone.Doc.ID); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("deleted document: %v", err)
	}
	if _, err := e.Chunk(ctx, "c", gone.Chunks[0].ID); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("chunk of a deleted document: %v", err)
	}
	for _, hs := range searches(t, e, gone.Chunks[0], index.Filter{}) {
		for _, h := range hs {
			if h.Chunk.DocID == gone.Doc.ID {
				t.Errorf("hit %s of a deleted document", h.Chunk.ID)
			}
		}
	}
	info, _ := e.Collection(ctx, "c")
	if info.Documents != len(entries)-1 {
		t.Errorf("%d documents after delete", info.Documents)
	}
	if err := e.Delete(ctx, "c", gone.Doc.ID); err != nil {
		t.Errorf("deleting again: %v", err)
	}
	if err := e.Delete(ctx, "nope", gone.Doc.ID); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("delete in a missing collection: %v", err)
	}
	// Put back, it is found again.
	if err := e.Put(ctx, "c", gone); err != nil {
		t.Fatal(err)
	}
	hs, err := e.Vector(ctx, "c", gone.Chunks[0].Vector, 1, index.Filter{})
	if err != nil || len(hs) != 1 || hs[0].Chunk.ID != gone.Chunks[0].ID {
		t.Errorf("document put back: %v %v", hitIDs(hs), err)
	}
}

func testRefusedPut(t *testing.T, h Harness) {
	ctx := context.Background()
	e, entries := loaded(t, h)
	before, _ := e.Collection(ctx, "c")

	bad := Entries(t, Articles(t)[:1])[0]
	bad.Doc.ID = "bad-dim"
	for i := range bad.Chunks {
		bad.Chunks[i].DocID = "bad-dim"
		bad.Chunks[i].ID = index.ChunkID("bad-dim", i)
	}
	bad.Chunks[1].Vector = bad.Chunks[1].Vector[:Dim-1]
	fresh := shortened(t, entries[0])
	fresh.Doc.ID = "fresh"
	for i := range fresh.Chunks {
		fresh.Chunks[i].DocID = "fresh"
		fresh.Chunks[i].ID = index.ChunkID("fresh", i)
	}
	if err := e.Put(ctx, "c", fresh, bad); err == nil {
		t.Error("a vector of the wrong dimension was put")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := e.Put(cancelled, "c", fresh); err == nil {
		t.Error("put with a cancelled context succeeded")
	}
	for _, id := range []string{"bad-dim", "fresh"} {
		if _, err := e.Document(ctx, "c", id); !errors.Is(err, index.ErrNotFound) {
			t.Errorf("refused document %s is there: %v", id, err)
		}
	}
	for _, hs := range searches(t, e, fresh.Chunks[0], index.Filter{}) {
		for _, h := range hs {
			if h.Chunk.DocID == "fresh" || h.Chunk.DocID == "bad-dim" {
				t.Errorf("hit %s of a refused put", h.Chunk.ID)
			}
		}
	}
	after, _ := e.Collection(ctx, "c")
	if after.Documents != before.Documents || after.Chunks != before.Chunks {
		t.Errorf("refused puts changed the counts: %+v → %+v", before, after)
	}
}

// testAtomicVisibility replaces one document over and over with versions
// of alternating length while searches run, and checks that every search
// sees exactly one version, whole.
func testAtomicVisibility(t *testing.T, h Harness) {
	ctx := context.Background()
	e := h.Open(t)
	defer e.Close()
	if _, err := e.CreateCollection(ctx, NewCollection(t, "c")); err != nil {
		t.Fatal(err)
	}
	base := Articles(t)[0]
	if err := e.Put(ctx, "c", Entries(t, []corpus.Document{base})...); err != nil {
		t.Fatal(err)
	}
	version := func(v int) index.Entry {
		n := 3 + 3*(v%2) // 3 or 6 paragraphs
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "原子文档atomdoc第%d段，版本标记ver%d在这里出现。这一段还有别的句子，让它足够长，长到自成一个块，不和下一段合并在一起。"+
				"再写一句，写到这个段落超过三百六十个字符的一半以上，这样分块器会把每一段切成单独的块，而且重叠也只会带上整句。%s\n\n",
				i, v, strings.Repeat("补充的文字，", 20))
		}
		d := corpus.Document{ID: "atom", Title: "原子", Text: b.String(), Hash: fmt.Sprint(v), Script: base.Script, Format: corpus.FormatPlain}
		return Entries(t, []corpus.Document{d})[0]
	}
	versions := []index.Entry{version(0), version(1)}
	if len(versions[0].Chunks) == len(versions[1].Chunks) {
		t.Fatalf("versions have the same number of chunks (%d)", len(versions[0].Chunks))
	}
	// The marker and "atomdoc" share a sentence, so the chunks holding
	// one are the chunks holding the other.
	chunksOf := map[string]int{}
	for v, en := range versions {
		m := fmt.Sprintf("ver%d", v)
		for _, c := range en.Chunks {
			if strings.Contains(c.Text, m) {
				chunksOf[m]++
			}
		}
	}
	if chunksOf["ver0"] == chunksOf["ver1"] {
		t.Fatalf("versions have the same number of marked chunks (%d)", chunksOf["ver0"])
	}
	if err := e.Put(ctx, "c", versions[0]); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var writes atomic.Int64
	wg.Go(func() {
		for i := 1; !stop.Load(); i++ {
			if err := e.Put(ctx, "c", versions[i%2]); err != nil {
				t.Error(err)
				return
			}
			writes.Add(1)
		}
	})
	check := func(leg string, hs []index.Hit) {
		marks := map[string]int{}
		for _, h := range hs {
			if h.Chunk.DocID != "atom" {
				continue
			}
			for m := range chunksOf {
				if strings.Contains(h.Chunk.Text, m) {
					marks[m]++
				}
			}
		}
		if len(marks) > 1 {
			t.Errorf("%s search saw two versions at once: %v", leg, marks)
		}
		for m, n := range marks {
			if n != chunksOf[m] {
				t.Errorf("%s search saw %d of the %d chunks of %s", leg, n, chunksOf[m], m)
			}
		}
		if len(marks) == 0 {
			t.Errorf("%s search saw no version: %v", leg, hitIDs(hs))
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for i := 0; time.Now().Before(deadline) || writes.Load() < 20; i++ {
		lex, err := e.Lexical(ctx, "c", []string{"atomdoc"}, 100, index.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		check("lexical", lex)
		vec, err := e.Vector(ctx, "c", versions[i%2].Chunks[0].Vector, 100, index.Filter{DocIDs: []string{"atom"}})
		if err != nil {
			t.Fatal(err)
		}
		check("vector", vec)
		if t.Failed() || time.Now().After(deadline.Add(20*time.Second)) {
			break
		}
	}
	stop.Store(true)
	wg.Wait()
	t.Logf("%d replacements during the searches", writes.Load())
}

func testReopen(t *testing.T, h Harness) {
	ctx := context.Background()
	e, entries := loaded(t, h)
	short := shortened(t, entries[0])
	if err := e.Put(ctx, "c", short); err != nil {
		t.Fatal(err)
	}
	if err := e.Delete(ctx, "c", entries[1].Doc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.SetMetadata(ctx, "c", index.Metadata{Title: "改过的标题"}); err != nil {
		t.Fatal(err)
	}
	before, _ := e.Collection(ctx, "c")
	e = h.Reopen(t, e)
	t.Cleanup(func() { e.Close() })
	after, err := e.Collection(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	if after.Documents != before.Documents || after.Chunks != before.Chunks || after.Title != "改过的标题" || after.Embedder != before.Embedder {
		t.Errorf("after reopen %+v, before %+v", after, before)
	}
	d, err := e.Document(ctx, "c", short.Doc.ID)
	if err != nil || d.Text != short.Doc.Text {
		t.Errorf("replaced document after reopen: %v", err)
	}
	if _, err := e.Document(ctx, "c", entries[1].Doc.ID); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("deleted document after reopen: %v", err)
	}
	c := entries[3].Chunks[1]
	for i, hs := range searches(t, e, c, index.Filter{}) {
		if len(hs) == 0 || hs[0].Chunk.ID != c.ID {
			t.Errorf("leg %d after reopen: %v", i, hitIDs(hs))
		}
		for _, h := range hs {
			if h.Chunk.DocID == entries[1].Doc.ID {
				t.Errorf("hit %s of a deleted document after reopen", h.Chunk.ID)
			}
		}
	}
}
