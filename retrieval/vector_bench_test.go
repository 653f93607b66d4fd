package retrieval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/philippgille/chromem-go"
)

// randomUnit returns n unit vectors of dim dimensions, dense, from a fixed
// seed.
func randomUnit(n, dim int) [][]float32 {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([][]float32, n)
	for i := range out {
		v := make([]float32, dim)
		for k := range v {
			v[k] = float32(rng.NormFloat64())
		}
		normalize(v)
		out[i] = v
	}
	return out
}

var scanSizes = []int{1_000, 10_000, 100_000}

// BenchmarkVectorScan is one query's pass over the matrix for the best 40
// chunks, the candidate pool of a default query. Its MB/s is the bytes of
// vectors scanned per second; compare it with BenchmarkMemoryRead in the
// bench package, run in the same go test invocation.
func BenchmarkVectorScan(b *testing.B) {
	for _, dim := range []int{512, DefaultHashDim} {
		for _, n := range scanSizes {
			b.Run(fmt.Sprintf("dim=%d/n=%d", dim, n), func(b *testing.B) {
				vs := randomUnit(n+16, dim)
				ix := &Index{vecs: newMatrix(n, dim)}
				for i := range n {
					ix.vecs.set(i, vs[i])
				}
				b.SetBytes(int64(n * dim * 4))
				ctx := context.Background()
				i := 0
				for b.Loop() {
					if _, err := ix.searchVector(ctx, vs[n+i%16], 40, nil); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}

// BenchmarkChromemQuery is chromem-go's exhaustive query over the same
// vectors as BenchmarkVectorScan, for the best 40. chromem-go scans with
// one goroutine per core.
func BenchmarkChromemQuery(b *testing.B) {
	for _, dim := range []int{512, DefaultHashDim} {
		for _, n := range scanSizes {
			b.Run(fmt.Sprintf("dim=%d/n=%d", dim, n), func(b *testing.B) {
				vs := randomUnit(n+16, dim)
				col, err := chromem.NewDB().CreateCollection("bench", nil, nil)
				if err != nil {
					b.Fatal(err)
				}
				docs := make([]chromem.Document, n)
				for i := range docs {
					docs[i] = chromem.Document{ID: fmt.Sprint(i), Embedding: vs[i]}
				}
				ctx := context.Background()
				if err := col.AddDocuments(ctx, docs, runtime.GOMAXPROCS(0)); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(n * dim * 4))
				i := 0
				for b.Loop() {
					if _, err := col.QueryEmbedding(ctx, vs[n+i%16], 40, nil, nil); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		}
	}
}
