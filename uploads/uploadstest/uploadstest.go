// Package uploadstest is the contract of uploads.Store as tests: every
// implementation runs Run and must pass it, so that the Manager behaves
// the same on the embedded store and on a shared one.
package uploadstest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"wenda/uploads"
)

// Opener makes a fresh, empty place for a store (a folder, a database
// schema) for one test, and returns how to open a store on it. The test
// may open it again after closing it, to see what a restart keeps.
type Opener func(t *testing.T) (open func() uploads.Store)

// Run runs the contract against the stores open makes.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s *suite)
	}{
		{"Blobs", testBlobs},
		{"DropBlob", testDropBlob},
		{"AcceptNew", testAcceptNew},
		{"IdenticalBytes", testIdenticalBytes},
		{"NewVersion", testNewVersion},
		{"FailedRetried", testFailedRetried},
		{"IDs", testIDs},
		{"GetUpdate", testGetUpdate},
		{"RecordRoundTrip", testRecordRoundTrip},
		{"Claim", testClaim},
		{"LeaseExpires", testLeaseExpires},
		{"AcquireRenew", testAcquireRenew},
		{"NewVersionKeepsLease", testNewVersionKeepsLease},
		{"UpdateQueues", testUpdateQueues},
		{"Remove", testRemove},
		{"UnindexedCount", testUnindexedCount},
		{"RemoveCollection", testRemoveCollection},
		{"Reopen", testReopen},
		{"ConcurrentClaims", testConcurrentClaims},
		{"ConcurrentAccepts", testConcurrentAccepts},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &suite{t: t, open: open(t)}
			s.reopen()
			t.Cleanup(s.close)
			tt.fn(t, s)
		})
	}
}

// suite is one test's store.
type suite struct {
	t    *testing.T
	open func() uploads.Store
	st   uploads.Store
}

func (s *suite) reopen() {
	s.close()
	s.st = s.open()
}

func (s *suite) close() {
	if s.st != nil {
		if err := s.st.Close(); err != nil {
			s.t.Error(err)
		}
		s.st = nil
	}
}

var ctx = context.Background()

// Article returns a real article of the built-in collection, from the
// test's package directory one level below the repository's root.
func Article(t testing.TB, name string) []byte {
	t.Helper()
	for _, dir := range []string{"..", filepath.Join("..", "..")} {
		if b, err := os.ReadFile(filepath.Join(dir, "corpus", "articles", name)); err == nil {
			return b
		}
	}
	t.Fatalf("article %s not found", name)
	return nil
}

// save stores raw and returns its blob.
func (s *suite) save(coll string, raw []byte) uploads.Blob {
	s.t.Helper()
	b, err := s.st.SaveBlob(ctx, coll, bytes.NewReader(raw), 1<<24)
	if err != nil {
		s.t.Fatal(err)
	}
	return b
}

// accept stores raw and accepts it as name, with the id its name gives.
func (s *suite) accept(coll, name string, raw []byte) (uploads.Record, bool) {
	s.t.Helper()
	base := strings.ToLower(strings.TrimSuffix(name, filepath.Ext(name)))
	rec, queued, err := s.st.Accept(ctx, coll, uploads.Upload{Filename: name, Blob: s.save(coll, raw)}, base, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return rec, queued
}

func (s *suite) get(coll, id string) uploads.Record {
	s.t.Helper()
	r, err := s.st.Get(ctx, coll, id)
	if err != nil {
		s.t.Fatal(err)
	}
	return r
}

func (s *suite) set(coll, id string, fn func(*uploads.Record)) uploads.Record {
	s.t.Helper()
	r, err := s.st.Update(ctx, coll, id, func(r *uploads.Record) error { fn(r); return nil })
	if err != nil {
		s.t.Fatal(err)
	}
	return r
}

// claimAll claims every job free to take, in order.
func (s *suite) claimAll(owner string, lease time.Duration) []uploads.Record {
	s.t.Helper()
	var out []uploads.Record
	for range 1000 {
		r, ok, err := s.st.Claim(ctx, owner, lease)
		if err != nil {
			s.t.Fatal(err)
		}
		if !ok {
			return out
		}
		out = append(out, r)
	}
	s.t.Fatal("Claim never ran out of jobs")
	return nil
}

func ids(recs []uploads.Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.ID)
	}
	return out
}

func (s *suite) blobGone(coll, hash string) bool {
	s.t.Helper()
	_, err := s.st.ReadBlob(ctx, coll, hash)
	if err != nil && !errors.Is(err, uploads.ErrNotFound) {
		s.t.Fatal(err)
	}
	return err != nil
}

func testBlobs(t *testing.T, s *suite) {
	raw := Article(t, "g2-busan-summit.txt")
	b := s.save("news", raw)
	sum := sha256.Sum256(raw)
	if b.Hash != hex.EncodeToString(sum[:]) || b.Size != int64(len(raw)) {
		t.Fatalf("blob %+v for %d bytes", b, len(raw))
	}
	got, err := s.st.ReadBlob(ctx, "news", b.Hash)
	if err != nil || !bytes.Equal(got, raw) {
		t.Fatalf("read back %d bytes, %v", len(got), err)
	}
	if again := s.save("news", raw); again != b {
		t.Errorf("the same bytes again: %+v, want %+v", again, b)
	}
	// Another collection has its own copy.
	if _, err := s.st.ReadBlob(ctx, "other", b.Hash); !errors.Is(err, uploads.ErrNotFound) {
		t.Errorf("a file of news read from other: %v", err)
	}
	if _, err := s.st.ReadBlob(ctx, "news", strings.Repeat("0", 64)); !errors.Is(err, uploads.ErrNotFound) {
		t.Errorf("unknown file: %v, want ErrNotFound", err)
	}
	// The limit: at it is fine, one byte more is ErrTooLarge.
	if _, err := s.st.SaveBlob(ctx, "news", bytes.NewReader(make([]byte, 101)), 100); !errors.Is(err, uploads.ErrTooLarge) {
		t.Errorf("over the limit: %v, want ErrTooLarge", err)
	}
	if b, err := s.st.SaveBlob(ctx, "news", bytes.NewReader(make([]byte, 100)), 100); err != nil || b.Size != 100 {
		t.Errorf("at the limit: %+v %v", b, err)
	}
	// An empty file is a file.
	if b, err := s.st.SaveBlob(ctx, "news", bytes.NewReader(nil), 100); err != nil || b.Size != 0 {
		t.Errorf("empty: %+v %v", b, err)
	}
	if _, err := s.st.SaveBlob(ctx, "../x", strings.NewReader("x"), 100); err == nil {
		t.Error("a collection id that is a path was accepted")
	}
}

func testDropBlob(t *testing.T, s *suite) {
	kept, _ := s.accept("news", "a.txt", []byte("正文。"))
	same := s.save("news", []byte("正文。"))
	other := s.save("news", []byte("被拒绝的上传。"))
	for _, b := range []uploads.Blob{same, other} {
		if err := s.st.DropBlob(ctx, "news", b.Hash); err != nil {
			t.Fatal(err)
		}
	}
	if s.blobGone("news", kept.Hash) {
		t.Error("a file a record points at was dropped")
	}
	if !s.blobGone("news", other.Hash) {
		t.Error("a refused upload's file was kept")
	}
	if err := s.st.DropBlob(ctx, "news", other.Hash); err != nil {
		t.Errorf("dropping a missing file: %v", err)
	}
}

func testAcceptNew(t *testing.T, s *suite) {
	raw := Article(t, "g2-busan-summit.txt")
	b := s.save("news", raw)
	u := uploads.Upload{Filename: "Busan Summit.txt", Blob: b, Title: "釜山", Source: "https://example.org/a", Date: "2025-11-01"}
	rec, queued, err := s.st.Accept(ctx, "news", u, "busan-summit", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := uploads.Record{Collection: "news", ID: "busan-summit", Filename: "Busan Summit.txt", Title: "釜山",
		Source: "https://example.org/a", Date: "2025-11-01", Hash: b.Hash, Size: b.Size, Version: 1, Status: uploads.StatusQueued}
	got := rec
	got.Seq, got.JobSeq, got.Created, got.Updated = 0, 0, time.Time{}, time.Time{}
	if !queued || !reflect.DeepEqual(got, want) {
		t.Fatalf("accepted %+v queued %v\nwant %+v", rec, queued, want)
	}
	if rec.Seq == 0 || rec.JobSeq == 0 || rec.Created.IsZero() || rec.Updated.IsZero() {
		t.Errorf("no order or times: %+v", rec)
	}
	if d := time.Since(rec.Created); d < -time.Minute || d > time.Minute {
		t.Errorf("created %v, %v from now", rec.Created, d)
	}
	if g := s.get("news", rec.ID); !sameRecord(g, rec) {
		t.Errorf("Get %+v\nAccept %+v", g, rec)
	}
	if _, err := s.st.Get(ctx, "other", rec.ID); !errors.Is(err, uploads.ErrNotFound) {
		t.Errorf("the record in another collection: %v", err)
	}
}

func testIdenticalBytes(t *testing.T, s *suite) {
	raw := Article(t, "g2-busan-summit.txt")
	rec, _ := s.accept("news", "busan.txt", raw)
	rec = s.set("news", rec.ID, func(r *uploads.Record) { r.Status, r.Indexed, r.Chunks = uploads.StatusReady, true, 7 })
	// The same bytes again, under the same or another name: the same
	// record untouched, no job.
	for _, name := range []string{"busan.txt", "copy of busan.txt"} {
		again, queued := s.accept("news", name, raw)
		if queued || !sameRecord(again, rec) {
			t.Errorf("re-upload as %q: queued %v %+v, want %+v", name, queued, again, rec)
		}
	}
	if jobs := s.claimAll("w", time.Minute); len(jobs) != 0 {
		t.Errorf("jobs after identical re-uploads: %v", ids(jobs))
	}
	// Identical bytes into another collection are another document.
	if other, queued := s.accept("other", "busan.txt", raw); !queued || other.Collection != "other" {
		t.Errorf("into another collection: %v %+v", queued, other)
	}
}

func testNewVersion(t *testing.T, s *suite) {
	v1 := Article(t, "g2-busan-summit.txt")
	rec, _ := s.accept("news", "busan.txt", v1)
	rec = s.set("news", rec.ID, func(r *uploads.Record) { r.Status, r.Indexed, r.Chunks = uploads.StatusReady, true, 7 })
	v2 := append(append([]byte(nil), v1...), "\n\n新增的一段：釜山会晤之后双方同意继续磋商。\n"...)
	up, queued := s.accept("news", "busan.txt", v2)
	if !queued || up.ID != rec.ID || up.Version != 2 || up.Status != uploads.StatusQueued || !up.Indexed ||
		up.Chunks != 0 || up.Seq != rec.Seq || !up.Created.Equal(rec.Created) || up.JobSeq == 0 || up.Hash == rec.Hash {
		t.Fatalf("new version: %+v\nof %+v", up, rec)
	}
	if !s.blobGone("news", rec.Hash) {
		t.Error("the replaced version's file is still stored")
	}
	if s.blobGone("news", up.Hash) {
		t.Error("the new version's file is gone")
	}
	// The old bytes again are a third version, not the first record.
	v3, queued := s.accept("news", "busan.txt", v1)
	if !queued || v3.ID != rec.ID || v3.Version != 3 || v3.Hash != rec.Hash {
		t.Errorf("old bytes again: %+v", v3)
	}
}

func testFailedRetried(t *testing.T, s *suite) {
	bin := []byte("\x00\x01\x02PK\x03\x04 not text at all")
	rec, _ := s.accept("news", "scan.txt", bin)
	s.claimAll("w", time.Minute)
	s.set("news", rec.ID, func(r *uploads.Record) {
		r.Status, r.Error, r.ErrorCode, r.Lease, r.LeaseUntil = uploads.StatusFailed, "the file is binary", "binary_file", "", time.Time{}
	})
	// The same bytes again retry it, under its name or another free one.
	again, queued := s.accept("news", "scan.txt", bin)
	if !queued || again.ID != rec.ID || again.Version != 2 || again.Status != uploads.StatusQueued || again.Error != "" || again.ErrorCode != "" {
		t.Fatalf("re-upload of a failed file: %v %+v", queued, again)
	}
	s.claimAll("w", time.Minute)
	s.set("news", rec.ID, func(r *uploads.Record) { r.Status, r.Lease, r.LeaseUntil = uploads.StatusFailed, "", time.Time{} })
	renamed, queued := s.accept("news", "scan2.txt", bin)
	if !queued || renamed.ID != rec.ID || renamed.Version != 3 || renamed.Filename != "scan2.txt" {
		t.Fatalf("a failed file's bytes under another name: %v %+v", queued, renamed)
	}
	// The old name is free again: a new document.
	if fresh, _ := s.accept("news", "scan.txt", []byte("一篇正常的文章。")); fresh.ID == rec.ID || fresh.Version != 1 {
		t.Errorf("the failed document's old name: %+v", fresh)
	}
}

func testIDs(t *testing.T, s *suite) {
	// A document loaded in bulk, from a file of its own.
	bulk := map[string]string{"report": "report.md"}
	taken := func(id string) (string, bool, error) {
		name, ok := bulk[id]
		return name, ok, nil
	}
	tests := []struct {
		name, base, want string
		indexed          bool
	}{
		{"a b.txt", "a-b", "a-b", false},
		{"A-B.md", "a-b", "a-b-2", false},
		{"a.b.txt", "a-b", "a-b-3", false},
		{"report.txt", "report", "report-2", false}, // the id is taken by another file
		{"report.md", "report", "report", true},     // the same file: a new version of it
	}
	for i, tt := range tests {
		b := s.save("news", fmt.Appendf(nil, "第%d篇。", i))
		rec, _, err := s.st.Accept(ctx, "news", uploads.Upload{Filename: tt.name, Blob: b}, tt.base, taken)
		if err != nil {
			t.Fatal(err)
		}
		if rec.ID != tt.want || rec.Indexed != tt.indexed {
			t.Errorf("%s: id %q indexed %v, want %q %v", tt.name, rec.ID, rec.Indexed, tt.want, tt.indexed)
		}
	}
	// An error of taken is Accept's, and records nothing.
	boom := errors.New("index unreachable")
	b := s.save("news", []byte("无法确认。"))
	_, _, err := s.st.Accept(ctx, "news", uploads.Upload{Filename: "x.txt", Blob: b}, "x",
		func(string) (string, bool, error) { return "", false, boom })
	if !errors.Is(err, boom) {
		t.Errorf("taken failed: %v", err)
	}
	if _, err := s.st.Get(ctx, "news", "x"); !errors.Is(err, uploads.ErrNotFound) {
		t.Errorf("recorded although taken failed: %v", err)
	}
}

func testGetUpdate(t *testing.T, s *suite) {
	if _, err := s.st.Get(ctx, "news", "none"); !errors.Is(err, uploads.ErrNotFound) {
		t.Errorf("Get of nothing: %v", err)
	}
	if _, err := s.st.Update(ctx, "news", "none", func(*uploads.Record) error { return nil }); !errors.Is(err, uploads.ErrNotFound) {
		t.Errorf("Update of nothing: %v", err)
	}
	rec, _ := s.accept("news", "a.txt", []byte("正文。"))
	refused := errors.New("refused")
	if _, err := s.st.Update(ctx, "news", rec.ID, func(r *uploads.Record) error { r.Chunks = 9; return refused }); !errors.Is(err, refused) {
		t.Errorf("fn's error: %v", err)
	}
	if g := s.get("news", rec.ID); g.Chunks != 0 {
		t.Errorf("a refused update changed the record: %+v", g)
	}
	// What names the document and its file cannot change.
	got := s.set("news", rec.ID, func(r *uploads.Record) {
		r.Collection, r.ID, r.Hash, r.Filename, r.Seq = "other", "b", "00", "b.txt", 99
	})
	if got.Collection != "news" || got.ID != rec.ID || got.Hash != rec.Hash || got.Filename != rec.Filename || got.Seq != rec.Seq {
		t.Errorf("Update changed the document's name: %+v", got)
	}
	if got.Updated.Before(rec.Updated) {
		t.Errorf("updated %v before %v", got.Updated, rec.Updated)
	}
}

// testRecordRoundTrip: every field the worker writes is what Get reads.
func testRecordRoundTrip(t *testing.T, s *suite) {
	rec, _ := s.accept("news", "a.txt", []byte("正文。"))
	want := s.set("news", rec.ID, func(r *uploads.Record) {
		r.Title, r.Source, r.Date = "标题", "来源", "2025-12-01"
		r.Status, r.Error, r.Chunks, r.Indexed = uploads.StatusFailed, "the file could not be read: 乱码", 3, true
		r.Version, r.ErrorCode = 5, "unreadable_file"
	})
	s.reopen()
	if got := s.get("news", rec.ID); !sameRecord(got, want) {
		t.Errorf("read back %+v\nwrote     %+v", got, want)
	}
}

func testClaim(t *testing.T, s *suite) {
	var recs []uploads.Record
	for i := range 3 {
		r, _ := s.accept("news", fmt.Sprintf("doc%d.txt", i), fmt.Appendf(nil, "第%d篇。", i))
		recs = append(recs, r)
	}
	done, _ := s.accept("news", "done.txt", []byte("已经完成的文章。"))
	s.set("news", done.ID, func(r *uploads.Record) { r.Status, r.Indexed = uploads.StatusReady, true })
	// A job of another collection, queued last.
	s.accept("other", "x.txt", []byte("另一个集合。"))

	first, ok, err := s.st.Claim(ctx, "w1", time.Minute)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if first.ID != recs[0].ID || first.Status != uploads.StatusProcessing || first.Lease != "w1" {
		t.Fatalf("first claim: %+v", first)
	}
	if d := time.Until(first.LeaseUntil); d < 30*time.Second || d > 90*time.Second {
		t.Errorf("lease until %v, %v from now; want about a minute", first.LeaseUntil, d)
	}
	if g := s.get("news", first.ID); !sameRecord(g, first) {
		t.Errorf("Get after Claim %+v\nClaim %+v", g, first)
	}
	rest := s.claimAll("w2", time.Minute)
	if got := ids(rest); !reflect.DeepEqual(got, []string{"doc1", "doc2", "x"}) {
		t.Errorf("claimed in order %v", got)
	}
	// A deletion is a job too.
	s.set("news", done.ID, func(r *uploads.Record) { r.Status = uploads.StatusDeleting })
	del, ok, err := s.st.Claim(ctx, "w3", time.Minute)
	if err != nil || !ok || del.ID != done.ID || del.Status != uploads.StatusDeleting || del.Lease != "w3" {
		t.Errorf("claim of a deletion: %v %v %+v", ok, err, del)
	}
	if _, ok, err := s.st.Claim(ctx, "w3", time.Minute); ok || err != nil {
		t.Errorf("a claim with every job leased: %v %v", ok, err)
	}
}

func testLeaseExpires(t *testing.T, s *suite) {
	rec, _ := s.accept("news", "a.txt", []byte("正文。"))
	if _, ok, err := s.st.Claim(ctx, "dead", 200*time.Millisecond); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if _, ok, _ := s.st.Claim(ctx, "alive", time.Minute); ok {
		t.Fatal("claimed a job whose lease runs")
	}
	if _, err := s.st.Renew(ctx, "news", rec.ID, "alive", time.Minute); !errors.Is(err, uploads.ErrLeaseLost) {
		t.Errorf("renew by another owner: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, ok, err := s.st.Claim(ctx, "alive", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			if r.ID != rec.ID || r.Lease != "alive" || r.Status != uploads.StatusProcessing {
				t.Errorf("taken over: %+v", r)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the expired lease was never taken over")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := s.st.Renew(ctx, "news", rec.ID, "dead", time.Minute); !errors.Is(err, uploads.ErrLeaseLost) {
		t.Errorf("the dead worker renewed: %v", err)
	}
}

func testAcquireRenew(t *testing.T, s *suite) {
	if _, _, err := s.st.Acquire(ctx, "news", "none", "w", time.Minute); !errors.Is(err, uploads.ErrNotFound) {
		t.Errorf("Acquire of nothing: %v", err)
	}
	if _, err := s.st.Renew(ctx, "news", "none", "w", time.Minute); !errors.Is(err, uploads.ErrNotFound) {
		t.Errorf("Renew of nothing: %v", err)
	}
	rec, _ := s.accept("news", "a.txt", []byte("正文。"))
	a, ok, err := s.st.Acquire(ctx, "news", rec.ID, "a", time.Minute)
	if err != nil || !ok || a.Lease != "a" || a.Status != uploads.StatusProcessing {
		t.Fatalf("acquire a free record: %v %v %+v", ok, err, a)
	}
	b, ok, err := s.st.Acquire(ctx, "news", rec.ID, "b", time.Minute)
	if err != nil || ok || b.Lease != "a" {
		t.Fatalf("acquire a held record: %v %v %+v", ok, err, b)
	}
	if again, ok, err := s.st.Acquire(ctx, "news", rec.ID, "a", time.Minute); err != nil || !ok || again.Lease != "a" {
		t.Errorf("its owner acquires it again: %v %v %+v", ok, err, again)
	}
	short, err := s.st.Renew(ctx, "news", rec.ID, "a", 200*time.Millisecond)
	if err != nil || short.Lease != "a" || time.Until(short.LeaseUntil) > 10*time.Second {
		t.Fatalf("renew: %v %+v", err, short)
	}
	long, err := s.st.Renew(ctx, "news", rec.ID, "a", time.Hour)
	if err != nil || !long.LeaseUntil.After(short.LeaseUntil.Add(30*time.Minute)) {
		t.Fatalf("renew for an hour: %v %v after %v", err, long.LeaseUntil, short.LeaseUntil)
	}
	s.set("news", rec.ID, func(r *uploads.Record) { r.LeaseUntil = time.Now().Add(-time.Second) })
	if b, ok, err := s.st.Acquire(ctx, "news", rec.ID, "b", time.Minute); err != nil || !ok || b.Lease != "b" {
		t.Errorf("acquire an expired lease: %v %v %+v", ok, err, b)
	}
	if _, err := s.st.Renew(ctx, "news", rec.ID, "a", time.Minute); !errors.Is(err, uploads.ErrLeaseLost) {
		t.Errorf("renew by the owner that lost it: %v", err)
	}
}

func testNewVersionKeepsLease(t *testing.T, s *suite) {
	rec, _ := s.accept("news", "a.txt", []byte("第一版。"))
	if _, ok, err := s.st.Claim(ctx, "a", time.Minute); !ok || err != nil {
		t.Fatal(ok, err)
	}
	v2, queued := s.accept("news", "a.txt", []byte("第二版。"))
	if !queued || v2.Lease != "a" || v2.Version != 2 || v2.Status != uploads.StatusQueued {
		t.Fatalf("new version while the first runs: %+v", v2)
	}
	if _, ok, _ := s.st.Claim(ctx, "b", time.Minute); ok {
		t.Fatal("the new version ran beside the old one")
	}
	// The worker of the first version sees the second when it renews.
	r, err := s.st.Renew(ctx, "news", rec.ID, "a", time.Minute)
	if err != nil || r.Version != 2 {
		t.Fatalf("renew: %v %+v", err, r)
	}
	// It gives the lease back without finishing; the job stays.
	s.set("news", rec.ID, func(r *uploads.Record) { r.Lease, r.LeaseUntil = "", time.Time{} })
	got, ok, err := s.st.Claim(ctx, "b", time.Minute)
	if err != nil || !ok || got.Version != 2 || got.Lease != "b" {
		t.Errorf("the new version's job: %v %v %+v", ok, err, got)
	}
}

func testUpdateQueues(t *testing.T, s *suite) {
	rec, _ := s.accept("news", "a.txt", []byte("正文。"))
	s.claimAll("w", time.Minute)
	// Out of an unfinished status: the job ends.
	ready := s.set("news", rec.ID, func(r *uploads.Record) {
		r.Status, r.Indexed, r.Lease, r.LeaseUntil = uploads.StatusReady, true, "", time.Time{}
	})
	if ready.JobSeq != 0 {
		t.Errorf("a ready record keeps its job: %+v", ready)
	}
	if jobs := s.claimAll("w", time.Minute); len(jobs) != 0 {
		t.Errorf("jobs after ready: %v", ids(jobs))
	}
	// Into one: a job, after the jobs queued before it.
	other, _ := s.accept("news", "b.txt", []byte("另一篇。"))
	del := s.set("news", rec.ID, func(r *uploads.Record) { r.Status = uploads.StatusDeleting })
	if del.JobSeq == 0 || del.JobSeq < other.JobSeq {
		t.Errorf("deleting: job %d, the other's %d", del.JobSeq, other.JobSeq)
	}
	// Between unfinished statuses the job keeps its place.
	if again := s.set("news", rec.ID, func(r *uploads.Record) { r.Status = uploads.StatusQueued }); again.JobSeq != del.JobSeq {
		t.Errorf("job %d became %d", del.JobSeq, again.JobSeq)
	}
	if got := ids(s.claimAll("w", time.Minute)); !reflect.DeepEqual(got, []string{"b", "a"}) {
		t.Errorf("claimed %v", got)
	}
}

func testRemove(t *testing.T, s *suite) {
	rec, _ := s.accept("news", "a.txt", []byte("正文。"))
	keep, _ := s.accept("news", "b.txt", []byte("另一篇。"))
	if err := s.st.Remove(ctx, "news", rec.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.Get(ctx, "news", rec.ID); !errors.Is(err, uploads.ErrNotFound) {
		t.Errorf("after Remove: %v", err)
	}
	if !s.blobGone("news", rec.Hash) {
		t.Error("the removed record's file is kept")
	}
	if err := s.st.Remove(ctx, "news", rec.ID); err != nil {
		t.Errorf("Remove of nothing: %v", err)
	}
	if err := s.st.Remove(ctx, "none", "x"); err != nil {
		t.Errorf("Remove in no collection: %v", err)
	}
	if got := ids(s.claimAll("w", time.Minute)); !reflect.DeepEqual(got, []string{keep.ID}) {
		t.Errorf("jobs after Remove: %v", got)
	}
	c, err := s.st.Count(ctx, "news")
	if err != nil || c.Records != 1 {
		t.Errorf("counts %+v %v", c, err)
	}
	// Its name is free again; the same bytes are a new document.
	again, queued := s.accept("news", "a.txt", []byte("正文。"))
	if !queued || again.Version != 1 || again.ID != rec.ID {
		t.Errorf("uploaded again after Remove: %+v", again)
	}
}

func testUnindexedCount(t *testing.T, s *suite) {
	var recs []uploads.Record
	for i := range 5 {
		r, _ := s.accept("news", fmt.Sprintf("doc%d.txt", i), fmt.Appendf(nil, "第%d篇。", i))
		recs = append(recs, r)
	}
	s.claimAll("w", time.Minute) // all processing
	set := func(i int, st uploads.Status, indexed bool) {
		s.set("news", recs[i].ID, func(r *uploads.Record) { r.Status, r.Indexed, r.Lease = st, indexed, "" })
	}
	set(0, uploads.StatusReady, true)
	set(1, uploads.StatusFailed, false)
	set(2, uploads.StatusQueued, false)
	// doc3 processing; doc4 a new version of an indexed document.
	set(4, uploads.StatusQueued, true)

	list, total, err := s.st.Unindexed(ctx, "news", 0, 0)
	if err != nil || total != 3 || !reflect.DeepEqual(ids(list), []string{"doc1", "doc2", "doc3"}) {
		t.Errorf("unindexed %v of %d, %v", ids(list), total, err)
	}
	list, total, err = s.st.Unindexed(ctx, "news", 1, 1)
	if err != nil || total != 3 || !reflect.DeepEqual(ids(list), []string{"doc2"}) {
		t.Errorf("unindexed from 1, 1: %v of %d, %v", ids(list), total, err)
	}
	if list, total, err := s.st.Unindexed(ctx, "none", 0, 10); err != nil || total != 0 || len(list) != 0 {
		t.Errorf("unindexed of no collection: %v %d %v", list, total, err)
	}
	c, err := s.st.Count(ctx, "news")
	want := uploads.Counts{Queued: 2, Processing: 1, Failed: 1, Records: 5, Unindexed: 3}
	if err != nil || c != want {
		t.Errorf("counts %+v, want %+v (%v)", c, want, err)
	}
	set(3, uploads.StatusDeleting, false)
	if c, _ := s.st.Count(ctx, "news"); c.Deleting != 1 || c.Processing != 0 {
		t.Errorf("counts with a deletion %+v", c)
	}
	if c, err := s.st.Count(ctx, "none"); err != nil || c != (uploads.Counts{}) {
		t.Errorf("counts of no collection %+v %v", c, err)
	}
}

func testRemoveCollection(t *testing.T, s *suite) {
	gone, _ := s.accept("news", "a.txt", []byte("正文。"))
	s.accept("news", "b.txt", []byte("另一篇。"))
	kept, _ := s.accept("other", "a.txt", []byte("正文。"))
	if err := s.st.RemoveCollection(ctx, "news"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.Get(ctx, "news", gone.ID); !errors.Is(err, uploads.ErrNotFound) {
		t.Errorf("a record of the removed collection: %v", err)
	}
	if !s.blobGone("news", gone.Hash) {
		t.Error("a file of the removed collection is kept")
	}
	if s.blobGone("other", kept.Hash) {
		t.Error("the same bytes in another collection went with it")
	}
	if got := ids(s.claimAll("w", time.Minute)); !reflect.DeepEqual(got, []string{"a"}) || s.get("other", "a").Lease != "w" {
		t.Errorf("jobs after the collection went: %v", got)
	}
	if err := s.st.RemoveCollection(ctx, "none"); err != nil {
		t.Errorf("removing no collection: %v", err)
	}
	// The collection can be used again.
	if r, queued := s.accept("news", "a.txt", []byte("正文。")); !queued || r.Version != 1 {
		t.Errorf("upload after the collection went: %+v", r)
	}
}

// testReopen: what a method acknowledged is there after the store is
// closed and opened again (a restart).
func testReopen(t *testing.T, s *suite) {
	raw := Article(t, "madrid-talks-interview.txt")
	rec, _ := s.accept("news", "madrid.txt", raw)
	ready, _ := s.accept("news", "b.txt", []byte("另一篇。"))
	ready = s.set("news", ready.ID, func(r *uploads.Record) { r.Status, r.Indexed, r.Chunks = uploads.StatusReady, true, 2 })
	s.reopen()
	if got := s.get("news", rec.ID); !sameRecord(got, rec) {
		t.Errorf("after reopening %+v\nwant %+v", got, rec)
	}
	if got := s.get("news", ready.ID); !sameRecord(got, ready) {
		t.Errorf("after reopening %+v\nwant %+v", got, ready)
	}
	if b, err := s.st.ReadBlob(ctx, "news", rec.Hash); err != nil || !bytes.Equal(b, raw) {
		t.Errorf("file after reopening: %d bytes, %v", len(b), err)
	}
	if got := ids(s.claimAll("w", time.Minute)); !reflect.DeepEqual(got, []string{rec.ID}) {
		t.Errorf("jobs after reopening: %v", got)
	}
	// A new record after reopening comes after the old ones.
	next, _ := s.accept("news", "c.txt", []byte("第三篇。"))
	if next.Seq <= ready.Seq {
		t.Errorf("seq %d after %d", next.Seq, ready.Seq)
	}
}

// testConcurrentClaims: workers claiming at once take each job once.
func testConcurrentClaims(t *testing.T, s *suite) {
	const jobs, workers = 40, 8
	for i := range jobs {
		s.accept("news", fmt.Sprintf("doc%d.txt", i), fmt.Appendf(nil, "第%d篇。", i))
	}
	var (
		mu  sync.Mutex
		got = map[string]string{}
		wg  sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			owner := fmt.Sprintf("w%d", w)
			for {
				r, ok, err := s.st.Claim(ctx, owner, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if !ok {
					return
				}
				mu.Lock()
				if prev, dup := got[r.ID]; dup {
					t.Errorf("%s claimed by %s and %s", r.ID, prev, owner)
				}
				got[r.ID] = owner
				mu.Unlock()
				runtime.Gosched()
			}
		})
	}
	wg.Wait()
	if len(got) != jobs {
		t.Errorf("%d of %d jobs claimed", len(got), jobs)
	}
	for id, owner := range got {
		if r := s.get("news", id); r.Lease != owner {
			t.Errorf("%s: lease %q, claimed by %s", id, r.Lease, owner)
		}
	}
}

// testConcurrentAccepts: uploads at once of files with the same base id
// get distinct ids, and identical bytes at once one record.
func testConcurrentAccepts(t *testing.T, s *suite) {
	const n = 12
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seen = map[string]bool{}
		same = map[string]bool{}
	)
	for i := range n {
		wg.Go(func() {
			b, err := s.st.SaveBlob(ctx, "news", bytes.NewReader(fmt.Appendf(nil, "第%d篇。", i)), 1<<20)
			if err != nil {
				t.Error(err)
				return
			}
			rec, _, err := s.st.Accept(ctx, "news", uploads.Upload{Filename: fmt.Sprintf("Report %d.txt", i), Blob: b}, "report", nil)
			if err != nil {
				t.Error(err)
				return
			}
			b, err = s.st.SaveBlob(ctx, "news", strings.NewReader("同一份文件。"), 1<<20)
			if err != nil {
				t.Error(err)
				return
			}
			dup, _, err := s.st.Accept(ctx, "news", uploads.Upload{Filename: "same.txt", Blob: b}, "same", nil)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if seen[rec.ID] {
				t.Errorf("id %s given twice", rec.ID)
			}
			seen[rec.ID] = true
			same[dup.ID] = true
		})
	}
	wg.Wait()
	if len(seen) != n || len(same) != 1 {
		t.Errorf("%d ids for %d files, %d for one file uploaded %d times", len(seen), n, len(same), n)
	}
	if c, _ := s.st.Count(ctx, "news"); c.Records != n+1 {
		t.Errorf("%d records", c.Records)
	}
}

// sameRecord compares records, times by the instant.
func sameRecord(a, b uploads.Record) bool {
	if !a.Created.Equal(b.Created) || !a.Updated.Equal(b.Updated) || !a.LeaseUntil.Equal(b.LeaseUntil) {
		return false
	}
	a.Created, a.Updated, a.LeaseUntil = b.Created, b.Updated, b.LeaseUntil
	return reflect.DeepEqual(a, b)
}
