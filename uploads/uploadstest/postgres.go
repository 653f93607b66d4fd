package uploadstest

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// PostgresDSN returns the DSN of the test PostgreSQL server
// (WENDA_TEST_POSTGRES_DSN, see .ci/postgres.sh) with a search_path of a
// fresh schema of the test's own, dropped when the test ends. Without a
// server the test is skipped, or fails under WENDA_REQUIRE_POSTGRES=1.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("WENDA_TEST_POSTGRES_DSN")
	if base == "" {
		if os.Getenv("WENDA_REQUIRE_POSTGRES") == "1" {
			t.Fatal("WENDA_REQUIRE_POSTGRES=1 but WENDA_TEST_POSTGRES_DSN is not set")
		}
		t.Skip("no PostgreSQL server: set WENDA_TEST_POSTGRES_DSN (bash .ci/postgres.sh start; eval $(bash .ci/postgres.sh env))")
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("WENDA_TEST_POSTGRES_DSN must be a postgres:// URL")
	}
	schema := "t_" + strings.ToLower(rand.Text()[:16])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to the test PostgreSQL server: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Error(err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
