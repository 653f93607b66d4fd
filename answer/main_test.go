package answer

import (
	"testing"

	"wenda/embed"
	"wenda/internal/testindex"
)

func TestMain(m *testing.M) { testindex.Main(m) }

// realIndex returns the shared index of the embedded articles, built with
// the offline hash embedder at its default dimension.
func realIndex(t testing.TB) *testindex.Index {
	t.Helper()
	return testindex.Real(t, embed.DefaultHashDim)
}
