package uploads_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"wenda/uploads"
	"wenda/uploads/uploadstest"
)

func TestBoltStoreContract(t *testing.T) {
	uploadstest.Run(t, func(t *testing.T) func() uploads.Store {
		dir := t.TempDir()
		return func() uploads.Store {
			st, err := uploads.OpenBoltStore(dir)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
	})
}

func TestPgStoreContract(t *testing.T) {
	uploadstest.PostgresDSN(t) // skips the whole suite without a server
	uploadstest.Run(t, func(t *testing.T) func() uploads.Store {
		dsn := uploadstest.PostgresDSN(t)
		return func() uploads.Store {
			st, err := uploads.OpenPgStore(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
	})
}

// A DSN that cannot be used says where it failed, never its password.
func TestPgStoreOpenErrors(t *testing.T) {
	for _, dsn := range []string{
		"postgres://wenda:s3cretpassw0rd@127.0.0.1:1/wenda?connect_timeout=5",
		"postgres://wenda:s3cretpassw0rd@127.0.0.1:bad/wenda",
	} {
		_, err := uploads.OpenPgStore(context.Background(), dsn)
		if err == nil {
			t.Fatalf("%s: opened", dsn)
		}
		if strings.Contains(err.Error(), "s3cretpassw0rd") {
			t.Errorf("the error shows the password: %v", err)
		}
		t.Log(err)
	}
}

// BenchmarkStoreLifecycle measures what one small upload costs each
// store: its file stored, the upload accepted, its job claimed and the
// record marked ready, each step committed (fsynced by bbolt, committed
// by PostgreSQL).
func BenchmarkStoreLifecycle(b *testing.B) {
	body := uploadstest.Article(b, "g2-busan-summit.txt") // 7.7 KB
	stores := []struct {
		name string
		open func(b *testing.B) uploads.Store
	}{
		{"bolt", func(b *testing.B) uploads.Store {
			st, err := uploads.OpenBoltStore(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			return st
		}},
		{"postgres", func(b *testing.B) uploads.Store {
			st, err := uploads.OpenPgStore(context.Background(), uploadstest.PostgresDSN(b))
			if err != nil {
				b.Fatal(err)
			}
			return st
		}},
	}
	for _, s := range stores {
		b.Run(s.name, func(b *testing.B) {
			st := s.open(b)
			defer st.Close()
			ctx := context.Background()
			n := 0
			for b.Loop() {
				n++
				raw := append(fmt.Appendf(nil, "%d ", n), body...)
				blob, err := st.SaveBlob(ctx, "news", bytes.NewReader(raw), 1<<20)
				if err != nil {
					b.Fatal(err)
				}
				name := fmt.Sprintf("doc%d.txt", n)
				if _, _, err := st.Accept(ctx, "news", uploads.Upload{Filename: name, Blob: blob}, fmt.Sprintf("doc%d", n), nil); err != nil {
					b.Fatal(err)
				}
				rec, ok, err := st.Claim(ctx, "w", time.Minute)
				if err != nil || !ok {
					b.Fatal(ok, err)
				}
				if _, err := st.Update(ctx, "news", rec.ID, func(r *uploads.Record) error {
					r.Status, r.Indexed, r.Lease = uploads.StatusReady, true, ""
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Processes starting at once on a new database create the tables once,
// and a file stored but never accepted is removed by a later start only
// once it is old: a younger one may be an upload another process is
// about to accept.
func TestPgStoreOpen(t *testing.T) {
	dsn := uploadstest.PostgresDSN(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	stores := make([]*uploads.PgStore, 4)
	errs := make([]error, len(stores))
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = uploads.OpenPgStore(ctx, dsn) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var versions int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM wenda_upload_schema`).Scan(&versions); err != nil || versions != 1 {
		t.Fatalf("schema versions recorded: %d %v", versions, err)
	}

	st := stores[0]
	old, _ := st.SaveBlob(ctx, "news", strings.NewReader("很久以前存下、从未确认的上传。"), 1<<20)
	young, _ := st.SaveBlob(ctx, "news", strings.NewReader("刚刚存下、还没确认的上传。"), 1<<20)
	kept, _ := st.SaveBlob(ctx, "news", strings.NewReader("已经确认的上传。"), 1<<20)
	if _, _, err := st.Accept(ctx, "news", uploads.Upload{Filename: "kept.txt", Blob: kept}, "kept", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `UPDATE wenda_upload_blobs SET saved = now() - interval '2 hours' WHERE hash <> $1`, young.Hash); err != nil {
		t.Fatal(err)
	}
	again, err := uploads.OpenPgStore(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	for _, c := range []struct {
		b    uploads.Blob
		gone bool
	}{{old, true}, {young, false}, {kept, false}} {
		_, err := again.ReadBlob(ctx, "news", c.b.Hash)
		if gone := errors.Is(err, uploads.ErrNotFound); gone != c.gone || (err != nil && !gone) {
			t.Errorf("blob %s…: %v, want gone %v", c.b.Hash[:8], err, c.gone)
		}
	}
	// A file refreshed by a new SaveBlob is young again.
	if _, err := conn.Exec(ctx, `UPDATE wenda_upload_blobs SET saved = now() - interval '2 hours'`); err != nil {
		t.Fatal(err)
	}
	if _, err := again.SaveBlob(ctx, "news", strings.NewReader("刚刚存下、还没确认的上传。"), 1<<20); err != nil {
		t.Fatal(err)
	}
	third, err := uploads.OpenPgStore(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	if _, err := third.ReadBlob(ctx, "news", young.Hash); err != nil {
		t.Errorf("a file saved again just now was removed: %v", err)
	}
}
