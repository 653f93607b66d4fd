package retrieval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"

	"github.com/philippgille/chromem-go"
)

func TestMatrixFileRoundTrip(t *testing.T) {
	rows := [][]float32{{1, -0.5, 0}, {0.25, 3e-8, -7}}
	var buf bytes.Buffer
	if err := writeMatrix(&buf, len(rows), 3, func(i int) []float32 { return rows[i] }); err != nil {
		t.Fatal(err)
	}
	m, err := readMatrix(bytes.NewReader(buf.Bytes()), 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		for k, x := range r {
			if got := m.row(i)[k]; got != x {
				t.Errorf("row %d[%d] = %v, want %v", i, k, got, x)
			}
		}
	}
	for _, shape := range [][2]int{{3, 3}, {2, 4}} {
		if _, err := readMatrix(bytes.NewReader(buf.Bytes()), shape[0], shape[1]); !errors.Is(err, errMatrixShape) {
			t.Errorf("reading as %d×%d: %v", shape[0], shape[1], err)
		}
	}
	if _, err := readMatrix(bytes.NewReader(buf.Bytes()[:buf.Len()-1]), 2, 3); err == nil {
		t.Error("a truncated file read without error")
	}
	// Mapped from a file, the rows are the same; a file of the wrong size
	// is refused.
	path := filepath.Join(t.TempDir(), matrixFile)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	mm, err := openMatrix(path, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(mm.data, m.data) {
		t.Errorf("mapped rows %v, read rows %v", mm.data, m.data)
	}
	if err := mm.close(); err != nil || mm.n != 0 || mm.data != nil {
		t.Errorf("close: %v, left %d rows", err, mm.n)
	}
	if err := os.WriteFile(path, append(buf.Bytes(), 0, 0, 0, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := openMatrix(path, 2, 3); !errors.Is(err, errMatrixShape) {
		t.Errorf("a file with a trailing float opened: %v", err)
	}
	if err := writeMatrix(&buf, 1, 4, func(int) []float32 { return rows[0] }); err == nil {
		t.Error("a row of the wrong length was written")
	}
}

// A generation written before the matrix file existed has only the
// chromem-go export; it must load to the same vectors.
func TestOpenGenerationWithoutMatrixFile(t *testing.T) {
	docs := realDocs(t)
	dir := t.TempDir()
	ctx := context.Background()
	opts := Options{Dir: dir, Embedder: hashEmbedder(t)}
	ix, _, err := Ingest(ctx, docs, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The loaded rows are mapped from the generation's files until Close.
	want := newMatrix(ix.vecs.n, ix.vecs.dim)
	copy(want.data, ix.vecs.data)
	ix.Close()
	if err := os.Remove(filepath.Join(dir, ix.Manifest().Generation, matrixFile)); err != nil {
		t.Fatal(err)
	}
	check := func(what string) {
		t.Helper()
		re, err := Open(ctx, opts)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		defer re.Close()
		if re.vecs.n != want.n || re.vecs.dim != want.dim {
			t.Fatalf("%s: loaded %d×%d, want %d×%d", what, re.vecs.n, re.vecs.dim, want.n, want.dim)
		}
		for i := range want.n {
			if d := dot(re.vecs.row(i), want.row(i)); d < 0.9999 && dot(want.row(i), want.row(i)) > 0 {
				t.Fatalf("%s: row %d differs: cosine %v", what, i, d)
			}
		}
	}
	check("uncompressed export")

	// Older generations have the export gzipped, under another name.
	gen := filepath.Join(dir, ix.Manifest().Generation)
	db := chromem.NewDB()
	if err := db.ImportFromFile(filepath.Join(gen, vectorsFile), ""); err != nil {
		t.Fatal(err)
	}
	if err := db.ExportToFile(filepath.Join(gen, legacyVectorsFile), true, "", collection); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(gen, vectorsFile)); err != nil {
		t.Fatal(err)
	}
	check("gzipped export")
}

// A large matrix is scanned in parts on several goroutines; the result must
// be the one a single pass gives, ties and filters included.
func TestParallelScanMatchesSinglePass(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	const dim = 64
	n := parallelScanFloats/dim + 7
	vs := randomUnit(64, dim)
	ix := &Index{vecs: newMatrix(n, dim), chunks: make([]Chunk, n)}
	for i := range n {
		// Few distinct vectors, so that many scores tie.
		ix.vecs.set(i, vs[(i*7)%len(vs)])
		ix.chunks[i].DocID = fmt.Sprintf("d%d", i%5)
	}
	ctx := context.Background()
	for _, allowed := range []map[string]bool{nil, {"d1": true, "d3": true}} {
		for _, k := range []int{1, 40, 500} {
			q := vs[3]
			got, err := ix.searchVector(ctx, q, k, allowed)
			if err != nil {
				t.Fatal(err)
			}
			want, err := ix.scanRows(ctx, q, k, allowed, 0, n)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("k=%d, allowed=%v: parallel scan differs from one pass", k, allowed)
			}
		}
	}
}
