// Package devsets finds the development question sets for tests: the
// converted public reading-comprehension sets kept in shared/evalsets
// beside the repository.
package devsets

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns WENDA_EVALSETS, or the first shared/evalsets folder found in
// the working directory or one of its parents; "" when there is none.
func Dir() string {
	if d := os.Getenv("WENDA_EVALSETS"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		d := filepath.Join(dir, "shared", "evalsets")
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			return d
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Require returns Dir for a test that needs the sets: in CI (CI set) a
// missing folder fails the test, elsewhere it skips it.
func Require(tb testing.TB) string {
	tb.Helper()
	dir := Dir()
	if dir == "" {
		if os.Getenv("CI") != "" {
			tb.Fatal("the development sets (shared/evalsets) are not beside the repository")
		}
		tb.Skip("development sets not found; set WENDA_EVALSETS")
	}
	return dir
}
