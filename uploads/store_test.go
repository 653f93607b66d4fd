package uploads_test

import (
	"context"
	"strings"
	"testing"

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
