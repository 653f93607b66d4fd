package uploads_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

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
