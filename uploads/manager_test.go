package uploads

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wenda/corpus"
	"wenda/endpoint"
)

// memIndex is an index held in a map. Its Put is atomic as the real
// engine's is: the document appears whole when Put returns nil. Tests
// hook into Put to block, fail or watch it.
type memIndex struct {
	mu    sync.Mutex
	docs  map[string]map[string]corpus.Document // collection → id → document
	puts  int
	onPut func(ctx context.Context, doc corpus.Document) error
}

func newMemIndex(colls ...string) *memIndex {
	ix := &memIndex{docs: map[string]map[string]corpus.Document{}}
	for _, c := range colls {
		ix.docs[c] = map[string]corpus.Document{}
	}
	return ix
}

func (ix *memIndex) Put(ctx context.Context, coll string, doc corpus.Document, progress func(done, total int)) (int, error) {
	ix.mu.Lock()
	ix.puts++
	hook := ix.onPut
	_, ok := ix.docs[coll]
	ix.mu.Unlock()
	if !ok {
		return 0, fmt.Errorf("put %s: %w", coll, ErrNoCollection)
	}
	progress(0, 2)
	if hook != nil {
		if err := hook(ctx, doc); err != nil {
			return 0, err
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	progress(2, 2)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.docs[coll] == nil {
		return 0, fmt.Errorf("put %s: %w", coll, ErrNoCollection)
	}
	ix.docs[coll][doc.ID] = doc
	return 2, nil
}

func (ix *memIndex) Delete(ctx context.Context, coll, id string) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	delete(ix.docs[coll], id)
	return nil
}

func (ix *memIndex) Filename(ctx context.Context, coll, id string) (string, bool, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	d, ok := ix.docs[coll][id]
	return d.Path, ok, nil
}

func (ix *memIndex) doc(coll, id string) (corpus.Document, bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	d, ok := ix.docs[coll][id]
	return d, ok
}

func (ix *memIndex) putCount() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.puts
}

func parseText(ctx context.Context, name string, raw []byte) (corpus.Document, error) {
	return corpus.Parse(name, raw)
}

// article is a real seed article's bytes.
func article(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "corpus", "articles", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type harness struct {
	t     *testing.T
	dir   string
	store *BoltStore
	ix    *memIndex
	m     *Manager
}

func newHarness(t *testing.T, ix *memIndex) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir(), ix: ix}
	h.open(true)
	t.Cleanup(h.close)
	return h
}

func (h *harness) open(start bool) {
	h.t.Helper()
	st, err := OpenBoltStore(h.dir)
	if err != nil {
		h.t.Fatal(err)
	}
	h.store = st
	h.m = NewManager(st, h.ix, parseText, Config{Workers: 2, RetryPause: time.Millisecond})
	if start {
		if err := h.m.Start(context.Background()); err != nil {
			h.t.Fatal(err)
		}
	}
}

func (h *harness) close() {
	if h.store == nil {
		return
	}
	h.m.Close()
	h.store.Close()
	h.store = nil
}

func (h *harness) upload(coll, name string, raw []byte) Record {
	h.t.Helper()
	ctx := context.Background()
	b, err := h.m.SaveBlob(ctx, coll, bytes.NewReader(raw), 1<<20)
	if err != nil {
		h.t.Fatal(err)
	}
	rec, _, err := h.m.Accept(ctx, coll, Upload{Filename: name, Blob: b}, corpus.IDFor(name))
	if err != nil {
		h.t.Fatal(err)
	}
	return rec
}

// wait polls a record until it leaves the queue.
func (h *harness) wait(coll, id string) Record {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		rec, err := h.m.Get(context.Background(), coll, id)
		if err != nil {
			h.t.Fatal(err)
		}
		if rec.Status == StatusReady || rec.Status == StatusFailed {
			return rec
		}
		time.Sleep(5 * time.Millisecond)
	}
	h.t.Fatalf("%s of %s never finished", id, coll)
	return Record{}
}

func TestUploadBecomesReady(t *testing.T) {
	h := newHarness(t, newMemIndex("news"))
	raw := article(t, "g2-busan-summit.txt")
	rec := h.upload("news", "Busan Summit.txt", raw)
	if rec.ID != "busan-summit" || rec.Version != 1 || rec.Filename != "Busan Summit.txt" || rec.Size != int64(len(raw)) {
		t.Fatalf("accepted %+v", rec)
	}
	rec = h.wait("news", rec.ID)
	if rec.Status != StatusReady || rec.Chunks != 2 || rec.Progress != 1 || !rec.Indexed || rec.Error != "" {
		t.Fatalf("finished %+v", rec)
	}
	d, ok := h.ix.doc("news", "busan-summit")
	if !ok || !strings.Contains(d.Text, "釜山") || d.Path != "Busan Summit.txt" {
		t.Fatalf("indexed %v %q", ok, d.Path)
	}
	c, _ := h.m.Count(context.Background(), "news")
	if c.Records != 1 || c.Queued+c.Processing+c.Failed != 0 || c.Unindexed != 0 {
		t.Errorf("counts %+v", c)
	}
}

func TestUploadIdempotentAndVersions(t *testing.T) {
	h := newHarness(t, newMemIndex("news"))
	v1 := article(t, "g2-busan-summit.txt")
	rec := h.wait("news", h.upload("news", "busan.txt", v1).ID)

	// The same bytes again, under the same or another name: the same
	// document, not indexed again.
	for _, name := range []string{"busan.txt", "copy of busan.txt"} {
		again := h.upload("news", name, v1)
		if again.ID != rec.ID || again.Version != 1 || again.Status != StatusReady {
			t.Errorf("re-upload as %q: %+v", name, again)
		}
	}
	if n := h.ix.putCount(); n != 1 {
		t.Errorf("%d puts after identical re-uploads, want 1", n)
	}

	// New bytes under the same name: version 2 of the same document,
	// replacing the first in the index, and the old file is dropped.
	v2 := append(append([]byte(nil), v1...), "\n\n新增的一段：釜山会晤之后双方同意继续磋商。\n"...)
	up := h.upload("news", "busan.txt", v2)
	if up.ID != rec.ID || up.Version != 2 || up.Status != StatusQueued || !up.Indexed {
		t.Fatalf("new version: %+v", up)
	}
	done := h.wait("news", rec.ID)
	if done.Status != StatusReady || done.Hash == rec.Hash {
		t.Fatalf("new version finished %+v", done)
	}
	if d, _ := h.ix.doc("news", rec.ID); !strings.Contains(d.Text, "继续磋商") {
		t.Error("the index holds the old version")
	}
	if _, err := h.store.ReadBlob(context.Background(), "news", rec.Hash); !errors.Is(err, ErrNotFound) {
		t.Errorf("the replaced version's file is still stored: %v", err)
	}
}

func TestUploadIDs(t *testing.T) {
	ix := newMemIndex("news")
	// A document loaded in bulk, from a file of its own.
	ix.docs["news"]["report"] = corpus.Document{ID: "report", Path: "report.md"}
	h := newHarness(t, ix)
	tests := []struct {
		name, body, want string
		indexed          bool
	}{
		{"a b.txt", "第一篇。", "a-b", false},
		{"A-B.md", "第二篇。", "a-b-2", false},
		{"report.txt", "另一份报告。", "report-2", false}, // the id is taken by another file
		{"report.md", "报告的新版本。", "report", true},    // the same file: a new version of it
	}
	for _, tt := range tests {
		rec := h.upload("news", tt.name, []byte(tt.body))
		if rec.ID != tt.want || rec.Indexed != tt.indexed {
			t.Errorf("%s: id %q indexed %v, want %q %v", tt.name, rec.ID, rec.Indexed, tt.want, tt.indexed)
		}
	}
}

func TestUnreadableFileFails(t *testing.T) {
	h := newHarness(t, newMemIndex("news"))
	bin := []byte("\x00\x01\x02PK\x03\x04 not text at all")
	rec := h.wait("news", h.upload("news", "scan.txt", bin).ID)
	if rec.Status != StatusFailed || !strings.Contains(rec.Error, "binary") || rec.ErrorCode != "unsupported_file_type" || rec.Indexed {
		t.Fatalf("binary file: %+v", rec)
	}
	list, total, err := h.m.Unindexed(context.Background(), "news", 0, 10)
	if err != nil || total != 1 || len(list) != 1 || list[0].ID != rec.ID {
		t.Fatalf("unindexed %v %d %v", list, total, err)
	}
	c, _ := h.m.Count(context.Background(), "news")
	if c.Failed != 1 {
		t.Errorf("counts %+v", c)
	}
	// Uploading the same bytes again retries a failed document.
	again := h.upload("news", "scan.txt", bin)
	if again.Status != StatusQueued || again.Version != 2 {
		t.Errorf("re-upload of a failed file: %+v", again)
	}
	h.wait("news", rec.ID)
	// A readable version clears the error and its code.
	h.upload("news", "scan.txt", []byte("扫描件的文字版。"))
	if rec := h.wait("news", rec.ID); rec.Status != StatusReady || rec.Error != "" || rec.ErrorCode != "" {
		t.Errorf("a readable version after a failed one: %+v", rec)
	}
}

func TestTransientFailureRetried(t *testing.T) {
	ix := newMemIndex("news")
	var mu sync.Mutex
	fails := 2
	ix.onPut = func(ctx context.Context, doc corpus.Document) error {
		mu.Lock()
		defer mu.Unlock()
		if fails > 0 {
			fails--
			return &endpoint.Error{Kind: endpoint.ErrUnavailable, Status: 503}
		}
		return nil
	}
	h := newHarness(t, ix)
	rec := h.wait("news", h.upload("news", "a.txt", []byte("中美元首在釜山会晤。")).ID)
	if rec.Status != StatusReady {
		t.Fatalf("after two transient failures: %+v", rec)
	}

	// One failure more than the retries: failed, saying what to do.
	mu.Lock()
	fails = 3
	mu.Unlock()
	rec = h.wait("news", h.upload("news", "b.txt", []byte("另一篇文章。")).ID)
	if rec.Status != StatusFailed || !strings.Contains(rec.Error, "embeddings service") || rec.ErrorCode != CodeEmbeddingsUnavailable {
		t.Fatalf("after three failures: %+v", rec)
	}
}

func TestDeleteStopsRunningJob(t *testing.T) {
	ix := newMemIndex("news")
	started := make(chan struct{}, 1)
	ix.onPut = func(ctx context.Context, doc corpus.Document) error {
		started <- struct{}{}
		<-ctx.Done() // an embedding that takes long
		return ctx.Err()
	}
	h := newHarness(t, ix)
	rec := h.upload("news", "long.txt", []byte("一篇很长的文章。"))
	<-started
	if got, _ := h.m.Get(context.Background(), "news", rec.ID); got.Status != StatusProcessing || got.Progress <= 0 {
		t.Errorf("while processing: %+v", got)
	}
	if err := h.m.Delete(context.Background(), "news", rec.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := h.ix.doc("news", rec.ID); ok {
		t.Error("the document is in the index after its delete returned")
	}
	if _, err := h.m.Get(context.Background(), "news", rec.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("record after delete: %v", err)
	}
	if err := h.m.Delete(context.Background(), "news", rec.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
}

func TestDeleteBulkLoadedDocument(t *testing.T) {
	ix := newMemIndex("default")
	ix.docs["default"]["seed"] = corpus.Document{ID: "seed", Path: "seed.txt"}
	h := newHarness(t, ix)
	if err := h.m.Delete(context.Background(), "default", "seed"); err != nil {
		t.Fatal(err)
	}
	if _, ok := ix.doc("default", "seed"); ok {
		t.Error("still indexed")
	}
}

func TestJobsResumeAfterRestart(t *testing.T) {
	ix := newMemIndex("news")
	h := newHarness(t, ix)
	// Acknowledge uploads with no worker running, as if the process died
	// right after answering 202.
	h.close()
	h.open(false)
	var ids []string
	for i := range 5 {
		ids = append(ids, h.upload("news", fmt.Sprintf("doc%d.txt", i), []byte(fmt.Sprintf("第%d篇文章的正文。", i))).ID)
	}
	// One job was under way when the process died.
	if _, err := h.store.Update(context.Background(), "news", ids[0], func(r *Record) error { r.Status = StatusProcessing; return nil }); err != nil {
		t.Fatal(err)
	}
	h.close()
	h.open(true)
	for _, id := range ids {
		if rec := h.wait("news", id); rec.Status != StatusReady {
			t.Errorf("%s: %+v", id, rec)
		}
	}
	if n := ix.putCount(); n != 5 {
		t.Errorf("%d puts for 5 documents", n)
	}
}

func TestDeleteCollection(t *testing.T) {
	ix := newMemIndex("news")
	h := newHarness(t, ix)
	rec := h.wait("news", h.upload("news", "a.txt", []byte("正文。")).ID)
	err := h.m.DeleteCollection(context.Background(), "news", func(context.Context) error {
		ix.mu.Lock()
		delete(ix.docs, "news")
		ix.mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.m.Get(context.Background(), "news", rec.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("record after the collection was deleted: %v", err)
	}
	if _, err := os.Stat(filepath.Join(h.dir, blobDir, "news")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("files of the deleted collection remain: %v", err)
	}
}

func TestSweepOnOpen(t *testing.T) {
	h := newHarness(t, newMemIndex("news"))
	ctx := context.Background()
	kept := h.wait("news", h.upload("news", "a.txt", []byte("留下的文章。")).ID)
	// Stored, never acknowledged: the process died between the two steps.
	orphan, err := h.m.SaveBlob(ctx, "news", strings.NewReader("没有确认的上传。"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(h.dir, tmpDir, "upload-123"), []byte("half"), 0o644)
	h.close()
	h.open(true)
	if _, err := h.store.ReadBlob(ctx, "news", orphan.Hash); !errors.Is(err, ErrNotFound) {
		t.Errorf("unacknowledged file kept: %v", err)
	}
	if _, err := h.store.ReadBlob(ctx, "news", kept.Hash); err != nil {
		t.Errorf("acknowledged file lost: %v", err)
	}
	if ents, _ := os.ReadDir(filepath.Join(h.dir, tmpDir)); len(ents) != 0 {
		t.Errorf("%d files left in tmp", len(ents))
	}
}

// TestSharedStore runs two managers on one store, as two server processes
// sharing it would: a delete made through one stops the job the other
// runs, and a job whose worker died is taken over when its lease expires.
func TestSharedStore(t *testing.T) {
	ix := newMemIndex("news")
	started := make(chan struct{}, 4)
	ix.onPut = func(ctx context.Context, doc corpus.Document) error {
		if doc.ID == "slow" {
			started <- struct{}{}
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	}
	h := newHarness(t, ix)
	h.close()
	h.open(false)
	cfg := Config{Workers: 1, Lease: 300 * time.Millisecond, PollInterval: 20 * time.Millisecond, RetryPause: time.Millisecond}
	a := NewManager(h.store, ix, parseText, cfg)
	b := NewManager(h.store, ix, parseText, cfg)
	defer a.Close()
	defer b.Close()
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	blob, err := a.SaveBlob(ctx, "news", strings.NewReader("一篇要很久才能嵌入的文章。"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := a.Accept(ctx, "news", Upload{Filename: "slow.txt", Blob: blob}, "slow")
	if err != nil {
		t.Fatal(err)
	}
	<-started // b runs it
	if err := a.Delete(ctx, "news", rec.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := ix.doc("news", "slow"); ok {
		t.Error("indexed after the delete returned")
	}
	if _, err := a.Get(ctx, "news", rec.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("record after the delete: %v", err)
	}

	// A worker claims a job and dies without a word: another takes the
	// job over once the lease has run out.
	blob, _ = a.SaveBlob(ctx, "news", strings.NewReader("另一篇文章。"), 1<<20)
	orphan, _, err := a.Accept(ctx, "news", Upload{Filename: "orphan.txt", Blob: blob}, "orphan")
	if err != nil {
		t.Fatal(err)
	}
	b.Close() // b's worker must not take it first
	if _, ok, err := h.store.Claim(ctx, "dead-worker", 200*time.Millisecond); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	c := NewManager(h.store, ix, parseText, cfg)
	defer c.Close()
	c.Start(ctx)
	h.m = c
	if got := h.wait("news", orphan.ID); got.Status != StatusReady || got.Lease != "" {
		t.Errorf("orphaned job: %+v", got)
	}
}

// TestDeleteRacesNewVersion: a new version uploaded while a delete waits
// for the running job: as if the delete came first, the version that was
// indexed goes, and the new one is ingested after.
func TestDeleteRacesNewVersion(t *testing.T) {
	ix := newMemIndex("news")
	release := make(chan struct{})
	started := make(chan struct{}, 4)
	ix.onPut = func(ctx context.Context, doc corpus.Document) error {
		if strings.Contains(doc.Text, "第二版") {
			started <- struct{}{}
			<-release // an embedding call that does not look at ctx
		}
		return nil
	}
	h := newHarness(t, ix)
	rec := h.wait("news", h.upload("news", "a.txt", []byte("第一版的正文。")).ID)
	h.upload("news", "a.txt", []byte("第二版的正文。"))
	<-started
	deleted := make(chan error, 1)
	go func() { deleted <- h.m.Delete(context.Background(), "news", rec.ID) }()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r, _ := h.store.Get(context.Background(), "news", rec.ID)
		if r.Status == StatusDeleting {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the delete never marked the record")
		}
		time.Sleep(5 * time.Millisecond)
	}
	v3 := h.upload("news", "a.txt", []byte("第三版的正文。"))
	close(release)
	if err := <-deleted; err != nil {
		t.Fatal(err)
	}
	if d, ok := ix.doc("news", rec.ID); ok && !strings.Contains(d.Text, "第三版") {
		t.Fatalf("after the delete returned the index holds %q", d.Text)
	}
	if got := h.wait("news", v3.ID); got.Status != StatusReady || got.Version != 3 {
		t.Fatalf("third version: %+v", got)
	}
	if d, _ := ix.doc("news", rec.ID); !strings.Contains(d.Text, "第三版") {
		t.Errorf("indexed %q", d.Text)
	}
}

// unreachableRenew is a store whose Renew fails as an unreachable
// database would, while fail is set.
type unreachableRenew struct {
	Store
	fail atomic.Bool
}

func (s *unreachableRenew) Renew(ctx context.Context, coll, id, owner string, lease time.Duration) (Record, error) {
	if s.fail.Load() {
		return Record{}, errors.New("dial tcp 10.0.0.9:5432: connect: connection refused")
	}
	return s.Store.Renew(ctx, coll, id, owner, lease)
}

// TestRenewFailingStopsJob: a worker that cannot renew its lease stops
// its job before the lease may have run out, since another process may
// take the job then; the job runs again once the store answers.
func TestRenewFailingStopsJob(t *testing.T) {
	ix := newMemIndex("news")
	causes := make(chan error, 4)
	var st *unreachableRenew
	// A Put goes on for as long as the store cannot be reached, or until
	// its job is stopped; a job taken again before the store answers again
	// (its lease ran out meanwhile, as on a loaded machine) waits the same
	// way, and finishes once the store answers.
	ix.onPut = func(ctx context.Context, doc corpus.Document) error {
		for st.fail.Load() {
			select {
			case <-ctx.Done():
				causes <- context.Cause(ctx)
				return ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
		return nil
	}
	h := newHarness(t, ix)
	h.close()
	h.open(false)
	st = &unreachableRenew{Store: h.store}
	st.fail.Store(true)
	m := NewManager(st, ix, parseText, Config{Workers: 1, Lease: 600 * time.Millisecond, PollInterval: 20 * time.Millisecond})
	defer m.Close()
	m.Start(context.Background())
	h.m = m
	rec := h.upload("news", "a.txt", []byte("一篇文章。"))
	select {
	case cause := <-causes:
		if !errors.Is(cause, ErrLeaseLost) {
			t.Fatalf("the job stopped because %v", cause)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the job went on although its lease could not be renewed")
	}
	st.fail.Store(false)
	if got := h.wait("news", rec.ID); got.Status != StatusReady {
		t.Fatalf("after the store answered again: %+v", got)
	}
}
